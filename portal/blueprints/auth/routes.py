"""Sign in, sign out, accept an invitation, reset a forgotten password."""

from __future__ import annotations

import hashlib

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_limiter.util import get_remote_address

from portal.accounts import AccountError
from portal.accounts.jobs import send_password_reset
from portal.accounts.people import accept_invitation, authenticate, find_user_by_email, reset_password
from portal.accounts.sessions import end_session, start_session
from portal.accounts.tokens import find_token
from portal.blueprints.access import safe_next
from portal.blueprints.auth import bp
from portal.blueprints.auth.forms import LoginForm, NewPasswordForm, ResetRequestForm
from portal.blueprints.auth.loader import SESSION_TOKEN_KEY
from portal.extensions import db, limiter
from portal.jobs import enqueue_after_commit
from portal.models import TokenPurpose, User, UserStatus
from portal.onboarding import needs_onboarding
from portal.tenancy import unscoped


def _login_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _account_key() -> str:
    email = (request.form.get("email") or "").strip().lower()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def _sign_in_failed(_response) -> bool:
    return bool(g.get("sign_in_failed"))


def sign_in(user: User) -> None:
    """Start a fresh session for `user` in this browser; nothing from before survives."""
    session.clear()
    token = start_session(user, get_remote_address(), request.user_agent.string)
    db.session.commit()
    session[SESSION_TOKEN_KEY] = token
    session.permanent = True
    login_user(user)


def _home_for(user: User) -> str:
    """Where a person lands after signing in: the walk-through until it is done."""
    if needs_onboarding(user):
        return url_for("onboarding.continue_onboarding")
    return url_for("dashboard.show_dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=get_remote_address,
               deduct_when=_sign_in_failed, scope="login-ip")
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key,
               deduct_when=_sign_in_failed, scope="login-account")
def login():
    """Show the sign-in form and sign people in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.show_dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            with unscoped():
                user = authenticate(form.email.data, form.password.data)
        except AccountError as error:
            g.sign_in_failed = True
            form.password.errors.append(str(error))
        else:
            sign_in(user)
            return redirect(safe_next(form.next.data) or _home_for(user))
    elif request.method == "POST":
        g.sign_in_failed = True
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """End this browser's session for good."""
    end_session(session.get(SESSION_TOKEN_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    flash("You've signed out. See you soon.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/invitation/<secret>", methods=["GET", "POST"])
def accept_invite(secret: str):
    """Let an invited person choose a password and join."""
    with unscoped():
        try:
            token = find_token(secret, TokenPurpose.INVITATION)
        except AccountError as error:
            return render_template("auth/link_invalid.html", message=str(error),
                                   hint="Ask your program team to send you a new invitation."), 404
        invited = token.user
        form = NewPasswordForm()
        if form.validate_on_submit():
            try:
                user = accept_invitation(secret, form.password.data)
            except AccountError as error:
                db.session.rollback()
                form.password.errors.append(str(error))
            else:
                sign_in(user)
                flash(f"Welcome to {user.institution.name}'s mentoring program, {user.first_name}!", "success")
                return redirect(_home_for(user))
        return render_template("auth/accept_invitation.html", form=form, invited=invited)


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"], key_func=get_remote_address, scope="reset-ip")
def request_password_reset():
    """Send a reset link; the answer is the same whether or not the email is known."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        with unscoped():
            user = find_user_by_email(form.email.data)
            if user is not None and user.status == UserStatus.ACTIVE:
                enqueue_after_commit("mail", send_password_reset, user.institution_id, user.id)
            db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<secret>", methods=["GET", "POST"])
def reset_with_link(secret: str):
    """Choose a new password from an emailed link."""
    with unscoped():
        try:
            token = find_token(secret, TokenPurpose.PASSWORD_RESET)
        except AccountError as error:
            return render_template("auth/link_invalid.html", message=str(error),
                                   hint="You can ask for a new link below."), 404
        form = NewPasswordForm()
        if form.validate_on_submit():
            try:
                reset_password(secret, form.password.data)
            except AccountError as error:
                db.session.rollback()
                form.password.errors.append(str(error))
            else:
                db.session.commit()
                flash("Your password has been changed and every other session has been signed out. "
                      "Sign in with your new password.", "success")
                return redirect(url_for("auth.login"))
        return render_template("auth/reset_password.html", form=form, user=token.user)
