"""How a request finds its user, and the tenant scope that follows from it."""

from __future__ import annotations

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user

from portal.accounts.sessions import signed_in_user
from portal.extensions import htmx, login_manager
from portal.models import User
from portal.tenancy import NO_INSTITUTION, reset_scope, set_scope, unscoped

SESSION_TOKEN_KEY = "sid"


def init_app(app: Flask) -> None:
    """Wire flask-login to our session table and scope every request to its institution."""
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    app.before_request(_scope_request_to_institution)
    app.teardown_request(_clear_scope)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    with unscoped():
        return signed_in_user(session.get(SESSION_TOKEN_KEY), int(user_id))


@login_manager.unauthorized_handler
def _ask_to_sign_in():
    if htmx:
        return htmx_response("", 401, redirect=url_for("auth.login"))
    flash("Please sign in to continue.", "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _scope_request_to_institution() -> None:
    if request.endpoint == "static":
        return
    scope = current_user.institution_id if current_user.is_authenticated else NO_INSTITUTION
    g.tenant_scope_token = set_scope(scope)


def _clear_scope(_error=None) -> None:
    token = g.pop("tenant_scope_token", None)
    if token is not None:
        reset_scope(token)
