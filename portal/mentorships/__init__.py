"""Mentorships: who mentors whom in a program, with the history of each pairing.

Plain functions that flush and raise `MentorshipError`; the caller commits. Matching
(`portal.match_runs`) publishes its approved pairs through `create_mentorships`, requests
(a later feature) through `create_mentorship`; both keep a mentor within capacity and never
make a pair twice. Pages read `active_mentorships_of` and `free_capacities`.
"""

from __future__ import annotations


class MentorshipError(Exception):
    """A mentorship that cannot be made as asked; the message is for the person who asked.

    `problems` lists every reason, one sentence each, when several pairs were asked for at once.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [message])


from portal.mentorships.creating import create_mentorship, create_mentorships  # noqa: E402
from portal.mentorships.ending import EndOutcome, end_mentorship  # noqa: E402,F401
from portal.mentorships.queries import (  # noqa: E402
    active_mentee_ids, active_mentorships_of, capacity_of, free_capacities, pairs_ever,
)

__all__ = [
    "MentorshipError", "active_mentee_ids", "active_mentorships_of", "capacity_of", "create_mentorship",
    "create_mentorships", "free_capacities", "pairs_ever",
]
