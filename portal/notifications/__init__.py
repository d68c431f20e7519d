"""Notifications: what a person should know, in their in-app list and by email.

`notify` adds the notifications (flushes; the caller commits) and asks for one mail each,
sent by a job after the commit. Features call it with a short title, a body of one or two
sentences, and the portal path the notification links to.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.models import Notification, User, utcnow


def notify(user_ids: int | Iterable[int], kind: str, title: str, body: str = "", link: str = "",
           *, institution_id: int, email: bool = True) -> list[Notification]:
    """Tell these people something: one notification each, and (by default) an email each."""
    ids = [user_ids] if isinstance(user_ids, int) else list(dict.fromkeys(user_ids))
    made = [Notification(institution_id=institution_id, user_id=user_id, kind=kind, title=title[:200],
                         body=body, link=link[:300]) for user_id in ids]
    db.session.add_all(made)
    db.session.flush()
    if email:
        for notification in made:
            enqueue_after_commit("mail", send_notification_mail, institution_id, notification.id)
    return made


def unread_count(user_id: int) -> int:
    """Return how many of the person's notifications they have not read."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def send_notification_mail(institution_id: int, notification_id: int, template: str = "notification") -> None:
    """Mail one notification to its person with `mail/<template>`, once (a retried job sends nothing twice)."""
    from portal.mail import send_templated_mail
    from portal.models import UserStatus
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
