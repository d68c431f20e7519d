"""Access rules of goals: the pair sets and updates them; admins of the institution read them (403 on any
change); anyone else, and any other institution, finds nothing."""

from __future__ import annotations

from datetime import date, timedelta

from portal.extensions import db
from portal.goals.editing import add_milestone, save_goal
from tests.access import SIGN_IN, Rule
from tests.access.workspace import make_mentorship, readers


def make_targets(institution):
    mentorship_id = make_mentorship(institution.id)
    from portal.models import Mentorship

    student_id = next(p.user_id for p in db.session.get(Mentorship, mentorship_id).participants
                      if p.role.value == "mentee")
    goal = save_goal(mentorship_id, student_id, title="Land a summer internship in fintech", kind="smart",
                     measurable_outcome="Applications sent to 10 firms", target_date=date.today() + timedelta(days=90),
                     today=date.today())
    milestone = add_milestone(mentorship_id, goal.id, student_id, title="Résumé reviewed")
    db.session.commit()
    return {"mentorship": mentorship_id, "goal": goal.id, "milestone": milestone.id}


def changers(own: int) -> dict[str, int | str]:
    """The pair changes goals; an admin reading the workspace may not (403); other institutions find nothing."""
    return {"anonymous": SIGN_IN, "student": own, "mentor": own, "other_admin": 404, "admin": 403}


def htmx_changes(status: int = 200) -> dict[str, int]:
    return {"student": status, "mentor": status}


GOAL = "/mentorships/{mentorship}/goals/{goal}"
RULES = {
    "goals.list_goals": Rule("GET", "/mentorships/{mentorship}/goals", readers()),
    "goals.show_goal": Rule("GET", GOAL, readers()),
    "goals.new_goal": Rule("GET", "/mentorships/{mentorship}/goals/new", changers(200)),
    "goals.edit_goal": Rule("GET", GOAL + "/edit", changers(200)),
    "goals.check_goal_draft": Rule("POST", "/mentorships/{mentorship}/goals/check", changers(200),
                                   data={"kind": "smart", "title": "Apply to ten internships"}),
    "goals.add_milestone": Rule("POST", GOAL + "/milestones", changers(302), htmx_expect=htmx_changes(),
                                data={"title": "Mock interview with my mentor"}),
    "goals.tick_milestone": Rule("POST", GOAL + "/milestones/{milestone}/tick", changers(302),
                                 htmx_expect=htmx_changes(), data={"done": "1"}),
    "goals.update_progress": Rule("POST", GOAL + "/progress", changers(302), htmx_expect=htmx_changes(),
                                  data={"progress": "40", "status": "in_progress", "note": "Sent four applications"}),
}
