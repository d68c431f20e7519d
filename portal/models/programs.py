"""Programs, their questionnaires, and who takes part in them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, TenantOwned, Timestamped, str_enum, utcnow
from portal.models.user import User


class ProgramFormat(enum.StrEnum):
    ONE_TO_ONE = "one_to_one"
    GROUP = "group"
    FLASH = "flash"

    @property
    def label(self) -> str:
        return {"one_to_one": "One-to-one", "group": "Group", "flash": "Flash (one-off sessions)"}[self.value]


class MatchMode(enum.StrEnum):
    ADMIN_LED = "admin_led"
    SELF_SELECT = "self_select"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {"admin_led": "Admin-led matching", "self_select": "Students choose their mentor",
                "hybrid": "Hybrid: suggestions, students choose"}[self.value]


class ProgramStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "open": "Open", "closed": "Closed"}[self.value]


# Criteria the matching engine scores; admins steer them with these weights (0-100).
DEFAULT_MATCHING_WEIGHTS = {
    "skills": 30,
    "interests": 25,
    "industry": 10,
    "major": 10,
    "location": 5,
    "languages": 10,
    "questionnaire": 10,
}

MATCHING_CRITERIA_LABELS = {
    "skills": "Skills",
    "interests": "Career interests",
    "industry": "Industry",
    "major": "Major / field of study",
    "location": "Location",
    "languages": "Languages",
    "questionnaire": "Questionnaire answers",
}

# Opt-in profile fields a program may ask to use in matching; people share them only if they choose to.
AFFINITY_FIELDS = {
    "first_generation": "First-generation student",
    "international": "International student",
    "gender": "Gender",
    "veteran": "Military service",
}


class Program(TenantOwned, Timestamped, Base):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(String(300), default="")
    key_result_target: Mapped[int | None] = mapped_column(Integer)
    key_result_unit: Mapped[str] = mapped_column(String(120), default="")
    key_result_deadline: Mapped[date | None]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    format: Mapped[ProgramFormat] = mapped_column(str_enum(ProgramFormat, "program_format"),
                                                  default=ProgramFormat.ONE_TO_ONE)
    match_mode: Mapped[MatchMode] = mapped_column(str_enum(MatchMode, "match_mode"), default=MatchMode.HYBRID)
    status: Mapped[ProgramStatus] = mapped_column(str_enum(ProgramStatus, "program_status"),
                                                  default=ProgramStatus.DRAFT)
    default_capacity: Mapped[int] = mapped_column(Integer, default=2)
    max_open_requests: Mapped[int] = mapped_column(Integer, default=3)
    request_expiry_days: Mapped[int] = mapped_column(Integer, default=14)
    session_cadence_days: Mapped[int] = mapped_column(Integer, default=14)
    matching_weights: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_MATCHING_WEIGHTS))
    # Opt-in affinity fields (e.g. first_generation) this program may use in matching.
    affinity_fields: Mapped[list[str]] = mapped_column(JSON, default=list)

    questions: Mapped[list[Question]] = relationship(
        back_populates="program", order_by="Question.position", cascade="all, delete-orphan")
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="program", cascade="all, delete-orphan")


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    FREE_TEXT = "free_text"
    SCALE = "scale"  # 1-5

    @property
    def label(self) -> str:
        return {"single_choice": "Single choice", "multiple_choice": "Multiple choice",
                "free_text": "Free text", "scale": "Scale 1-5"}[self.value]


class Audience(enum.StrEnum):
    MENTORS = "mentors"
    MENTEES = "mentees"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"mentors": "Mentors", "mentees": "Mentees", "both": "Mentors and mentees"}[self.value]


class MatchRule(enum.StrEnum):
    SAME = "same"
    COMPLEMENTARY = "complementary"

    @property
    def label(self) -> str:
        return {"same": "Same answers match", "complementary": "Different answers complement each other"}[self.value]


class Question(TenantOwned, Base):
    """One question of a program's questionnaire."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    prompt: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, "question_kind"))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience: Mapped[Audience] = mapped_column(str_enum(Audience, "question_audience"), default=Audience.BOTH)
    required: Mapped[bool] = mapped_column(default=True)
    used_in_matching: Mapped[bool] = mapped_column(default=False)
    matching_weight: Mapped[float] = mapped_column(Float, default=1.0)
    match_rule: Mapped[MatchRule] = mapped_column(str_enum(MatchRule, "match_rule"), default=MatchRule.SAME)

    program: Mapped[Program] = relationship(back_populates="questions")


class EnrollmentRole(enum.StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"

    @property
    def label(self) -> str:
        return {"mentor": "Mentor", "mentee": "Mentee"}[self.value]


class EnrollmentStatus(enum.StrEnum):
    ACTIVE = "active"
    LEFT = "left"


class EnrollmentSource(enum.StrEnum):
    IMPORT = "import"
    INVITATION = "invitation"
    SELF = "self"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"import": "Imported", "invitation": "Invited", "self": "Joined", "admin": "Added by an admin"}[self.value]


class Enrollment(TenantOwned, Base):
    """A person taking part in a program as mentor or mentee, with their questionnaire answers."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("program_id", "user_id"),
        # The directory lists a program's active mentors on every search: read them from the index alone.
        Index("ix_enrollments_program_role_status", "program_id", "role", "status", "user_id", "institution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[EnrollmentRole] = mapped_column(str_enum(EnrollmentRole, "enrollment_role"))
    status: Mapped[EnrollmentStatus] = mapped_column(str_enum(EnrollmentStatus, "enrollment_status"),
                                                     default=EnrollmentStatus.ACTIVE)
    source: Mapped[EnrollmentSource] = mapped_column(str_enum(EnrollmentSource, "enrollment_source"),
                                                     default=EnrollmentSource.ADMIN)
    # {str(question_id): answer}; answer is a string, a list of strings, or an int 1-5.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    questionnaire_completed_at: Mapped[datetime | None]
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]

    program: Mapped[Program] = relationship(back_populates="enrollments")
    user: Mapped[User] = relationship()
