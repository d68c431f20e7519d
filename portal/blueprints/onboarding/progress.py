"""The walk-through's progress bar, shown above every page that is one of its steps."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from portal.onboarding import needs_onboarding, onboarding_steps

STEP_ENDPOINTS = {
    "account.change_own_password", "profiles.edit_profile", "programs.answer_questionnaire",
    "onboarding.orientation",
}


def onboarding_progress():
    """Return the steps when the current page is part of an unfinished walk-through."""
    if not current_user.is_authenticated or request.endpoint not in STEP_ENDPOINTS:
        return None
    if not needs_onboarding(current_user) or request.args.get("next") != "/welcome" and \
            request.endpoint != "onboarding.orientation":
        return None
    return onboarding_steps(current_user)


def init_app(app: Flask) -> None:
    """Make the progress bar available to the layout."""
    app.jinja_env.globals["onboarding_progress"] = onboarding_progress
