"""Demo data after sessions: notes, action items and both sides' ratings of the held demo sessions,
and the closing survey of one ended mentorship. Runs after the scheduling demo; adds nothing
where there is nothing to build on."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ActionItem, ClosingSurvey, Institution, Meeting, MeetingStatus, Mentorship, MentorshipParticipant,
    MentorshipStatus, ParticipantRole, SessionFeedback, utcnow,
)

# Mostly 4s and 5s, some 3s; the single 2 is added on purpose below.
RATINGS = (5, 4, 5, 5, 3, 4, 5, 4, 4, 5, 3, 5)

NOTES = [
    "Went through the CV line by line. Lead each bullet with the result, not the task; cut the "
    "high-school section. Talked about which summer internships are realistic this late in the cycle.",
    "Mock behavioural interview (STAR format). Strong on teamwork examples, weaker on conflict: "
    "prepare one story where you disagreed and changed someone's mind.",
    "Reviewed the goals: the portfolio is on track, networking has stalled. Agreed on two informational "
    "interviews before we next meet. Shared the alumni LinkedIn group.",
    "Career paths after graduation: industry vs. a master's first. Pros and cons written down; "
    "decide by the end of the month after talking to two people in each path.",
    "Talked about handling a heavy semester alongside the job search. Block two hours a week for "
    "applications; use the careers office for the cover-letter review.",
    "Walked through a real case from work and how a junior analyst would approach it. "
    "Homework: redo the case and bring questions.",
]

ITEMS = [
    ("Rewrite the CV bullets with results first", "Share two CVs from recent hires as examples"),
    ("Prepare a conflict story in STAR format", "Send the list of common interview questions"),
    ("Book two informational interviews", "Introduce the mentee to a colleague in the data team"),
    ("Write down pros and cons of a master's first", "Send the contact of an alumna doing a master's"),
    ("Block two hours a week for applications", "Review the draft cover letter"),
    ("Redo the case study and bring questions", "Pick a second case to work through next time"),
]

WENT_WELL = {
    ParticipantRole.MENTEE: [
        "Very concrete feedback on my CV; I know exactly what to change.",
        "The mock interview was realistic and the tips were practical.",
        "Hearing how my mentor got their first job made it feel possible.",
        "We made a clear plan for the next month.",
        "Honest advice about the master's question, with no pressure either way.",
        "Good questions that made me think about what I actually want.",
    ],
    ParticipantRole.MENTOR: [
        "Came prepared with questions and had already acted on last time's advice.",
        "Good energy; the mock interview showed real progress.",
        "Open conversation about doubts, which is where the useful work happens.",
        "Clear goals for the next few weeks.",
        "Thoughtful about the trade-offs; I learned something too.",
        "Focused session, we covered everything on the agenda.",
    ],
}

GOAL_PROGRESS = {
    ParticipantRole.MENTEE: [
        "CV draft finished; next I ask two alumni to read it.",
        "Applied to three internships this week.",
        "Portfolio has two case studies now, one to go.",
        "Narrowed the options down to two paths.",
        "Networking goal: first informational interview booked.",
        "",
    ],
    ParticipantRole.MENTOR: [
        "Solid progress on the CV goal.",
        "Interview skills improving; networking still slow.",
        "On track for the portfolio milestone.",
        "",
        "Decision on the master's is close.",
        "Good momentum on applications.",
    ],
}

LOW_RATING = ("The call kept dropping and we ran out of time before the questions I had prepared.",
              "No progress this time.")

CLOSING = {
    ParticipantRole.MENTEE: (9, "Having someone who had been in my shoes three years ago made the job search far "
                                "less lonely. I would have liked a few more sessions in the last month."),
    ParticipantRole.MENTOR: (10, "A rewarding experience: my mentee did the work and it showed. The portal made "
                                 "scheduling painless. Happy to mentor again next year."),
}


def _participants(mentorship_id: int) -> list[MentorshipParticipant]:
    return list(db.session.scalars(select(MentorshipParticipant).where(
        MentorshipParticipant.mentorship_id == mentorship_id).order_by(MentorshipParticipant.id)))


def _seed_session(meeting: Meeting, index: int, low_rating: bool) -> None:
    people = _participants(meeting.mentorship_id)
    if not meeting.notes:
        meeting.notes = NOTES[index % len(NOTES)]
    meeting.feedback_prompted_at = meeting.feedback_prompted_at or meeting.ends_at + timedelta(minutes=15)
    now = utcnow()
    if not db.session.scalar(select(ActionItem.id).where(ActionItem.meeting_id == meeting.id)):
        mentee_task, mentor_task = ITEMS[index % len(ITEMS)]
        for role, title, days in ((ParticipantRole.MENTEE, mentee_task, 7), (ParticipantRole.MENTOR, mentor_task, 4)):
            owner = next((p for p in people if p.role == role), None)
            if owner is None:
                continue
            due = (meeting.ends_at + timedelta(days=days)).date()
            # Most past items were done; one in three slipped, so the overdue style has something to show.
            done_at = meeting.ends_at + timedelta(days=days - 1) if due < now.date() and index % 3 else None
            db.session.add(ActionItem(institution_id=meeting.institution_id, mentorship_id=meeting.mentorship_id,
                                      meeting_id=meeting.id, owner_id=owner.user_id, title=title, due_on=due,
                                      done_at=done_at, created_at=meeting.ends_at))
    rated = set(db.session.scalars(select(SessionFeedback.user_id).where(SessionFeedback.meeting_id == meeting.id)))
    for offset, participant in enumerate(people):
        if participant.user_id in rated:
            continue
        rating = RATINGS[(index + offset * 5) % len(RATINGS)]
        texts = WENT_WELL[participant.role], GOAL_PROGRESS[participant.role]
        went_well, goal_progress = texts[0][index % len(texts[0])], texts[1][index % len(texts[1])]
        if low_rating and participant.role == ParticipantRole.MENTEE:
            rating, (went_well, goal_progress) = 2, LOW_RATING
        db.session.add(SessionFeedback(institution_id=meeting.institution_id, meeting_id=meeting.id,
                                       mentorship_id=meeting.mentorship_id, user_id=participant.user_id, rating=rating, went_well=went_well,
                                       goal_progress=goal_progress,
                                       created_at=meeting.ends_at + timedelta(hours=2 + 5 * offset)))


def _seed_closing_survey(institution: Institution) -> None:
    ended = db.session.scalar(select(Mentorship).where(
        Mentorship.institution_id == institution.id,
        Mentorship.status.in_([MentorshipStatus.COMPLETED, MentorshipStatus.ENDED_EARLY]))
        .order_by(Mentorship.ended_at.desc(), Mentorship.id))
    if ended is None:
        return
    answered = set(db.session.scalars(select(ClosingSurvey.user_id).where(ClosingSurvey.mentorship_id == ended.id)))
    for participant in _participants(ended.id):
        if participant.user_id in answered:
            continue
        recommend, comment = CLOSING[participant.role]
        db.session.add(ClosingSurvey(institution_id=institution.id, mentorship_id=ended.id,
                                     user_id=participant.user_id, recommend=recommend, comment=comment,
                                     created_at=(ended.ended_at or utcnow()) + timedelta(days=1)))


def seed(institution: Institution) -> None:
    """Add notes, action items and ratings to the held demo sessions, and one closing survey."""
    held = list(db.session.scalars(select(Meeting).where(
        Meeting.institution_id == institution.id, Meeting.status == MeetingStatus.COMPLETED)
        .order_by(Meeting.starts_at, Meeting.id)))
    # The one 2/5: the latest session of one active pair, as a program team would want to notice.
    active = set(db.session.scalars(select(Mentorship.id).where(
        Mentorship.institution_id == institution.id, Mentorship.status == MentorshipStatus.ACTIVE)))
    low = next((meeting.id for meeting in reversed(held) if meeting.mentorship_id in active), None)
    for index, meeting in enumerate(held):
        _seed_session(meeting, index, low_rating=meeting.id == low)
    _seed_closing_survey(institution)
    db.session.flush()
