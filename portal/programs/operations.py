"""Creating and changing programs, opening and closing them, and enrolling people into them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    DEFAULT_MATCHING_WEIGHTS, Enrollment, EnrollmentRole, EnrollmentSource, EnrollmentStatus, MatchMode, Program,
    ProgramFormat, ProgramStatus, Role, User, UserStatus, utcnow,
)
from portal.models.programs import AFFINITY_FIELDS, MATCHING_CRITERIA_LABELS
from portal.programs import ProgramError

TEXT_LIMITS = {"name": 200, "description": 5000, "objective": 300, "key_result_unit": 120}
# field: (lowest, highest, how people call it)
NUMBER_LIMITS = {
    "key_result_target": (1, 1_000_000, "The key result target"),
    "default_capacity": (1, 50, "The default mentor capacity"),
    "max_open_requests": (1, 20, "The limit of open requests per student"),
    "request_expiry_days": (1, 90, "The request expiry"),
    "session_cadence_days": (1, 180, "The session cadence"),
}
DATE_FIELDS = {"starts_on": "start date", "ends_on": "end date", "key_result_deadline": "key result deadline"}
ENUM_FIELDS = {"format": (ProgramFormat, "Choose a program format."),
               "match_mode": (MatchMode, "Choose how mentors and students are matched.")}
PROGRAM_FIELDS = {*TEXT_LIMITS, *NUMBER_LIMITS, *DATE_FIELDS, *ENUM_FIELDS, "matching_weights", "affinity_fields"}
WEIGHT_RANGE = (0, 100)


def _clean_text(key: str, raw, errors: dict) -> str:
    value = (raw or "").strip() if isinstance(raw, str) or raw is None else str(raw).strip()
    if key == "name" and not value:
        errors[key] = "Give the program a name."
    elif len(value) > TEXT_LIMITS[key]:
        errors[key] = f"Keep this under {TEXT_LIMITS[key]} characters (it has {len(value)})."
    return value


def _clean_number(key: str, raw, errors: dict) -> int | None:
    low, high, label = NUMBER_LIMITS[key]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if key != "key_result_target":
            errors[key] = f"{label} is required."
        return None
    try:
        value = int(raw)
        if isinstance(raw, float) and raw != value:
            raise ValueError
    except (TypeError, ValueError):
        errors[key] = f"{label} must be a whole number between {low} and {high}."
        return None
    if not low <= value <= high:
        errors[key] = f"{label} must be between {low} and {high}."
    return value


def _clean_date(key: str, raw, errors: dict) -> date | None:
    if raw is None or raw == "" or isinstance(raw, date):
        return raw or None
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        errors[key] = f"Enter the {DATE_FIELDS[key]} as a date, e.g. 2026-09-01."
        return None


def _clean_enum(key: str, raw, errors: dict):
    kind, message = ENUM_FIELDS[key]
    try:
        return kind(raw)
    except ValueError:
        errors[key] = message
        return None


def _clean_weights(raw, current: dict, errors: dict) -> dict:
    weights = {**DEFAULT_MATCHING_WEIGHTS, **(current or {})}
    if not isinstance(raw, dict):
        errors["matching_weights"] = "Give each matching criterion a weight from 0 to 100."
        return weights
    low, high = WEIGHT_RANGE
    for criterion, value in raw.items():
        label = MATCHING_CRITERIA_LABELS.get(criterion)
        if label is None:
            errors["matching_weights"] = f"“{criterion}” is not a matching criterion."
            continue
        try:
            number = int(value)
            if isinstance(value, float) and value != number:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"matching_weights.{criterion}"] = (f"The weight for {label.lower()} must be a whole number "
                                                       "from 0 to 100.")
            continue
        if not low <= number <= high:
            errors[f"matching_weights.{criterion}"] = f"The weight for {label.lower()} must be between 0 and 100."
        weights[criterion] = number
    if not any(errors.get(f"matching_weights.{c}") for c in weights) and not any(weights.values()):
        errors["matching_weights"] = "Give at least one matching criterion a weight above 0."
    return weights


def _clean_affinity(raw, errors: dict) -> list[str]:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    unknown = [value for value in values if value not in AFFINITY_FIELDS]
    if unknown:
        errors["affinity_fields"] = f"Unknown affinity field: {', '.join(map(str, unknown))}."
    return [key for key in AFFINITY_FIELDS if key in values]


def _apply_program_data(program: Program, data: dict) -> None:
    """Validate `data` against what the program holds; write it, or raise with every problem."""
    unknown = set(data) - PROGRAM_FIELDS
    if unknown:
        raise ValueError(f"unknown program fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    values = {}
    for key, raw in data.items():
        if key in TEXT_LIMITS:
            values[key] = _clean_text(key, raw, errors)
        elif key in NUMBER_LIMITS:
            values[key] = _clean_number(key, raw, errors)
        elif key in DATE_FIELDS:
            values[key] = _clean_date(key, raw, errors)
        elif key in ENUM_FIELDS:
            values[key] = _clean_enum(key, raw, errors)
        elif key == "matching_weights":
            values[key] = _clean_weights(raw, program.matching_weights, errors)
        else:
            values[key] = _clean_affinity(raw, errors)
    merged = {key: values.get(key, getattr(program, key)) for key in DATE_FIELDS}
    starts_on, ends_on, deadline = merged["starts_on"], merged["ends_on"], merged["key_result_deadline"]
    if starts_on and ends_on and ends_on <= starts_on and "ends_on" not in errors:
        errors["ends_on"] = "The end date must be after the start date."
    if starts_on and deadline and deadline < starts_on and "key_result_deadline" not in errors:
        errors["key_result_deadline"] = "The key result deadline can't be before the program starts."
    if errors:
        count = len(errors)
        raise ProgramError("Please correct the highlighted field." if count == 1
                           else f"Please correct the {count} highlighted fields.", errors)
    for key, value in values.items():
        setattr(program, key, value)


def create_program(institution_id: int, data: dict) -> Program:
    """Create a draft program in an institution from `data` (model field names)."""
    program = Program(
        institution_id=institution_id, description="", objective="", key_result_unit="",
        format=ProgramFormat.ONE_TO_ONE, match_mode=MatchMode.HYBRID, status=ProgramStatus.DRAFT,
        default_capacity=2, max_open_requests=3, request_expiry_days=14, session_cadence_days=14,
        matching_weights=dict(DEFAULT_MATCHING_WEIGHTS), affinity_fields=[],
        starts_on=None, ends_on=None, key_result_deadline=None, key_result_target=None,
    )
    _apply_program_data(program, {"name": data.get("name"), **data})
    db.session.add(program)
    db.session.flush()
    return program


def update_program(program: Program, data: dict) -> Program:
    """Change the fields named in `data`; leave the others as they are."""
    _apply_program_data(program, data)
    db.session.flush()
    return program


def set_program_status(program: Program, status: ProgramStatus) -> Program:
    """Open, close or reopen a program; a program once opened never goes back to draft."""
    status = ProgramStatus(status)
    if program.status == status:
        return program
    if status == ProgramStatus.DRAFT:
        raise ProgramError("A program that has been opened can't go back to draft; close it instead.")
    if status == ProgramStatus.OPEN and program.ends_on and program.ends_on < utcnow().date():
        raise ProgramError(f"{program.name} ended on {program.ends_on:%B %-d, %Y}. "
                           "Move its end date before opening it again.")
    program.status = status
    db.session.flush()
    return program


def participant_role(user: User) -> EnrollmentRole:
    """Return the role a person takes in programs: mentors mentor, students are mentees."""
    if user.role == Role.ADMIN:
        raise ProgramError("Admins run programs; they can't take part in one as a mentor or mentee.")
    return EnrollmentRole.MENTOR if user.role == Role.MENTOR else EnrollmentRole.MENTEE


def _check_can_enroll(program: Program, user: User, role: EnrollmentRole, source: EnrollmentSource) -> None:
    expected = participant_role(user)
    if user.institution_id != program.institution_id:
        raise ProgramError("This person belongs to another institution.")
    if role != expected:
        raise ProgramError(f"{user.name} is a {user.role.label.lower()}, so they take part as a "
                           f"{expected.label.lower()}.")
    if user.status == UserStatus.DEACTIVATED:
        raise ProgramError(f"{user.name}'s account is deactivated. Reactivate it before adding them to a program.")
    if program.status == ProgramStatus.CLOSED:
        raise ProgramError(f"{program.name} is closed and takes no new participants.")
    if source == EnrollmentSource.SELF and program.status != ProgramStatus.OPEN:
        raise ProgramError(f"{program.name} isn't open for joining yet.")


def find_enrollment(program_id: int, user_id: int) -> Enrollment | None:
    """Return the person's enrollment in the program, active or left."""
    return db.session.scalar(select(Enrollment).where(Enrollment.program_id == program_id,
                                                      Enrollment.user_id == user_id))


