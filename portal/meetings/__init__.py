"""After a session: marking it held or a no-show, shared notes, action items, each participant's
feedback and the prompt to give it; and the closing survey when a mentorship ends.

Plain functions that take ids and data, flush (the caller commits) and raise `MeetingError`
with a message for the person who asked. The database keeps the rules that must hold when two
people (or two tabs) act at once: a conditional UPDATE marks a session once, and unique indexes
allow one rating per person and session and one closing survey per person and mentorship.
"""

from __future__ import annotations


class MeetingError(Exception):
    """What someone asked for can't be done; the message says why, for that person."""


from portal.meetings.after import (  # noqa: E402
    NotesConflict, add_action_item, complete_meeting, notes_fingerprint, save_notes, set_action_item_done,
)
from portal.meetings.closing import (  # noqa: E402
    AlreadyAnswered, closing_survey_of, closing_survey_pending, submit_closing_survey,
)
from portal.meetings.feedback import (  # noqa: E402
    AlreadyRated, feedback_of, give_feedback, prompt_for_feedback, sessions_to_rate,
)

__all__ = [
    "AlreadyAnswered", "AlreadyRated", "MeetingError", "NotesConflict", "add_action_item", "closing_survey_of",
    "closing_survey_pending", "complete_meeting", "feedback_of", "give_feedback", "notes_fingerprint",
    "prompt_for_feedback", "save_notes", "sessions_to_rate", "set_action_item_done", "submit_closing_survey",
]
