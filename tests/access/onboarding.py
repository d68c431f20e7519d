"""Access rules of the first sign-in walk-through."""

from tests.access import SIGN_IN, Rule, signed_in

RULES = {
    # Everyone in the fixtures has finished it, so it sends them to their dashboard.
    "onboarding.continue_onboarding": Rule("GET", "/welcome", signed_in(302)),
    "onboarding.orientation": Rule("GET", "/welcome/orientation", {
        "anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 403, "admin": 403}),
}
