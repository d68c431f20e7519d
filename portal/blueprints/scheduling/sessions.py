"""A mentorship's sessions: the list with open slots to book, proposing a time, and one session's page."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.blueprints.access import get_or_404, mentorship_or_404
from portal.blueprints.scheduling import bp
from portal.blueprints.scheduling.forms import BookingForm, ChangeForm, ConfirmForm, ProposeForm, ReasonForm
from portal.extensions import db, htmx
from portal.models import Meeting, MeetingStatus, MentorshipStatus, ParticipantRole, utcnow
from portal.scheduling import (
    DEFAULT_DURATION, DURATIONS, SchedulingError, book_slot, cancel_meeting, change_meeting, confirm_meeting,
    decline_meeting, group_by_local_day, local_to_utc, open_slots, propose_meeting,
)
from portal.scheduling.feeds import feed_of
from portal.scheduling.ics import session_calendar
from portal.scheduling.notices import format_when
from portal.scheduling.queries import people_of, sessions_of, status_phrase
from portal.scheduling.slots import zone_of


def _duration(value) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        return DEFAULT_DURATION
    return minutes if minutes in DURATIONS else DEFAULT_DURATION


def _when(moment: datetime) -> str:
    return format_when(moment, current_user.timezone)


def _booking(mentorship, role, duration: int) -> dict:
    """The open slots a mentee can book, grouped by the viewer's day, or nothing for anyone else."""
    people = people_of(mentorship.id)
    mentor = next((person for person, person_role in people if person_role == "mentor"), None)
    can_book = role == ParticipantRole.MENTEE and mentorship.status == MentorshipStatus.ACTIVE and mentor
    slot_days = group_by_local_day(open_slots(mentor.id, duration), current_user.timezone) if can_book else []
    return dict(people=people, mentor=mentor, can_book=bool(can_book), duration=duration, durations=DURATIONS,
                slot_days=slot_days, slot_count=sum(len(slots) for _, slots in slot_days))


def _render_list(mentorship, role, duration: int, form: BookingForm | None = None, error: str = ""):
    booking = _booking(mentorship, role, duration)
    if htmx and htmx.target == "booking-slots":
        return render_template("scheduling/_booking_slots.html", mentorship=mentorship, **booking)
    upcoming, past = sessions_of(mentorship.id)
    names = {person.id: person.name for person, _ in booking["people"]}
    form = form or BookingForm(formdata=None, duration=str(duration))
    return render_template("scheduling/list.html", mentorship=mentorship, viewer_role=role, upcoming=upcoming,
                           past=past, names=names, status_phrase=status_phrase, form=form, error=error,
                           has_feed=feed_of(current_user.id) is not None,
                           is_active=mentorship.status == MentorshipStatus.ACTIVE, **booking)


@bp.route("/mentorships/<int:mentorship_id>/sessions")
@login_required
def list_sessions(mentorship_id: int):
    """List the pair's sessions; a mentee books an open slot of the next four weeks, in their own time."""
    mentorship, role = mentorship_or_404(mentorship_id)
    return _render_list(mentorship, role, _duration(request.args.get("duration")))


