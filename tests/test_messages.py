"""Messages: the pair writes in their mentorship's thread, new messages arrive without a reload, the menu
counts what is unread, and a message left unread for an hour is mailed about once."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.messaging import MessagingError
from portal.messaging.threads import MESSAGE_MAX, mark_read, send_message, total_unread, unread_counts
from portal.messaging.unread_mail import mail_unread_messages
from portal.models import Message, MessageRead, User, UserStatus, utcnow
from portal.tenancy import tenant_scope, unscoped
from tests.access.messages import make_pair
from tests.concurrency import while_open
from tests.factories import make_user

HX = {"HX-Request": "true"}


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def nav_count(client) -> str | None:
    """Return the count beside Messages in the menu (None when no count is shown)."""
    page = client.get("/messages").get_data(as_text=True)
    found = re.search(r'<i class="bi bi-chat-dots" aria-hidden="true"></i> Messages'
                      r'(?: <span class="badge[^"]*">(\d+)<span class="visually-hidden"> new</span></span>)?', page)
    assert found, "the menu has no Messages entry"
    return found.group(1)


@pytest.fixture
def pair(app, institution, people) -> int:
    with app.app_context(), tenant_scope(institution.id):
        return make_pair(institution.id)


def send(app, institution, mentorship_id: int, sender_id: int, body: str, minutes_ago: int = 0) -> int:
    with app.app_context(), tenant_scope(institution.id):
        message = send_message(mentorship_id, sender_id, body)
        if minutes_ago:
            message.created_at = utcnow() - timedelta(minutes=minutes_ago)
        db.session.commit()
        return message.id


def messages_in(app, mentorship_id: int) -> list[str]:
    with app.app_context(), unscoped():
        return db.session.scalars(select(Message.body).where(Message.mentorship_id == mentorship_id)
                                  .order_by(Message.id)).all()


def test_the_pair_writes_and_reads_and_the_menu_counts_what_is_unread(pair, mentor_client, student_client, people):
    empty = text(student_client.get(f"/mentorships/{pair}/messages"))
    assert "No messages yet." in empty and "Say hello to Priya" in empty

    response = mentor_client.post(f"/mentorships/{pair}/messages", data={"body": "Hi Jordan!\nWhen suits you?"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/mentorships/{pair}/messages#message-form"
    assert "Hi Jordan!\nWhen suits you?" in text(mentor_client.get(f"/mentorships/{pair}/messages"))
    assert nav_count(mentor_client) is None  # your own messages are never unread

    assert nav_count(student_client) == "1"
    listing = text(student_client.get("/messages"))
    assert "Priya Raman" in listing and "1 new" in listing and "Hi Jordan! When suits you?" in listing

    thread = text(student_client.get(f"/mentorships/{pair}/messages"))
    assert "Hi Jordan!\nWhen suits you?" in thread
    assert 'id="first-unread"' in thread  # the "New" line above what was unread
    assert nav_count(student_client) is None
    assert "1 new" not in text(student_client.get("/messages"))
    assert 'id="first-unread"' not in text(student_client.get(f"/mentorships/{pair}/messages"))

    student_client.post(f"/mentorships/{pair}/messages", data={"body": "Tuesday at 5 works for me."})
    listing = text(mentor_client.get("/messages"))
    assert "Jordan Lee" in listing and "1 new" in listing and "Tuesday at 5 works for me." in listing
    assert "You:" in text(student_client.get("/messages"))


def test_sending_with_htmx_appends_the_message_and_what_arrived_meanwhile(app, institution, pair, people,
                                                                          student_client):
    first = send(app, institution, pair, people["mentor"].id, "Welcome aboard!")
    page = text(student_client.get(f"/mentorships/{pair}/messages"))
    assert f'id="thread-after" name="after" type="hidden" value="{first}"' in page
    meanwhile = send(app, institution, pair, people["mentor"].id, "Also: bring your CV.")

    response = student_client.post(f"/mentorships/{pair}/messages", headers=HX,
                                   data={"body": "Thanks, see you Tuesday.", "after": str(first)})
    assert response.status_code == 200
    fragment = text(response)
    assert "Welcome aboard!" not in fragment  # already on the page
    assert fragment.index("Also: bring your CV.") < fragment.index("Thanks, see you Tuesday.")
    assert fragment.count('class="message ') == 2
    assert 'class="message message-mine message-right"' in fragment and "<html" not in fragment
    newest = max(meanwhile, first) + 1
    assert f'id="thread-after" name="after" value="{newest}" hx-swap-oob="true"' in fragment
    box = re.search(r'<div id="message-body-field"[^>]*hx-swap-oob="true">.*?</textarea>', fragment, re.S).group(0)
    assert re.search(r"<textarea[^>]*>\s*</textarea>", box), "the message box is emptied"
    assert total_unread_of(app, institution, people["student"].id) == 0  # what was shown is read


def total_unread_of(app, institution, user_id: int) -> int:
    with app.app_context(), tenant_scope(institution.id):
        return total_unread(user_id)


def test_polling_returns_only_newer_messages_and_marks_them_read(app, institution, pair, people, student_client):
    first = send(app, institution, pair, people["mentor"].id, "First")
    assert student_client.get(f"/mentorships/{pair}/messages/new?after={first}", headers=HX).status_code == 204
    second = send(app, institution, pair, people["mentor"].id, "Second <b>bold</b>?")
    assert total_unread_of(app, institution, people["student"].id) == 2

    response = student_client.get(f"/mentorships/{pair}/messages/new?after={first}", headers=HX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "Second &lt;b&gt;bold&lt;/b&gt;?" in fragment and ">First<" not in fragment
    assert f'value="{second}" hx-swap-oob="true"' in fragment
    assert total_unread_of(app, institution, people["student"].id) == 0
    assert student_client.get(f"/mentorships/{pair}/messages/new?after={second}", headers=HX).status_code == 204
    # Nonsense is treated as "from the start", never as an error.
    assert student_client.get(f"/mentorships/{pair}/messages/new?after=abc", headers=HX).status_code == 200


def test_the_open_thread_polls_every_few_seconds_and_sends_with_htmx(pair, student_client):
    page = student_client.get(f"/mentorships/{pair}/messages").get_data(as_text=True)
    poller = re.search(r'<div id="message-poller"[^>]*>', page).group(0)
    assert f'hx-get="/mentorships/{pair}/messages/new"' in poller and 'hx-trigger="every 5s"' in poller
    assert 'hx-swap="beforeend"' in poller and 'hx-include="#thread-after"' in poller
    form = re.search(r'<form id="message-form"[^>]*>', page).group(0)
    assert f'action="/mentorships/{pair}/messages"' in form and 'hx-swap="beforeend"' in form


def test_message_text_is_shown_escaped_with_clickable_links(app, institution, pair, people, student_client):
    send(app, institution, pair, people["mentor"].id,
         '<script>alert("hi")</script> Read https://example.org/guide?a=1&b=2. <img src=x onerror=alert(1)>')
    page = student_client.get(f"/mentorships/{pair}/messages").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;" in page
    assert ('<a href="https://example.org/guide?a=1&amp;b=2" rel="nofollow noopener noreferrer" target="_blank">'
            'https://example.org/guide?a=1&amp;b=2</a>.') in page


@pytest.mark.parametrize("body, complaint", [
    ("", "Your message is empty: write something first."),
    ("  \n\t ", "Your message is empty: write something first."),
    ("x" * (MESSAGE_MAX + 1), f"Your message is too long: the limit is {MESSAGE_MAX:,} characters."),
])
def test_empty_and_too_long_messages_are_refused_with_a_reason(app, pair, student_client, body, complaint):
    page = student_client.post(f"/mentorships/{pair}/messages", data={"body": body})
    assert page.status_code == 200 and complaint in text(page)
    response = student_client.post(f"/mentorships/{pair}/messages", data={"body": body}, headers=HX)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#message-body-field"
    assert complaint in text(response) and 'aria-invalid="true"' in text(response)
    assert messages_in(app, pair) == []
    exact = student_client.post(f"/mentorships/{pair}/messages", data={"body": "y" * MESSAGE_MAX})
    assert exact.status_code == 302 and len(messages_in(app, pair)) == 1


def test_the_domain_refuses_what_the_form_would(app, institution, pair, people):
    with app.app_context(), tenant_scope(institution.id):
        with pytest.raises(MessagingError, match="empty"):
            send_message(pair, people["student"].id, "   ")
        with pytest.raises(MessagingError, match="5,001 characters long; the limit is 5,000"):
            send_message(pair, people["student"].id, "z" * 5001)
        with pytest.raises(MessagingError, match="Only the people in this mentorship"):
            send_message(pair, people["admin"].id, "Hello from the office")


def test_an_ended_mentorship_keeps_its_thread_to_read_but_takes_no_messages(app, institution, people, mentor_client,
                                                                          student_client):
    with app.app_context(), tenant_scope(institution.id):
        ended = make_pair(institution.id, status="completed")
    with app.app_context(), unscoped():
        db.session.add(Message(institution_id=institution.id, mentorship_id=ended, sender_id=people["mentor"].id,
                               body="Good luck with the interviews!", created_at=utcnow()))
        db.session.commit()
    page = text(student_client.get(f"/mentorships/{ended}/messages"))
    assert "Good luck with the interviews!" in page
    assert "This mentorship ended on" in page and "no new messages" in page
    assert 'id="message-form"' not in page and 'id="message-poller"' not in page

    response = mentor_client.post(f"/mentorships/{ended}/messages", data={"body": "One more thing"})
    assert response.status_code == 302
    assert "This mentorship has ended, so you can no longer send messages here." in text(
        mentor_client.get(response.headers["Location"]))
    refused = mentor_client.post(f"/mentorships/{ended}/messages", data={"body": "One more thing"}, headers=HX)
    assert refused.status_code == 422 and "has ended" in text(refused)
    assert messages_in(app, ended) == ["Good luck with the interviews!"]


def test_admins_read_without_marking_read_and_outsiders_find_nothing(app, institution, pair, people, admin_client,
                                                                   make_client):
    send(app, institution, pair, people["mentor"].id, "Private but visible to the office")
    page = text(admin_client.get(f"/mentorships/{pair}/messages"))
    assert "Private but visible to the office" in page and "Priya Raman" in page
    assert page.count('class="message message-theirs"') == 1  # the mentor on the left, mentees on the right
    assert "You are reading as an admin" in page and 'id="message-form"' not in page
    assert admin_client.post(f"/mentorships/{pair}/messages", data={"body": "Hi"}).status_code == 403
    assert total_unread_of(app, institution, people["student"].id) == 1  # the admin's visit read nothing
    send(app, institution, pair, people["student"].id, "A reply")
    assert 'class="message message-theirs message-right"' in text(admin_client.get(f"/mentorships/{pair}/messages"))

    with app.app_context():
        outsider = make_user(institution, "mentor", "Marcus", "Okafor")
    client = make_client()
    client.sign_in(outsider.email)
    for path in (f"/mentorships/{pair}/messages", f"/mentorships/{pair}/messages/new?after=0"):
        assert client.get(path).status_code == 404
    assert client.post(f"/mentorships/{pair}/messages", data={"body": "Hi"}).status_code == 404
    assert "No conversations yet." in text(client.get("/messages"))
    assert messages_in(app, pair) == ["Private but visible to the office", "A reply"]


def test_unread_counts_add_up_across_a_mentors_mentorships(app, institution, people, mentor_client):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu")
    with app.app_context(), tenant_scope(institution.id):
        with_jordan = make_pair(institution.id)
        with_amara = make_pair(institution.id, mentee_ids=[amara.id], program_name="Women in Tech")
    send(app, institution, with_jordan, people["student"].id, "Hello from Jordan")
    send(app, institution, with_amara, amara.id, "Hello from Amara")
    send(app, institution, with_amara, amara.id, "And a second question")
    with app.app_context(), tenant_scope(institution.id):
        assert unread_counts(people["mentor"].id) == {with_jordan: 1, with_amara: 2}
    assert nav_count(mentor_client) == "3"
    listing = text(mentor_client.get("/messages"))
    assert listing.index("Amara Nwosu") < listing.index("Jordan Lee")  # the latest activity first
    assert "2 new" in listing and "1 new" in listing and "Women in Tech" in listing
    mentor_client.get(f"/mentorships/{with_amara}/messages")
    assert nav_count(mentor_client) == "1"


def test_a_read_mark_never_moves_back(app, institution, pair, people):
    first = send(app, institution, pair, people["mentor"].id, "One")
    second = send(app, institution, pair, people["mentor"].id, "Two")
    with app.app_context(), tenant_scope(institution.id):
        mark_read(pair, people["student"].id, second)
        mark_read(pair, people["student"].id, first)
        db.session.commit()
        assert db.session.scalars(select(MessageRead.last_read_message_id)).all() == [second]


def test_the_conversation_list_is_for_mentors_and_students(admin_client, student_client):
    assert admin_client.get("/messages").status_code == 403
    page = text(student_client.get("/messages"))
    assert "No conversations yet." in page and "Find a mentor" in page


# --- The email about messages left unread for an hour ---------------------------------------------------

def sweep(app) -> int:
    with app.app_context():
        asked = mail_unread_messages()
        db.session.commit()
        return asked


def test_a_message_unread_for_an_hour_is_mailed_about_once(app, institution, pair, people, run_jobs, smtp_sink,
                                                           student_client):
    send(app, institution, pair, people["mentor"].id, "Could you send me your CV before Tuesday?", minutes_ago=61)
    send(app, institution, pair, people["mentor"].id, "Just sent, not due yet", minutes_ago=5)
    assert sweep(app) == 1
    run_jobs()
    mail = smtp_sink.wait_for(1)
    assert len(mail) == 1 and mail[0]["To"] == people["student"].email
    assert mail[0]["Subject"] == "Priya Raman sent you a message"
    body = smtp_sink.text_of(mail[0])
    assert "Could you send me your CV before Tuesday?" in body and "Just sent" not in body
    assert f"http://localhost/mentorships/{pair}/messages" in body
    assert "Read and reply" in smtp_sink.html_of(mail[0])

    assert sweep(app) == 0  # once per message
    run_jobs()
    with app.app_context(), unscoped():
        db.session.execute(update(Message).values(created_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    student_client.get(f"/mentorships/{pair}/messages")  # reads both before the next sweep
    assert sweep(app) == 0
    run_jobs()
    assert len(smtp_sink.messages) == 1


def test_one_mail_per_person_sums_up_their_unread_threads(app, institution, people, run_jobs, smtp_sink):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu")
    with app.app_context(), tenant_scope(institution.id):
        with_jordan = make_pair(institution.id)
        with_amara = make_pair(institution.id, mentee_ids=[amara.id], program_name="Women in Tech")
    for number in range(1, 5):
        send(app, institution, with_amara, amara.id, f"Question {number}", minutes_ago=90)
    send(app, institution, with_jordan, people["student"].id, "Hello from Jordan", minutes_ago=70)
    send(app, institution, with_jordan, people["mentor"].id, "Priya's own message", minutes_ago=65)
    assert sweep(app) == 2  # Priya (two threads) and Jordan (Priya's reply)
    run_jobs()
    mails = {message["To"]: message for message in smtp_sink.wait_for(2)}
    assert len(smtp_sink.messages) == 2
    to_priya = mails[people["mentor"].email]
    assert to_priya["Subject"] == "5 unread messages in Mentor Portal"
    body = smtp_sink.text_of(to_priya)
    assert "Amara Nwosu (Women in Tech): 4 unread" in body and "Jordan Lee (Career Pathways): 1 unread" in body
    assert "Question 4" in body and "Question 1" not in body and "…and 1 more" in body
    assert "Priya's own message" not in body
    assert "Priya's own message" in smtp_sink.text_of(mails[people["student"].email])


def test_no_mail_when_the_message_was_read_deactivated_or_is_stale(app, institution, pair, people, run_jobs,
                                                                  smtp_sink):
    read = send(app, institution, pair, people["mentor"].id, "Read in time", minutes_ago=70)
    with app.app_context(), tenant_scope(institution.id):
        mark_read(pair, people["student"].id, read)
        db.session.commit()
    send(app, institution, pair, people["mentor"].id, "Waited four days", minutes_ago=4 * 24 * 60)
    assert sweep(app) == 0
    send(app, institution, pair, people["mentor"].id, "To a deactivated account", minutes_ago=70)
    with app.app_context(), unscoped():
        db.session.get(User, people["student"].id).status = UserStatus.DEACTIVATED
        db.session.commit()
    assert sweep(app) == 0
    with app.app_context(), unscoped():
        pending = db.session.scalars(select(Message.id).where(Message.unread_mail_checked_at.is_(None))).all()
    assert pending == []  # each looked at once, mailed or not
    run_jobs()
    assert smtp_sink.messages == []


def test_a_message_read_between_the_sweep_and_the_mail_is_not_mailed(app, institution, pair, people, run_jobs,
                                                                      smtp_sink, student_client):
    send(app, institution, pair, people["mentor"].id, "Quick question", minutes_ago=61)
    assert sweep(app) == 1
    student_client.get(f"/mentorships/{pair}/messages")
    run_jobs()
    time.sleep(0.2)
    assert smtp_sink.messages == []


def test_the_cron_scheduler_sweeps_unread_messages(app):
    from rq.cron import CronScheduler

    from portal.jobs import redis_connection
    from portal.periodic import register_periodic_jobs

    with app.app_context():
        cron = CronScheduler(connection=redis_connection())
        register_periodic_jobs(cron)
        assert "mail_unread_messages" in [job.func.__name__ for job in cron.get_jobs()]


# --- Under concurrency (PostgreSQL) ----------------------------------------------------------------------

def _needs_postgres(app) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")


def test_two_sweeps_at_once_mail_each_message_once(app, institution, pair, people, run_jobs, smtp_sink):
    _needs_postgres(app)
    send(app, institution, pair, people["mentor"].id, "Are you free on Friday?", minutes_ago=61)
    with app.app_context():
        assert mail_unread_messages() == 1  # not committed yet: the claimed row stays locked
        assert while_open(app, mail_unread_messages) == 0
    run_jobs()
    assert len(smtp_sink.wait_for(1)) == 1
    time.sleep(0.2)
    assert len(smtp_sink.messages) == 1


def test_two_tabs_marking_a_thread_read_at_once_keep_one_read_mark(app, institution, pair, people):
    _needs_postgres(app)
    message_id = send(app, institution, pair, people["mentor"].id, "Hello")
    start, errors = threading.Barrier(2), []

    def read_in_a_tab():
        try:
            with app.app_context(), tenant_scope(institution.id):
                start.wait()
                mark_read(pair, people["student"].id, message_id)
                time.sleep(0.2)  # both inserts are in flight before either commits
                db.session.commit()
        except Exception as error:  # noqa: BLE001 (the assertion below names it)
            errors.append(error)

    tabs = [threading.Thread(target=read_in_a_tab) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(10)
    assert errors == []
    with app.app_context(), unscoped():
        assert db.session.scalars(select(MessageRead.last_read_message_id)).all() == [message_id]
    assert total_unread_of(app, institution, people["student"].id) == 0


def test_messages_sent_at_once_in_one_thread_commit_in_id_order(app, institution, pair, people):
    _needs_postgres(app)
    with app.app_context(), tenant_scope(institution.id):
        first = send_message(pair, people["mentor"].id, "First, committed late").id
        order = {}

        def second_sender():
            with app.app_context(), tenant_scope(institution.id):
                order["second"] = send_message(pair, people["student"].id, "Second").id
                db.session.commit()

        thread = threading.Thread(target=second_sender)
        thread.start()
        time.sleep(0.5)
        assert "second" not in order, "the second send must wait for the first to commit"
        db.session.commit()
        thread.join(10)
    # A poller that saw the second message has therefore seen the first: nothing slips behind "after".
    assert order["second"] > first


# --- Demo --------------------------------------------------------------------------------------------------

def test_the_demo_gives_every_pair_a_thread_some_of_it_unread(app):
    from portal.demo import seed_demo
    from portal.demo.messages import seed
    from portal.models import Mentorship, MentorshipParticipant, SharedNote

    with app.app_context(), unscoped():
        institution = seed_demo()  # seeds the messages too
        db.session.commit()
        assert seed(institution) == 0  # seeding again changes nothing
        mentorships = db.session.scalars(select(Mentorship.id)).all()
        assert mentorships
        now, unread = utcnow(), 0
        for mentorship_id in mentorships:
            sent = db.session.scalars(select(Message).where(Message.mentorship_id == mentorship_id)
                                      .order_by(Message.id)).all()
            assert len(sent) >= 5 and all(message.created_at <= now for message in sent)
            assert [m.created_at for m in sent] == sorted(m.created_at for m in sent)
            assert db.session.scalar(select(SharedNote.id).where(SharedNote.mentorship_id == mentorship_id))
            for user_id in db.session.scalars(select(MentorshipParticipant.user_id)
                                              .where(MentorshipParticipant.mentorship_id == mentorship_id)):
                unread += unread_counts(user_id).get(mentorship_id, 0)
        assert unread >= 1
        assert mail_unread_messages() == 0  # the demo's history mails nobody
        db.session.rollback()
