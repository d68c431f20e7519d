"""Set and change goals, their milestones and progress; every change is a line of the goal's history.

Each change locks the goal's row (`SELECT ... FOR UPDATE`) first, so two people updating one goal at
the same moment are applied one after the other: the history's "from -> to" stays true and
"achieved" is announced once. Only participants change goals, and only while the mentorship is active.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

from portal.extensions import db
from portal.goals import GoalError, goal_path
from portal.goals.guidance import MISSING, target_date_note
from portal.models import (
    Goal, GoalKind, GoalStatus, GoalUpdate, Meeting, Mentorship, MentorshipParticipant, MentorshipStatus,
    Milestone, User, utcnow,
)
from portal.models.goals import GoalUpdateKind
from portal.notifications import notify

TITLE_MAX = 200
TEXT_MAX = 5000
OUTCOME_MAX = 1000
NOTE_MAX = 2000
MILESTONES_MAX = 20
MILESTONE_TITLE_MAX = 200


def _active_mentorship(mentorship_id: int) -> Mentorship:
    mentorship = db.session.scalar(select(Mentorship).where(Mentorship.id == mentorship_id))
    if mentorship is None:
        raise GoalError("This mentorship doesn't exist.")
    if mentorship.status != MentorshipStatus.ACTIVE:
        how = "been completed" if mentorship.status == MentorshipStatus.COMPLETED else "ended"
        raise GoalError(f"This mentorship has {how}, so its goals are kept as they were.")
    return mentorship


def _locked_goal(mentorship_id: int, goal_id: int) -> Goal:
    goal = db.session.scalar(select(Goal).where(Goal.id == goal_id, Goal.mentorship_id == mentorship_id)
                             .with_for_update().execution_options(populate_existing=True))
    if goal is None:
        raise GoalError("This goal no longer exists.")
    return goal


def _history(goal: Goal, author_id: int | None, kind: GoalUpdateKind, note: str = "",
             meeting_id: int | None = None) -> GoalUpdate:
    line = GoalUpdate(institution_id=goal.institution_id, goal_id=goal.id, author_id=author_id, kind=kind,
                      meeting_id=meeting_id, status=goal.status, progress=goal.progress, note=note,
                      created_at=utcnow())
    db.session.add(line)
    return line


def _tell_partners(mentorship: Mentorship, author_id: int, kind: str, title: str, body: str, goal: Goal,
                   *, email: bool = False) -> None:
    """Tell the mentorship's other participants about a change to one of its goals."""
    others = list(db.session.scalars(select(MentorshipParticipant.user_id).where(
        MentorshipParticipant.mentorship_id == mentorship.id, MentorshipParticipant.user_id != author_id)))
    if others:
        notify(others, kind, title, body, goal_path(mentorship.id, goal.id),
               institution_id=mentorship.institution_id, email=email)


