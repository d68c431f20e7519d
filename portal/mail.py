"""Outgoing mail: plain-text and HTML bodies rendered from templates, sent by a job."""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives

log = logging.getLogger(__name__)


def send_templated_mail(to: str, subject: str, template: str, **context) -> None:
    """Send `mail/<template>.txt` and `.html` to one address (call from a job, not a view)."""
    context.setdefault("portal_url", current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    text = render_template(f"mail/{template}.txt", subject=subject, **context)
    html = render_template(f"mail/{template}.html", subject=subject, **context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
    log.info("mail %r sent to user's address via %s", template, current_app.config["MAIL_BACKEND"])
