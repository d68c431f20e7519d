"""Mentors and students browse open programs, join and leave them, and answer questionnaires."""

from __future__ import annotations


from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.blueprints.access import get_or_404, roles_required, safe_next
from portal.blueprints.programs import bp
from portal.blueprints.programs.forms import answer_field_name, questionnaire_form
from portal.extensions import db
from portal.models import EnrollmentSource, EnrollmentStatus, Program, ProgramStatus, Role
from portal.programs import ProgramError, enroll, leave_program, questions_for, save_answers
from portal.programs import queries
from portal.programs.operations import find_enrollment, participant_role
from portal.programs.questionnaire import questionnaire_complete

participants_only = roles_required(Role.MENTOR, Role.STUDENT)


@bp.route("/programs")
@roles_required(Role.MENTOR, Role.STUDENT, Role.ADMIN)
def browse_programs():
    """List the programs a mentor or student takes part in and the open ones they can join."""
    if current_user.role == Role.ADMIN:
        return redirect(url_for("programs.list_programs"))
    mine = {program_id: enrollment for program_id, enrollment in queries.enrollments_of(current_user.id).items()
            if enrollment.status == EnrollmentStatus.ACTIVE}
    joinable = [program for program in queries.list_programs(ProgramStatus.OPEN) if program.id not in mine]
    yours = sorted(mine.values(), key=lambda enrollment: (enrollment.program.status != ProgramStatus.OPEN,
                                                          enrollment.program.name.lower()))
    complete = {enrollment.id for enrollment in yours if questionnaire_complete(enrollment)}
    asked = {enrollment.id: len(questions_for(enrollment)) for enrollment in yours}
    return render_template("programs/browse.html", yours=yours, joinable=joinable, complete=complete,
                           asked=asked, role=participant_role(current_user))


@bp.route("/programs/<int:program_id>/join", methods=["POST"])
@participants_only
def join_program(program_id: int):
    """Join an open program as a mentor (alumni) or a mentee (students)."""
    program = get_or_404(Program, program_id)
    existing = find_enrollment(program.id, current_user.id)
    if existing is not None and existing.status == EnrollmentStatus.ACTIVE:
        flash(f"You're already taking part in {program.name}.", "info")
        return redirect(url_for("programs.browse_programs"))
    user = current_user._get_current_object()
    try:
        enrollment = enroll(program, user, participant_role(user), EnrollmentSource.SELF)
        db.session.commit()
    except ProgramError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("programs.browse_programs"))
    except IntegrityError:  # a second click that raced the first: the first one enrolled us
        db.session.rollback()
        flash(f"You're already taking part in {program.name}.", "info")
        return redirect(url_for("programs.browse_programs"))
    if questions_for(enrollment):
        flash(f"Welcome to {program.name}! Answer a few questions so we can suggest good matches.", "success")
        return redirect(url_for("programs.answer_questionnaire", program_id=program.id))
    flash(f"Welcome to {program.name}! You're taking part as a {enrollment.role.label.lower()}.", "success")
    return redirect(url_for("programs.browse_programs"))


@bp.route("/programs/<int:program_id>/leave", methods=["POST"], endpoint="leave_program")
@participants_only
def leave_program_view(program_id: int):
    """Leave a program; rejoining later while it is open brings the answers back."""
    program = get_or_404(Program, program_id)
    enrollment = find_enrollment(program.id, current_user.id)
    if enrollment is None or enrollment.status != EnrollmentStatus.ACTIVE:
        flash(f"You're not taking part in {program.name}.", "info")
        return redirect(url_for("programs.browse_programs"))
    leave_program(enrollment)
    db.session.commit()
    flash(f"You've left {program.name}.", "success")
    return redirect(url_for("programs.browse_programs"))


@bp.route("/programs/<int:program_id>/questionnaire", methods=["GET", "POST"])
@participants_only
def answer_questionnaire(program_id: int):
    """Show and save the signed-in participant's answers to a program's questionnaire."""
    program = get_or_404(Program, program_id)
    enrollment = find_enrollment(program.id, current_user.id)
    next_url = safe_next(request.values.get("next"))
    if enrollment is None or enrollment.status != EnrollmentStatus.ACTIVE:
        flash(f"Join {program.name} first to answer its questionnaire.", "info")
        return redirect(url_for("programs.browse_programs"))
    questions = questions_for(enrollment)
    if not questions:
        flash(f"{program.name} has no questions for you. You're all set.", "info")
        return redirect(next_url or url_for("programs.browse_programs"))
    if program.status == ProgramStatus.CLOSED:
        flash(f"{program.name} is closed, so its questionnaire can't be changed.", "info")
        return redirect(next_url or url_for("programs.browse_programs"))
    if request.method == "GET":
        form = questionnaire_form(questions, enrollment.answers or {})
        form.next.data = next_url or ""
        return render_template("programs/questionnaire.html", program=program, enrollment=enrollment,
                               questions=questions, form=form, message=None)
    form = questionnaire_form(questions)
    form.next.data = next_url or ""
    message = None
    if form.validate_on_submit():
        answers = {str(question.id): form[answer_field_name(question)].data for question in questions}
        try:
            save_answers(enrollment, answers)
        except ProgramError as error:
            db.session.rollback()
            message = str(error)
            for key, problem in error.errors.items():
                form[f"q{key}"].errors = [problem]
        else:
            db.session.commit()
            flash(f"Thank you! Your answers for {program.name} are saved.", "success")
            return redirect(next_url or url_for("programs.browse_programs"))
    return render_template("programs/questionnaire.html", program=program, enrollment=enrollment,
                           questions=questions, form=form, message=message), 422
