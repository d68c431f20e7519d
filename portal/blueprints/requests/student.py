"""A student asks a mentor, follows their requests, and withdraws one they no longer need."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.blueprints.access import roles_required
from portal.blueprints.requests import bp
from portal.blueprints.requests.forms import RequestForm, WithdrawForm
from portal.blueprints.requests.shared import request_or_404
from portal.directory import mentor_card, viewer_for
from portal.extensions import db
from portal.models import Role
from portal.programs.queries import enrollments_of
from portal.requests import RequestError, request_mentor, request_options, requests_of, withdraw_request
from portal.requests.asking import open_request_count, shared_programs

students_only = roles_required(Role.STUDENT)


@bp.route("/requests")
@students_only
def list_my_requests():
    """List the student's requests: those waiting for an answer, then the answered and closed ones."""
    waiting, earlier = requests_of(current_user.id)
    limits = []
    for enrollment in enrollments_of(current_user.id).values():
        program = enrollment.program
        if enrollment.status.value == "active" and program.status.value == "open" and program.format.value != "flash":
            limits.append((program, open_request_count(current_user.id, program.id)))
    return render_template("requests/list.html", waiting=waiting, earlier=earlier, limits=limits,
                           withdraw_form=WithdrawForm())


@bp.route("/mentors/<int:mentor_id>/request", methods=["GET", "POST"])
@students_only
def new_request(mentor_id: int):
    """Ask a mentor to take the student on: a message about their goals, in one of their shared programs."""
    card = mentor_card(viewer_for(current_user), mentor_id)
    if card is None:
        abort(404)
    options = request_options(current_user.id, mentor_id)
    form = RequestForm()
    if request.method == "GET":
        form.program.data = card.program.id
    # Every shared program is offered on a post, so a rule that changed meanwhile is explained, not "invalid choice".
    programs = options.programs if request.method == "GET" else shared_programs(current_user.id, mentor_id)
    form.program.choices = [SelectChoice(program.id, program.name) for program in programs]
    status, problem = 200, None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                program_id = form.program.data or (card.program.id if programs else None)
                record = request_mentor(current_user.id, mentor_id, program_id or 0, form.message.data)
            except RequestError as error:
                db.session.rollback()
                if error.field in form:
                    form[error.field].errors = [*form[error.field].errors, str(error)]
                    status = 422
                else:
                    problem, status = str(error), 409
                options = request_options(current_user.id, mentor_id)
            else:
                db.session.commit()
                flash(f"Your request is on its way to {card.user.first_name}. You'll get an email when they answer.",
                      "success")
                return redirect(url_for("requests.show_request", request_id=record.id))
        else:
            status = 422
    return render_template("requests/new.html", card=card, options=options, form=form, problem=problem), status


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"], endpoint="withdraw_request")
@students_only
def withdraw_request_view(request_id: int):
    """Withdraw a request still waiting for an answer; the mentor is told."""
    record, side = request_or_404(request_id)
    if side != "mentee":
        abort(404)
    form = WithdrawForm()
    back = url_for("requests.list_my_requests")
    if not form.validate_on_submit():
        flash("This form had expired. Please try again.", "warning")
        return redirect(back)
    try:
        withdraw_request(record.id, current_user.id)
    except RequestError as error:
        db.session.rollback()
        flash(str(error), "warning")
        return redirect(back)
    name = record.mentor.first_name
    db.session.commit()
    flash(f"Your request to {name} is withdrawn, and {name} has been told.", "success")
    return redirect(back)
