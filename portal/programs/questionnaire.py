"""A program's questionnaire: the admin's questions, and each participant's answers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    Audience, Enrollment, EnrollmentRole, EnrollmentStatus, MatchRule, Program, ProgramStatus, Question,
    QuestionKind, utcnow,
)
from portal.programs import ProgramError

CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
MAX_OPTIONS = 20
OPTION_LENGTH = 120
FREE_TEXT_LENGTH = 2000
WEIGHT_RANGE = (0.1, 10.0)
SCALE = range(1, 6)
AUDIENCES_OF = {
    EnrollmentRole.MENTOR: (Audience.MENTORS, Audience.BOTH),
    EnrollmentRole.MENTEE: (Audience.MENTEES, Audience.BOTH),
}


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "y", "yes", "on"}
    return bool(value)


def _clean_options(raw, errors: dict) -> list[str]:
    lines = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    options, seen = [], set()
    for line in lines:
        option = str(line).strip()
        if not option:
            continue
        if option.casefold() in seen:
            errors["options"] = f"Each option must be different: “{option}” is there twice."
            continue
        if len(option) > OPTION_LENGTH:
            errors["options"] = f"Keep each option under {OPTION_LENGTH} characters."
        seen.add(option.casefold())
        options.append(option)
    if len(options) > MAX_OPTIONS:
        errors["options"] = f"Offer at most {MAX_OPTIONS} options."
    return options


def _clean_question(data: dict) -> dict:
    """Return the question's fields from `data`, or raise with every problem."""
    errors: dict[str, str] = {}
    prompt = (data.get("prompt") or "").strip()
    if not prompt:
        errors["prompt"] = "Write the question people will answer."
    elif len(prompt) > 300:
        errors["prompt"] = "Keep the question under 300 characters."
    help_text = (data.get("help_text") or "").strip()
    if len(help_text) > 500:
        errors["help_text"] = "Keep the help text under 500 characters."
    try:
        kind = QuestionKind(data.get("kind"))
    except ValueError:
        kind = None
        errors["kind"] = "Choose the kind of answer: single choice, multiple choice, free text or a 1-5 scale."
    options = _clean_options(data.get("options"), errors)
    if kind in CHOICE_KINDS and len(options) < 2 and "options" not in errors:
        errors["options"] = "Give at least two options, one per line."
    if kind not in CHOICE_KINDS:
        options = []
        errors.pop("options", None)
    try:
        audience = Audience(data.get("audience") or Audience.BOTH)
    except ValueError:
        audience = None
        errors["audience"] = "Choose who answers: mentors, mentees or both."
    used_in_matching = _as_bool(data.get("used_in_matching"))
    if used_in_matching and kind == QuestionKind.FREE_TEXT:
        errors["used_in_matching"] = ("Free-text answers can't be compared for matching. Use a choice or "
                                      "1-5 scale question, or don't use this one in matching.")
    weight = data.get("matching_weight")
    try:
        weight = 1.0 if weight in (None, "") else float(weight)
        if not WEIGHT_RANGE[0] <= weight <= WEIGHT_RANGE[1]:
            raise ValueError
    except (TypeError, ValueError):
        weight = 1.0
        if used_in_matching:
            errors["matching_weight"] = "Give the matching weight as a number from 0.1 to 10."
    try:
        match_rule = MatchRule(data.get("match_rule") or MatchRule.SAME)
    except ValueError:
        match_rule = MatchRule.SAME
        errors["match_rule"] = "Choose whether answers should be the same or complement each other."
    if kind not in CHOICE_KINDS:
        match_rule = MatchRule.SAME  # a scale matches on closeness; there is nothing to complement
    if errors:
        raise ProgramError("Please correct the highlighted field." if len(errors) == 1
                           else f"Please correct the {len(errors)} highlighted fields.", errors)
    return dict(prompt=prompt, help_text=help_text, kind=kind, options=options, audience=audience,
                required=_as_bool(data.get("required")), used_in_matching=used_in_matching,
                matching_weight=weight, match_rule=match_rule)


def _renumber(program: Program) -> None:
    for position, question in enumerate(program.questions):
        question.position = position


def add_question(program: Program, data: dict) -> Question:
    """Add a question at the end of the program's questionnaire."""
    question = Question(institution_id=program.institution_id, position=len(program.questions),
                        **_clean_question(data))
    program.questions.append(question)
    db.session.flush()
    return question


