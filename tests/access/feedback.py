"""Access rules of the closing survey: the pair answers it, admins of the institution read the answers,
anyone else (and any other institution) gets 404."""

from tests.access import SIGN_IN, Rule
from tests.access.meetings import make_pair


def make_targets(institution):
    return {"ended": make_pair(institution, "completed")}


RULES = {
    "feedback.closing_survey": Rule("GET", "/mentorships/{ended}/closing-survey", {
        "anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 404, "admin": 200}),
}