def _parse_slot(value: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment.astimezone(timezone.utc) if moment.tzinfo else None


@bp.route("/mentorships/<int:mentorship_id>/sessions/book", methods=["POST"])
@login_required
def book_session(mentorship_id: int):
    """Book an open slot: the session is confirmed at once."""
    mentorship, role = mentorship_or_404(mentorship_id, change=True)
    form = BookingForm()
    duration = _duration(form.duration.data)
    error = ""
    if form.validate_on_submit():
        starts_at = _parse_slot(form.starts_at.data)
        try:
            if starts_at is None:
                raise SchedulingError("Pick one of the open times.")
            meeting = book_slot(mentorship.id, current_user.id, starts_at, duration, form.mode.data,
                                form.location.data, form.agenda.data)
        except SchedulingError as problem:
            db.session.rollback()
            error = str(problem)
        else:
            db.session.commit()
            flash(f"Booked and confirmed: {_when(meeting.starts_at)}. We've let your mentor know.", "success")
            return redirect(url_for("scheduling.show_session", meeting_id=meeting.id))
    return _render_list(mentorship, role, duration, form=form, error=error)


def _starts_at(form: ProposeForm) -> datetime | None:
    """Read the form's date and time in the viewer's timezone as UTC; put a problem on the form if none."""
    starts_at = local_to_utc(form.day.data, form.start.data, current_user.timezone)
    if starts_at is None:
        form.start.errors.append(f"{form.start.data:%H:%M} does not exist on that day in {current_user.timezone}: "
                                 "the clocks skip that hour. Choose another time.")
    return starts_at


@bp.route("/mentorships/<int:mentorship_id>/sessions/propose", methods=["GET", "POST"])
@login_required
def propose_session(mentorship_id: int):
    """Propose any time; the other side confirms or declines it."""
    mentorship, role = mentorship_or_404(mentorship_id, change=True)
    form = ProposeForm()
    if form.validate_on_submit() and (starts_at := _starts_at(form)):
        try:
            meeting = propose_meeting(mentorship.id, current_user.id, starts_at, form.duration.data, form.mode.data,
                                      form.location.data, form.agenda.data)
        except SchedulingError as problem:
            db.session.rollback()
            form.form_errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"Proposed: {_when(meeting.starts_at)}. It is confirmed when the other side accepts; "
                  "we've let them know.", "success")
            return redirect(url_for("scheduling.show_session", meeting_id=meeting.id))
    return render_template("scheduling/propose.html", mentorship=mentorship, viewer_role=role, form=form,
                           people=people_of(mentorship.id), timezone=current_user.timezone)


def _meeting_or_404(meeting_id: int, change: bool = False):
    meeting = get_or_404(Meeting, meeting_id)
    mentorship, role = mentorship_or_404(meeting.mentorship_id, change=change)
    return meeting, mentorship, role


def _render_session(meeting, mentorship, role, cancel_form=None, decline_form=None, error: str = ""):
    now = utcnow()
    people = people_of(mentorship.id)
    names = {person.id: person.name for person, _ in people}
    upcoming = meeting.status in (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED) and meeting.starts_at > now
    mine = meeting.proposed_by_id == current_user.id
    proposed = meeting.status == MeetingStatus.PROPOSED
    actions = dict(
        can_confirm=bool(role) and upcoming and proposed and not mine,
        can_withdraw=bool(role) and upcoming and proposed and mine,
        can_cancel=bool(role) and upcoming and not proposed,
        can_change=bool(role) and upcoming and mentorship.status == MentorshipStatus.ACTIVE,
    )
    return render_template(
        "scheduling/show.html", meeting=meeting, mentorship=mentorship, viewer_role=role, people=people,
        names=names, status_phrase=status_phrase(meeting, names), now=now,
        other_times=[(person.first_name, format_when(meeting.starts_at, person.timezone)) for person, _ in people
                     if person.id != current_user.id and person.timezone != current_user.timezone],
        duration=int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
        confirm_form=ConfirmForm(), cancel_form=cancel_form or ReasonForm(formdata=None, prefix="cancel"),
        decline_form=decline_form or ReasonForm(formdata=None, prefix="decline"), error=error, **actions)


@bp.route("/sessions/<int:meeting_id>")
@login_required
def show_session(meeting_id: int):
    """Show one session: when, how, the agenda, and what the viewer can do with it."""
    return _render_session(*_meeting_or_404(meeting_id))


def _after(meeting_id: int, action, message, *args):
    """Run a change; on a problem, roll back and say why; either way go back to the session."""
    try:
        meeting = action(meeting_id, current_user.id, *args)
    except SchedulingError as problem:
        db.session.rollback()
        flash(str(problem), "danger")
    else:
        db.session.commit()
        flash(message(meeting), "success")
    return redirect(url_for("scheduling.show_session", meeting_id=meeting_id))


