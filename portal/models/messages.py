"""A mentorship's message thread and its shared notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, TenantOwned, Timestamped, utcnow
from portal.models.user import User


class Message(TenantOwned, Base):
    __tablename__ = "messages"
    __table_args__ = (
        # The unread-mail sweep reads only messages it has not looked at yet.
        Index("ix_messages_unread_mail_pending", "created_at",
              postgresql_where=text("unread_mail_checked_at IS NULL"),
              sqlite_where=text("unread_mail_checked_at IS NULL")),
        # Reports (migration c7d1e5a9b3f2): the period's messages, and each pair's newest, from the index.
        Index("ix_messages_report_period", "institution_id", "created_at", "mentorship_id", "sender_id"),
        Index("ix_messages_newest", "mentorship_id", "created_at", "id", "sender_id", "institution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set once the "you have an unread message" email went out (or was found unneeded).
    unread_mail_checked_at: Mapped[datetime | None]

    sender: Mapped[User | None] = relationship()


class MessageRead(TenantOwned, Base):
    """How far a participant has read a mentorship's thread."""

    __tablename__ = "message_reads"
    __table_args__ = (Index("uq_message_reads_mentorship_user", "mentorship_id", "user_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class SharedNote(TenantOwned, Timestamped, Base):
    """A note both participants can read and edit, e.g. what they agreed on."""

    __tablename__ = "shared_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text)
    # Raised by every edit; an edit made from an older version is refused, not silently lost.
    version: Mapped[int] = mapped_column(default=1)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])
