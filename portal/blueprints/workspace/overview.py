"""What a workspace shows: the next session, open action items, the program's resources, a person's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.goals.queries import GoalSummary, goal_summary
from portal.models import (
    ActionItem, Meeting, MeetingStatus, Mentorship, MentorshipParticipant, MentorshipStatus, ParticipantRole,
    Resource, ResourceAudience, ResourceKind, User, utcnow,
)
from portal.resources.content import KIND_ORDER

UPCOMING = (MeetingStatus.CONFIRMED, MeetingStatus.PROPOSED)
ACTION_ITEMS_SHOWN = 5
AUDIENCES = {
    ParticipantRole.MENTOR: (ResourceAudience.MENTORS, ResourceAudience.EVERYONE),
    ParticipantRole.MENTEE: (ResourceAudience.MENTEES, ResourceAudience.EVERYONE),
    None: tuple(ResourceAudience),  # an admin reading sees what both sides see
}


def next_meeting(mentorship_id: int, now: datetime | None = None) -> Meeting | None:
    """Return the pair's next confirmed or proposed session that has not started yet."""
    return db.session.scalar(select(Meeting).where(
        Meeting.mentorship_id == mentorship_id, Meeting.status.in_(UPCOMING), Meeting.starts_at > (now or utcnow()))
        .order_by(Meeting.starts_at, Meeting.id).limit(1))


def open_action_items(mentorship_id: int, limit: int = ACTION_ITEMS_SHOWN) -> tuple[list[ActionItem], int]:
    """Return the open action items due soonest (undated last), and how many are open in all."""
    items = list(db.session.scalars(
        select(ActionItem).where(ActionItem.mentorship_id == mentorship_id, ActionItem.done_at.is_(None))
        .options(selectinload(ActionItem.owner))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id).limit(limit)))
    total = db.session.scalar(select(func.count(ActionItem.id)).where(
        ActionItem.mentorship_id == mentorship_id, ActionItem.done_at.is_(None))) or 0
    return items, total


def has_met(mentorship_id: int) -> bool:
    """Say whether the pair has completed a session together."""
    return db.session.scalar(select(Meeting.id).where(
        Meeting.mentorship_id == mentorship_id, Meeting.status == MeetingStatus.COMPLETED).limit(1)) is not None


def workspace_resources(mentorship: Mentorship, viewer_role: ParticipantRole | None) -> list[Resource]:
    """Return the published resources for this viewer's side: the institution's and the program's own."""
    rank = {kind: position for position, kind in enumerate(KIND_ORDER)}
    found = db.session.scalars(select(Resource).where(
        Resource.published.is_(True), Resource.audience.in_(AUDIENCES[viewer_role]),
        Resource.program_id.is_(None) | (Resource.program_id == mentorship.program_id)))
    return sorted(found, key=lambda resource: (rank.get(resource.kind, 99), resource.position, resource.title))


def first_meeting_questions(resources: list[Resource]) -> list[Resource]:
    """Return the first-meeting questions among `resources`."""
    return [resource for resource in resources if resource.kind == ResourceKind.FIRST_MEETING_QUESTIONS]


@dataclass
class MentorshipRow:
    mentorship: Mentorship
    others: list[User]  # the people on the other side
    my_role: ParticipantRole | None
    next_meeting: Meeting | None
    goals: GoalSummary


def _rows(mentorships: list[Mentorship], user_id: int | None) -> list[MentorshipRow]:
    now, rows = utcnow(), []
    for mentorship in mentorships:
        mine = next((p.role for p in mentorship.participants if p.user_id == user_id), None)
        ordered = sorted(mentorship.participants, key=lambda p: (p.role != ParticipantRole.MENTOR, p.user.last_name))
        others = [p.user for p in ordered if p.user_id != user_id]
        rows.append(MentorshipRow(mentorship, others, mine, next_meeting(mentorship.id, now),
                                  goal_summary(mentorship.id)))
    return rows


def _listing():
    active_first = (Mentorship.status != MentorshipStatus.ACTIVE)
    return (select(Mentorship).options(selectinload(Mentorship.participants).selectinload(MentorshipParticipant.user),
                                       selectinload(Mentorship.program))
            .order_by(active_first, func.coalesce(Mentorship.ended_at, Mentorship.started_at).desc(),
                      Mentorship.id.desc()))


def mentorships_of(user_id: int) -> list[MentorshipRow]:
    """Return every mentorship the person takes part in: active ones first, then those that ended."""
    mine = select(MentorshipParticipant.mentorship_id).where(MentorshipParticipant.user_id == user_id)
    return _rows(list(db.session.scalars(_listing().where(Mentorship.id.in_(mine)))), user_id)
