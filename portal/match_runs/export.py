"""A run's pairs as CSV (`portal match export`, and the download on the run's page)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import MatchRun, MatchSuggestion, SuggestionDecision, User

HEADER = ("mentee_email", "mentor_email", "score", "reasons")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_rows(run: MatchRun) -> Iterator[tuple[str, str, str, str]]:
    """Yield the run's pairs, best first: every pair not rejected."""
    mentee, mentor = aliased(User), aliased(User)
    rows = db.session.execute(
        select(mentee.email, mentor.email, MatchSuggestion.score, MatchSuggestion.reasons)
        .join(mentee, mentee.id == MatchSuggestion.mentee_id).join(mentor, mentor.id == MatchSuggestion.mentor_id)
        .where(MatchSuggestion.run_id == run.id, MatchSuggestion.decision != SuggestionDecision.REJECTED)
        .order_by(MatchSuggestion.score.desc(), MatchSuggestion.id))
    for mentee_email, mentor_email, score, reasons in rows:
        yield (safe_cell(mentee_email), safe_cell(mentor_email), f"{score:.2f}",
               safe_cell("; ".join(reasons or [])))


def export_csv(run: MatchRun) -> str:
    """Return the run's pairs as CSV text with the header `mentee_email,mentor_email,score,reasons`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(export_rows(run))
    return buffer.getvalue()
