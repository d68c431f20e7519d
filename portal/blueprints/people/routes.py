"""List, search, filter, open, deactivate and reactivate people (admins only)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from portal.accounts import AccountError
from portal.accounts.invitations import Stage, count_not_invited, link_states, stage_condition, stage_of
from portal.accounts.people import deactivate_user, reactivate_user
from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.people import bp
from portal.blueprints.people.forms import PeopleFilterForm
from portal.extensions import db, htmx
from portal.models import Enrollment, EnrollmentStatus, Program, Role, User
from portal.profiles.completeness import profile_completeness

PAGE_SIZE = 50

bp.add_app_template_global(stage_of, "person_stage")


@bp.app_template_filter("localdate")
def localdate(value: datetime | None) -> str:
    """Show a UTC timestamp as a date in the viewer's time zone ("Nov 5"; "Nov 5, 2025" in other years)."""
    if value is None:
        return ""
    zone = ZoneInfo(current_user.timezone if current_user.is_authenticated else "UTC")
    local = value.astimezone(zone)
    if local.year == datetime.now(zone).year:
        return f"{local:%b} {local.day}"
    return f"{local:%b} {local.day}, {local.year}"


def _people_query(search: str, role: str, status: str, program_id: int | None):
    query = select(User).order_by(User.last_name, User.first_name, User.id)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(User.email.ilike(pattern), User.first_name.ilike(pattern),
                                User.last_name.ilike(pattern)))
    if role:
        query = query.where(User.role == Role(role))
    if status:
        query = query.where(stage_condition(Stage(status)))
    if program_id:
        enrolled = select(Enrollment.user_id).where(Enrollment.program_id == program_id,
                                                    Enrollment.status == EnrollmentStatus.ACTIVE)
        query = query.where(User.id.in_(enrolled))
    return query


def row_response(person: User, notice: str, notice_kind: str = "success"):
    """Return one person's table row with a short note under the name (for htmx actions)."""
    return render_template("people/_row.html", person=person, links=link_states([person]), notice=notice,
                           notice_kind=notice_kind)


@bp.route("")
@admin_required
def list_people():
    """List the institution's people; htmx asks for just the table as the admin types."""
    programs = list(db.session.scalars(select(Program).order_by(Program.name)))
    form = PeopleFilterForm(request.args)
    form.program.choices = [*form.program.choices,
                            *(SelectChoice(str(program.id), program.name) for program in programs)]
    filters = form.cleaned()
    program_id = int(filters["program"]) if filters["program"] else None
    query = _people_query(filters["q"], filters["role"], filters["status"], program_id)
    people = list(db.session.scalars(query.limit(PAGE_SIZE + 1)))
    shown = people[:PAGE_SIZE]
    context = dict(form=form, people=shown, more=len(people) > PAGE_SIZE, links=link_states(shown),
                   search=filters["q"], filtered=any(filters.values()), programs=programs,
                   can_import="imports.new_import" in current_app.view_functions)
    if htmx and htmx.target == "people-results":
        return render_template("people/_results.html", **context)
    return render_template("people/index.html", not_invited=count_not_invited(),
                           keeps_copies=current_app.config.get("MAIL_KEEP_COPIES"), **context)


@bp.route("/<int:user_id>")
@admin_required
def show_person(user_id: int):
    """Show one person's account, invitation and profile."""
    person = get_or_404(User, user_id)
    return render_template("people/show.html", person=person, links=link_states([person]),
                           completeness=profile_completeness(person))


def _status_changed(person: User, message: str):
    if htmx:
        return row_response(person, message)
    flash(message, "success")
    return redirect(url_for("people.show_person", user_id=person.id))


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def deactivate_person(user_id: int):
    """Stop a person from signing in; their open sessions end at once."""
    person = get_or_404(User, user_id)
    try:
        deactivate_user(person, current_user.id)
    except AccountError as error:
        db.session.rollback()
        if htmx:
            return row_response(person, str(error), "danger")
        flash(str(error), "danger")
        return redirect(url_for("people.show_person", user_id=person.id))
    db.session.commit()
    return _status_changed(person, f"{person.name} is deactivated and has been signed out.")


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@admin_required
def reactivate_person(user_id: int):
    """Let a deactivated person back in."""
    person = get_or_404(User, user_id)
    reactivate_user(person)
    db.session.commit()
    return _status_changed(person, f"{person.name} can sign in again.")
