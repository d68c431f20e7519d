"""Outgoing mail: plain-text and HTML bodies rendered from templates, sent by a job.

With MAIL_KEEP_COPIES on (the default when no MAIL_SERVER is set), every mail is also kept in
the institution's outbox, so an admin on a first run can open the invitation links there.
"""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives

from portal.extensions import db
from portal.models import OutboxMail

log = logging.getLogger(__name__)


def send_templated_mail(to: str, subject: str, template: str, *, institution_id: int | None = None,
                        connection=None, **context) -> None:
    """Send `mail/<template>.txt` and `.html` to one address (call from a job, not a view).

    The institution (given, or the `user` in the context) owns the outbox copy; the copy is
    added to the session and committed with the job, so a failed send keeps no copy.
    """
    context.setdefault("portal_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    text = render_template(f"mail/{template}.txt", subject=subject, **context)
    html = render_template(f"mail/{template}.html", subject=subject, **context)
    if institution_id is None and context.get("user") is not None:
        institution_id = context["user"].institution_id
    if current_app.config.get("MAIL_KEEP_COPIES") and institution_id is not None:
        db.session.add(OutboxMail(institution_id=institution_id, to=to, subject=subject[:300],
                                  text_body=text, html_body=html))
        db.session.flush()
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], connection=connection)
    message.attach_alternative(html, "text/html")
    message.send()
    log.info("mail %r sent to user's address via %s", template, current_app.config["MAIL_BACKEND"])
