"""Handbooks, guides and first-meeting questions admins publish for their people."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, TenantOwned, Timestamped, str_enum


class ResourceKind(enum.StrEnum):
    HANDBOOK = "handbook"
    GUIDE = "guide"
    FIRST_MEETING_QUESTIONS = "first_meeting_questions"
    AGENDA = "agenda"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"handbook": "Handbook", "guide": "Guide", "first_meeting_questions": "First-meeting questions",
                "agenda": "Agenda", "other": "Other"}[self.value]


class ResourceAudience(enum.StrEnum):
    MENTORS = "mentors"
    MENTEES = "mentees"
    EVERYONE = "everyone"


class Resource(TenantOwned, Timestamped, Base):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: for the whole institution; otherwise for one program's participants.
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"), default=ResourceKind.GUIDE)
    audience: Mapped[ResourceAudience] = mapped_column(str_enum(ResourceAudience, "resource_audience"),
                                                       default=ResourceAudience.EVERYONE)
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
