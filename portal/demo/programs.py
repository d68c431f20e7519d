"""Demo programs: an open career program with a questionnaire and everyone in it, and a draft."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    EnrollmentRole, EnrollmentSource, Institution, MatchMode, Program, ProgramFormat, ProgramStatus, Role, User,
    UserStatus,
)
from portal.programs import add_question, create_program, enroll_many, save_answers, set_program_status
from portal.programs.queries import participants

CAREER_PATHWAYS = {
    "name": "Career Pathways 2026-27",
    "description": ("Final-year students meet an alumnus working in the field they are considering, every two "
                    "weeks from September to June. Together they explore career options, sharpen applications "
                    "and practise interviews, working towards goals they set in their first meeting."),
    "objective": "Guide 100 final-year students in career choice by June 30",
    "key_result_target": 100,
    "key_result_unit": "students guided",
    "key_result_deadline": date(2027, 6, 30),
    "starts_on": date(2026, 9, 1),
    "ends_on": date(2027, 6, 30),
    "format": ProgramFormat.ONE_TO_ONE,
    "match_mode": MatchMode.HYBRID,
    "default_capacity": 2,
    "max_open_requests": 3,
    "request_expiry_days": 14,
    "session_cadence_days": 14,
}

HELP_TOPICS = ["Choosing a career path", "CV and cover letters", "Interview practice", "Networking",
               "Graduate school applications", "Starting a business"]
MEETING_FORMATS = ["Video call", "In person", "Phone", "No preference"]
FREQUENCIES = ["Every week", "Every two weeks", "Once a month"]

QUESTIONS = [
    {"prompt": "What do you most want help with?", "kind": "multiple_choice", "options": HELP_TOPICS,
     "audience": "mentees", "required": True, "used_in_matching": True, "matching_weight": 3, "match_rule": "same",
     "help_text": "Choose all that apply; your mentor sees them before your first meeting."},
    {"prompt": "What can you help students with?", "kind": "multiple_choice", "options": HELP_TOPICS,
     "audience": "mentors", "required": True, "used_in_matching": True, "matching_weight": 3, "match_rule": "same"},
    {"prompt": "Preferred meeting format", "kind": "single_choice", "options": MEETING_FORMATS,
     "audience": "both", "required": True, "used_in_matching": True, "matching_weight": 1, "match_rule": "same"},
    {"prompt": "How often would you like to meet?", "kind": "single_choice", "options": FREQUENCIES,
     "audience": "both", "required": True, "used_in_matching": False},
    {"prompt": "How confident are you about your next career step?", "kind": "scale", "audience": "mentees",
     "required": False, "help_text": "1 = not at all sure, 5 = I know exactly what I want."},
    {"prompt": "Anything else your mentor should know?", "kind": "free_text", "audience": "mentees",
     "required": False, "help_text": "Optional: constraints, hopes, or what has worked for you before."},
]

WOMEN_IN_TECH = {
    "name": "Women in Tech Leadership Circle",
    "description": ("Small circles of four to six students meet monthly with a woman leading in technology, "
                    "to talk through leadership, negotiation and building a career in the industry."),
    "objective": "80% of participants feel confident about a leadership path in tech",
    "key_result_target": 30,
    "key_result_unit": "students in circles",
    "key_result_deadline": date(2027, 5, 31),
    "starts_on": date(2027, 1, 15),
    "ends_on": date(2027, 5, 31),
    "format": ProgramFormat.GROUP,
    "match_mode": MatchMode.ADMIN_LED,
    "default_capacity": 5,
    "session_cadence_days": 30,
    "affinity_fields": ["gender", "first_generation"],
}

# Demo people who never signed in leave the questionnaire for the walk-through to show.
UNANSWERED = {"priya.raman", "jordan.lee"}


def _demo_answers(index: int, role: EnrollmentRole) -> dict[int, object]:
    """Return plausible answers by question index, varied from person to person."""
    topics = [HELP_TOPICS[index % len(HELP_TOPICS)], HELP_TOPICS[(index + 2) % len(HELP_TOPICS)]]
    answers = {2: MEETING_FORMATS[index % len(MEETING_FORMATS)], 3: FREQUENCIES[index % len(FREQUENCIES)]}
    if role == EnrollmentRole.MENTOR:
        answers[1] = topics + [HELP_TOPICS[(index + 3) % len(HELP_TOPICS)]]
    else:
        answers[0] = topics
        answers[4] = 1 + index % 5
    return answers


def seed_programs(institution: Institution) -> list[Program]:
    """Create the demo programs of an institution and enroll its mentors and students."""
    career = create_program(institution.id, CAREER_PATHWAYS)
    questions = [add_question(career, data) for data in QUESTIONS]
    set_program_status(career, ProgramStatus.OPEN)
    people = db.session.scalars(
        select(User).where(User.institution_id == institution.id, User.role.in_([Role.MENTOR, Role.STUDENT]),
                           User.status.in_([UserStatus.ACTIVE, UserStatus.INVITED]))
        .order_by(User.id))
    enroll_many(career, people, EnrollmentSource.IMPORT)
    for role in EnrollmentRole:
        for index, enrollment in enumerate(participants(career.id, role, limit=10_000)):
            user = enrollment.user
            if user.status != UserStatus.ACTIVE or user.email.split("@")[0] in UNANSWERED:
                continue
            answers = _demo_answers(index, role)
            save_answers(enrollment, {str(questions[i].id): value for i, value in answers.items()})
    circle = create_program(institution.id, WOMEN_IN_TECH)
    db.session.flush()
    return [career, circle]
