"""Demo goals: each demo mentorship gets one to three realistic goals, with milestones and a history of
updates spread over the weeks since the pair started, so goal pages and reports have something to show.

Records are written directly (no notifications or mail): the demo's past happened before anyone signed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Goal, GoalKind, GoalStatus, GoalUpdate, Institution, Mentorship, MentorshipParticipant, Milestone,
    ParticipantRole, User, utcnow,
)
from portal.models.goals import GoalUpdateKind


@dataclass
class Update:
    days_in: int  # days after the mentorship started
    progress: int
    status: GoalStatus
    note: str
    by_mentor: bool = False


@dataclass
class Plan:
    title: str
    kind: GoalKind
    description: str
    outcome: str
    target_weeks: int | None  # weeks after the mentorship started
    milestones: list[tuple[str, int | None, int | None]] = field(default_factory=list)  # title, due day, done day
    updates: list[Update] = field(default_factory=list)


IP, DONE = GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED

PLANS = {
    "lucas.ferreira": [
        Plan("Publish a health-data analysis for my portfolio", GoalKind.SMART,
             "Recruiters for health analytics roles ask for real work on messy clinical data; I have only coursework.",
             "One analysis of a public CDC dataset on GitHub, with a two-page write-up reviewed by Elena", 12,
             [("Choose a dataset with Elena", 7, 6), ("Clean the data and explore it in R", 21, 24),
              ("Write up the findings", 56, None), ("Elena reviews the write-up", 70, None)],
             [Update(10, 15, IP, "Picked the CDC diabetes survey (BRFSS); Elena suggested starting with one question."),
              Update(24, 40, IP, "Cleaning took longer than planned: missing values everywhere. Learned about multiple "
                                 "imputation.", by_mentor=True),
              Update(38, 55, IP, "First models done. Surprising link between sleep and HbA1c worth a paragraph.")]),
        Plan("Find out whether a master's in biostatistics is for me", GoalKind.REAL,
             "I like the statistics more than the coding, but I don't know what graduate school is really like.",
             "Talk to three people who did the degree; sit in on one graduate seminar", None,
             [("Talk to a current biostatistics student", None, 30), ("Sit in on a graduate seminar", None, None)],
             [Update(30, 30, IP, "Coffee with a second-year student: the first year is mostly theory. Not put off.")]),
    ],
    "mia.johansson": [
        Plan("Finish a UX portfolio with three case studies", GoalKind.SMART,
             "Every internship application asks for a portfolio; mine has screenshots but no stories.",
             "3 case studies online (problem, research, iterations, outcome), each reviewed by Daniel", 9,
             [("Pick the three projects", 7, 5), ("First case study drafted", 21, 20),
              ("Second case study drafted", 35, None), ("Third case study drafted", 49, None)],
             [Update(6, 10, IP, "Chose the library app, the campus map redesign and the food-bank volunteer tool."),
              Update(20, 35, IP, "Daniel: lead with the problem, not the final screens. Rewrote the intro.",
                     by_mentor=True)]),
        Plan("Apply to 8 UX design internships for next summer", GoalKind.SMART,
             "I want a product-design internship before my final year.",
             "8 applications sent, each with a tailored cover note", 12, [], []),
    ],
    "ethan.brooks": [
        Plan("Complete a financial modelling course", GoalKind.SMART,
             "Aisha says every analyst interview in venture starts with a model.",
             "Course certificate and one three-statement model built from scratch", 3,
             [("Finish the course videos", 10, 9), ("Build a model of a real startup", 18, 17)],
             [Update(9, 60, IP, "Videos done; the cash-flow statement finally makes sense."),
              Update(18, 100, DONE, "Certificate earned and a model of a meal-kit startup built. Aisha reviewed it.")]),
        Plan("Learn how venture capital firms evaluate startups", GoalKind.REAL,
             "I'm drawn to VC but only know it from podcasts; I want to see the work itself.",
             "Shadow one pitch review; write a mock investment memo and discuss it with Aisha", None,
             [("Shadow a Monday pitch meeting", None, None)],
             [Update(15, 20, IP, "Read three real investment memos Aisha shared. They are shorter than I thought.")]),
    ],
}


def _generic(industry: str) -> list[Plan]:
    """Return goals that fit any pair: a first SMART step and a REAL exploration of the mentor's field."""
    field_name = industry or "my mentor's field"
    return [
        Plan("Prepare for internship interviews", GoalKind.SMART, "Interviews are where I lose my nerve.",
             "2 mock interviews with my mentor and 5 practised answers to common questions", 6,
             [("First mock interview", 14, None)], []),
        Plan(f"Explore careers in {field_name}", GoalKind.REAL, "I want to know what the work is like day to day.",
             "Meet two people my mentor introduces me to, and note what surprised me", None, [], []),
    ]