def _activate(enrollment: Enrollment, role: EnrollmentRole, source: EnrollmentSource) -> None:
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.role = role
    enrollment.source = source
    enrollment.joined_at = utcnow()
    enrollment.left_at = None


def enroll(program: Program, user: User, role: EnrollmentRole, source: EnrollmentSource) -> Enrollment:
    """Enroll a person; enrolling them again changes nothing, and a left enrollment comes back."""
    role, source = EnrollmentRole(role), EnrollmentSource(source)
    existing = find_enrollment(program.id, user.id)
    if existing is not None and existing.status == EnrollmentStatus.ACTIVE:
        return existing
    _check_can_enroll(program, user, role, source)
    if existing is not None:
        _activate(existing, role, source)
        db.session.flush()
        return existing
    enrollment = Enrollment(institution_id=program.institution_id, program_id=program.id, user_id=user.id,
                            role=role, source=source, status=EnrollmentStatus.ACTIVE, answers={},
                            joined_at=utcnow())
    db.session.add(enrollment)
    db.session.flush()
    return enrollment


def enroll_many(program: Program, users: Iterable[User], source: EnrollmentSource) -> int:
    """Enroll many people at once (imports), each in the role their account has; return how many joined."""
    users = list(users)
    existing = {enrollment.user_id: enrollment for enrollment in db.session.scalars(
        select(Enrollment).where(Enrollment.program_id == program.id))}
    joined = 0
    for user in users:
        role = participant_role(user)
        enrollment = existing.get(user.id)
        if enrollment is not None and enrollment.status == EnrollmentStatus.ACTIVE:
            continue
        _check_can_enroll(program, user, role, source)
        if enrollment is not None:
            _activate(enrollment, role, source)
        else:
            existing[user.id] = Enrollment(
                institution_id=program.institution_id, program_id=program.id, user_id=user.id, role=role,
                source=source, status=EnrollmentStatus.ACTIVE, answers={}, joined_at=utcnow())
            db.session.add(existing[user.id])
        joined += 1
    db.session.flush()
    return joined


def leave_program(enrollment: Enrollment) -> Enrollment:
    """Take a person out of a program; their answers are kept should they come back."""
    if enrollment.status != EnrollmentStatus.LEFT:
        enrollment.status = EnrollmentStatus.LEFT
        enrollment.left_at = utcnow()
        db.session.flush()
    return enrollment


# Other features find the whole programs API here as well as on `portal.programs`.
from portal.programs.questionnaire import open_questionnaires, questions_for, save_answers  # noqa: E402,F401
