"""Email reminders 24 hours before a confirmed session, once per session.

A cron sweep (every 15 minutes, across institutions) claims each due session with a conditional
UPDATE, so two workers sweeping at once never both send; the mail itself goes out in a job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.models import Meeting, MeetingStatus, UserStatus, utcnow
from portal.scheduling.notices import format_when, session_path
from portal.scheduling.queries import people_of
from portal.tenancy import tenant_scope, unscoped

REMINDER_LEAD = timedelta(hours=24)


def send_due_reminders(now: datetime | None = None) -> int:
    """Claim every confirmed session starting within 24 hours that had no reminder; return how many."""
    now = now or utcnow()
    claimed = 0
    with unscoped():
        due = db.session.execute(select(Meeting.id, Meeting.institution_id).where(
            Meeting.status == MeetingStatus.CONFIRMED, Meeting.reminder_sent_at.is_(None),
            Meeting.starts_at > now, Meeting.starts_at <= now + REMINDER_LEAD).order_by(Meeting.starts_at)).all()
        for meeting_id, institution_id in due:
            won = db.session.execute(
                update(Meeting).where(Meeting.id == meeting_id, Meeting.reminder_sent_at.is_(None),
                                      Meeting.status == MeetingStatus.CONFIRMED)
                .values(reminder_sent_at=now, updated_at=Meeting.updated_at)  # a reminder is no change to the session
                .execution_options(synchronize_session=False)).rowcount
            if won == 1:
                enqueue_after_commit("mail", send_session_reminder, institution_id, meeting_id)
                claimed += 1
    return claimed


def send_session_reminder(institution_id: int, meeting_id: int) -> int:
    """Mail the reminder of one session to each of its people; return how many were sent."""
    from portal.mail import send_templated_mail

    with tenant_scope(institution_id):
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.status != MeetingStatus.CONFIRMED:
            return 0  # cancelled or moved since it was claimed
        people = people_of(meeting.mentorship_id)
        sent = 0
        for person, _role in people:
            if person.status != UserStatus.ACTIVE:
                continue
            others = [other.name for other, _ in people if other.id != person.id]
            when = format_when(meeting.starts_at, person.timezone)
            send_templated_mail(person.email, f"Reminder: mentoring session with {' and '.join(others)}, {when}",
                                "session_reminder", user=person, meeting=meeting, others=others, when=when,
                                link=session_path(meeting.id))
            sent += 1
        return sent
