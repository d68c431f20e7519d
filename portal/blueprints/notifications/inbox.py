"""Reading one person's notifications: a page at a time, marking one or all as read."""

from __future__ import annotations

from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import Notification, utcnow
from portal.paging import Page, page_of

PER_PAGE = 30


def notifications_page(user_id: int, unread_only: bool = False, number: int = 1) -> Page:
    """Return one page of the person's notifications, newest first."""
    conditions = [Notification.user_id == user_id]
    if unread_only:
        conditions.append(Notification.read_at.is_(None))
    query = (select(Notification).where(*conditions)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return page_of(query, select(func.count(Notification.id)).where(*conditions), number, PER_PAGE)


def notification_of(user_id: int, notification_id: int) -> Notification | None:
    """Return the person's own notification, or None (someone else's is never found)."""
    return db.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                        Notification.user_id == user_id))


def mark_read(notification: Notification) -> None:
    """Mark one notification read (reading it twice keeps the first time)."""
    db.session.execute(update(Notification).where(Notification.id == notification.id,
                                                  Notification.read_at.is_(None))
                       .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.refresh(notification)


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the person read; return how many there were."""
    return db.session.execute(update(Notification).where(Notification.user_id == user_id,
                                                         Notification.read_at.is_(None))
                              .values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
