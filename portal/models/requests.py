"""Mentor requests (a student asks a mentor) and in-app notifications."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, TenantOwned, Timestamped, str_enum, utcnow
from portal.models.user import User


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {"pending": "Waiting for an answer", "accepted": "Accepted", "declined": "Declined",
                "withdrawn": "Withdrawn", "expired": "Expired"}[self.value]


class DeclineReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_A_FIT = "not_a_fit"
    TOO_BUSY = "too_busy"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"no_capacity": "No free spot right now", "not_a_fit": "Not the right fit",
                "too_busy": "Too busy at the moment", "other": "Another reason"}[self.value]


class MentorRequest(TenantOwned, Timestamped, Base):
    """A student's request that a mentor take them on in a program.

    A pending request holds one of the mentor's places until it is answered, withdrawn or
    expires, so a mentor is never asked by more people than they can take.
    """

    __tablename__ = "mentor_requests"
    __table_args__ = (
        CheckConstraint("mentee_id <> mentor_id", name="not_to_oneself"),
        # One pending request per student and mentor, whatever races happen.
        Index("uq_mentor_requests_pending_pair", "mentee_id", "mentor_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
        Index("ix_mentor_requests_mentor_status", "mentor_id", "status"),
        Index("ix_mentor_requests_program_status_created", "program_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus, "request_status"),
                                                  default=RequestStatus.PENDING)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]  # accepted or declined by the mentor
    closed_at: Mapped[datetime | None]  # any end: answered, withdrawn, expired
    decline_reason: Mapped[DeclineReason | None] = mapped_column(str_enum(DeclineReason, "decline_reason"))
    response_message: Mapped[str] = mapped_column(Text, default="")
    # Why it closed when nobody chose it, e.g. "withdrawn because the student found a mentor".
    close_note: Mapped[str] = mapped_column(Text, default="")
    mentorship_id: Mapped[int | None] = mapped_column(ForeignKey("mentorships.id", ondelete="SET NULL"))
    reminded_at: Mapped[datetime | None]  # the mentor was reminded of it (reports: unanswered requests)

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    program: Mapped["Program"] = relationship()  # noqa: F821 (portal.models.programs)


class Notification(TenantOwned, Base):
    """Something a person should know: shown in their notification list until read, also mailed."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")  # a path inside the portal
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    mailed_at: Mapped[datetime | None]
