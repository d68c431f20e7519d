"""A mentorship's message thread: sending, reading, and how far each participant has read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.messaging import MessagingError
from portal.models import (
    Mentorship, MentorshipParticipant, MentorshipStatus, Message, MessageRead, ParticipantRole, User, utcnow,
)

MESSAGE_MAX = 5000
THREAD_PAGE = 100  # messages a thread shows at once; older ones are a link away


def writable_mentorship(mentorship_id: int, user_id: int, what: str = "send messages") -> Mentorship:
    """Return the mentorship if `user_id` takes part and it is active, else raise MessagingError.

    The row stays locked until commit (FOR NO KEY UPDATE: other tables' inserts that refer to it
    are not held up), so the mentorship can't end between this check and the write, and two
    writes to one thread commit in the order of their ids: a reader polling for "ids after N"
    never sees a message before an older one has become visible.
    """
    mentorship = db.session.scalar(select(Mentorship).where(Mentorship.id == mentorship_id)
                                   .with_for_update(key_share=True))
    if mentorship is None or user_id not in participant_roles(mentorship_id):
        raise MessagingError("Only the people in this mentorship can write here.")
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise MessagingError(f"This mentorship has ended, so you can no longer {what} here. "
                             "Everything written before stays readable.")
    return mentorship


def participant_roles(mentorship_id: int) -> dict[int, ParticipantRole]:
    """Return {user id: role} of the mentorship's participants."""
    return dict(db.session.execute(select(MentorshipParticipant.user_id, MentorshipParticipant.role)
                                   .where(MentorshipParticipant.mentorship_id == mentorship_id)).all())


def clean_body(body: str | None, limit: int, what: str = "message") -> str:
    """Return the text without surrounding blank space; raise MessagingError when empty or too long."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise MessagingError(f"Your {what} is empty: write something first.")
    if len(body) > limit:
        raise MessagingError(f"Your {what} is {len(body):,} characters long; the limit is {limit:,}. "
                             "Shorten it, or split it in two.")
    return body


def send_message(mentorship_id: int, sender_id: int, body: str | None) -> Message:
    """Add a message to an active mentorship's thread from one of its participants."""
    body = clean_body(body, MESSAGE_MAX)
    mentorship = writable_mentorship(mentorship_id, sender_id)
    message = Message(institution_id=mentorship.institution_id, mentorship_id=mentorship.id, sender_id=sender_id,
                      body=body, created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    return message


def _with_senders(query):
    return query.options(selectinload(Message.sender))


def messages_after(mentorship_id: int, after: int = 0, limit: int | None = None) -> list[Message]:
    """Return the thread's messages newer than message id `after`, oldest first."""
    query = (select(Message).where(Message.mentorship_id == mentorship_id, Message.id > after)
             .order_by(Message.id))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(_with_senders(query)))


def latest_messages(mentorship_id: int, before: int | None = None,
                    limit: int = THREAD_PAGE) -> tuple[list[Message], bool]:
    """Return up to `limit` of the newest messages (before id `before`), oldest first, and whether more are older."""
    query = select(Message).where(Message.mentorship_id == mentorship_id)
    if before:
        query = query.where(Message.id < before)
    newest_first = list(db.session.scalars(_with_senders(query.order_by(Message.id.desc()).limit(limit + 1))))
    return list(reversed(newest_first[:limit])), len(newest_first) > limit


def last_read_id(mentorship_id: int, user_id: int) -> int:
    """Return the id of the last message the person has read in the thread (0: none)."""
    return db.session.scalar(select(MessageRead.last_read_message_id).where(
        MessageRead.mentorship_id == mentorship_id, MessageRead.user_id == user_id)) or 0


