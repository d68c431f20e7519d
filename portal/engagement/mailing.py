"""Mail for engagement: a notification sent with its own template (nudges, request reminders)."""

from __future__ import annotations

from flask import current_app
from werkzeug.routing import BuildError

from portal.notifications import send_notification_mail


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
    send_notification_mail(institution_id, notification_id, template)
