"""Reading goals for pages: a mentorship's goals in the order to work on them, and a goal's history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Goal, GoalStatus, GoalUpdate, Meeting, User
from portal.models.goals import GoalUpdateKind

OPEN_STATUSES = (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS)


def _with_milestones():
    return select(Goal).options(selectinload(Goal.milestones))


def open_goals(mentorship_id: int) -> list[Goal]:
    """Return the goals still being worked on: started ones first, then the soonest due."""
    started_first = case((Goal.status == GoalStatus.IN_PROGRESS, 0), else_=1)
    return list(db.session.scalars(
        _with_milestones().where(Goal.mentorship_id == mentorship_id, Goal.status.in_(OPEN_STATUSES))
        .order_by(started_first, Goal.target_date.is_(None), Goal.target_date, Goal.id)))


def closed_goals(mentorship_id: int) -> list[Goal]:
    """Return the achieved goals, then the dropped ones, most recent first."""
    achieved_first = case((Goal.status == GoalStatus.ACHIEVED, 0), else_=1)
    return list(db.session.scalars(
        _with_milestones().where(Goal.mentorship_id == mentorship_id, Goal.status.not_in(OPEN_STATUSES))
        .order_by(achieved_first, Goal.updated_at.desc(), Goal.id.desc())))


def goal_in(mentorship_id: int, goal_id: int) -> Goal | None:
    """Return the goal if it belongs to this mentorship."""
    return db.session.scalar(_with_milestones().where(Goal.id == goal_id, Goal.mentorship_id == mentorship_id))


@dataclass
class HistoryLine:
    update: GoalUpdate
    author: str
    status_before: GoalStatus | None
    progress_before: int | None
    meeting: Meeting | None

    @property
    def progress_changed(self) -> bool:
        return self.progress_before is not None and self.progress_before != self.update.progress

    @property
    def status_changed(self) -> bool:
        return self.status_before is not None and self.status_before != self.update.status


def goal_history(goal_id: int) -> list[HistoryLine]:
    """Return the goal's history, newest first, each line with what it changed."""
    updates = list(db.session.scalars(select(GoalUpdate).where(GoalUpdate.goal_id == goal_id)
                                      .order_by(GoalUpdate.created_at, GoalUpdate.id)))
    author_ids = {update.author_id for update in updates if update.author_id}
    names = dict(db.session.execute(select(User.id, User.first_name).where(User.id.in_(author_ids))).all()) \
        if author_ids else {}
    meeting_ids = {update.meeting_id for update in updates if update.meeting_id}
    meetings = {meeting.id: meeting for meeting in db.session.scalars(
        select(Meeting).where(Meeting.id.in_(meeting_ids)))} if meeting_ids else {}
    lines, before = [], None
    for update in updates:
        lines.append(HistoryLine(update, names.get(update.author_id, "Someone"),
                                 before.status if before else None, before.progress if before else None,
                                 meetings.get(update.meeting_id)))
        before = update
    return lines[::-1]


@dataclass
class GoalSummary:
    open: int
    achieved: int
    dropped: int
    mean_open_progress: int | None


def goal_summary(mentorship_id: int) -> GoalSummary:
    """Count the mentorship's goals by outcome, with the mean progress of the open ones."""
    rows = db.session.execute(select(Goal.status, Goal.progress).where(Goal.mentorship_id == mentorship_id)).all()
    open_progress = [progress for status, progress in rows if status in OPEN_STATUSES]
    return GoalSummary(
        open=len(open_progress),
        achieved=sum(1 for status, _ in rows if status == GoalStatus.ACHIEVED),
        dropped=sum(1 for status, _ in rows if status == GoalStatus.DROPPED),
        mean_open_progress=round(sum(open_progress) / len(open_progress)) if open_progress else None,
    )


def update_describes(line: HistoryLine) -> str:
    """Return what a history line did, in a few words: "created the goal", "ticked a milestone"."""
    return {
        GoalUpdateKind.CREATED: "set the goal",
        GoalUpdateKind.EDITED: "edited the goal",
        GoalUpdateKind.PROGRESS: "updated progress",
        GoalUpdateKind.MILESTONE_ADDED: "added a milestone",
        GoalUpdateKind.MILESTONE_DONE: "reached a milestone",
        GoalUpdateKind.MILESTONE_REOPENED: "reopened a milestone",
    }[line.update.kind]