def _at(started: datetime, days: int, hour: int = 17) -> datetime:
    """Return a moment `days` after the start, never in the future."""
    return min(started.replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days),
               utcnow() - timedelta(hours=1))


def _add_goal(mentorship: Mentorship, plan: Plan, mentee_id: int, mentor_id: int) -> Goal:
    started, institution_id, now = mentorship.started_at, mentorship.institution_id, utcnow()
    created = _at(started, 3)
    goal = Goal(institution_id=institution_id, mentorship_id=mentorship.id, created_by_id=mentee_id, title=plan.title,
                kind=plan.kind, description=plan.description, measurable_outcome=plan.outcome,
                target_date=(started + timedelta(weeks=plan.target_weeks)).date() if plan.target_weeks else None,
                status=GoalStatus.NOT_STARTED, progress=0, created_at=created, updated_at=created)
    db.session.add(goal)
    db.session.flush()
    # (when, kind, author, note, status and progress or None to keep the last ones); only what has happened yet.
    events = [(created, GoalUpdateKind.CREATED, mentee_id, "", GoalStatus.NOT_STARTED, 0)]
    for position, (title, due_day, done_day) in enumerate(plan.milestones, start=1):
        done = done_day is not None and started + timedelta(days=done_day) < now
        goal.milestones.append(Milestone(institution_id=institution_id, position=position, title=title,
                                         due_on=(started + timedelta(days=due_day)).date() if due_day else None,
                                         done_at=_at(started, done_day, 12) if done else None))
        events.append((created + timedelta(minutes=position), GoalUpdateKind.MILESTONE_ADDED, mentee_id, title,
                       None, None))
        if done:
            events.append((_at(started, done_day, 12), GoalUpdateKind.MILESTONE_DONE, mentee_id, title, None, None))
    for update in plan.updates:
        if started + timedelta(days=update.days_in) < now:
            events.append((_at(started, update.days_in), GoalUpdateKind.PROGRESS,
                           mentor_id if update.by_mentor else mentee_id, update.note, update.status, update.progress))
    status, progress = GoalStatus.NOT_STARTED, 0
    for when, kind, author_id, note, new_status, new_progress in sorted(events, key=lambda event: event[0]):
        if new_status is not None:
            status, progress = new_status, new_progress
        db.session.add(GoalUpdate(institution_id=institution_id, goal_id=goal.id, author_id=author_id, kind=kind,
                                  status=status, progress=progress, note=note, created_at=when))
        goal.updated_at = when
        if status == GoalStatus.ACHIEVED and goal.achieved_at is None:
            goal.achieved_at = when
    goal.status, goal.progress = status, progress
    return goal


def seed(institution: Institution) -> int:
    """Give each of the institution's mentorships its goals (none twice); return how many goals were made."""
    made = 0
    mentorships = db.session.scalars(select(Mentorship).where(Mentorship.institution_id == institution.id)
                                     .order_by(Mentorship.id)).all()
    for mentorship in mentorships:
        if db.session.scalar(select(Goal.id).where(Goal.mentorship_id == mentorship.id).limit(1)) is not None:
            continue
        roles = dict(db.session.execute(select(MentorshipParticipant.role, MentorshipParticipant.user_id).where(
            MentorshipParticipant.mentorship_id == mentorship.id)).all())
        mentee_id, mentor_id = roles.get(ParticipantRole.MENTEE), roles.get(ParticipantRole.MENTOR)
        if mentee_id is None or mentor_id is None:
            continue
        mentee, mentor = db.session.get(User, mentee_id), db.session.get(User, mentor_id)
        plans = PLANS.get(mentee.email.split("@")[0]) or _generic(mentor.profile.industry if mentor.profile else "")
        for plan in plans:
            _add_goal(mentorship, plan, mentee_id, mentor_id)
            made += 1
    db.session.flush()
    return made
