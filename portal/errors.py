"""Error pages: full pages for browsers, small fragments for htmx; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, flash, render_template, request
from flask_htmx import make_response as htmx_response
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db, htmx

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Something in that request wasn't right", "Please go back, check what you entered and try again."),
    401: ("Please sign in", "Your session has ended. Sign in again to continue."),
    403: ("You don't have access to this page", "This part of the portal is for other roles. "
          "If you think you should see it, ask your program team."),
    404: ("We couldn't find that page", "It may have moved, or the link may be incomplete."),
    405: ("That action isn't available here", "Please go back and use the buttons on the page."),
    413: ("That file is too large", "Please upload a smaller file. The size limit is shown next to the upload field."),
    429: ("Too many attempts", "For your security we've paused this for a while. "
          "Please wait 15 minutes and try again, or reset your password."),
    500: ("Something went wrong on our side", "We've logged the problem. Please try again in a moment."),
}


def init_app(app: Flask) -> None:
    """Answer HTTP errors, CSRF failures and crashes with our own pages."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def render_error(status: int, detail: str | None = None):
    """Return the error page (or htmx fragment) for `status`."""
    title, message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    if detail:
        message = detail
    if htmx:
        body = render_template("errors/_error.html", status=status, title=title, message=message)
        # Show the message in the page's alert area whatever the request meant to replace.
        return htmx_response(body, status, retarget="#flash-region", reswap="innerHTML")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return render_error(error.code)


def _csrf_error(error: CSRFError):
    if htmx:
        # The page holds a stale token: reload it so the next click works, and say why.
        flash("Your page had been open a long time, so we refreshed it. Please try that again.", "warning")
        return htmx_response("", 400, refresh=True)
    return render_error(400, "This form had expired or was sent from another site. "
                             "We've reloaded it: please try again.")


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return render_error(InternalServerError.code)
