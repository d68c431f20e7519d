"""Send, resend and revoke invitations; the mails go out from the worker's "mail" queue."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user

from portal.accounts.invitations import (
    InvitationError, InvitationRequest, invite_everyone_not_invited, invite_people, resend_invitation,
    revoke_invitation,
)
from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.invitations import bp
from portal.blueprints.invitations.forms import SelectedPeopleForm
from portal.blueprints.people.routes import row_response
from portal.extensions import db, htmx
from portal.models import User


def _valid_days() -> int:
    return current_app.config["INVITATION_VALID_FOR"].days


def _report(result: InvitationRequest) -> None:
    if result.queued:
        count = len(result.queued)
        who = result.queued[0].name if count == 1 else f"{count} people"
        flash(f"Sending invitations to {who}. The mails go out in the background; each link works once "
              f"and expires in {_valid_days()} days.", "success")
    if result.skipped:
        reasons = "; ".join(f"{person.name} {reason}" for person, reason in result.skipped[:5])
        more = f" and {len(result.skipped) - 5} more" if len(result.skipped) > 5 else ""
        flash(f"Not sent to {len(result.skipped)}: {reasons}{more}.", "warning")
    if not result.queued and not result.skipped:
        flash("There was no one to invite.", "info")


def _back_to_people():
    target = url_for("people.list_people")
    if htmx:
        return htmx_response("", 200, redirect=target)
    return redirect(target)


@bp.route("/not-invited", methods=["POST"])
@admin_required
def invite_not_invited():
    """Send an invitation to everyone who has never been sent one."""
    result = invite_everyone_not_invited(current_user.institution_id)
    db.session.commit()
    if not result.queued:
        flash("Everyone has been sent an invitation already. Use Resend on a person's row to send a new link.",
              "info")
    else:
        _report(result)
    return _back_to_people()


@bp.route("/selected", methods=["POST"])
@admin_required
def invite_selected():
    """Send (or resend) invitations to the people ticked in the table."""
    form = SelectedPeopleForm()
    if not form.validate_on_submit() or not form.person.data:
        flash("Tick the people you want to invite first, then press “Invite selected”.", "warning")
        return _back_to_people()
    result = invite_people(current_user.institution_id, form.person.data)
    db.session.commit()
    _report(result)
    return _back_to_people()


def _answer(person: User, message: str, kind: str = "success"):
    if htmx:
        return row_response(person, message, kind)
    flash(message, kind)
    return redirect(url_for("people.show_person", user_id=person.id))


@bp.route("/<int:user_id>/send", methods=["POST"])
@admin_required
def send_invitation(user_id: int):
    """Send a person a fresh invitation link; any earlier link stops working."""
    person = get_or_404(User, user_id)
    again = person.invited_at is not None
    try:
        resend_invitation(current_user.institution_id, person)
    except InvitationError as error:
        db.session.rollback()
        return _answer(person, str(error), "danger")
    db.session.commit()
    if again:
        return _answer(person, f"A new invitation is on its way to {person.name}; the earlier link no longer works.")
    return _answer(person, f"An invitation is on its way to {person.name}.")


@bp.route("/<int:user_id>/revoke", methods=["POST"])
@admin_required
def revoke_person_invitation(user_id: int):
    """Make a person's invitation link stop working; they stay on the list, not invited."""
    person = get_or_404(User, user_id)
    try:
        revoke_invitation(person)
    except InvitationError as error:
        db.session.rollback()
        return _answer(person, str(error), "danger")
    db.session.commit()
    return _answer(person, f"{person.name}'s invitation link no longer works. Send a new one whenever you're ready.")