def update_question(question: Question, data: dict) -> Question:
    """Change a question; answers already given stay as they were."""
    for key, value in _clean_question(data).items():
        setattr(question, key, value)
    db.session.flush()
    return question


def delete_question(question: Question) -> None:
    """Remove a question from its questionnaire."""
    program = question.program
    program.questions.remove(question)
    _renumber(program)
    db.session.flush()


def move_question(question: Question, offset: int) -> None:
    """Move a question up (offset -1) or down (+1) the questionnaire; at either end it stays."""
    program = question.program
    questions = list(program.questions)
    index = questions.index(question)
    target = max(0, min(len(questions) - 1, index + offset))
    questions.insert(target, questions.pop(index))
    for position, item in enumerate(questions):
        item.position = position
    db.session.flush()
    db.session.expire(program, ["questions"])


def questions_for(enrollment: Enrollment) -> list[Question]:
    """Return the questions a participant answers, in questionnaire order."""
    audiences = AUDIENCES_OF[enrollment.role]
    return [question for question in enrollment.program.questions if question.audience in audiences]


def clean_answer(question: Question, raw):
    """Return the answer as stored (None when blank), or raise ValueError saying what is wrong."""
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        chosen = [raw] if isinstance(raw, str) else list(raw or [])
        chosen = {str(value).strip() for value in chosen if str(value).strip()}
        if chosen - set(question.options):
            raise ValueError("Choose from the options shown.")
        value = [option for option in question.options if option in chosen] or None
    elif question.kind == QuestionKind.SINGLE_CHOICE:
        value = (str(raw).strip() if raw is not None else "") or None
        if value is not None and value not in question.options:
            raise ValueError("Choose one of the options shown.")
    elif question.kind == QuestionKind.SCALE:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            value = None
        else:
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = 0
            if value not in SCALE or (isinstance(raw, float) and raw != value):
                raise ValueError("Choose a number from 1 to 5.")
    else:
        value = (str(raw).strip() if raw is not None else "") or None
        if value and len(value) > FREE_TEXT_LENGTH:
            raise ValueError(f"Keep your answer under {FREE_TEXT_LENGTH} characters (it has {len(value)}).")
    if value is None and question.required:
        raise ValueError("Please answer this question." if question.kind != QuestionKind.MULTIPLE_CHOICE
                         else "Please choose at least one option.")
    return value


def save_answers(enrollment: Enrollment, answers: dict) -> Enrollment:
    """Check and store a participant's answers ({question_id: value}); raise with every problem."""
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ProgramError("You've left this program. Join it again to answer its questionnaire.")
    if enrollment.program.status == ProgramStatus.CLOSED:
        raise ProgramError(f"{enrollment.program.name} is closed, so its questionnaire can't be changed.")
    stored = dict(enrollment.answers or {})
    errors: dict[str, str] = {}
    for question in questions_for(enrollment):
        key = str(question.id)
        raw = answers.get(key, answers.get(question.id))
        try:
            value = clean_answer(question, raw)
        except ValueError as problem:
            errors[key] = str(problem)
            continue
        if value is None:
            stored.pop(key, None)
        else:
            stored[key] = value
    if errors:
        raise ProgramError("Please check the answer marked below." if len(errors) == 1
                           else f"Please check the {len(errors)} answers marked below.", errors)
    enrollment.answers = stored  # a new dict, so the JSON column sees the change
    enrollment.questionnaire_completed_at = utcnow()
    db.session.flush()
    return enrollment


def questionnaire_complete(enrollment: Enrollment) -> bool:
    """Tell whether a participant has answered everything the questionnaire asks of them."""
    questions = questions_for(enrollment)
    if not questions:
        return True
    answers = enrollment.answers or {}
    return enrollment.questionnaire_completed_at is not None and all(
        str(question.id) in answers for question in questions if question.required)


def open_questionnaires(user_id: int) -> list[Enrollment]:
    """Return the person's active enrollments whose questionnaire still waits for answers."""
    enrollments = db.session.scalars(
        select(Enrollment).join(Enrollment.program)
        .where(Enrollment.user_id == user_id, Enrollment.status == EnrollmentStatus.ACTIVE,
               Program.status != ProgramStatus.CLOSED)
        .options(selectinload(Enrollment.program).selectinload(Program.questions))
        .order_by(Enrollment.joined_at, Enrollment.id)
    )
    return [enrollment for enrollment in enrollments if not questionnaire_complete(enrollment)]
