"""Upload a people CSV, preview it, confirm it, follow a big one's progress, and list past imports."""

from __future__ import annotations

import logging
import os

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.imports import bp
from portal.blueprints.imports.forms import NO_PROGRAM, ActionForm, UploadForm
from portal.errors import render_error
from portal.extensions import db, htmx
from portal.imports import ImportFileError
from portal.imports.operations import (
    JOB_THRESHOLD, PHASES, ImportStateError, confirm_import, discard_import, error_count, fail_import, runs_in_worker,
    same_file_imported, start_import,
)
from portal.imports.preview import issues_csv, preview_page, template_csv
from portal.imports.reading import COLUMNS
from portal.models import ImportStatus, PeopleImport, Program, ProgramStatus, User
from portal.tenancy import tenant_scope

log = logging.getLogger(__name__)
ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)
ERRORS_SHOWN = 5000


def _size_limit() -> str:
    megabytes = current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
    return f"{megabytes:g} MB"


def _program_choices() -> list[tuple[int, str]]:
    programs = db.session.scalars(select(Program).where(Program.status != ProgramStatus.CLOSED).order_by(Program.name))
    return [(NO_PROGRAM, "No program: just add the people")] + [(program.id, program.name) for program in programs]


def _upload_page(form: UploadForm, status: int = 200):
    recent = db.session.scalars(select(PeopleImport).order_by(PeopleImport.created_at.desc()).limit(5)).all()
    return render_template("imports/new.html", form=form, size_limit=_size_limit(), threshold=JOB_THRESHOLD,
                           recent=recent, columns=COLUMNS), status


@bp.errorhandler(RequestEntityTooLarge)
def file_too_large(error):
    """Explain the size limit on the upload page itself."""
    size = f"{(request.content_length or 0) / (1024 * 1024):.1f} MB"
    message = (f"This file is {size}; files up to {_size_limit()} can be imported. "
               "Split it into smaller files and import them one after another.")
    if not (current_user.is_authenticated and current_user.is_admin):
        return render_error(413, message)
    # The body was refused before the request was scoped to the admin's institution.
    with tenant_scope(current_user.institution_id):
        form = UploadForm(formdata=None)
        form.program_id.choices = _program_choices()
        form.file.errors = [message]
        return _upload_page(form, 413)


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def new_import():
    """Upload a people CSV; it is checked, not written, until the admin confirms the preview."""
    form = UploadForm()
    form.program_id.choices = _program_choices()
    if form.validate_on_submit():
        upload = form.file.data
        filename = os.path.basename((upload.filename or "people.csv").replace("\\", "/")).strip()
        try:
            record = start_import(current_user.institution_id, current_user.id, filename, upload.read(),
                                  form.program_id.data or None)
        except ImportFileError as error:
            db.session.rollback()
            form.file.errors = [str(error)]
        else:
            db.session.commit()
            return redirect(url_for("imports.show_import", import_id=record.id))
    return _upload_page(form)


@bp.route("/import/template.csv")
@admin_required
def download_template():
    """Download an example CSV with the columns the import reads."""
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=people-import-template.csv"})


@bp.route("/imports")
@admin_required
def list_imports():
    """List the institution's imports, newest first, with their status and counts."""
    imports = db.session.scalars(select(PeopleImport).order_by(PeopleImport.created_at.desc()).limit(200)).all()
    user_ids = {record.uploaded_by_id for record in imports if record.uploaded_by_id}
    uploaders = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    return render_template("imports/index.html", imports=imports, uploaders=uploaders)


def _show_context(record: PeopleImport) -> dict:
    program = db.session.get(Program, record.program_id) if record.program_id else None
    uploader = db.session.get(User, record.uploaded_by_id) if record.uploaded_by_id else None
    context = dict(record=record, program=program, uploader=uploader, phases=PHASES, action_form=ActionForm(),
                   errors=error_count(record), issues=record.errors or [], errors_shown=ERRORS_SHOWN,
                   big=runs_in_worker(record),
                   can_invite="invitations.invite_not_invited" in current_app.view_functions)
    if record.status in (ImportStatus.PREVIEWED, ImportStatus.FAILED) and record.content:
        context["preview"] = preview_page(record, request.args.get("page", 1, type=int))
        context["same_file"] = same_file_imported(record)
    return context


@bp.route("/import/<int:import_id>")
@admin_required
def show_import(import_id: int):
    """Show an import: its progress, its preview and errors, or its result."""
    return render_template("imports/show.html", **_show_context(get_or_404(PeopleImport, import_id)))


@bp.route("/import/<int:import_id>/progress")
@admin_required
def import_progress(import_id: int):
    """Answer htmx's polling with the progress bar; once done, reload the page to show the result."""
    record = get_or_404(PeopleImport, import_id)
    if not htmx:
        return redirect(url_for("imports.show_import", import_id=record.id))
    body = render_template("imports/_progress.html", record=record, phases=PHASES)
    if record.status in ACTIVE:
        return body
    return htmx_response(body, refresh=True)


@bp.route("/import/<int:import_id>/confirm", methods=["POST"], endpoint="confirm_import")
@admin_required
def confirm(import_id: int):
    """Write the previewed people, all of them or none; a big file goes to a worker."""
    record = get_or_404(PeopleImport, import_id)
    try:
        written = confirm_import(record)
        db.session.commit()
    except ImportStateError as error:
        db.session.rollback()
        flash(str(error), "warning")
    except SQLAlchemyError:
        log.exception("people import %s could not be written", import_id)
        db.session.rollback()
        record = get_or_404(PeopleImport, import_id)
        fail_import(record, "The database refused the import, so nothing was written. Try again in a moment.")
        db.session.commit()
        flash("The import could not be written, and nothing was saved. Try again in a moment.", "danger")
    else:
        if written:
            counts = record.counts
            flash(f"Imported {record.filename}: {counts['new']:,} new, {counts['updated']:,} updated, "
                  f"{counts['unchanged']:,} unchanged.", "success")
        elif record.status == ImportStatus.PREVIEWED:
            flash("Some people changed since this file was checked, and that brings up errors. "
                  "Nothing was written; see the errors below.", "warning")
    return redirect(url_for("imports.show_import", import_id=record.id))


@bp.route("/import/<int:import_id>/discard", methods=["POST"], endpoint="discard_import")
@admin_required
def discard(import_id: int):
    """Forget an import that was never written."""
    record = get_or_404(PeopleImport, import_id)
    filename = record.filename
    try:
        discard_import(record)
    except ImportStateError as error:
        db.session.rollback()
        flash(str(error), "warning")
        return redirect(url_for("imports.show_import", import_id=record.id))
    db.session.commit()
    flash(f"Discarded {filename}; nothing from it was imported.", "info")
    return redirect(url_for("imports.new_import"))


@bp.route("/import/<int:import_id>/errors.csv")
@admin_required
def download_errors(import_id: int):
    """Download every error and warning of an import as CSV."""
    record = get_or_404(PeopleImport, import_id)
    name = os.path.splitext(record.filename)[0] or "people"
    return Response(issues_csv(record), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={_ascii(name)}-errors.csv"})


def _ascii(name: str) -> str:
    return "".join(char if char.isascii() and (char.isalnum() or char in "-_.") else "-" for char in name)[:80]
