"""Record factories for tests: they use the same domain functions as the portal."""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts.passwords import hash_password
from portal.accounts.people import create_institution, create_user
from portal.extensions import db
from portal.models import Institution, Role, UserStatus, utcnow
from portal.tenancy import unscoped

DEFAULT_PASSWORD = "tidal-lantern-orchard-42"


@dataclass(frozen=True)
class Ref:
    """What a test needs to know about a record once its session is gone."""

    id: int
    email: str = ""
    name: str = ""
    role: str = ""
    institution_id: int | None = None
    slug: str = ""


def make_institution(slug: str, name: str, timezone: str = "America/New_York") -> Ref:
    with unscoped():
        institution = create_institution(name, slug, timezone)
        db.session.commit()
        return Ref(id=institution.id, name=institution.name, slug=institution.slug)


def make_user(institution: Ref, role: str, first: str, last: str, *, status: str = "active",
              password: str | None = DEFAULT_PASSWORD, email: str | None = None, onboarded: bool = True) -> Ref:
    with unscoped():
        tenant = db.session.get(Institution, institution.id)
        email = email or f"{first}.{last}@{institution.slug}.example.edu".lower()
        user = create_user(tenant, email, first, last, Role(role))
        user.status = UserStatus(status)
        user.password_hash = hash_password(password) if password and status != "invited" else None
        if status == "active" and onboarded:
            user.onboarded_at = utcnow()
        db.session.commit()
        return Ref(id=user.id, email=user.email, name=user.name, role=role, institution_id=tenant.id)
