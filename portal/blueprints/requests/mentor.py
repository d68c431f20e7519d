"""A mentor's inbox: the requests waiting for an answer, accepted or declined in place (htmx) or by a plain post."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.access import roles_required
from portal.blueprints.requests import bp
from portal.blueprints.requests.forms import AcceptForm, DeclineForm
from portal.blueprints.requests.shared import request_or_404, workspace_url
from portal.extensions import db, htmx
from portal.mentorships.queries import places_taken
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, MentorRequest, Profile, Program, ProgramStatus, Role,
)
from portal.requests import RequestError, accept_request, decline_request, inbox_of, median_answer_times

mentors_only = roles_required(Role.MENTOR)


@bp.route("/requests/inbox")
@mentors_only
def show_inbox():
    """List the requests waiting for the mentor's answer, oldest first, then the latest answered ones."""
    waiting, earlier = inbox_of(current_user.id)
    profile = db.session.scalar(select(Profile).where(Profile.user_id == current_user.id))
    # Without a number of their own, the default of their first open program applies (as in the directory).
    default = db.session.scalar(
        select(Program.default_capacity).join(Enrollment, Enrollment.program_id == Program.id)
        .where(Enrollment.user_id == current_user.id, Enrollment.role == EnrollmentRole.MENTOR,
               Enrollment.status == EnrollmentStatus.ACTIVE, Program.status == ProgramStatus.OPEN)
        .order_by(Program.id).limit(1))
    capacity = (profile.capacity if profile else None) or default
    return render_template("requests/inbox.html", waiting=waiting, earlier=earlier, profile=profile,
                           capacity=capacity, taken=places_taken([current_user.id]).get(current_user.id, 0),
                           answer_time=median_answer_times([current_user.id]).get(current_user.id),
                           accept_form=AcceptForm(), decline_form=DeclineForm())


def _answered(record: MentorRequest, notice: str, kind: str = "success", status: int = 200):
    """Answer htmx with the request's inbox card; a plain post goes back to where it came from."""
    if htmx:
        record = request_or_404(record.id)[0]
        return render_template("requests/_inbox_item.html", record=record, notice=notice, notice_kind=kind,
                               accept_form=AcceptForm(formdata=None), decline_form=DeclineForm(formdata=None),
                               workspace_url=workspace_url(record)), status
    flash(notice, kind)
    if request.form.get("back") == "request":
        return redirect(url_for("requests.show_request", request_id=record.id))
    return redirect(url_for("requests.show_inbox"))


def _mine(request_id: int) -> MentorRequest:
    record, side = request_or_404(request_id)
    if side != "mentor":
        abort(404)
    return record


@bp.route("/requests/<int:request_id>/accept", methods=["POST"], endpoint="accept_request")
@mentors_only
def accept_request_view(request_id: int):
    """Accept a request: the mentorship begins, and the student is told."""
    record = _mine(request_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        return _answered(record, " ".join(form.message.errors) or "This form had expired. Please try again.",
                         "danger", 422)
    name = record.mentee.name
    try:
        accept_request(record.id, current_user.id, form.message.data)
    except RequestError as error:
        db.session.rollback()
        return _answered(record, str(error), "danger", 409)
    db.session.commit()
    return _answered(record, f"You're now mentoring {name}. We've let them know.")


@bp.route("/requests/<int:request_id>/decline", methods=["POST"], endpoint="decline_request")
@mentors_only
def decline_request_view(request_id: int):
    """Decline a request with a reason and an optional note; the student is told both."""
    record = _mine(request_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        errors = (["Choose why you're declining, so the student understands."] if form.reason.errors else []) + \
            form.message.errors
        return _answered(record, " ".join(errors) or "This form had expired. Please try again.", "danger", 422)
    name = record.mentee.first_name
    try:
        decline_request(record.id, current_user.id, form.reason.data, form.message.data)
    except RequestError as error:
        db.session.rollback()
        return _answered(record, str(error), "danger", 409)
    db.session.commit()
    return _answered(record, f"Declined. We've told {name} your reason.", "info")
