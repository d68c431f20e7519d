"""Mentor requests: a student asks a mentor to take them on in a program; the mentor accepts or declines.

Plain functions that flush and raise `RequestError`; the caller (a view, a job) commits.
The rules hold under concurrency because every writer first locks the student's and the
mentor's `users` rows (`portal.mentorships.creating.lock_users`), then counts, then writes:
a mentor never goes over capacity (a pending request holds a place), a student has one
pending request per mentor and at most the program's limit of open requests.
"""

from __future__ import annotations


class RequestError(Exception):
    """A request that cannot be made or answered as asked; the message is for the person who asked.

    `field` names the form field the problem is about, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def request_path(request_id: int) -> str:
    """Return the portal path of one request's page (notifications link to it)."""
    return f"/requests/{request_id}"


INBOX_PATH = "/requests/inbox"
MY_REQUESTS_PATH = "/requests"

from portal.requests.answering import accept_request, decline_request, withdraw_pending_requests  # noqa: E402
from portal.requests.asking import (  # noqa: E402
    MAX_MESSAGE, MIN_MESSAGE, RequestOptions, request_mentor, request_options, withdraw_request,
)
from portal.requests.expiry import expire_requests  # noqa: E402
from portal.requests.queries import (  # noqa: E402
    AnswerTime, inbox_of, median_answer_times, pending_count, requests_of, responsiveness_known,
)

__all__ = [
    "INBOX_PATH", "MAX_MESSAGE", "MIN_MESSAGE", "MY_REQUESTS_PATH", "AnswerTime", "RequestError", "RequestOptions",
    "accept_request", "decline_request", "expire_requests", "inbox_of", "median_answer_times", "pending_count",
    "request_mentor", "request_options", "request_path", "requests_of", "responsiveness_known", "withdraw_pending_requests",
    "withdraw_request",
]