def _advance(mentorship_id: int, user_id: int, message_id: int) -> int:
    return db.session.execute(
        update(MessageRead)
        .where(MessageRead.mentorship_id == mentorship_id, MessageRead.user_id == user_id,
               MessageRead.last_read_message_id < message_id)
        .values(last_read_message_id=message_id, read_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount


def mark_read(mentorship_id: int, user_id: int, message_id: int) -> None:
    """Record that the person has read the thread up to `message_id`; a read mark never moves back."""
    if not message_id or _advance(mentorship_id, user_id, message_id):
        return
    if db.session.scalar(select(MessageRead.id).where(MessageRead.mentorship_id == mentorship_id,
                                                      MessageRead.user_id == user_id)):
        return  # already at or past this message
    institution_id = db.session.scalar(select(Mentorship.institution_id).where(Mentorship.id == mentorship_id))
    try:
        with db.session.begin_nested():
            db.session.add(MessageRead(institution_id=institution_id, mentorship_id=mentorship_id, user_id=user_id,
                                       last_read_message_id=message_id, read_at=utcnow()))
    except IntegrityError:
        # Another tab of the same person made the first mark a moment ago: move that one instead.
        _advance(mentorship_id, user_id, message_id)


def _unread_query(user_id: int, *, per_thread: bool = True):
    columns = (Message.mentorship_id, func.count(Message.id)) if per_thread else (func.count(Message.id),)
    query = (select(*columns)
             .join(MentorshipParticipant, and_(MentorshipParticipant.mentorship_id == Message.mentorship_id,
                                               MentorshipParticipant.user_id == user_id))
             .outerjoin(MessageRead, and_(MessageRead.mentorship_id == Message.mentorship_id,
                                          MessageRead.user_id == user_id))
             .where(or_(Message.sender_id.is_(None), Message.sender_id != user_id),
                    Message.id > func.coalesce(MessageRead.last_read_message_id, 0)))
    return query.group_by(Message.mentorship_id) if per_thread else query


def unread_counts(user_id: int) -> dict[int, int]:
    """Return {mentorship id: messages from others the person has not read} (threads with none left out)."""
    return dict(db.session.execute(_unread_query(user_id)).all())


def unread_in(mentorship_id: int, user_id: int) -> int:
    """Return how many messages from others in one thread the person has not read."""
    rows = db.session.execute(_unread_query(user_id).where(Message.mentorship_id == mentorship_id)).all()
    return sum(count for _, count in rows)


def total_unread(user_id: int) -> int:
    """Return how many messages from others the person has not read, across their mentorships (the
    number beside Messages on every page: one count, no row per thread)."""
    return db.session.scalar(_unread_query(user_id, per_thread=False)) or 0


@dataclass
class Conversation:
    """One of a person's threads, as the conversation list shows it."""

    mentorship: Mentorship
    partners: list[User] = field(default_factory=list)
    last_message: Message | None = None
    unread: int = 0

    @property
    def last_activity(self):
        return self.last_message.created_at if self.last_message else self.mentorship.started_at


def _last_messages(mentorship_ids: Iterable[int]) -> dict[int, Message]:
    ids = list(mentorship_ids)
    if not ids:
        return {}
    newest = select(func.max(Message.id)).where(Message.mentorship_id.in_(ids)).group_by(Message.mentorship_id)
    return {message.mentorship_id: message
            for message in db.session.scalars(_with_senders(select(Message).where(Message.id.in_(newest))))}


def conversations_of(user_id: int) -> list[Conversation]:
    """Return the person's threads, the most recently active first; ended mentorships after active ones."""
    mine = select(MentorshipParticipant.mentorship_id).where(MentorshipParticipant.user_id == user_id)
    mentorships = db.session.scalars(
        select(Mentorship).where(Mentorship.id.in_(mine))
        .options(selectinload(Mentorship.participants).selectinload(MentorshipParticipant.user),
                 selectinload(Mentorship.program))).all()
    last = _last_messages(mentorship.id for mentorship in mentorships)
    unread = unread_counts(user_id)
    conversations = [
        Conversation(mentorship, [p.user for p in sorted(mentorship.participants, key=lambda p: p.role.value)
                                  if p.user_id != user_id], last.get(mentorship.id), unread.get(mentorship.id, 0))
        for mentorship in mentorships]
    conversations.sort(key=lambda c: (c.mentorship.status == MentorshipStatus.ACTIVE, c.last_activity),
                       reverse=True)
    return conversations
