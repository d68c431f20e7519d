"""The mail outbox: copies of sent mail kept only when configured, readable by the institution's
admins, so a first run without a mail server still shows the invitation links."""

from __future__ import annotations

import re
from html import unescape

import pytest

from portal import create_app
from portal.extensions import db
from portal.jobs import build_worker
from portal.models import OutboxMail
from tests.factories import make_user

LINK = re.compile(r'<a href="(http://localhost/invitation/[\w-]+)" rel="noreferrer">')


@pytest.fixture(scope="module")
def keeping_app(app):
    """The same portal (database, Redis, SMTP sink) with MAIL_KEEP_COPIES switched on."""
    keeping = create_app({**app.config, "MAIL_KEEP_COPIES": True})
    keeping.test_client_class = app.test_client_class
    yield keeping
    with keeping.app_context():
        db.engine.dispose()


def _run_jobs(app) -> None:
    build_worker(app, simple=True).work(burst=True, with_scheduler=False, logging_level="WARNING")


def _signed_in(app, email):
    client = app.test_client()
    assert client.sign_in(email).status_code == 302
    return client


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_no_copies_are_kept_unless_configured(app, institution, people, admin_client, run_jobs, smtp_sink):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    admin_client.post(f"/admin/invitations/{amara.id}/send")
    run_jobs()
    assert [message["To"] for message in smtp_sink.wait_for(1)] == [amara.email]
    page = _text(admin_client.get("/admin/outbox"))
    assert "No mail yet." in page and "Mail goes out through your mail server" in page


def test_kept_copies_show_the_invitation_link_that_works(keeping_app, institution, people, smtp_sink):
    with keeping_app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    admin = _signed_in(keeping_app, people["admin"].email)
    assert "Mail outbox" in _text(admin.get("/admin/people"))
    admin.post(f"/admin/invitations/{amara.id}/send")
    _run_jobs(keeping_app)
    assert [message["To"] for message in smtp_sink.wait_for(1)] == [amara.email]  # still really sent

    listing = _text(admin.get("/admin/outbox"))
    assert "No mail server is set up" in listing
    assert "You're invited to Northbridge University's mentoring program" in listing and amara.email in listing
    mail_id = re.search(r'href="/admin/outbox/(\d+)"', listing).group(1)

    page = admin.get(f"/admin/outbox/{mail_id}").get_data(as_text=True)
    link = LINK.search(page).group(1)
    assert link in smtp_sink.text_of(smtp_sink.messages[0])  # the very link that was mailed
    assert f'<iframe class="mail-preview" sandbox src="/admin/outbox/{mail_id}/html"' in page
    newcomer = keeping_app.test_client()
    assert "Welcome, Amara" in _text(newcomer.get(link.removeprefix("http://localhost")))

    html = admin.get(f"/admin/outbox/{mail_id}/html")
    assert html.status_code == 200 and "Accept the invitation" in html.get_data(as_text=True)
    policy = html.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert admin.get(f"/admin/outbox/{mail_id}").headers["X-Frame-Options"] == "DENY"  # other pages unchanged


def test_the_outbox_lists_newest_first_and_escapes_what_it_shows(app, institution, people, admin_client):
    with app.app_context():
        for number, subject in enumerate(["First mail", "Second mail"]):
            db.session.add(OutboxMail(institution_id=institution.id, to="someone@example.edu", subject=subject,
                                      text_body=f"<b>not bold</b> see https://example.edu/{number}.",
                                      html_body="<p>hi</p>"))
            db.session.commit()
    listing = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert listing.index("Second mail") < listing.index("First mail")
    assert "2 mails kept" in listing
    mail_id = re.search(r'href="/admin/outbox/(\d+)">Second mail', listing).group(1)
    page = admin_client.get(f"/admin/outbox/{mail_id}").get_data(as_text=True)
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page and "<b>not bold</b>" not in page
    assert '<a href="https://example.edu/1" rel="noreferrer">https://example.edu/1</a>.' in page


def test_the_outbox_is_tenant_isolated(keeping_app, app, institution, people, smtp_sink):
    with keeping_app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    admin = _signed_in(keeping_app, people["admin"].email)
    admin.post(f"/admin/invitations/{amara.id}/send")
    _run_jobs(keeping_app)
    mail_id = re.search(r'href="/admin/outbox/(\d+)"', admin.get("/admin/outbox").get_data(as_text=True)).group(1)

    other = _signed_in(keeping_app, people["other_admin"].email)
    listing = _text(other.get("/admin/outbox"))
    assert "No mail yet." in listing and "Northbridge" not in listing and amara.email not in listing
    for path in (f"/admin/outbox/{mail_id}", f"/admin/outbox/{mail_id}/html"):
        response = other.get(path)
        assert response.status_code == 404 and "Northbridge" not in response.get_data(as_text=True)
    student = _signed_in(keeping_app, people["student"].email)
    assert student.get(f"/admin/outbox/{mail_id}").status_code == 403


def test_without_a_mail_server_mail_goes_to_the_worker_log_and_the_outbox(app, institution, people, capsys):
    console = create_app({**app.config, "MAIL_BACKEND": "console", "MAIL_SERVER": None, "MAIL_KEEP_COPIES": True})
    console.test_client_class = app.test_client_class
    try:
        with console.app_context():
            amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
        admin = _signed_in(console, people["admin"].email)
        admin.post("/admin/invitations/not-invited")
        _run_jobs(console)
        log = capsys.readouterr().out
        assert f"To: {amara.email}" in log and "http://localhost/invitation/" in log
        listing = _text(admin.get("/admin/outbox"))
        assert amara.email in listing
    finally:
        with console.app_context():
            db.engine.dispose()


def test_mail_copies_belong_to_the_recipients_institution(keeping_app, institution, other_institution, people,
                                                         smtp_sink):
    with keeping_app.app_context():
        lakeshore = make_user(other_institution, "student", "Rin", "Sato", status="invited")
    other = _signed_in(keeping_app, people["other_admin"].email)
    other.post("/admin/invitations/not-invited")
    _run_jobs(keeping_app)
    assert lakeshore.email in _text(other.get("/admin/outbox"))
    admin = _signed_in(keeping_app, people["admin"].email)
    assert lakeshore.email not in _text(admin.get("/admin/outbox"))
