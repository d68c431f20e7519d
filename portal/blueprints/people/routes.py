"""List, search, open, deactivate and reactivate people (admins only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from portal.accounts import AccountError
from portal.accounts.people import deactivate_user, reactivate_user
from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.people import bp
from portal.extensions import db, htmx
from portal.models import Role, User, UserStatus

PAGE_SIZE = 50


def _people_query(search: str, role: str, status: str):
    query = select(User).order_by(User.last_name, User.first_name)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(User.email.ilike(pattern), User.first_name.ilike(pattern),
                                User.last_name.ilike(pattern)))
    if role in Role._value2member_map_:
        query = query.where(User.role == Role(role))
    if status in UserStatus._value2member_map_:
        query = query.where(User.status == UserStatus(status))
    return query


@bp.route("")
@admin_required
def list_people():
    """List the institution's people; htmx asks for just the table as the admin types."""
    search = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    people = list(db.session.scalars(_people_query(search, role, status).limit(PAGE_SIZE + 1)))
    context = dict(people=people[:PAGE_SIZE], more=len(people) > PAGE_SIZE, search=search, role=role,
                   status=status, roles=list(Role), statuses=list(UserStatus))
    if htmx and htmx.target == "people-results":
        return render_template("people/_results.html", **context)
    return render_template("people/index.html", **context)


@bp.route("/<int:user_id>")
@admin_required
def show_person(user_id: int):
    """Show one person's account and profile."""
    return render_template("people/show.html", person=get_or_404(User, user_id))


def _status_changed(person: User, message: str):
    if htmx:
        return render_template("people/_row.html", person=person, notice=message)
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
            return render_template("people/_row.html", person=person, notice=str(error), notice_kind="danger")
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
