"""Admins list, create, view, edit, open and close their institution's programs."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.programs import bp
from portal.blueprints.programs.forms import ActionForm, ProgramForm, QuestionForm, StatusForm
from portal.extensions import db
from portal.models import EnrollmentRole, Program, ProgramStatus
from portal.models.programs import AFFINITY_FIELDS, MATCHING_CRITERIA_LABELS
from portal.programs import ProgramError, create_program, set_program_status, update_program
from portal.programs import queries
from portal.programs.questionnaire import questionnaire_complete

STATUS_NOTICES = {
    ProgramStatus.OPEN: "{name} is open: mentors and students can join it from their Programs page.",
    ProgramStatus.CLOSED: "{name} is closed. Participants keep their place and answers; no one new can join.",
}


@bp.route("/admin/programs")
@admin_required
def list_programs():
    """List the institution's programs with their status, dates and participants."""
    programs = queries.list_programs()
    counts = queries.participant_counts([program.id for program in programs])
    return render_template("programs/list.html", programs=programs, counts=counts)


def _render_form(form: ProgramForm, program: Program | None, problems: list[str] | None = None,
                 message: str | None = None):
    return render_template("programs/form.html", form=form, program=program, problems=problems or [],
                           message=message)


@bp.route("/admin/programs/new", methods=["GET", "POST"])
@admin_required
def new_program():
    """Create a program; it starts as a draft so the questionnaire can be written first."""
    return _save_program(
        ProgramForm(), None, lambda data: create_program(current_user.institution_id, data),
        "{name} is created as a draft. Add its questionnaire, then open it for joining.")


@bp.route("/admin/programs/<int:program_id>")
@admin_required
def show_program(program_id: int):
    """Show a program: its settings, key result, participants and questionnaire."""
    program = get_or_404(Program, program_id)
    counts = queries.participant_counts([program.id])[program.id]
    mentors = queries.participants(program.id, EnrollmentRole.MENTOR)
    mentees = queries.participants(program.id, EnrollmentRole.MENTEE)
    answered = {enrollment.id for enrollment in mentors + mentees if questionnaire_complete(enrollment)}
    has_imports = "imports.new_import" in current_app.view_functions
    has_matching = "matching.show_matching" in current_app.view_functions
    return render_template(
        "programs/show.html", program=program, counts=counts, mentors=mentors, mentees=mentees,
        answered=answered, left=queries.left_count(program.id), criteria=MATCHING_CRITERIA_LABELS,
        affinity_labels=AFFINITY_FIELDS, import_url=url_for("imports.new_import") if has_imports else None,
        matching_url=url_for("matching.show_matching", program_id=program.id) if has_matching else None,
        question_form=QuestionForm(formdata=None), status_form=StatusForm(formdata=None),
        action_form=ActionForm(formdata=None), notice=None, problems=[])


@bp.route("/admin/programs/<int:program_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_program(program_id: int):
    """Change a program's settings."""
    program = get_or_404(Program, program_id)
    form = ProgramForm(obj=program)
    if request.method == "GET":
        form.load(program)
    return _save_program(form, program, lambda data: update_program(program, data), "{name} is saved.")


def _save_program(form: ProgramForm, program: Program | None, save, message: str):
    """Validate the form, save it with `save(data)`, and show the program; or show the errors."""
    if form.validate_on_submit():
        try:
            program = save(form.program_data())
        except ProgramError as error:
            db.session.rollback()
            return _render_form(form, program, form.show_errors(error.errors), str(error)), 422
        db.session.commit()
        flash(message.format(name=program.name), "success")
        return redirect(url_for("programs.show_program", program_id=program.id))
    if request.method == "POST":
        return _render_form(form, program, message="Please correct the highlighted fields."), 422
    return _render_form(form, program)


@bp.route("/admin/programs/<int:program_id>/status", methods=["POST"])
@admin_required
def change_program_status(program_id: int):
    """Open, close or reopen a program."""
    program = get_or_404(Program, program_id)
    form = StatusForm()
    target = form.target() if form.validate_on_submit() else None
    if target is None:
        flash("That change of status isn't possible. Use the buttons on the program's page.", "danger")
        return redirect(url_for("programs.show_program", program_id=program.id))
    try:
        set_program_status(program, target)
    except ProgramError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(STATUS_NOTICES[target].format(name=program.name), "success")
    return redirect(url_for("programs.show_program", program_id=program.id))
