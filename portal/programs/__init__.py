"""Programs: their settings, questionnaires, and who takes part in them.

Plain functions that take records and data, flush, and raise `ProgramError`; the caller
(a view, a CLI command, a job) commits. Other features use `enroll`, `questions_for`,
`save_answers` and `open_questionnaires` from here.
"""

from __future__ import annotations


class ProgramError(Exception):
    """A request about a program that cannot be carried out; the message is for the user.

    `errors` maps a field name (or str(question_id) for answers) to what is wrong with it,
    so a form can show each message next to its field.
    """

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = dict(errors or {})


from portal.programs.operations import (  # noqa: E402
    create_program, enroll, enroll_many, leave_program, participant_role, set_program_status, update_program,
)
from portal.programs.questionnaire import (  # noqa: E402
    add_question, delete_question, move_question, open_questionnaires, questions_for, save_answers,
    update_question,
)

__all__ = [
    "ProgramError", "add_question", "create_program", "delete_question", "enroll", "enroll_many", "leave_program",
    "move_question", "open_questionnaires", "participant_role", "questions_for", "save_answers",
    "set_program_status", "update_program", "update_question",
]
