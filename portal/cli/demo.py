"""`portal seed-demo`: a demo institution to explore."""

from __future__ import annotations

import click

from portal.cli import portal_cli
from portal.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from portal.extensions import db
from portal.tenancy import unscoped


@portal_cli.command("seed-demo")
def seed_demo_command():
    """Create the demo institution (Northbridge University) unless it exists; print the logins."""
    with unscoped():
        institution = seed_demo()
        db.session.commit()
    if institution is None:
        click.echo("The demo institution already exists; nothing was changed.")
    else:
        click.echo(f"Created the demo institution {institution.name}.")
    print_demo_logins()


def print_demo_logins() -> None:
    """Print the demo accounts, one per role."""
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for role, email in DEMO_LOGINS.items():
        click.echo(f"  {role.label:<14} {email}")
