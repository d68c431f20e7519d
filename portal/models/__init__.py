"""Every model, imported here so Alembic and the app see the whole schema."""

from portal.models.base import Base, TenantOwned, utcnow
from portal.models.institution import Institution
from portal.models.user import AuthToken, LoginSession, Profile, Role, TokenPurpose, User, UserStatus

__all__ = [
    "AuthToken",
    "Base",
    "Institution",
    "LoginSession",
    "Profile",
    "Role",
    "TenantOwned",
    "TokenPurpose",
    "User",
    "UserStatus",
    "utcnow",
]
