"""A mentorship's goals, their milestones and progress updates."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, TenantOwned, Timestamped, str_enum, utcnow


class GoalKind(enum.StrEnum):
    SMART = "smart"
    REAL = "real"

    @property
    def label(self) -> str:
        return {"smart": "SMART", "real": "REAL"}[self.value]


class GoalStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "achieved": "Achieved",
                "dropped": "Dropped"}[self.value]


class GoalUpdateKind(enum.StrEnum):
    """What a line of a goal's history records."""

    CREATED = "created"
    EDITED = "edited"
    PROGRESS = "progress"
    MILESTONE_ADDED = "milestone_added"
    MILESTONE_DONE = "milestone_done"
    MILESTONE_REOPENED = "milestone_reopened"


class Goal(TenantOwned, Timestamped, Base):
    __tablename__ = "goals"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[GoalKind] = mapped_column(str_enum(GoalKind, "goal_kind"), default=GoalKind.SMART)
    measurable_outcome: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(str_enum(GoalStatus, "goal_status"), default=GoalStatus.NOT_STARTED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    achieved_at: Mapped[datetime | None]

    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Milestone.position")
    updates: Mapped[list[GoalUpdate]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalUpdate.created_at")


class Milestone(TenantOwned, Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]

    goal: Mapped[Goal] = relationship(back_populates="milestones")


class GoalUpdate(TenantOwned, Base):
    """A line of the goal's history: a progress update with a note, or a change to the goal; each
    records the status and progress the goal had afterwards."""

    __tablename__ = "goal_updates"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    kind: Mapped[GoalUpdateKind] = mapped_column(str_enum(GoalUpdateKind, "goal_update_kind"),
                                                 default=GoalUpdateKind.PROGRESS, server_default="progress")
    status: Mapped[GoalStatus] = mapped_column(str_enum(GoalStatus, "goal_status"))
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="updates")
