"""Creating institutions and setting passwords from the command line."""

from __future__ import annotations

import click

from portal.accounts import AccountError
from portal.accounts.people import (
    create_institution, create_user, find_user_by_email, invitation_link, set_password,
)
from portal.cli import portal_cli
from portal.extensions import db
from portal.models import Role, UserStatus
from portal.tenancy import unscoped


@portal_cli.command("create-institution")
@click.argument("name")
@click.option("--slug", required=True, help="Short lowercase name used in URLs, e.g. northbridge.")
@click.option("--admin-email", required=True, help="Email of the institution's first admin.")
@click.option("--admin-password", help="Make the admin active at once with this password.")
@click.option("--admin-name", default="Program Admin", show_default=True, help="The admin's full name.")
@click.option("--timezone", default="UTC", show_default=True, help="The institution's time zone.")
def create_institution_command(name, slug, admin_email, admin_password, admin_name, timezone):
    """Create an institution and its first admin; print the admin's invitation link."""
    first, _, last = admin_name.partition(" ")
    try:
        with unscoped():
            institution = create_institution(name, slug, timezone)
            admin = create_user(institution, admin_email, first, last, Role.ADMIN)
            if admin_password:
                set_password(admin, admin_password)
                admin.status = UserStatus.ACTIVE
                link = None
            else:
                link = invitation_link(admin)
            db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {institution.name} ({institution.slug}) with admin {admin.email}.")
    if link:
        click.echo(f"Invitation link for {admin.email} (valid 14 days, works once):")
        click.echo(link)
    else:
        click.echo(f"{admin.email} can sign in now.")


@portal_cli.command("set-password")
@click.argument("email")
@click.option("--password", help="The new password; you are prompted when it is left out.")
def set_password_command(email, password):
    """Set a person's password (an operator's reset); their sessions end."""
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with unscoped():
        user = find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"No account has the email {email}.")
        try:
            set_password(user, password)
        except AccountError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        if user.status == UserStatus.INVITED:
            user.status = UserStatus.ACTIVE
        db.session.commit()
    click.echo(f"Password set for {user.email}; every session they had is signed out.")
