"""Figures other pages show through a template global: the reports panel and a mentor's recognition."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_login import current_user

from portal.concurrent_queries import Pending, answer, begin, settle
from portal.engagement import mentor_recognition
from portal.engagement.at_risk import RiskSummary, risk_summary
from portal.engagement.recognition import MentorRecognition
from portal.engagement.reminders import overdue_request_count
from portal.models import Program, Role, utcnow

DASHBOARD = "reports.show_dashboard"  # the page whose template shows the panel


@dataclass
class EngagementPanel:
    at_risk: int
    reasons: list[tuple[str, int]]
    unanswered: int
    at_risk_url: str
    unanswered_url: str
    fairness_url: str
    thank_you_url: str | None


def engagement_panel(program=None) -> EngagementPanel | None:
    """Return the reports dashboard's engagement figures for a program (or the whole institution)."""
    if not current_user.is_authenticated or current_user.role != Role.ADMIN:
        return None
    program_id = program.id if isinstance(program, Program) else (program if isinstance(program, int) else None)
    # Counted by the database: no pair or request is loaded for the panel.
    summary = _collect(g.pop("engagement_panel_count", None), program_id)
    args = {"program": program_id} if program_id else {}
    return EngagementPanel(
        at_risk=summary.pairs, reasons=summary.reason_counts(), unanswered=overdue_request_count(program_id),
        at_risk_url=url_for("engagement.list_at_risk", **args),
        unanswered_url=url_for("engagement.show_unanswered", **args),
        fairness_url=url_for("engagement.show_fairness", **args),
        thank_you_url=url_for("engagement.thank_you", program_id=program_id) if program_id else None)


def mentor_recognition_panel() -> MentorRecognition | None:
    """Return the signed-in mentor's hours, sessions, ratings and milestones."""
    if not current_user.is_authenticated or current_user.role != Role.MENTOR:
        return None
    return mentor_recognition(current_user.id)


def reports_url() -> str:
    """Return the reports dashboard's URL, or the home page while reports are not installed."""
    if "reports.show_dashboard" in current_app.view_functions:
        return url_for("reports.show_dashboard")
    return url_for("dashboard.show_dashboard")


def start_counting_for_dashboard() -> None:
    """Start counting the panel's pairs at risk, on a connection of its own, as the dashboard begins.

    The count is the panel's one long query (every active pair's sessions, ratings and messages);
    begun here, the database works it out while the same request works out the report's own
    figures, and the panel then only collects it (`portal.concurrent_queries`).
    """
    if request.endpoint != DASHBOARD or not current_user.is_authenticated or current_user.role != Role.ADMIN:
        return
    raw = request.args.get("program", "").strip()
    if raw and not raw.isdigit():
        return  # the page answers 404; nothing to count
    program_id = int(raw) if raw else None
    g.engagement_panel_count = (program_id, begin(risk_summary, program_id, utcnow()))


def _collect(started: tuple[int | None, Pending] | None, program_id: int | None) -> RiskSummary:
    """Return the count begun for `program_id`, or count now (none begun, or begun for another program)."""
    if started is not None and started[0] == program_id:
        return answer(started[1])
    settle(started[1] if started else None)
    return risk_summary(program_id)


def finish_counting(_error=None) -> None:
    """Let no count outlive its request (one the page did not show, e.g. after an error)."""
    started = g.pop("engagement_panel_count", None)
    settle(started[1] if started else None)
