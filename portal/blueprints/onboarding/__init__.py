"""The first sign-in walk-through."""

from flask import Blueprint

bp = Blueprint("onboarding", __name__, url_prefix="/welcome")

from portal.blueprints.onboarding import routes  # noqa: E402,F401
from portal.blueprints.onboarding.progress import init_app  # noqa: E402,F401
