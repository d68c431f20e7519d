"""A mentor's weekly availability and dates off: the times mentees can book."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.blueprints.access import roles_required
from portal.blueprints.availability import bp
from portal.blueprints.scheduling.forms import DateOffForm, WindowForm
from portal.extensions import db, htmx
from portal.models import Role, utcnow
from portal.scheduling import (
    DEFAULT_DURATION, SchedulingError, add_date_off, add_window, dates_off_of, open_slots, remove_date_off,
    remove_window, windows_of,
)
from portal.scheduling.availability import WEEKDAYS
from portal.scheduling.slots import zone_of

mentors_only = roles_required(Role.MENTOR)


def _today():
    return utcnow().astimezone(zone_of(current_user.timezone)).date()


def _render(window_form: WindowForm | None = None, date_off_form: DateOffForm | None = None, notice: str = ""):
    """Render the editor (the whole page, or only the editor for htmx) with the forms as they are."""
    windows = windows_of(current_user.id)
    by_day = [(index, name, [w for w in windows if w.weekday == index]) for index, name in enumerate(WEEKDAYS)]
    context = dict(
        by_day=by_day, window_count=len(windows), dates_off=dates_off_of(current_user.id, _today()),
        window_form=window_form or WindowForm(formdata=None), date_off_form=date_off_form or DateOffForm(formdata=None),
        open_count=len(open_slots(current_user.id, DEFAULT_DURATION)) if windows else 0, notice=notice,
        timezone=current_user.timezone)
    template = "availability/_availability.html" if htmx else "availability/edit.html"
    return render_template(template, **context)


def _done(message: str):
    db.session.commit()
    if htmx:
        return _render(notice=message)
    flash(message, "success")
    return redirect(url_for("availability.edit_availability"))


@bp.route("/availability")
@mentors_only
def edit_availability():
    """Show the mentor's weekly windows and dates off, with forms to change them."""
    return _render()


@bp.route("/availability/windows", methods=["POST"])
@mentors_only
def add_availability_window():
    """Add a weekly window."""
    form = WindowForm()
    if form.validate_on_submit():
        try:
            window = add_window(current_user.institution_id, current_user.id, form.weekday.data,
                                form.starts_at.data, form.ends_at.data)
        except SchedulingError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            return _done(f"Added: {WEEKDAYS[window.weekday]}s {window.starts_at:%H:%M}–{window.ends_at:%H:%M}.")
    return _render(window_form=form)


@bp.route("/availability/windows/<int:window_id>/remove", methods=["POST"])
@mentors_only
def remove_availability_window(window_id: int):
    """Remove a weekly window; sessions already booked in it stay."""
    try:
        window = remove_window(current_user.id, window_id)
    except SchedulingError:
        abort(404)  # not the mentor's own, or gone already
    return _done(f"Removed: {WEEKDAYS[window.weekday]}s {window.starts_at:%H:%M}–{window.ends_at:%H:%M}. "
                 "Sessions already booked then stay as they are.")


@bp.route("/availability/dates-off", methods=["POST"])
@mentors_only
def add_availability_date_off():
    """Add days when no slot is offered."""
    form = DateOffForm()
    if form.validate_on_submit():
        try:
            date_off = add_date_off(current_user.institution_id, current_user.id, form.starts_on.data,
                                    form.ends_on.data, form.note.data, _today())
        except SchedulingError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            return _done(f"No slots will be offered {_days(date_off)}.")
    return _render(date_off_form=form)


@bp.route("/availability/dates-off/<int:date_off_id>/remove", methods=["POST"])
@mentors_only
def remove_availability_date_off(date_off_id: int):
    """Remove dates off: those days are open again."""
    try:
        date_off = remove_date_off(current_user.id, date_off_id)
    except SchedulingError:
        abort(404)  # not the mentor's own, or gone already
    return _done(f"Open again {_days(date_off)}.")


def _days(date_off) -> str:
    if date_off.starts_on == date_off.ends_on:
        return f"on {date_off.starts_on:%a, %b} {date_off.starts_on.day}"
    return (f"from {date_off.starts_on:%a, %b} {date_off.starts_on.day} "
            f"to {date_off.ends_on:%a, %b} {date_off.ends_on.day}")
