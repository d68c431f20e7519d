"""Mail people about messages they have left unread for an hour: once per message, one mail per person.

A periodic sweep (every 10 minutes) claims each message an hour old exactly once with a
conditional UPDATE, so two sweeps running at once never mail about the same message twice.
Each person with unread messages among those claimed gets one mail job, which summarises their
threads and sends nothing if they have read everything in the meantime.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.messaging.text import excerpt
from portal.models import Mentorship, MentorshipParticipant, Message, MessageRead, User, UserStatus, utcnow
from portal.tenancy import tenant_scope, unscoped

UNREAD_FOR = timedelta(hours=1)
# A message that waited longer than this for a sweep (the worker was down) is not worth a mail any more.
TOO_OLD_TO_MAIL = timedelta(days=3)
SWEEP_BATCH = 5000
MESSAGES_SHOWN_PER_THREAD = 3
_CHUNK = 500


def _chunks(ids: list[int]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _claim_due_messages(now) -> list:
    """Mark every message unread-checked that is an hour old and was not checked; return the ones this call marked."""
    due = db.session.scalars(
        select(Message.id).where(Message.unread_mail_checked_at.is_(None), Message.created_at <= now - UNREAD_FOR)
        .order_by(Message.id).limit(SWEEP_BATCH)).all()
    claimed = []
    for chunk in _chunks(list(due)):
        # Another sweep may have claimed some of these since the SELECT: the condition skips them.
        claimed += db.session.execute(
            update(Message).where(Message.id.in_(chunk), Message.unread_mail_checked_at.is_(None))
            .values(unread_mail_checked_at=now)
            .returning(Message.id, Message.institution_id, Message.mentorship_id, Message.sender_id,
                       Message.created_at)
            .execution_options(synchronize_session=False)).all()
    return claimed


def _recipients(mentorship_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Return {mentorship id: [(active participant id, last message id they read)]}."""
    found = defaultdict(list)
    for chunk in _chunks(sorted(mentorship_ids)):
        rows = db.session.execute(
            select(MentorshipParticipant.mentorship_id, MentorshipParticipant.user_id,
                   func.coalesce(MessageRead.last_read_message_id, 0))
            .join(User, User.id == MentorshipParticipant.user_id)
            .outerjoin(MessageRead, and_(MessageRead.mentorship_id == MentorshipParticipant.mentorship_id,
                                         MessageRead.user_id == MentorshipParticipant.user_id))
            .where(MentorshipParticipant.mentorship_id.in_(chunk), User.status == UserStatus.ACTIVE))
        for mentorship_id, user_id, last_read in rows:
            found[mentorship_id].append((user_id, last_read))
    return found


def mail_unread_messages() -> int:
    """Claim messages unread for an hour and ask for one mail per person who has not read them; return the count."""
    now = utcnow()
    with unscoped():
        claimed = [row for row in _claim_due_messages(now) if row.created_at >= now - TOO_OLD_TO_MAIL]
        recipients = _recipients({row.mentorship_id for row in claimed})
        unread: dict[tuple[int, int], list[int]] = defaultdict(list)
        for row in claimed:
            for user_id, last_read in recipients.get(row.mentorship_id, []):
                if user_id != row.sender_id and last_read < row.id:
                    unread[(row.institution_id, user_id)].append(row.id)
    for (institution_id, user_id), message_ids in sorted(unread.items()):
        enqueue_after_commit("mail", send_unread_messages_mail, institution_id, user_id, sorted(message_ids))
    return len(unread)


@dataclass
class ThreadSummary:
    """One thread's unread messages, as the mail lists them."""

    mentorship_id: int
    partners: list[str]
    program: str
    messages: list[Message] = field(default_factory=list)

    @property
    def shown(self) -> list[Message]:
        return self.messages[-MESSAGES_SHOWN_PER_THREAD:]

    @property
    def hidden(self) -> int:
        return len(self.messages) - len(self.shown)


def _subject(threads: list[ThreadSummary], total: int) -> str:
    senders = {message.sender.name if message.sender else "Someone" for thread in threads
               for message in thread.messages}
    if len(senders) == 1:
        sender = senders.pop()
        return (f"{sender} sent you a message" if total == 1 else f"{total} unread messages from {sender}")
    return f"{total} unread messages in Mentor Portal"


def send_unread_messages_mail(institution_id: int, user_id: int, message_ids: list[int]) -> None:
    """Mail one person a summary of those messages they still have not read (nothing if they have read them)."""
    from portal.mail import send_templated_mail

    with tenant_scope(institution_id):
        user = db.session.get(User, user_id)
        if user is None or user.status != UserStatus.ACTIVE:
            return
        mine = select(MentorshipParticipant.mentorship_id).where(MentorshipParticipant.user_id == user_id)
        read_up_to = dict(db.session.execute(select(MessageRead.mentorship_id, MessageRead.last_read_message_id)
                                             .where(MessageRead.user_id == user_id)).all())
        messages = [message for message in db.session.scalars(
            select(Message).where(Message.id.in_(message_ids), Message.mentorship_id.in_(mine))
            .options(selectinload(Message.sender)).order_by(Message.id))
            if message.id > read_up_to.get(message.mentorship_id, 0) and message.sender_id != user_id]
        if not messages:
            return
        mentorships = {mentorship.id: mentorship for mentorship in db.session.scalars(
            select(Mentorship).where(Mentorship.id.in_({m.mentorship_id for m in messages})).options(
                selectinload(Mentorship.participants).selectinload(MentorshipParticipant.user),
                selectinload(Mentorship.program)))}
        threads: dict[int, ThreadSummary] = {}
        for message in messages:
            mentorship = mentorships[message.mentorship_id]
            thread = threads.setdefault(mentorship.id, ThreadSummary(
                mentorship.id, [p.user.name for p in mentorship.participants if p.user_id != user_id],
                mentorship.program.name if mentorship.program else ""))
            thread.messages.append(message)
        summaries = sorted(threads.values(), key=lambda thread: thread.messages[-1].id, reverse=True)
        send_templated_mail(user.email, _subject(summaries, len(messages)), "unread_messages", user=user,
                            threads=summaries, total=len(messages), excerpt=excerpt)
