"""One request's page, for the student who sent it, the mentor who received it, and the institution's admins;
and what the directory's profile page shows about requesting a mentor."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, current_app, render_template
from flask_login import current_user
from wtforms.fields.choices import SelectChoice
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.access import roles_required
from portal.blueprints.requests import bp
from portal.blueprints.requests.forms import AcceptForm, DeclineForm, RequestForm, WithdrawForm
from portal.extensions import db
from portal.models import MentorRequest, Program, Role, User
from portal.requests import RequestOptions, request_options


def request_or_404(request_id: int) -> tuple[MentorRequest, str | None]:
    """Return (the request, "mentee" or "mentor" for its people, None for an admin); anyone else gets 404."""
    record = db.session.scalar(select(MentorRequest).where(MentorRequest.id == request_id).options(
        selectinload(MentorRequest.mentee).selectinload(User.profile),
        selectinload(MentorRequest.mentor).selectinload(User.profile), selectinload(MentorRequest.program)))
    if record is None:
        abort(404)
    if record.mentee_id == current_user.id:
        return record, "mentee"
    if record.mentor_id == current_user.id:
        return record, "mentor"
    if current_user.role == Role.ADMIN:
        return record, None
    abort(404)


def workspace_url(record: MentorRequest) -> str | None:
    """Return the accepted request's mentorship page, when the workspace exists."""
    from flask import url_for

    if record.mentorship_id and "workspace.show_workspace" in current_app.view_functions:
        return url_for("workspace.show_workspace", mentorship_id=record.mentorship_id)
    return None


@bp.route("/requests/<int:request_id>")
@roles_required(Role.STUDENT, Role.MENTOR, Role.ADMIN)
def show_request(request_id: int):
    """Show one request: the message, the answer and the reason, and what can be done next."""
    record, side = request_or_404(request_id)
    program = db.session.scalar(select(Program).where(Program.id == record.program_id))
    return render_template("requests/show.html", record=record, side=side, program=program,
                           accept_form=AcceptForm(), decline_form=DeclineForm(), withdraw_form=WithdrawForm(),
                           workspace_url=workspace_url(record))


@dataclass
class RequestBox:
    """The directory profile's "Request this mentor" box: what the student can do, and the form."""

    options: RequestOptions
    form: RequestForm | None


def request_box(card) -> RequestBox | None:
    """Return the signed-in student's request box for a directory card's mentor (None for others)."""
    if not current_user.is_authenticated or current_user.role != Role.STUDENT:
        return None
    options = request_options(current_user.id, card.user.id)
    if options is None:
        return None
    form = None
    if options.can_ask:
        form = RequestForm(formdata=None)
        form.program.choices = [SelectChoice(program.id, program.name) for program in options.programs]
        chosen = [program.id for program in options.programs]
        form.program.data = card.program.id if card.program.id in chosen else chosen[0]
    return RequestBox(options, form)


def answer_time(value: timedelta | None) -> str:
    """Say how long a mentor usually takes to answer: "within an hour", "within 5 hours", "within 2 days"."""
    if value is None:
        return ""
    hours = value.total_seconds() / 3600
    if hours <= 1:
        return "within an hour"
    if hours < 24:
        return f"within {math.ceil(hours)} hours"
    days = math.ceil(hours / 24)
    return "within a day" if days <= 1 else f"within {days} days"
