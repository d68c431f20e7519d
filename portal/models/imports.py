"""People imports: an uploaded CSV, its preview, and the result of writing it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, TenantOwned, str_enum, utcnow


class ImportStatus(enum.StrEnum):
    PREVIEWED = "previewed"  # validated; waiting for the admin to confirm
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class PeopleImport(TenantOwned, Base):
    __tablename__ = "people_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    content: Mapped[str] = mapped_column(Text, default="")  # the decoded CSV, kept until written
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus, "import_status"),
                                                 default=ImportStatus.PREVIEWED)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0-100
    phase: Mapped[str] = mapped_column(String(40), default="")
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # new, updated, unchanged
    errors: Mapped[list] = mapped_column(JSON, default=list)  # [{row, column, message}]
    error_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
