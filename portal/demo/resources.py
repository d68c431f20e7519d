"""Demo resources: the handbooks and first-meeting material every program starts with."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Institution, Resource, ResourceAudience, ResourceKind
from portal.resources.editing import save_resource

MENTOR_HANDBOOK = """\
Thank you for giving your time to a student. You don't need to have all the answers: your
experience, your network and your questions are what make the difference.

## Your role

A mentor is a guide, not a manager. You help your mentee think clearly, see options they
hadn't considered and take the next step themselves.

- **Listen more than you talk.** Ask what they already tried before offering advice.
- **Share stories, not prescriptions.** "Here is what I did and why" beats "you should".
- **Open doors carefully.** Introductions are valuable; make them when your mentee is ready.
- **Be honest about limits.** Say so when a question is outside your experience, and suggest
  who might know.

## Before the first meeting

1. Read your mentee's profile and questionnaire answers in the portal.
2. Propose two or three times through the portal, ideally within a week of the match.
3. Think of one story from your own student years you are happy to share.

## The first meeting

Use the **First session agenda** in Resources. Aim to leave with three things agreed:

- what your mentee wants from the next few months;
- how often and how you will meet;
- one or two goals, written down in the portal.

## Setting goals together

Help your mentee choose the kind of goal that suits what they want to work on.

| Goal type | Stands for | Works best for |
| --- | --- | --- |
| SMART | Specific, Measurable, Achievable, Relevant, Time-bound | skills with a clear outcome: a portfolio, an application, a certification |
| REAL | Relevant, Experimental, Aspirational, Learning-based | career exploration and soft skills, where progress is described rather than counted |

Review the goals briefly at every meeting. Progress here is about learning, not a performance review.

## Keeping a rhythm

- Meet **weekly or every two weeks at first**, then **monthly** as your mentee gains independence.
- Keep meetings to 30–60 minutes with a short agenda; confirm each session in the portal.
- If you need to cancel, do it early and offer a new time.

## Boundaries and confidentiality

- What your mentee shares stays between you, unless someone's safety is at risk.
- Keep contact to the portal, email or video in working hours you are comfortable with.
- Don't lend money or promise jobs inside the mentoring relationship; talk to the program
  team if a situation feels unclear.

## Ending well

Every program has a set duration. In the last meeting, look back at the goals, celebrate what
changed and agree whether and how you stay in touch. Then fill in the closing survey: it tells us
what to improve.

> Need help? Contact your program team at any time: nobody expects you to handle a difficult
> situation alone.
"""

MENTEE_HANDBOOK = """\
Welcome to mentoring! An alumnus has volunteered time to help you. The more you put in, the more
you will get out: this relationship is yours to drive.

## What a mentor can do for you

- Share how they chose their path, and what they would do differently.
- Help you weigh options: courses, internships, graduate school, first jobs.
- Give honest feedback on your CV, portfolio or interview answers.
- Point you to people and resources, when you are ready for them.

A mentor won't find you a job or make decisions for you, and that's the point.

## Before your first meeting

1. Complete your profile: it is what your mentor reads first.
2. Read your mentor's profile and note two or three things you'd like to ask about.
3. Go through **Questions for your first meeting** and pick the ones that matter to you.
4. Write down, in one sentence, what you hope to be different in three months.

## Set goals you can review

Write one or two goals with your mentor in the portal.

- **SMART goals** (Specific, Measurable, Achievable, Relevant, Time-bound) suit concrete
  skills: *"Publish a three-project UX portfolio by March 31."*
- **REAL goals** (Relevant, Experimental, Aspirational, Learning-based) suit exploration:
  *"Talk to people in three data roles this term to find out which one fits me."*

Look at your goals at every meeting and update their progress: it keeps both of you on track.

## Keep the relationship going

- **You book the sessions.** Propose times through the portal; don't wait to be asked.
- Meet **every week or two at first**, then about **monthly** once you're under way.
- Send a short agenda the day before, and a thank-you with your next steps after.
- Be on time, and cancel early if you must.

## Giving feedback

After each session you will be asked to rate it. Be honest and specific: your ratings help the
program team spot pairs that need support and improve the program for the next students.

> Stuck, or the match isn't working? Tell your program team. It happens, and it is easy to fix.
"""

FIRST_MEETING_QUESTIONS = """\
The first meeting is about getting to know each other and agreeing how you will work together.
Pick four or five questions; you don't need to ask them all.

## Getting to know your mentor

- Why did you decide to become a mentor?
- How did you move into your current role?
- What challenges did you face there, and how did you handle them?
- What do you wish you had known when you were in my year?

## Your goals

- What are your goals for this mentoring relationship?
- Here is what I hope to achieve by the end of the program: does it sound realistic?
- Which skills should I work on first?
- How will we know that our meetings are working?

## Working together

- How often would you like to meet, and for how long?
- How do you prefer to be contacted between meetings?
- What should I prepare before each session?
- Is there anything you would rather not discuss?

## For mentors to ask

- What made you sign up for the program?
- What does a good outcome look like for you in six months?
- What have you already tried, and what happened?
"""

FIRST_SESSION_AGENDA = """\
A 60-minute plan for your first meeting. Adapt it freely; the aim is to leave with goals and a
next date.

| Time | What | Who leads |
| --- | --- | --- |
| 0–10 min | Introductions: backgrounds, how you came to the program | both |
| 10–25 min | The mentee's hopes: what they want to be different in three months | mentee |
| 25–40 min | Draft one or two goals (SMART or REAL) and write them in the portal | both |
| 40–50 min | Ways of working: how often to meet, how to stay in touch, boundaries | mentor |
| 50–60 min | Next steps: book the next session, agree on one action each | both |

## After the meeting

1. The mentee sends a short thank-you with the goals and actions agreed.
2. Both rate the session in the portal.
3. Before the next meeting, each of you does the one action you promised.
"""

DEMO_RESOURCES = [
    ("Mentor handbook", ResourceKind.HANDBOOK, ResourceAudience.MENTORS, MENTOR_HANDBOOK),
    ("Mentee handbook", ResourceKind.HANDBOOK, ResourceAudience.MENTEES, MENTEE_HANDBOOK),
    ("Questions for your first meeting", ResourceKind.FIRST_MEETING_QUESTIONS, ResourceAudience.EVERYONE,
     FIRST_MEETING_QUESTIONS),
    ("First session agenda", ResourceKind.AGENDA, ResourceAudience.EVERYONE, FIRST_SESSION_AGENDA),
]


def seed_resources(institution: Institution) -> list[Resource]:
    """Publish the demo handbooks, first-meeting questions and agenda; skip titles that exist."""
    existing = set(db.session.scalars(select(Resource.title).where(Resource.institution_id == institution.id)))
    created = []
    for position, (title, kind, audience, body) in enumerate(DEMO_RESOURCES):
        if title in existing:
            continue
        created.append(save_resource(institution.id, title=title, body_markdown=body, kind=kind,
                                     audience=audience, published=True, position=position))
    return created
