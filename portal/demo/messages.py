"""Demo messages and shared notes: a short, realistic thread in every demo mentorship, some of it unread."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    Institution, Mentorship, MentorshipParticipant, Message, MessageRead, ParticipantRole, SharedNote, utcnow,
)

# (who writes, text); {mentor}, {mentee}, {program} and {field} are filled in per pair.
KICKOFF = [
    ("mentor", "Hi {mentee}, welcome to {program}! I'm looking forward to working with you. To get us started: "
               "what would you most like to get out of the next few months?"),
    ("mentee", "Hi {mentor}, thank you for taking me on! Two things: I'd like to understand what working in "
               "{field} is really like day to day, and I'd love feedback on my CV before internship applications "
               "open in March."),
    ("mentor", "Both are great goals. Let's write them down in the Goals tab so we can look back on them at every "
               "session. Could you send me your CV before our first call?"),
    ("mentee", "I've put a link to it in our shared notes. Is Thursday at 5 pm still good for the call?"),
    ("mentor", "Thursday at 5 works. I'll have comments on the CV ready. Something to think about beforehand: "
               "which two or three roles would you apply for tomorrow if you could?"),
    ("mentor", "Thanks for a great first conversation! As promised, here is the guide to informational "
               "interviews I mentioned: https://careers.northbridge.example.edu/guides/informational-interviews "
               "Try to book two of them before we meet again."),
]
CHECK_IN = [
    ("mentee", "Hi {mentor}, a quick update: I reached out to three people from the alumni network and two have "
               "already replied!"),
    ("mentor", "That's excellent, {mentee}. What did you ask them? Those first conversations are usually where "
               "the most useful advice comes from."),
    ("mentee", "Mostly how they got their first role, and which skills they wish they'd built earlier. Both said "
               "a portfolio of small projects mattered more than grades."),
    ("mentor", "That matches my experience in {field}. Shall we use our next session to pick one project you "
               "could finish in four weeks?"),
    ("mentee", "Yes please! I'll bring three ideas. Same time next week?"),
    ("mentor", "Same time works. I've added the session to our calendar, see you then."),
]
NOTES = [
    ("What we agreed",
     "- We meet every two weeks, 45 minutes, by video unless we say otherwise.\n"
     "- Messages here are fine for quick questions; we reply within two working days.\n"
     "- What we discuss stays between us unless we agree to share it.\n"
     "- We review our goals at the start of every session."),
    ("Reading list",
     "1. Designing Your Life (Burnett & Evans): chapters 1-3 before our next session\n"
     "2. The alumni office's guide to informational interviews\n"
     "3. Two job descriptions {mentee} finds exciting, to compare the skills they ask for"),
]


def _fill(text: str, names: dict[str, str]) -> str:
    return text.format(**names)


def _in_daytime(moment: datetime, position: int, zone: ZoneInfo, earliest: datetime, latest: datetime) -> datetime:
    """Move a message to a plausible hour of its day (people write between 8 am and 9 pm), within the bounds."""
    local = moment.astimezone(zone).replace(hour=8 + (position * 5) % 13, minute=(position * 17 + 6) % 60)
    return max(min(local.astimezone(moment.tzinfo), latest - timedelta(minutes=10 * (6 - min(position, 6)))),
               earliest + timedelta(minutes=position))


def seed(institution: Institution) -> int:
    """Write a thread and shared notes in each demo mentorship that has none; return how many messages."""
    mentorships = db.session.scalars(
        select(Mentorship).where(Mentorship.institution_id == institution.id)
        .options(selectinload(Mentorship.participants).selectinload(MentorshipParticipant.user),
                 selectinload(Mentorship.program)).order_by(Mentorship.started_at, Mentorship.id)).all()
    now, written = utcnow(), 0
    zone = ZoneInfo(institution.timezone or "UTC")
    for index, mentorship in enumerate(mentorships):
        if db.session.scalar(select(Message.id).where(Message.mentorship_id == mentorship.id).limit(1)):
            continue
        mentor = next((p.user for p in mentorship.participants if p.role == ParticipantRole.MENTOR), None)
        mentees = [p.user for p in mentorship.participants if p.role == ParticipantRole.MENTEE]
        if mentor is None or not mentees:
            continue
        profile = mentor.profile
        names = {"mentor": mentor.first_name, "mentee": mentees[0].first_name,
                 "program": mentorship.program.name if mentorship.program else "the program",
                 "field": (profile.industry if profile and profile.industry else "your field").lower()}
        script = KICKOFF if index % 2 == 0 else CHECK_IN
        # Spread the thread over the mentorship's life so far, the last message a few hours ago.
        end = mentorship.ended_at or now
        if end - mentorship.started_at < timedelta(days=2):  # a pair that just started: a thread of today
            start, end = mentorship.started_at, end - timedelta(minutes=1)
            times = [start + (end - start) * (position + 1) / (len(script) + 1) for position in range(len(script))]
        else:
            start = max(mentorship.started_at, now - timedelta(days=30)) + timedelta(hours=2)
            end = end - timedelta(hours=3)
            times = sorted(_in_daytime(start + (end - start) * position / (len(script) - 1), position, zone, start, end)
                           for position in range(len(script)))
        messages = []
        for position, ((speaker, line), sent_at) in enumerate(zip(script, times)):
            sender = mentor if speaker == "mentor" else mentees[position % len(mentees)]
            messages.append(Message(
                institution_id=institution.id, mentorship_id=mentorship.id, sender_id=sender.id,
                body=_fill(line, names), created_at=sent_at,
                unread_mail_checked_at=now))  # the demo mails nobody about its own history
        db.session.add_all(messages)
        db.session.flush()
        written += len(messages)
        # Every other pair leaves the mentor's last message unread, so menus show a count.
        for person in [mentor, *mentees]:
            last_read = messages[-1].id
            if person is not mentor and index % 2 == 0:
                last_read = messages[-2].id
            db.session.add(MessageRead(institution_id=institution.id, mentorship_id=mentorship.id,
                                       user_id=person.id, last_read_message_id=last_read, read_at=now))
        for number, (title, body) in enumerate(NOTES[:1 + index % 2]):
            author = mentees[0] if number else mentor
            created = start + (end - start) * (number + 1) / 4
            db.session.add(SharedNote(institution_id=institution.id, mentorship_id=mentorship.id,
                                      author_id=author.id, editor_id=author.id, title=title,
                                      body=_fill(body, names), version=1, created_at=created, updated_at=created))
    db.session.flush()
    return written
