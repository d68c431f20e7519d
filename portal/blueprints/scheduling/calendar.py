"""Calendar subscription: a private feed address per person, reachable without signing in."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user

from portal.blueprints.access import roles_required
from portal.blueprints.scheduling import bp
from portal.blueprints.scheduling.forms import ConfirmForm
from portal.extensions import db, limiter
from portal.models import Role, User, UserStatus
from portal.scheduling.feeds import feed_by_token, feed_of, reset_feed
from portal.scheduling.ics import feed_calendar
from portal.scheduling.queries import meetings_of_user, people_of
from portal.tenancy import tenant_scope, unscoped

participants_only = roles_required(Role.MENTOR, Role.STUDENT)
NEW_FEED_KEY = "new_calendar_feed_url"  # shown once, right after it is made


def _base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


@bp.route("/account/calendar")
@participants_only
def show_calendar_feed():
    """Show how to subscribe to one's sessions in a calendar app, and the new address once after a reset."""
    feed_url = session.pop(NEW_FEED_KEY, None)
    webcal_url = "webcal://" + feed_url.split("://", 1)[1] if feed_url else None
    return render_template("scheduling/calendar_feed.html", feed=feed_of(current_user.id), feed_url=feed_url,
                           webcal_url=webcal_url, form=ConfirmForm())


@bp.route("/account/calendar/reset", methods=["POST"])
@participants_only
def reset_calendar_feed():
    """Make a new secret feed address; the old one stops working at once."""
    if not ConfirmForm().validate_on_submit():
        flash("This form had expired. Please try again.", "warning")
        return redirect(url_for("scheduling.show_calendar_feed"))
    had_one = feed_of(current_user.id) is not None
    token = reset_feed(current_user.institution_id, current_user.id)
    db.session.commit()
    session[NEW_FEED_KEY] = _base_url() + url_for("scheduling.calendar_feed", token=token)
    flash("Your new calendar address is ready. The old one no longer works." if had_one
          else "Your calendar address is ready.", "success")
    return redirect(url_for("scheduling.show_calendar_feed"))


@bp.route("/calendar/<token>.ics")
@limiter.limit("60 per minute")
def calendar_feed(token: str):
    """Serve a person's sessions as an iCalendar feed; the secret in the address is the credential."""
    with unscoped():
        feed = feed_by_token(token)
        owner = db.session.get(User, feed.user_id) if feed else None
    if owner is None or owner.status != UserStatus.ACTIVE:
        abort(404)
    with tenant_scope(owner.institution_id):
        people: dict[int, list] = {}
        meetings = [(meeting, people.setdefault(meeting.mentorship_id, people_of(meeting.mentorship_id)))
                    for meeting in meetings_of_user(owner.id)]
        body = feed_calendar(meetings, _base_url(), owner.institution.name)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'inline; filename="sessions.ics"'})
