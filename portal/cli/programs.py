"""`portal create-program`: set up a program from the command line."""

from __future__ import annotations

import click
from sqlalchemy import select

from portal.cli import portal_cli
from portal.extensions import db
from portal.models import Institution, ProgramStatus
from portal.programs import ProgramError, create_program, set_program_status
from portal.tenancy import tenant_scope, unscoped


@portal_cli.command("create-program")
@click.argument("name")
@click.option("--institution", "slug", required=True, help="The institution's slug, e.g. northbridge.")
@click.option("--capacity", type=int, help="Default number of mentees per mentor (1-50; default 2).")
@click.option("--open", "open_now", is_flag=True, help="Open the program for joining at once (default: a draft).")
def create_program_command(name, slug, capacity, open_now):
    """Create a program in an institution and print its id."""
    with unscoped():
        institution = db.session.scalar(select(Institution).where(Institution.slug == slug.strip().lower()))
    if institution is None:
        raise click.ClickException(f"No institution has the slug “{slug}”. "
                                   "Create it first with `portal create-institution`.")
    data = {"name": name}
    if capacity is not None:
        data["default_capacity"] = capacity
    try:
        with tenant_scope(institution.id):
            program = create_program(institution.id, data)
            if open_now:
                set_program_status(program, ProgramStatus.OPEN)
            program_id, program_name = program.id, program.name
            db.session.commit()
    except ProgramError as error:
        db.session.rollback()
        raise click.ClickException(" ".join(error.errors.values()) or str(error)) from None
    state = "open for joining" if open_now else "a draft; open it from the admin's Programs page"
    click.echo(f"Created program “{program_name}” in {institution.name} ({state}).", err=True)
    click.echo(program_id)