@bp.route("/sessions/<int:meeting_id>/confirm", methods=["POST"])
@login_required
def confirm_session(meeting_id: int):
    """Confirm a proposed time."""
    _meeting_or_404(meeting_id, change=True)
    if not ConfirmForm().validate_on_submit():
        flash("This form had expired. Please confirm again.", "warning")
        return redirect(url_for("scheduling.show_session", meeting_id=meeting_id))
    return _after(meeting_id, confirm_meeting, lambda m: f"Confirmed: {_when(m.starts_at)}. We've let them know.")


@bp.route("/sessions/<int:meeting_id>/decline", methods=["POST"])
@login_required
def decline_session(meeting_id: int):
    """Decline a proposed time, optionally saying why."""
    meeting, mentorship, role = _meeting_or_404(meeting_id, change=True)
    form = ReasonForm(prefix="decline")
    if not form.validate_on_submit():
        return _render_session(meeting, mentorship, role, decline_form=form)
    return _after(meeting_id, decline_meeting, lambda m: "Declined. We've let them know; either of you can "
                                                         "propose another time.", form.reason.data)


@bp.route("/sessions/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel_session(meeting_id: int):
    """Cancel a session, or withdraw one's own proposal, with a reason."""
    meeting, mentorship, role = _meeting_or_404(meeting_id, change=True)
    form = ReasonForm(prefix="cancel")
    error = ""
    if form.validate_on_submit():
        try:
            cancel_meeting(meeting.id, current_user.id, form.reason.data)
        except SchedulingError as problem:
            db.session.rollback()
            error = str(problem)
            form.reason.errors.append(error)
        else:
            db.session.commit()
            flash("The session is cancelled. We've let the others know.", "success")
            return redirect(url_for("scheduling.show_session", meeting_id=meeting.id))
    meeting = db.session.get(Meeting, meeting_id)
    return _render_session(meeting, mentorship, role, cancel_form=form, error=error)


@bp.route("/sessions/<int:meeting_id>/change", methods=["GET", "POST"])
@login_required
def reschedule_session(meeting_id: int):
    """Move a session to another time, or change how you meet and the agenda."""
    meeting, mentorship, role = _meeting_or_404(meeting_id, change=True)
    local = meeting.starts_at.astimezone(zone_of(current_user.timezone))
    duration = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    form = ChangeForm(day=local.date(), start=local.time(), duration=duration, mode=meeting.mode.value,
                      location=meeting.location, agenda=meeting.agenda)
    if form.validate_on_submit() and (starts_at := _starts_at(form)):
        try:
            meeting = change_meeting(meeting.id, current_user.id, starts_at, form.duration.data, form.mode.data,
                                     form.location.data, form.agenda.data, form.reason.data)
        except SchedulingError as problem:
            db.session.rollback()
            meeting = db.session.get(Meeting, meeting_id)
            form.form_errors.append(str(problem))
        else:
            db.session.commit()
            flash(f"Saved. The session is {meeting.status.label.lower()} for {_when(meeting.starts_at)}; "
                  "we've let the others know.", "success")
            return redirect(url_for("scheduling.show_session", meeting_id=meeting.id))
    people = people_of(mentorship.id)
    mentor = next((person for person, person_role in people if person_role == "mentor"), None)
    hints = []
    if role == ParticipantRole.MENTEE and mentor:
        hints = group_by_local_day(open_slots(mentor.id, form.duration.data if form.duration.data in DURATIONS
                                              else duration, ignore_meeting_id=meeting.id)[:12],
                                   current_user.timezone)
    return render_template("scheduling/change.html", meeting=meeting, mentorship=mentorship, viewer_role=role,
                           form=form, people=people, mentor=mentor, hints=hints, timezone=current_user.timezone)


@bp.route("/sessions/<int:meeting_id>.ics")
@login_required
def download_ics(meeting_id: int):
    """Download the session as a calendar file (a cancelled one removes it from the calendar)."""
    meeting, mentorship, _ = _meeting_or_404(meeting_id)
    body = session_calendar(meeting, people_of(mentorship.id), current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    local = meeting.starts_at.astimezone(zone_of(current_user.timezone))
    filename = f"mentoring-session-{local:%Y-%m-%d-%H%M}.ics"
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
