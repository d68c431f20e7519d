"""What reports remember: nudges sent to pairs, and digests sent to admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, TenantOwned, utcnow


class Nudge(TenantOwned, Base):
    """An admin's nudge to an at-risk pair; a pair is nudged at most once a week."""

    __tablename__ = "nudges"
    __table_args__ = (Index("ix_nudges_mentorship_created", "mentorship_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestSent(TenantOwned, Base):
    """A weekly digest mailed to an admin: one per admin and ISO week, so a retried job sends none twice."""

    __tablename__ = "digests_sent"
    __table_args__ = (Index("uq_digests_sent_user_week", "user_id", "week", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(10))  # ISO week, e.g. 2026-W47
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
