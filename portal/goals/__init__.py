"""Goals: what a mentee works towards in a mentorship, with milestones, progress updates and history.

Plain functions that take ids and data, flush, and raise `GoalError`; the caller commits.
`guidance` explains SMART and REAL goals and checks a draft; `editing` changes goals;
`queries` reads them for pages (and for the session page's goal review).
"""

from __future__ import annotations


class GoalError(Exception):
    """A change to a goal that cannot be made; the message is for the person who asked.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def goal_path(mentorship_id: int, goal_id: int) -> str:
    """Return the portal path of a goal's page, for notifications."""
    return f"/mentorships/{mentorship_id}/goals/{goal_id}"
