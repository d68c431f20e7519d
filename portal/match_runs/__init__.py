"""Match runs: an admin's matching of a program, from parameters to published mentorships.

    start_match_run(program, actor_id, parameters) -> MatchRun     # queued; the job is enqueued on commit
    run_match(institution_id, run_id)                              # the RQ job (jobs.py), on the "matching" queue
    run_state(run) -> RunState                                     # queued | running | stopped | finished | ...
    retry_match_run(run) / rerun_match_run(run, actor_id)          # after a failure; or keeping the decisions
    decide_suggestion, approve_above, swap_mentor, pin_pair, ban_pair   (review.py)
    publish_match_run(run, actor_id) -> [Mentorship]               # approved pairs become mentorships, mails go out

Plain functions that flush and raise `MatchRunError` with a message for the admin; views, the
CLI and the job commit. The engine itself is `portal.matching` (pure, no database).
"""

from __future__ import annotations


class MatchRunError(Exception):
    """A match-run action that can't be done as asked; the message is for the admin.

    `problems` lists every reason, one sentence each, when there are several (publishing).
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


from portal.match_runs.operations import (  # noqa: E402
    RunState, rerun_match_run, retry_match_run, run_state, start_match_run,
)
from portal.match_runs.parameters import default_parameters  # noqa: E402
from portal.match_runs.publishing import publish_match_run  # noqa: E402
from portal.match_runs.review import (  # noqa: E402
    approve_above, ban_pair, decide_suggestion, pin_pair, swap_candidates, swap_mentor,
)

__all__ = [
    "MatchRunError", "RunState", "approve_above", "ban_pair", "decide_suggestion", "default_parameters",
    "pin_pair", "publish_match_run", "rerun_match_run", "retry_match_run", "run_state", "start_match_run",
    "swap_candidates", "swap_mentor",
]
