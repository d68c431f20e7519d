"""The goal review a session page shows: the pair's open goals, each with a quick progress form."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.goals.forms import ProgressForm
from portal.extensions import db
from portal.goals.queries import open_goals
from portal.models import Goal, Meeting, Mentorship, MentorshipParticipant, MentorshipStatus


@dataclass
class ReviewItem:
    goal: Goal
    form: ProgressForm


@dataclass
class GoalReview:
    mentorship: Mentorship
    meeting: Meeting | None
    items: list[ReviewItem]
    can_change: bool


def can_change_goals(mentorship: Mentorship) -> bool:
    """Say whether the signed-in person may change this mentorship's goals (participants, while active)."""
    if not current_user.is_authenticated or mentorship.status != MentorshipStatus.ACTIVE:
        return False
    return db.session.scalar(select(MentorshipParticipant.id).where(
        MentorshipParticipant.mentorship_id == mentorship.id,
        MentorshipParticipant.user_id == current_user.id)) is not None


def review_form(goal: Goal, meeting: Meeting | None, back: str = "") -> ProgressForm:
    """Return a quick progress form for one goal, filled with where it stands."""
    form = ProgressForm(formdata=None, prefix=f"goal-{goal.id}", progress=goal.progress, status=goal.status.value,
                        meeting_id=str(meeting.id) if meeting else "", view="review", next=back)
    return form


def goal_review(mentorship: Mentorship, meeting: Meeting | None = None) -> GoalReview:
    """Return what templates/goals/_review.html shows for this mentorship (and session)."""
    back = request.full_path.rstrip("?") if request else ""
    items = [ReviewItem(goal, review_form(goal, meeting, back)) for goal in open_goals(mentorship.id)]
    return GoalReview(mentorship, meeting, items, can_change_goals(mentorship))
