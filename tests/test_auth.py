"""Signing in and out: sessions that really end, rotation, one-time links, brute-force limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal import create_app
from portal.extensions import db
from portal.models import AuthToken, User, UserStatus, utcnow
from portal.tenancy import unscoped
from tests.factories import DEFAULT_PASSWORD, make_user

LINK = re.compile(r"http://localhost(/\S+)")


def session_cookie(client) -> str:
    return client.get_cookie("portal_session").value


def client_with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("portal_session", value)
    return other


def is_signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(client, people):
    wrong = client.sign_in(people["student"].email, "not-the-password-at-all")
    unknown = client.sign_in("nobody@northbridge.example.edu", "not-the-password-at-all")
    assert wrong.status_code == unknown.status_code == 200
    message = "That email and password don&#39;t match an active account"
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_invited_and_deactivated_people_cannot_sign_in(app, client, institution):
    with app.app_context():
        invited = make_user(institution, "student", "Ines", "Ortega", status="invited")
        gone = make_user(institution, "mentor", "Gil", "Moreau", status="deactivated")
    assert "don&#39;t match" in client.sign_in(invited.email).get_data(as_text=True)
    assert "don&#39;t match" in client.sign_in(gone.email).get_data(as_text=True)
    assert not is_signed_in(client)


def test_session_identifier_changes_at_sign_in(app, client, people):
    client.get("/login")
    before = session_cookie(client)
    planted = client_with_cookie(app, before)  # what an attacker fixed in the victim's browser
    assert client.sign_in(people["student"].email).status_code == 302
    assert session_cookie(client) != before
    assert is_signed_in(client)
    assert not is_signed_in(planted)


def test_a_cookie_copied_before_logout_is_refused_afterwards(app, student_client):
    copied = session_cookie(student_client)
    assert is_signed_in(client_with_cookie(app, copied))
    response = student_client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert not is_signed_in(student_client)
    assert not is_signed_in(client_with_cookie(app, copied))


def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(client, people):
    response = client.get("/account")
    assert response.headers["Location"] == "/login?next=/account"
    email = people["student"].email
    data = {"email": email, "password": DEFAULT_PASSWORD, "next": "/account"}
    assert client.post("/login", data=data).headers["Location"] == "/account"
    client.post("/logout")
    data["next"] = "https://evil.example.com/phish"
    assert client.post("/login", data=data).headers["Location"] == "/"


def test_password_change_ends_the_other_sessions(app, people, make_client):
    laptop, phone = make_client(), make_client()
    laptop.sign_in(people["mentor"].email)
    phone.sign_in(people["mentor"].email)
    response = laptop.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD, "password": "quiet-harbour-violin-77", "confirm": "quiet-harbour-violin-77",
    })
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert make_client().sign_in(people["mentor"].email, "quiet-harbour-violin-77").status_code == 302
    assert make_client().sign_in(people["mentor"].email, DEFAULT_PASSWORD).status_code == 200


def test_password_change_needs_the_current_password(mentor_client):
    response = mentor_client.post("/account/password", data={
        "current_password": "wrong-guess-here", "password": "quiet-harbour-violin-77",
        "confirm": "quiet-harbour-violin-77",
    })
    assert "Your current password is not correct." in response.get_data(as_text=True)


@pytest.mark.parametrize("password, message", [
    ("short", "at least 8 characters"),
    ("password123", "very common password"),
    ("qwertyuiop", "common password"),
])
def test_weak_passwords_are_refused_with_a_reason(mentor_client, password, message):
    response = mentor_client.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD, "password": password, "confirm": password,
    })
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_long_passphrases_are_welcome_and_hashed_slowly(app, people, mentor_client, make_client):
    passphrase = "the quiet lighthouse keeper counts every passing ship " * 4
    response = mentor_client.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD, "password": passphrase, "confirm": passphrase,
    })
    assert response.status_code == 302
    with app.app_context(), unscoped():
        stored = db.session.get(User, people["mentor"].id).password_hash
    assert stored.startswith("$argon2id$") and passphrase not in stored
    assert make_client().sign_in(people["mentor"].email, passphrase).status_code == 302


def test_password_reset_by_email_ends_sessions_and_works_once(app, client, people, student_client, run_jobs,
                                                              smtp_sink, make_client):
    response = client.post("/reset-password", data={"email": people["student"].email.upper()})
    assert "Check your email" in response.get_data(as_text=True)
    run_jobs()
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == people["student"].email
    path = LINK.search(smtp_sink.text_of(message)).group(1)
    assert path in smtp_sink.html_of(message)
    assert "Choose a new password" in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"password": "silver-meadow-kettle-19", "confirm": "silver-meadow-kettle-19"})
    assert response.headers["Location"] == "/login"
    assert not is_signed_in(student_client)
    assert make_client().sign_in(people["student"].email, "silver-meadow-kettle-19").status_code == 302
    reused = client.get(path)
    assert reused.status_code == 404
    assert "no longer valid" in reused.get_data(as_text=True)


def test_reset_answers_the_same_for_unknown_emails_and_sends_nothing(client, people, run_jobs, smtp_sink):
    known = client.post("/reset-password", data={"email": people["student"].email}).get_data(as_text=True)
    unknown = client.post("/reset-password", data={"email": "stranger@example.org"}).get_data(as_text=True)
    assert known.replace(people["student"].email, "EMAIL") == unknown.replace("stranger@example.org", "EMAIL")
    run_jobs()
    assert [m["To"] for m in smtp_sink.wait_for(1)] == [people["student"].email]


def test_expired_reset_links_are_refused(app, client, people, run_jobs, smtp_sink):
    client.post("/reset-password", data={"email": people["student"].email})
    run_jobs()
    path = LINK.search(smtp_sink.text_of(smtp_sink.wait_for(1)[0])).group(1)
    with app.app_context(), unscoped():
        db.session.execute(update(AuthToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert client.get(path).status_code == 404


def test_invitation_sets_the_password_signs_in_and_expires(app, client, institution):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["portal", "create-institution", "Riverside Tech", "--slug", "riverside",
                                 "--admin-email", "Registrar@Riverside.example.edu", "--admin-name", "Rae Kim"])
    assert result.exit_code == 0, result.output
    path = LINK.search(result.output).group(1)
    page = client.get(path).get_data(as_text=True)
    assert "Welcome, Rae" in page and "registrar@riverside.example.edu" in page
    weak = client.post(path, data={"password": "password123", "confirm": "password123"})
    assert "very common password" in weak.get_data(as_text=True)
    response = client.post(path, data={"password": "copper-falcon-meadow-8", "confirm": "copper-falcon-meadow-8"})
    assert response.headers["Location"] == "/"
    assert "Welcome, Rae" in client.get("/").get_data(as_text=True)
    assert app.test_client().get(path).status_code == 404  # used once, gone

    with app.app_context(), unscoped():
        admin = db.session.scalar(select(User).where(User.email == "registrar@riverside.example.edu"))
        assert admin.status == UserStatus.ACTIVE
        admin.status = UserStatus.INVITED
        from portal.accounts.people import invitation_link

        late = invitation_link(admin)
        db.session.execute(update(AuthToken).where(AuthToken.used_at.is_(None))
                           .values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert app.test_client().get(late.removeprefix("http://localhost")).status_code == 404


def test_deactivation_ends_sessions_and_blocks_sign_in(app, admin_client, student_client, people):
    response = admin_client.post(f"/admin/people/{people['student'].id}/deactivate")
    assert response.status_code == 302
    assert not is_signed_in(student_client)
    assert app.test_client().sign_in(people["student"].email).status_code == 200
    admin_client.post(f"/admin/people/{people['student'].id}/reactivate")
    assert app.test_client().sign_in(people["student"].email).status_code == 302


def test_admins_cannot_deactivate_themselves(admin_client, people):
    response = admin_client.post(f"/admin/people/{people['admin'].id}/deactivate", follow_redirects=True)
    assert "You can&#39;t deactivate your own account." in response.get_data(as_text=True)
    assert is_signed_in(admin_client)


def test_ten_failures_for_one_account_lock_it_with_a_clear_message(app, client, people, make_client):
    email = people["mentor"].email
    for _ in range(10):
        assert make_client().sign_in(email, "wrong-password-guess").status_code == 200
    locked = client.sign_in(email)  # even the right password waits now
    assert locked.status_code == 429
    assert "Too many attempts" in locked.get_data(as_text=True)
    assert "15 minutes" in locked.get_data(as_text=True)
    # The count lives in Redis: another web process sharing it refuses too.
    second_process = create_app({**app.config, "TESTING": True})
    second_process.test_client_class = type(client)
    assert second_process.test_client().sign_in(email).status_code == 429
    # Other accounts are unaffected when the failures came from different addresses.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert other.sign_in(people["student"].email).status_code == 302


def test_ten_failures_from_one_address_block_that_address(client, people, app):
    for number in range(10):
        client.sign_in(f"guess{number}@northbridge.example.edu", "wrong-password-guess")
    assert client.sign_in(people["student"].email).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert elsewhere.sign_in(people["student"].email).status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_limit(app, people):
    for _ in range(12):
        browser = app.test_client()
        assert browser.sign_in(people["student"].email).status_code == 302
