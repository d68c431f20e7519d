"""Account mail jobs. They take ids and create the one-time link themselves, so no secret
ever sits in Redis (invitations: portal.accounts.invitations.send_invitations)."""

from __future__ import annotations

from portal.accounts.people import password_reset_link
from portal.extensions import db
from portal.mail import send_templated_mail
from portal.models import User, UserStatus
from portal.tenancy import tenant_scope


def send_password_reset(institution_id: int, user_id: int) -> None:
    """Mail a password-reset link to an active user."""
    with tenant_scope(institution_id):
        user = db.session.get(User, user_id)
        if user is None or user.status != UserStatus.ACTIVE:
            return
        link = password_reset_link(user)
        db.session.commit()  # the link must work before the mail can arrive
        send_templated_mail(user.email, "Reset your Mentor Portal password", "password_reset",
                            user=user, link=link)

