"""The questionnaire editor: admins add, edit, reorder and delete a program's questions.

Every action is a plain form post that redirects back to the program; with htmx the same
URLs answer with the refreshed editor (or the inline form with its errors), so the page
never reloads.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_htmx import make_response as htmx_response

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.programs import bp
from portal.blueprints.programs.forms import ActionForm, MoveForm, QuestionForm
from portal.extensions import db, htmx
from portal.models import Program, Question
from portal.programs import ProgramError, add_question, delete_question, move_question, update_question


def _program_and_question(program_id: int, question_id: int) -> tuple[Program, Question]:
    program = get_or_404(Program, program_id)
    question = get_or_404(Question, question_id)
    if question.program_id != program.id:
        abort(404)
    return program, question


def _editor(program: Program, form: QuestionForm | None = None, notice: str | None = None,
            notice_kind: str = "success", problems: list[str] | None = None):
    """Render the whole questionnaire editor (list and add form) as a fragment."""
    return render_template("programs/_questionnaire.html", program=program,
                           question_form=form or QuestionForm(formdata=None), notice=notice,
                           notice_kind=notice_kind, problems=problems or [],
                           action_form=ActionForm(formdata=None))


def _done(program: Program, notice: str, kind: str = "success"):
    """Answer a finished action: the refreshed editor for htmx, a redirect for a plain post."""
    if htmx:
        return htmx_response(_editor(program, notice=notice, notice_kind=kind),
                             retarget="#questionnaire", reswap="outerHTML")
    flash(notice, kind)
    return redirect(url_for("programs.show_program", program_id=program.id, _anchor="questionnaire"))


@bp.route("/admin/programs/<int:program_id>/questions/new", methods=["GET", "POST"])
@admin_required
def new_question(program_id: int):
    """Add a question to the end of a program's questionnaire."""
    program = get_or_404(Program, program_id)
    form = QuestionForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            question = add_question(program, form.question_data())
        except ProgramError as error:
            db.session.rollback()
            problems = form.show_errors(error.errors)
        else:
            db.session.commit()
            return _done(program, f"Question {question.position + 1} is added: “{question.prompt}”.")
    if htmx:
        return _editor(program, form, problems=problems)
    return render_template("programs/question.html", program=program, question=None, form=form,
                           problems=problems)


@bp.route("/admin/programs/<int:program_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_question(program_id: int, question_id: int):
    """Change one question; with htmx the form opens in place of the question."""
    program, question = _program_and_question(program_id, question_id)
    form = QuestionForm(prefix=f"q{question.id}")
    problems: list[str] = []
    if not form.is_submitted():
        form.load(question)
    elif form.validate():
        try:
            update_question(question, form.question_data())
        except ProgramError as error:
            db.session.rollback()
            problems = form.show_errors(error.errors)
        else:
            db.session.commit()
            return _done(program, f"Question {question.position + 1} is saved.")
    if htmx:
        return render_template("programs/_question_edit.html", program=program, question=question, form=form,
                               problems=problems)
    return render_template("programs/question.html", program=program, question=question, form=form,
                           problems=problems)


@bp.route("/admin/programs/<int:program_id>/questions/<int:question_id>/delete", methods=["POST"],
          endpoint="delete_question")
@admin_required
def delete_question_view(program_id: int, question_id: int):
    """Delete a question; answers already given to it are no longer shown or used."""
    program, question = _program_and_question(program_id, question_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    prompt = question.prompt
    delete_question(question)
    db.session.commit()
    return _done(program, f"The question “{prompt}” is deleted.")


@bp.route("/admin/programs/<int:program_id>/questions/<int:question_id>/move", methods=["POST"],
          endpoint="move_question")
@admin_required
def move_question_view(program_id: int, question_id: int):
    """Move a question one place up or down the questionnaire."""
    program, question = _program_and_question(program_id, question_id)
    form = MoveForm()
    offset = {"up": -1, "down": 1}.get(form.direction.data) if form.validate_on_submit() else None
    if offset is None:
        abort(400)
    move_question(question, offset)
    db.session.commit()
    return _done(program, f"“{question.prompt}” is now question {question.position + 1}.")
