"""Admins' view of every mentorship and request in their programs, and pairing by hand."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.blueprints.access import admin_required
from portal.blueprints.mentorships import bp
from portal.blueprints.mentorships.forms import ListFilterForm, NewMentorshipForm
from portal.blueprints.mentorships.lifecycle import ORIGINS, workspace_url
from portal.extensions import db, htmx
from portal.mentorships import MentorshipError
from portal.mentorships.admin_listing import (
    mentorship_status_counts, mentorships_page, pending_older_than, programs_for_filters, request_status_counts,
    requests_page,
)
from portal.mentorships.by_hand import candidates, pair_by_hand
from portal.models import MentorshipStatus, Program, ProgramFormat, RequestStatus

MENTORSHIP_RESULTS = "mentorship-results"
REQUEST_RESULTS = "request-results"
NEW_FORM = "new-mentorship-form"


def _query_string() -> str:
    """Return the current filters as a query string, without the page number (for page links)."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    return urlencode(args, doseq=True)


def _wants(target: str) -> bool:
    return bool(htmx) and htmx.target == target and not htmx.history_restore_request


def _filter_form(statuses):
    """Return the filter form for a list with these statuses, its filters, the page number and the programs."""
    programs = programs_for_filters()
    form = ListFilterForm(request.args)
    form.prepare([(status.value, status.label) for status in statuses], programs)
    filters, number = form.cleaned()
    return form, filters, number, programs


@bp.route("/admin/mentorships")
@admin_required
def list_mentorships():
    """List the institution's mentorships; filter by status, program, age and person."""
    form, filters, number, programs = _filter_form(MentorshipStatus)
    context = dict(form=form, filters=filters, results=mentorships_page(filters, number), origins=ORIGINS,
                   query_string=_query_string(), workspace_url=workspace_url, programs=programs)
    if _wants(MENTORSHIP_RESULTS):
        return render_template("mentorships/_mentorship_results.html", **context)
    return render_template("mentorships/admin_list.html", counts=mentorship_status_counts(), **context)


@bp.route("/admin/requests")
@admin_required
def list_requests():
    """List the institution's mentor requests; filter by status, program, age and person."""
    form, filters, number, programs = _filter_form(RequestStatus)
    context = dict(form=form, filters=filters, results=requests_page(filters, number),
                   query_string=_query_string(), programs={program.id: program for program in programs})
    if _wants(REQUEST_RESULTS):
        return render_template("mentorships/_request_results.html", **context)
    return render_template("mentorships/admin_requests.html", counts=request_status_counts(),
                           waiting_long=pending_older_than(7), **context)


@bp.route("/admin/mentorships/new", methods=["GET", "POST"])
@admin_required
def new_mentorship():
    """Pair a mentor with one or more mentees by hand; the program is chosen first, then the people."""
    programs = [program for program in programs_for_filters() if program.format != ProgramFormat.FLASH]
    form = NewMentorshipForm(request.form if request.method == "POST" else request.args)
    form.program.choices = [SelectChoice("", "Choose a program"),
                            *(SelectChoice(str(program.id), program.name) for program in programs)]
    program = _chosen_program(form.program.data)
    found = candidates(program) if program else None
    if found:
        form.mentor.choices = [SelectChoice("", "Choose a mentor"), *(
            SelectChoice(str(user.id), f"{user.name} · {_places(free)}") for user, free in found.mentors)]
        form.mentees.choices = [(user.id, user.name) for user in found.mentees]
    message = None
    if request.method == "POST" and not _wants(NEW_FORM):
        if form.validate_on_submit():
            try:
                mentorship = pair_by_hand(program.id, _int(form.mentor.data), form.mentees.data, current_user.id,
                                          form.note.data)
            except MentorshipError as error:
                db.session.rollback()
                message = error
            else:
                db.session.commit()
                names = ", ".join(p.user.name for p in mentorship.participants if p.role.value == "mentee")
                flash(f"Mentorship made: {names} with "
                      f"{next(p.user.name for p in mentorship.participants if p.role.value == 'mentor')} in "
                      f"{program.name}. They have been told by email and in the portal.", "success")
                return redirect(url_for("mentorships.list_mentorships", program=program.id))
        else:
            message = MentorshipError("Please correct the highlighted fields.")
    context = dict(form=form, program=program, found=found, message=message,
                   one_to_one=program is not None and program.format == ProgramFormat.ONE_TO_ONE)
    if _wants(NEW_FORM):
        return render_template("mentorships/_new_form.html", **context)
    status = 422 if message else 200
    return render_template("mentorships/new.html", **context), status


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _chosen_program(value) -> Program | None:
    program_id = _int(value)
    if program_id is None:
        return None
    program = db.session.scalar(select(Program).where(Program.id == program_id))
    return program if program is not None and program.format != ProgramFormat.FLASH else None


def _places(free: int) -> str:
    if free <= 0:
        return "no free place"
    return f"{free} free {'place' if free == 1 else 'places'}"
