"""Scheduling: mentors' weekly availability and dates off, sessions (meetings), and calendar feeds.

A session is called `Meeting` in code: `session` already means a database or login session.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, TenantOwned, Timestamped, str_enum, utcnow
from portal.models.user import User


class AvailabilityWindow(TenantOwned, Base):
    """A recurring weekly window, in the mentor's own timezone (wall-clock times)."""

    __tablename__ = "availability_windows"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
                      CheckConstraint("starts_at < ends_at", name="starts_before_it_ends"))

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 = Monday
    starts_at: Mapped[time]
    ends_at: Mapped[time]


class DateOff(TenantOwned, Base):
    __tablename__ = "dates_off"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="starts_before_it_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="")


class MeetingMode(enum.StrEnum):
    VIDEO = "video"
    IN_PERSON = "in_person"
    PHONE = "phone"

    @property
    def label(self) -> str:
        return {"video": "Video call", "in_person": "In person", "phone": "Phone"}[self.value]


class MeetingStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return {"proposed": "Proposed", "confirmed": "Confirmed", "completed": "Completed",
                "cancelled": "Cancelled", "no_show": "No-show"}[self.value]


class Meeting(TenantOwned, Timestamped, Base):
    """A mentoring session. Times are UTC; `mentor_id` is copied from the mentorship so the
    database can refuse a mentor's overlapping confirmed sessions: an exclusion constraint on
    PostgreSQL and triggers on SQLite, both made by the migration (SQLAlchemy cannot express them
    for both dialects)."""

    __tablename__ = "meetings"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="starts_before_it_ends"),
                      Index("ix_meetings_mentor_starts", "mentor_id", "starts_at"),
                      # Reports (migration c7d1e5a9b3f2): read from the index alone.
                      Index("ix_meetings_report_period", "institution_id", "starts_at", "status", "mentorship_id",
                            "mentor_id", "id"),
                      Index("ix_meetings_report_pair", "institution_id", "id", "mentorship_id"),
                      Index("ix_meetings_pair_starts_status", "mentorship_id", "starts_at", "status",
                            "institution_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # who proposed the current time, and who cancelled or declined it
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    mode: Mapped[MeetingMode] = mapped_column(str_enum(MeetingMode, "meeting_mode"), default=MeetingMode.VIDEO)
    location: Mapped[str] = mapped_column(String(500), default="")  # a video link, a phone number or a place
    agenda: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(str_enum(MeetingStatus, "meeting_status"),
                                                  default=MeetingStatus.PROPOSED)
    status_reason: Mapped[str] = mapped_column(Text, default="")  # why it was declined, cancelled or moved
    notes: Mapped[str] = mapped_column(Text, default="")  # shared notes of this session
    uid: Mapped[str] = mapped_column(String(120), unique=True)  # iCalendar UID, stable for the session's life
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE, raised on every change
    confirmed_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    feedback_prompted_at: Mapped[datetime | None]

    mentorship: Mapped["Mentorship"] = relationship()  # noqa: F821 (portal.models.mentorships)
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="ActionItem.id")
    feedback: Mapped[list[SessionFeedback]] = relationship(back_populates="meeting", cascade="all, delete-orphan")


class ActionItem(TenantOwned, Base):
    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting | None] = relationship(back_populates="action_items")
    owner: Mapped[User | None] = relationship()


class SessionFeedback(TenantOwned, Base):
    """One participant's rating of one session; the database allows one per person and session."""

    __tablename__ = "session_feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),
                      Index("uq_session_feedback_meeting_user", "meeting_id", "user_id", unique=True),
                      # Reports (migration c7d1e5a9b3f2): ratings and each pair's last rating from the index.
                      Index("ix_session_feedback_report", "institution_id", "meeting_id", "created_at", "rating"),
                      # Pairs at risk (migration e5f9a3c7b1d2): each pair's last rating from the index.
                      Index("ix_session_feedback_pair", "institution_id", "mentorship_id", "created_at", "rating"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    # The session's pair, copied when the rating is given (a session never changes pair).
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(SmallInteger)
    went_well: Mapped[str] = mapped_column(Text, default="")
    goal_progress: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="feedback")


class ClosingSurvey(TenantOwned, Base):
    """A participant's closing survey when a mentorship ends: 0-10 'would you recommend'."""

    __tablename__ = "closing_surveys"
    __table_args__ = (CheckConstraint("recommend BETWEEN 0 AND 10", name="recommend_0_to_10"),
                      Index("uq_closing_surveys_mentorship_user", "mentorship_id", "user_id", unique=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recommend: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(TenantOwned, Base):
    """A person's private calendar subscription: the URL carries a secret; only its hash is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
