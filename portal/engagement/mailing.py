"""Mail for engagement: a notification sent with its own template (nudges, request reminders)."""

from __future__ import annotations

from flask import current_app
from werkzeug.routing import BuildError

from portal.extensions import db
from portal.models import Notification, User, UserStatus, utcnow


def path_for(endpoint: str, fallback: str, **values) -> str:
    """Return the portal path of `endpoint`, or `fallback` while that feature is not installed.

    Works in jobs and cron sweeps too, where there is no request to build a URL from.
    """
    try:
        return current_app.url_map.bind("portal").build(endpoint, values)
    except BuildError:
        return fallback


def send_engagement_mail(institution_id: int, notification_id: int, template: str) -> None:
    """Mail one notification with `mail/<template>`, once (a retried job sends nothing twice)."""
    from portal.mail import send_templated_mail
    from portal.tenancy import tenant_scope

    with tenant_scope(institution_id):
        notification = db.session.get(Notification, notification_id)
        if notification is None or notification.mailed_at is not None:
            return
        user = db.session.get(User, notification.user_id)
        notification.mailed_at = utcnow()
        if user is None or user.status == UserStatus.DEACTIVATED:
            return
        send_templated_mail(user.email, notification.title, template, user=user, notification=notification,
                            paragraphs=[part for part in notification.body.split("\n\n") if part.strip()])
