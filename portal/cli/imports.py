"""`portal import-people`: the web's people import from the command line, all or nothing."""

from __future__ import annotations

import hashlib
import os
import time

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.cli import portal_cli
from portal.extensions import db
from portal.imports import ImportFileError
from portal.imports.planning import plan_import
from portal.imports.reading import decode_upload, parse_people_csv
from portal.imports.validation import ERROR, Issue, validate_rows
from portal.imports.writing import write_plan
from portal.models import ImportStatus, Institution, PeopleImport, Program, utcnow
from portal.tenancy import tenant_scope, unscoped


def format_issue(issue: Issue) -> str:
    """Return one issue as a line: where (row and column), then what."""
    where = f"row {issue.row}" if issue.row else "file"
    column = f", column {issue.column}" if issue.column else ""
    level = "warning" if issue.level != ERROR else "error"
    return f"{level}: {where}{column}: {issue.message}"


def _summary(counts: dict, program: Program | None) -> str:
    text = f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged"
    if program is not None:
        text += f"; {counts['enrolled']} enrolled into {program.name} (program {program.id})"
    return text


@portal_cli.command("import-people")
@click.option("--institution", "slug", required=True, help="The institution's slug, e.g. northbridge.")
@click.argument("csv_file", metavar="FILE.csv", type=click.File("rb"))
@click.option("--program", "program_id", type=int, help="Enroll everyone into this program (its id).")
@click.option("--dry-run", is_flag=True, help="Check the file and print what would change; write nothing.")
def import_people_command(slug, csv_file, program_id, dry_run):
    """Import people from a CSV (the DESIGN.md contract): every row or none; errors by row and column."""
    started = time.perf_counter()
    name = os.path.basename(csv_file.name or "people.csv")
    with unscoped():
        institution = db.session.scalar(select(Institution).where(Institution.slug == slug.strip().lower()))
    if institution is None:
        raise click.ClickException(f"No institution has the slug '{slug}'.")
    with tenant_scope(institution.id):
        program = None
        if program_id is not None:
            program = db.session.get(Program, program_id)
            if program is None:
                raise click.ClickException(f"{institution.name} has no program {program_id}.")
        data = csv_file.read()
        try:
            rows = parse_people_csv(decode_upload(data))
        except ImportFileError as error:
            raise click.ClickException(f"{name}: {error}") from None
        people, issues = validate_rows(rows)
        plan = plan_import(institution.id, people, issues, program_id)
        for issue in plan.issues:
            click.echo(format_issue(issue), err=issue.level == ERROR)
        counts = plan.counts()
        if plan.errors:
            click.echo(f"{name}: {len(plan.errors)} {'error' if len(plan.errors) == 1 else 'errors'} in "
                       f"{len({issue.row for issue in plan.errors})} of {len(rows.rows)} rows; nothing was written. "
                       "Fix them and run the command again.", err=True)
            raise SystemExit(1)
        if dry_run:
            click.echo(f"Dry run of {name}: {_summary(counts, program)}. Nothing was written.")
            return
        try:
            write_plan(institution, plan)
            db.session.add(PeopleImport(
                institution_id=institution.id, program_id=program_id, filename=name[:255], content="",
                content_sha256=hashlib.sha256(data).hexdigest(), status=ImportStatus.FINISHED,
                row_count=len(rows.rows), progress=100, phase="done", counts=counts,
                errors=[issue.as_dict() for issue in plan.issues], finished_at=utcnow()))
            db.session.commit()
        except SQLAlchemyError as error:
            db.session.rollback()
            raise click.ClickException(f"The database refused the import ({type(error).__name__}); "
                                       "nothing was written.") from None
    click.echo(f"Imported {name} into {institution.name}: {_summary(counts, program)} "
               f"({time.perf_counter() - started:.1f} s).")
