"""Mentorships: who mentors whom in a program, and the history of each pairing.

Participants are rows, not two fixed columns, so group mentorships (one mentor, several
mentees) need no change of schema.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, TenantOwned, Timestamped, str_enum, utcnow
from portal.models.user import User


class MentorshipStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"

    @property
    def label(self) -> str:
        return {"active": "Active", "completed": "Completed", "ended_early": "Ended early"}[self.value]


class MentorshipOrigin(enum.StrEnum):
    REQUEST = "request"
    ADMIN_MATCH = "admin_match"
    ADMIN_MANUAL = "admin_manual"


class ParticipantRole(enum.StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


class Mentorship(TenantOwned, Timestamped, Base):
    __tablename__ = "mentorships"
    # Places taken (migration d4e8f1a2b6c3): whether a mentor's mentorship is active, from the index alone.
    __table_args__ = (Index("ix_mentorships_id_status", "id", "status", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    status: Mapped[MentorshipStatus] = mapped_column(str_enum(MentorshipStatus, "mentorship_status"),
                                                     default=MentorshipStatus.ACTIVE)
    origin: Mapped[MentorshipOrigin] = mapped_column(str_enum(MentorshipOrigin, "mentorship_origin"))
    # The match run whose published suggestion made this mentorship, if any.
    match_run_id: Mapped[int | None] = mapped_column(ForeignKey("match_runs.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str] = mapped_column(Text, default="")

    program: Mapped["Program"] = relationship()  # noqa: F821 (portal.models.programs)
    participants: Mapped[list[MentorshipParticipant]] = relationship(
        back_populates="mentorship", cascade="all, delete-orphan")
    events: Mapped[list[MentorshipEvent]] = relationship(
        back_populates="mentorship", cascade="all, delete-orphan", order_by="MentorshipEvent.created_at")


class MentorshipParticipant(TenantOwned, Base):
    __tablename__ = "mentorship_participants"
    __table_args__ = (
        UniqueConstraint("mentorship_id", "user_id"),
        # Places taken (migration d4e8f1a2b6c3), counted for every mentor a directory search finds:
        # a mentor's mentorships and each one's mentees, from the indexes alone. The second column
        # keeps a person's or a mentorship's rows in the order they were added, as before.
        Index("ix_mentorship_participants_user_mentorship", "user_id", "mentorship_id", "role", "institution_id"),
        Index("ix_mentorship_participants_mentorship_people", "mentorship_id", "id", "role", "institution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[ParticipantRole] = mapped_column(str_enum(ParticipantRole, "participant_role"))

    mentorship: Mapped[Mentorship] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class MentorshipEvent(TenantOwned, Base):
    """One change in a mentorship's life: created, ended, and who did it."""

    __tablename__ = "mentorship_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="events")
