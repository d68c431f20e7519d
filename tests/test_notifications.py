"""Notifications: mailed through the job queue, listed in the portal with the unread ones first to the
eye, opened (marked read, then followed), marked read one by one or all at once, and counted on the bell."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Notification, User, UserStatus
from portal.notifications import notify, send_notification_mail
from portal.tenancy import tenant_scope, unscoped
from tests.test_match_runs import text

HTMX = {"HX-Request": "true"}


def tell(app, person, title: str, link: str = "/notifications", kind: str = "request_received", body: str = "",
         email: bool = False) -> int:
    with app.app_context(), tenant_scope(person.institution_id):
        [made] = notify(person.id, kind, title, body, link, institution_id=person.institution_id, email=email)
        db.session.commit()
        return made.id


def bell(html: str) -> str:
    found = re.search(r'<a id="notification-bell".*?</a>', html, re.S)
    assert found, "no bell on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def unread_ids(app, user_id: int) -> set[int]:
    with app.app_context(), unscoped():
        return set(db.session.scalars(select(Notification.id).where(Notification.user_id == user_id,
                                                                    Notification.read_at.is_(None))))


def test_notify_mails_each_person_once_through_the_queue(app, people, run_jobs, smtp_sink):
    with app.app_context(), tenant_scope(people["admin"].institution_id):
        made = notify([people["mentor"].id, people["student"].id, people["mentor"].id], "request_received",
                      "Jordan Lee asked you to be their mentor", "Jordan wrote: could we talk about consulting?",
                      "/requests/7", institution_id=people["admin"].institution_id)
        db.session.commit()
        ids = [notification.id for notification in made]
    assert len(ids) == 2  # one each, even when named twice
    run_jobs()
    mails = {mail["To"]: mail for mail in smtp_sink.wait_for(2)}
    assert set(mails) == {people["mentor"].email, people["student"].email}
    mail = mails[people["mentor"].email]
    assert mail["Subject"] == "Jordan Lee asked you to be their mentor"
    assert "Hello Priya," in smtp_sink.text_of(mail)
    assert "could we talk about consulting?" in smtp_sink.text_of(mail)
    assert "http://localhost/requests/7" in smtp_sink.text_of(mail)
    assert 'href="http://localhost/requests/7"' in smtp_sink.html_of(mail)
    # A retried job sends nothing twice.
    with app.app_context():
        send_notification_mail(people["admin"].institution_id, ids[0])
    assert len(smtp_sink.wait_for(3, timeout=0.5)) == 2


def test_no_mail_after_a_rollback_or_to_a_deactivated_person(app, people, run_jobs, smtp_sink):
    institution_id = people["admin"].institution_id
    with app.app_context(), tenant_scope(institution_id):
        notify(people["mentor"].id, "request_received", "Never sent", institution_id=institution_id)
        db.session.rollback()
        db.session.get(User, people["student"].id).status = UserStatus.DEACTIVATED
        notify(people["student"].id, "mentorship_ended", "Your mentorship ended", institution_id=institution_id)
        notify(people["admin"].id, "request_expired", "A request expired", institution_id=institution_id,
               email=False)
        db.session.commit()
    run_jobs()
    assert smtp_sink.wait_for(1, timeout=0.5) == []


def test_the_bell_counts_unread_notifications_on_every_page(app, people, student_client, mentor_client):
    assert bell(text(student_client.get("/"))) == "Notifications"
    for number in range(3):
        tell(app, people["student"], f"News {number}")
    tell(app, people["mentor"], "For Priya only")
    for path in ("/", "/notifications", "/account/settings"):
        assert bell(text(student_client.get(path, follow_redirects=True))) == "Notifications 3 unread", path
    assert bell(text(mentor_client.get("/"))) == "Notifications 1 unread"
    fragment = student_client.get("/notifications/bell", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert bell(text(fragment)) == "Notifications 3 unread"
    assert 'hx-trigger="every 60s, notifications-changed from:body' in text(fragment)


def test_opening_a_notification_marks_it_read_and_follows_its_link(app, people, student_client):
    first = tell(app, people["student"], "Priya Raman accepted your request", "/mentorships/4",
                 kind="request_accepted", body="Say hello in your workspace.")
    second = tell(app, people["student"], "Your request to Marcus expired", kind="request_expired")
    page = text(student_client.get("/notifications"))
    assert "Priya Raman accepted your request" in page and "Say hello in your workspace." in page
    assert page.count("is-unread") == 2 and "bi-check2-circle" in page and "bi-hourglass-bottom" in page
    response = student_client.post(f"/notifications/{first}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/mentorships/4"
    assert unread_ids(app, people["student"].id) == {second}
    again = student_client.post(f"/notifications/{first}/open")  # opening it again still works
    assert again.headers["Location"] == "/mentorships/4"
    assert bell(text(student_client.get("/notifications"))) == "Notifications 1 unread"


def test_a_link_that_leaves_the_portal_is_never_followed(app, people, student_client):
    for link in ("https://evil.example.com/", "//evil.example.com", "javascript:alert(1)", ""):
        made = tell(app, people["student"], "Odd link", link)
        response = student_client.post(f"/notifications/{made}/open")
        assert response.headers["Location"] == "/notifications", link


def test_nobody_opens_or_marks_anothers_notification(app, people, mentor_client, other_admin_client, make_client):
    mine = tell(app, people["student"], "For Jordan")
    for client in (mentor_client, other_admin_client):
        assert client.post(f"/notifications/{mine}/open").status_code == 404
        assert client.post(f"/notifications/{mine}/read").status_code == 404
        assert client.post("/notifications/read-all").status_code == 302
        assert "For Jordan" not in text(client.get("/notifications"))
    anonymous = make_client()
    assert anonymous.get("/notifications").headers["Location"].startswith("/login")
    response = anonymous.get("/notifications/bell", headers=HTMX)
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login"
    assert unread_ids(app, people["student"].id) == {mine}


def test_marking_one_read_in_place_tells_the_bell(app, people, student_client):
    first = tell(app, people["student"], "First")
    second = tell(app, people["student"], "Second")
    response = student_client.post(f"/notifications/{first}/read", headers=HTMX)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "notifications-changed"
    fragment = text(response)
    assert f'id="notification-{first}"' in fragment and "is-unread" not in fragment and "Mark as read" not in fragment
    assert unread_ids(app, people["student"].id) == {second}
    # Without JavaScript the same form goes back to the list.
    response = student_client.post(f"/notifications/{second}/read", data={"next": "/notifications?show=unread"})
    assert response.headers["Location"] == "/notifications?show=unread"
    assert unread_ids(app, people["student"].id) == set()


def test_mark_all_read_and_the_unread_filter(app, people, student_client):
    for number in range(3):
        tell(app, people["student"], f"Update {number}")
    unread = text(student_client.get("/notifications?show=unread"))
    assert unread.count("is-unread") == 3 and "Mark all as read" in unread
    response = student_client.post("/notifications/read-all", data={"next": "/notifications?show=unread"},
                                   follow_redirects=True)
    page = text(response)
    assert "Marked 3 notifications as read." in page
    assert "You're all caught up." in page and "Mark all as read" not in page
    assert bell(page) == "Notifications"
    tell(app, people["student"], "One more")
    response = student_client.post("/notifications/read-all", headers=HTMX)
    assert response.headers["HX-Trigger"] == "notifications-changed"
    assert "Marked 1 notification as read." in text(response) and "<html" not in text(response)
    assert "All caught up" in text(student_client.post("/notifications/read-all", follow_redirects=True))
    assert "Update 0" in text(student_client.get("/notifications"))  # read ones stay in the list


def test_a_long_list_comes_a_page_at_a_time(app, people, student_client):
    with app.app_context(), tenant_scope(people["student"].institution_id):
        notify(people["student"].id, "request_received", "Oldest", institution_id=people["student"].institution_id,
               email=False)
        for number in range(34):
            notify(people["student"].id, "request_received", f"Request {number}",
                   institution_id=people["student"].institution_id, email=False)
        db.session.commit()
    first = text(student_client.get("/notifications"))
    assert first.count('class="list-group-item notification-item') == 30 and "Oldest" not in first
    assert 'href="/notifications?page=2"' in first
    second = text(student_client.get("/notifications?page=2"))
    assert second.count('class="list-group-item notification-item') == 5 and "Oldest" in second
    assert student_client.get("/notifications?page=zzz").status_code == 200
    fragment = text(student_client.get("/notifications?page=2", headers={**HTMX, "HX-Target": "notification-list"}))
    assert "<html" not in fragment and "Oldest" in fragment


def test_an_empty_list_says_what_will_arrive(student_client):
    page = text(student_client.get("/notifications"))
    assert "No notifications yet." in page and "when someone sends you a request" in page