def _name(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.name if user else "Someone"


def _clean_goal(kind, title: str, description: str, measurable_outcome: str) -> tuple[GoalKind, str, str, str]:
    try:
        kind = GoalKind(kind)
    except ValueError:
        raise GoalError("Choose SMART or REAL: the kind of goal decides what it needs.", "kind") from None
    title, description = (title or "").strip(), (description or "").strip()
    outcome = (measurable_outcome or "").strip()
    if not title:
        raise GoalError("Give the goal a title, e.g. “Land a summer internship in fintech”.", "title")
    if len(title) > TITLE_MAX:
        raise GoalError(f"Keep the title under {TITLE_MAX} characters (it has {len(title)}); "
                        "put the detail in the description.", "title")
    if len(description) > TEXT_MAX:
        raise GoalError(f"Keep the description under {TEXT_MAX:,} characters (it has {len(description):,}).",
                        "description")
    if len(outcome) > OUTCOME_MAX:
        raise GoalError(f"Keep the outcome under {OUTCOME_MAX:,} characters (it has {len(outcome):,}).",
                        "measurable_outcome")
    if kind == GoalKind.SMART and not outcome:
        raise GoalError("A SMART goal is Measurable: say how you'll know you've reached it, "
                        "e.g. “3 informational interviews done”.", "measurable_outcome")
    return kind, title, description, outcome


def save_goal(mentorship_id: int, author_id: int, *, title: str, kind: GoalKind | str, today: date,
              description: str = "", measurable_outcome: str = "", target_date: date | None = None,
              goal_id: int | None = None) -> Goal:
    """Set a new goal, or change `goal_id`; check it against its kind and tell the other participants."""
    mentorship = _active_mentorship(mentorship_id)
    kind, title, description, outcome = _clean_goal(kind, title, description, measurable_outcome)
    goal = _locked_goal(mentorship.id, goal_id) if goal_id is not None else None
    # A date that passed while the goal ran is history, not a mistake: only a new date must lie ahead.
    if goal is None or target_date != goal.target_date or kind != goal.kind:
        state, message = target_date_note(kind, target_date, today)
        if state == MISSING:
            raise GoalError("A SMART goal is Time-bound: choose a target date." if target_date is None else message,
                            "target_date")
    if goal is None:
        goal = Goal(institution_id=mentorship.institution_id, mentorship_id=mentorship.id, created_by_id=author_id,
                    status=GoalStatus.NOT_STARTED, progress=0)
        db.session.add(goal)
        changed = []
    else:
        changed = [label for label, before, after in (
            ("title", goal.title, title), ("kind", goal.kind, kind), ("description", goal.description, description),
            ("outcome", goal.measurable_outcome, outcome), ("target date", goal.target_date, target_date))
            if before != after]
        if not changed:
            return goal
    goal.title, goal.kind, goal.description = title, kind, description
    goal.measurable_outcome, goal.target_date = outcome, target_date
    db.session.flush()
    who = _name(author_id)
    if changed:
        _history(goal, author_id, GoalUpdateKind.EDITED, "Changed the " + _join(changed) + ".")
        _tell_partners(mentorship, author_id, "goal_edited", f"{who} changed the goal “{title}”",
                       f"Changed the {_join(changed)}.", goal)
    else:
        _history(goal, author_id, GoalUpdateKind.CREATED)
        _tell_partners(mentorship, author_id, "goal_created", f"{who} set a new {kind.label} goal: “{title}”",
                       outcome or description[:300], goal)
    db.session.flush()
    return goal


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def record_progress(mentorship_id: int, goal_id: int, author_id: int, *, progress: int | None,
                    status: GoalStatus | str, note: str = "", meeting_id: int | None = None) -> GoalUpdate:
    """Record where a goal stands now, with a note; announce it, by email too when it is achieved."""
    mentorship = _active_mentorship(mentorship_id)
    try:
        status = GoalStatus(status)
    except ValueError:
        raise GoalError("Choose a status: not started, in progress, achieved or dropped.", "status") from None
    if progress is None or not 0 <= progress <= 100:
        raise GoalError("Progress is a whole number from 0 to 100 (per cent).", "progress")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise GoalError(f"Keep the note under {NOTE_MAX:,} characters (it has {len(note):,}).", "note")
    if meeting_id is not None and db.session.scalar(select(Meeting.id).where(
            Meeting.id == meeting_id, Meeting.mentorship_id == mentorship.id)) is None:
        raise GoalError("That session isn't part of this mentorship.")
    goal = _locked_goal(mentorship.id, goal_id)
    # What the person means, not a contradiction to reject: an achieved goal is complete, and a
    # goal with progress has started.
    if status == GoalStatus.ACHIEVED:
        progress = 100
    elif status == GoalStatus.NOT_STARTED and progress > 0:
        status = GoalStatus.IN_PROGRESS
    if status == GoalStatus.DROPPED and goal.status != GoalStatus.DROPPED and not note:
        raise GoalError("Say in the note why you're dropping this goal; it helps you both at the next session.", "note")
    if status == goal.status and progress == goal.progress and not note:
        raise GoalError("Nothing to record: move the progress, change the status or add a note.")
    newly_achieved = status == GoalStatus.ACHIEVED and goal.status != GoalStatus.ACHIEVED
    before = goal.progress
    goal.status, goal.progress = status, progress
    if newly_achieved:
        goal.achieved_at = utcnow()
    elif status != GoalStatus.ACHIEVED:
        goal.achieved_at = None
    line = _history(goal, author_id, GoalUpdateKind.PROGRESS, note, meeting_id)
    db.session.flush()
    who = _name(author_id)
    if newly_achieved:
        _tell_partners(mentorship, author_id, "goal_achieved", f"Goal achieved: “{goal.title}”",
                       f"{who} marked it as achieved." + (f"\n\n{note}" if note else ""), goal, email=True)
    else:
        change = f"{before}% → {progress}%" if progress != before else status.label.lower()
        _tell_partners(mentorship, author_id, "goal_progress", f"{who} updated “{goal.title}”: {change}",
                       note, goal)
    return line


def add_milestone(mentorship_id: int, goal_id: int, author_id: int, *, title: str,
                  due_on: date | None = None) -> Milestone:
    """Add a step towards the goal, after the others."""
    mentorship = _active_mentorship(mentorship_id)
    title = (title or "").strip()
    if not title:
        raise GoalError("Name the milestone, e.g. “Résumé reviewed by my mentor”.", "title")
    if len(title) > MILESTONE_TITLE_MAX:
        raise GoalError(f"Keep the milestone under {MILESTONE_TITLE_MAX} characters (it has {len(title)}).", "title")
    goal = _locked_goal(mentorship.id, goal_id)
    if goal.target_date and due_on and due_on > goal.target_date:
        raise GoalError(f"This milestone would be due after the goal itself ({goal.target_date:%b} "
                        f"{goal.target_date.day}, {goal.target_date.year}): choose an earlier date, or move the "
                        "goal's target date first.", "due_on")
    count, last = db.session.execute(select(func.count(Milestone.id), func.max(Milestone.position))
                                     .where(Milestone.goal_id == goal.id)).one()
    if count >= MILESTONES_MAX:
        raise GoalError(f"A goal has at most {MILESTONES_MAX} milestones. If it needs more, "
                        "it may be two goals.")
    milestone = Milestone(institution_id=goal.institution_id, goal_id=goal.id, title=title, due_on=due_on,
                          position=(last or 0) + 1)
    db.session.add(milestone)
    _history(goal, author_id, GoalUpdateKind.MILESTONE_ADDED, title)
    db.session.flush()
    return milestone


def set_milestone_done(mentorship_id: int, goal_id: int, milestone_id: int, author_id: int, done: bool) -> Milestone:
    """Tick a milestone (or untick it); ticking moves the goal's progress up to the share of milestones done."""
    mentorship = _active_mentorship(mentorship_id)
    goal = _locked_goal(mentorship.id, goal_id)
    milestone = db.session.scalar(select(Milestone).where(Milestone.id == milestone_id, Milestone.goal_id == goal.id))
    if milestone is None:
        raise GoalError("This milestone no longer exists.")
    # Conditional: a second tick of the same milestone (a double click, the other person) changes nothing.
    changed = db.session.execute(
        update(Milestone).where(Milestone.id == milestone.id,
                                Milestone.done_at.is_(None) if done else Milestone.done_at.is_not(None))
        .values(done_at=utcnow() if done else None).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(milestone)
    if not changed:
        return milestone
    if done:
        milestones = db.session.scalars(select(Milestone.done_at).where(Milestone.goal_id == goal.id)).all()
        share = round(100 * sum(1 for done_at in milestones if done_at) / len(milestones))
        if goal.status in (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS):
            goal.progress = max(goal.progress, share)
            goal.status = GoalStatus.IN_PROGRESS
    _history(goal, author_id, GoalUpdateKind.MILESTONE_DONE if done else GoalUpdateKind.MILESTONE_REOPENED,
             milestone.title)
    db.session.flush()
    if done:
        _tell_partners(mentorship, author_id, "milestone_done",
                       f"{_name(author_id)} reached a milestone of “{goal.title}”", milestone.title, goal)
    return milestone
