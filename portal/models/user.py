"""People, their profiles, their signed-in sessions and their one-time tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, cast, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from portal.models.base import Base, TenantOwned, Timestamped, str_enum, utcnow
from portal.models.institution import Institution


class Role(enum.StrEnum):
    ADMIN = "admin"
    MENTOR = "mentor"
    STUDENT = "student"

    @property
    def label(self) -> str:
        return {"admin": "Program admin", "mentor": "Mentor", "student": "Student"}[self.value]


class UserStatus(enum.StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


class User(TenantOwned, Timestamped, UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    status: Mapped[UserStatus] = mapped_column(str_enum(UserStatus, "user_status"), default=UserStatus.INVITED)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    last_login_at: Mapped[datetime | None]
    invited_at: Mapped[datetime | None]  # when the last invitation was sent
    orientation_read_at: Mapped[datetime | None]
    onboarded_at: Mapped[datetime | None]  # finished the first sign-in walk-through

    institution: Mapped[Institution] = relationship(lazy="joined")
    profile: Mapped[Profile | None] = relationship(back_populates="user", uselist=False)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return self.status == UserStatus.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Profile(TenantOwned, Timestamped, Base):
    """What a person tells the program about themselves; tags are kept as typed."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    headline: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    graduation_year: Mapped[int | None] = mapped_column(Integer)
    degree: Mapped[str] = mapped_column(String(120), default="")
    major: Mapped[str] = mapped_column(String(120), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(120), default="")
    location: Mapped[str] = mapped_column(String(120), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    career_interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentoring_topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None] = mapped_column(Integer)
    accepting_requests: Mapped[bool] = mapped_column(default=True)
    meeting_preferences: Mapped[str] = mapped_column(String(200), default="")
    # Opt-in only, and read only by programs that ask for them (e.g. first_generation).
    affinity: Mapped[dict] = mapped_column(JSON, default=dict)
    # Canonical forms of the tags above (skills, interests, topics, industry, job title), worked
    # out when the profile is saved so matching never canonicalises; and the vocabulary version.
    canonical_tags: Mapped[dict] = mapped_column(JSON, default=dict)
    canonical_version: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship(back_populates="profile")


class LoginSession(TenantOwned, Base):
    """One signed-in browser; the cookie carries only a random token whose hash is kept here."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"


class AuthToken(TenantOwned, Base):
    """A one-time link (invitation or password reset); only the hash of the secret is kept."""

    __tablename__ = "auth_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


# Directory search (PostgreSQL only; pg_trgm): trigram indexes let a substring search ("LIKE
# '%pyth%'") over names, profile text and canonical tags use an index instead of reading every
# profile. portal/directory searches on exactly these expressions (PostgreSQL matches a query's
# expression to an index's by meaning, not by spelling).
_PROFILE_SEARCH_FIELDS = (Profile.headline, Profile.employer, Profile.job_title, Profile.industry,
                          cast(Profile.skills, Text), cast(Profile.mentoring_topics, Text),
                          cast(Profile.career_interests, Text))
_USER_NAME_FIELDS = (User.first_name, User.last_name)


def _words(fields) -> ColumnElement[str]:
    """Return lower(a || ' ' || b || ...) for a query."""
    expression = fields[0]
    for field in fields[1:]:  # a literal ' ', as in the index (a bound parameter would not match it)
        expression = expression + literal_column("' '") + field
    return func.lower(expression)


def _printed_words(fields) -> str:
    """Return the same expression as PostgreSQL prints it back, so `flask db check` finds no change."""
    names = [f"CAST({field.clause.name} AS TEXT)" if hasattr(field, "clause") else field.name for field in fields]
    expression = names[0]
    for name in names[1:]:
        expression = f"(({expression} || ' ') || {name})"
    return f"lower({expression[1:-1]})"


PROFILE_SEARCH_TEXT = _words(_PROFILE_SEARCH_FIELDS)
PROFILE_CANONICAL_TEXT = cast(Profile.canonical_tags, Text)
PROFILE_LOCATION_TEXT = func.lower(Profile.location)
USER_NAME_TEXT = _words(_USER_NAME_FIELDS)
# The canonical industry (a literal key, as in the index; SQLite 3.38+ reads ->> 'key' as '$.key').
PROFILE_CANONICAL_INDUSTRY = Profile.canonical_tags.op("->>", return_type=String)(literal_column("'industry'"))


def _trigram_index(name: str, table, expression: str) -> Index:
    return Index(name, literal_column(expression).label("text"), _table=table, postgresql_using="gin",
                 postgresql_ops={"text": "gin_trgm_ops"}).ddl_if(dialect="postgresql")


_trigram_index("ix_profiles_search_text", Profile.__table__, _printed_words(_PROFILE_SEARCH_FIELDS))
_trigram_index("ix_profiles_canonical_text", Profile.__table__, "CAST(canonical_tags AS TEXT)")
_trigram_index("ix_profiles_location_text", Profile.__table__, "lower(location)")
_trigram_index("ix_users_name_text", User.__table__, _printed_words(_USER_NAME_FIELDS))
# The directory's active mentors of an institution, read from the index alone (both databases).
Index("ix_users_institution_role_status", User.institution_id, User.role, User.status, User.id)
Index("ix_profiles_canonical_industry", literal_column("(canonical_tags ->> 'industry')"),
      _table=Profile.__table__).ddl_if(dialect="postgresql")
