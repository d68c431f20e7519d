"""The notification list, opening one (marks it read and follows its link), marking read, and the bell."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.blueprints.access import safe_next
from portal.blueprints.notifications import bp
from portal.blueprints.notifications.inbox import mark_all_read, mark_read, notification_of, notifications_page
from portal.extensions import db, htmx
from portal.notifications import unread_count
from portal.paging import MAX_PAGE

LIST_ID = "notification-list"
CHANGED = "notifications-changed"  # the bell listens for this event and refreshes its count

# (words in a notification's kind, Bootstrap icon), first match wins; kinds are set by each feature.
ICONS = (("feedback", "star"), ("survey", "star"), ("session", "calendar-event"), ("meeting", "calendar-event"),
         ("action_item", "check2-square"), ("nudge", "hand-index"), ("reminder", "alarm"), ("declin", "x-circle"),
         ("accept", "check2-circle"), ("expir", "hourglass-bottom"), ("withdr", "arrow-counterclockwise"),
         ("request", "envelope"), ("ended", "flag"), ("mentorship", "people"), ("message", "chat-dots"),
         ("goal", "bullseye"))


@bp.app_template_filter("notification_icon")
def notification_icon(kind: str) -> str:
    """Return the icon that says what kind of notification this is."""
    return next((icon for words, icon in ICONS if words in (kind or "")), "bell")


def _page_number() -> int:
    try:
        return min(max(int(request.args.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        return 1


def _list_context() -> dict:
    unread_only = request.args.get("show") == "unread"
    return dict(results=notifications_page(current_user.id, unread_only, _page_number()), unread_only=unread_only,
                unread=unread_count(current_user.id))


def _read_own(notification_id: int):
    """Mark the viewer's notification read and return it; another person's is a 404."""
    notification = notification_of(current_user.id, notification_id)
    if notification is None:
        abort(404)
    mark_read(notification)
    db.session.commit()
    return notification


@bp.route("/notifications")
@login_required
def list_notifications():
    """List the person's notifications, newest first; unread ones stand out."""
    context = _list_context()
    if htmx and htmx.target == LIST_ID and not htmx.history_restore_request:
        return render_template("notifications/_list.html", **context)
    return render_template("notifications/list.html", **context)


@bp.route("/notifications/bell")
@login_required
def show_bell():
    """Return the bell with the current unread count (the top bar polls it)."""
    response = render_template("notifications/_bell.html", bell_unread=unread_count(current_user.id))
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: int):
    """Mark the notification read and go where it points."""
    notification = _read_own(notification_id)
    return redirect(safe_next(notification.link) or url_for("notifications.list_notifications"))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_notification_read(notification_id: int):
    """Mark one notification read without leaving the list."""
    notification = _read_own(notification_id)
    if htmx:
        return render_template("notifications/_item.html", notification=notification), 200, {"HX-Trigger": CHANGED}
    return redirect(safe_next(request.form.get("next")) or url_for("notifications.list_notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification of the person read."""
    count = mark_all_read(current_user.id)
    db.session.commit()
    message = ("All caught up: no unread notifications." if not count else
               f"Marked {count} {'notification' if count == 1 else 'notifications'} as read.")
    if htmx:
        return render_template("notifications/_list.html", notice=message, **_list_context()), 200, {
            "HX-Trigger": CHANGED}
    flash(message, "success")
    return redirect(safe_next(request.form.get("next")) or url_for("notifications.list_notifications"))
