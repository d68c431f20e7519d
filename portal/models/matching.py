"""Match runs: the parameters an admin chose, the engine's suggestions, and the decisions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, TenantOwned, str_enum, utcnow


class MatchRunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    PUBLISHED = "published"


class MatchRun(TenantOwned, Base):
    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # weights, min_score, require_shared_language, objective ("total_score" | "most_matched"),
    # candidates_per_mentee; a re-run adds previous_run_id, keep (approved pairs) and avoid (rejected)
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[MatchRunStatus] = mapped_column(str_enum(MatchRunStatus, "match_run_status"),
                                                   default=MatchRunStatus.QUEUED)
    phase: Mapped[str] = mapped_column(String(40), default="")  # loading, scoring, assigning, saving
    progress: Mapped[int] = mapped_column(Integer, default=0)
    statistics: Mapped[dict] = mapped_column(JSON, default=dict)
    unmatched: Mapped[list] = mapped_column(JSON, default=list)  # [{mentee_id, reason, message}]
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # a running run whose heartbeat stops was killed
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SuggestionDecision(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class MatchSuggestion(TenantOwned, Base):
    __tablename__ = "match_suggestions"
    __table_args__ = (UniqueConstraint("run_id", "mentee_id"),)  # a retried run never duplicates

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    decision: Mapped[SuggestionDecision] = mapped_column(str_enum(SuggestionDecision, "suggestion_decision"),
                                                         default=SuggestionDecision.PROPOSED)
    pinned: Mapped[bool] = mapped_column(default=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]


class PairRuleKind(enum.StrEnum):
    PIN = "pin"
    BAN = "ban"


class PairRule(TenantOwned, Base):
    """An admin's standing decision for a program: always make this pair, or never."""

    __tablename__ = "pair_rules"
    __table_args__ = (UniqueConstraint("program_id", "mentee_id", "mentor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[PairRuleKind] = mapped_column(str_enum(PairRuleKind, "pair_rule_kind"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(TenantOwned, Base):
    """Who did what to which record, when: admin actions, imports, matching, erasure."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
