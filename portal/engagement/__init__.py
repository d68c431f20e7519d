"""Keeping pairs on track, fairness and recognition: the engagement side of reports.

Plain functions that read through the tenant scope, flush (never commit) and raise
`EngagementError`; views, RQ jobs and the cron sweeps call the same functions.

- `at_risk_pairs`: active pairs drifting apart, each with the reasons (DESIGN.md "At-risk pair").
- `nudge_pairs`: a kind, specific nudge to both sides, at most once a week per pair.
- `send_weekly_digests`: Monday's summary mail to every admin, once per admin and ISO week.
- `overdue_requests`, `remind_unanswered_requests`: requests a mentor has left waiting.
- `fairness_report`: who is left unmatched and why; match rate and satisfaction by group.
- `mentor_recognition`, `program_thank_you`: the time mentors gave.
"""

from __future__ import annotations


class EngagementError(Exception):
    """An engagement action that cannot be carried out; the message is for the person who asked."""


from portal.engagement.at_risk import AtRiskPair, RiskReason, at_risk_pairs, reason_counts  # noqa: E402
from portal.engagement.digest import send_weekly_digest, send_weekly_digests  # noqa: E402
from portal.engagement.fairness import fairness_report  # noqa: E402
from portal.engagement.nudges import NudgeOutcome, nudge_pairs  # noqa: E402
from portal.engagement.recognition import mentor_recognition, program_thank_you  # noqa: E402
from portal.engagement.reminders import overdue_requests, remind_unanswered_requests  # noqa: E402

__all__ = [
    "AtRiskPair", "EngagementError", "NudgeOutcome", "RiskReason", "at_risk_pairs", "fairness_report",
    "mentor_recognition", "nudge_pairs", "overdue_requests", "program_thank_you", "reason_counts",
    "remind_unanswered_requests", "send_weekly_digest", "send_weekly_digests",
]
