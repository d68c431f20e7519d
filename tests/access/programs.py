"""Access rules of programs: the admin pages, the questionnaire editor, and participants' pages."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import EnrollmentSource, ProgramStatus, Role, User
from portal.programs import add_question, create_program, enroll_many, set_program_status
from tests.access import SIGN_IN, Rule, admins


def make_targets(institution):
    program = create_program(institution.id, {"name": "Career Pathways"})
    question = add_question(program, {"prompt": "Preferred meeting format", "kind": "single_choice",
                                      "options": "Video call\nIn person", "audience": "both", "required": True})
    add_question(program, {"prompt": "What do you want help with?", "kind": "free_text", "audience": "mentees"})
    set_program_status(program, ProgramStatus.OPEN)
    participants = db.session.scalars(select(User).where(User.institution_id == institution.id,
                                                         User.role.in_([Role.MENTOR, Role.STUDENT])))
    enroll_many(program, participants, EnrollmentSource.ADMIN)
    db.session.commit()
    return {"program": program.id, "question": question.id}


def participants(status: int) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, "student": status, "mentor": status, "other_admin": 403, "admin": 403}


PROGRAM = "/admin/programs/{program}"
QUESTION = "/admin/programs/{program}/questions/{question}"
NEW_QUESTION = {"prompt": "Which city are you in?", "kind": "single_choice", "options": "Boston\nChicago",
                "audience": "both", "required": "y"}

RULES = {
    "programs.list_programs": Rule("GET", "/admin/programs", admins(own=200, other=200)),
    "programs.new_program": Rule("GET", "/admin/programs/new", admins(own=200, other=200)),
    "programs.show_program": Rule("GET", PROGRAM, admins(own=200, other=404)),
    "programs.edit_program": Rule("GET", PROGRAM + "/edit", admins(own=200, other=404)),
    "programs.change_program_status": Rule("POST", PROGRAM + "/status", admins(own=302, other=404),
                                           data={"status": "open"}),
    "programs.new_question": Rule("POST", PROGRAM + "/questions/new", admins(own=302, other=404),
                                  htmx_expect={"admin": 200}, data=NEW_QUESTION),
    "programs.edit_question": Rule("GET", QUESTION + "/edit", admins(own=200, other=404)),
    "programs.move_question": Rule("POST", QUESTION + "/move", admins(own=302, other=404),
                                   htmx_expect={"admin": 200}, data={"direction": "down"}),
    # The plain post runs first and deletes the question, so the htmx one finds nothing.
    "programs.delete_question": Rule("POST", QUESTION + "/delete", admins(own=302, other=404),
                                     htmx_expect={"admin": 404}),
    "programs.browse_programs": Rule("GET", "/programs", {**participants(200), "other_admin": 302, "admin": 302}),
    "programs.join_program": Rule("POST", "/programs/{program}/join", participants(302)),
    "programs.leave_program": Rule("POST", "/programs/{program}/leave", participants(302)),
    "programs.answer_questionnaire": Rule("GET", "/programs/{program}/questionnaire", participants(200)),
}
