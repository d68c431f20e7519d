"""Read the kept copies of outgoing mail: newest first, the text with its links, the HTML sandboxed."""

from __future__ import annotations

import re

from flask import current_app, render_template, request
from markupsafe import Markup, escape
from sqlalchemy import func, select

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.outbox import bp
from portal.extensions import db
from portal.models import OutboxMail

PAGE_SIZE = 50
LINK = re.compile(r"https?://[^\s<>\"']+")

# The HTML body is someone else's markup as far as the portal is concerned: it is shown in a
# sandboxed frame (no scripts, no forms, its own opaque origin) that may load nothing at all.
MAIL_HTML_POLICY = {
    "default-src": "'none'",
    "style-src": "'unsafe-inline'",
    "img-src": "data:",
    "sandbox": "",
    "frame-ancestors": "'self'",
}


def linkify(text: str) -> Markup:
    """Escape `text` and make its web addresses clickable."""
    parts, last = [], 0
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup('<a href="{0}" rel="noreferrer">{0}</a>').format(url))
        last = match.start() + len(url)
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@bp.route("")
@admin_required
def list_mail():
    """List the kept copies of the institution's mail, newest first."""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = db.session.scalar(select(func.count()).select_from(OutboxMail))
    mails = list(db.session.scalars(
        select(OutboxMail).order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ))
    return render_template("outbox/list.html", mails=mails, total=total, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
                           keeps_copies=current_app.config.get("MAIL_KEEP_COPIES"))


@bp.route("/<int:mail_id>")
@admin_required
def show_mail(mail_id: int):
    """Show one mail: its text with clickable links, and its HTML version in a sandboxed frame."""
    mail = get_or_404(OutboxMail, mail_id)
    return render_template("outbox/show.html", mail=mail, text=linkify(mail.text_body))


@bp.route("/<int:mail_id>/html")
@admin_required
def show_mail_html(mail_id: int):
    """Serve one mail's HTML body, for the sandboxed frame on its page only."""
    mail = get_or_404(OutboxMail, mail_id)
    return current_app.response_class(mail.html_body, mimetype="text/html")


# Flask-Talisman reads per-view header options from this attribute (what its decorator sets).
show_mail_html.talisman_view_options = {"content_security_policy": MAIL_HTML_POLICY,
                                        "frame_options": "SAMEORIGIN"}
