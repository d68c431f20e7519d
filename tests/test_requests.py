"""Mentor requests: a student asks with a message, the mentor accepts or declines with a reason, the student
withdraws; every rule answers with a sentence a person understands, and both sides are told by email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Mentorship, MentorRequest, MentorshipOrigin, Notification, Program, RequestStatus, User,
)
from portal.requests import RequestError, request_mentor
from portal.tenancy import tenant_scope, unscoped
from tests.factories import make_user
from tests.test_match_runs import HTMX, make_cohort, set_profile, text

MESSAGE = ("I'm a junior in computer science aiming for a backend role in fintech. I'd love to learn how you moved "
           "into engineering management and how to prepare for technical interviews.")


@pytest.fixture
def cohort(app, institution, people):
    return make_cohort(app, institution, people)


def ask(client, mentor_id: int, message: str = MESSAGE, **extra):
    return client.post(f"/mentors/{mentor_id}/request", data={"message": message, **extra})


def requests_in(app) -> list[tuple[str, str, str]]:
    """Return (student first name, mentor first name, status) of every request, oldest first."""
    with app.app_context(), unscoped():
        rows = db.session.scalars(select(MentorRequest).order_by(MentorRequest.id))
        return [(row.mentee.first_name, row.mentor.first_name, row.status.value) for row in rows]


def notifications_of(app, person) -> list[tuple[str, str, str]]:
    with app.app_context(), unscoped():
        return [(n.kind, n.title, n.body) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == person.id).order_by(Notification.id))]


def mails_to(messages: list, email: str) -> list:
    return [message for message in messages if message["To"] == email]


def request_id_of(response) -> int:
    return int(re.search(r"/requests/(\d+)$", response.headers["Location"]).group(1))


def sign_in(make_client, person):
    """Return a client signed in as one of the cohort (made without a password)."""
    from portal.accounts.passwords import hash_password
    from tests.factories import DEFAULT_PASSWORD

    with make_client.__self__.app_context(), unscoped():
        user = db.session.get(User, person.id)
        if user.password_hash is None:
            user.password_hash = hash_password(DEFAULT_PASSWORD)
            db.session.commit()
    client = make_client()
    assert client.sign_in(person.email).status_code == 302
    return client


def test_a_student_asks_and_the_mentor_accepts_in_their_inbox(app, cohort, student_client, mentor_client, run_jobs,
                                                             smtp_sink, people):
    priya, jordan = cohort["Priya"], cohort["Jordan"]
    form = text(student_client.get(f"/mentors/{priya.id}/request"))
    assert "Ask Priya Raman to mentor you" in form and "your goals" in form and "Send request" in form
    assert "Shared skills: Python" in form  # why this mentor fits, next to the message

    response = ask(student_client, priya.id)
    assert response.status_code == 302
    request_id = request_id_of(response)
    page = text(student_client.get(f"/requests/{request_id}"))
    assert "Your request to Priya Raman" in page and "Waiting for an answer" in page and MESSAGE in page
    assert "Your request is on its way to Priya" in page

    run_jobs()
    mail = mails_to(smtp_sink.wait_for(1), priya.email)
    assert mail and mail[0]["Subject"] == "Jordan Lee asked you to be their mentor"
    assert "how to prepare for technical interviews" in smtp_sink.text_of(mail[0])
    assert f"/requests/{request_id}" in smtp_sink.text_of(mail[0])

    inbox = text(mentor_client.get("/requests/inbox"))
    assert "Waiting for your answer" in inbox and "Jordan Lee" in inbox and MESSAGE in inbox
    assert "Computer Science" in inbox and "Career Pathways" in inbox
    assert re.search(r"Requests\s*<span class=\"badge[^>]*>1<", mentor_client.get("/").get_data(as_text=True))

    response = mentor_client.post(f"/requests/{request_id}/accept", data={"message": "Happy to help, Jordan!"})
    assert response.status_code == 302 and response.headers["Location"] == "/requests/inbox"
    assert "You're now mentoring Jordan Lee" in text(mentor_client.get("/requests/inbox"))
    assert requests_in(app) == [("Jordan", "Priya", "accepted")]
    with app.app_context(), unscoped():
        mentorship = db.session.scalar(select(Mentorship))
        assert mentorship.origin == MentorshipOrigin.REQUEST
        assert {p.user_id for p in mentorship.participants} == {priya.id, jordan.id}
        record = db.session.scalar(select(MentorRequest))
        assert record.mentorship_id == mentorship.id and record.answered_at is not None

    page = text(student_client.get(f"/requests/{request_id}"))
    assert "Priya accepted on" in page and "Priya is your mentor" in page and "Happy to help, Jordan!" in page
    assert "Priya Raman" in text(student_client.get("/")) and "Your mentor" in text(student_client.get("/"))
    assert "Jordan Lee" in text(mentor_client.get("/")) and "Your mentees" in text(mentor_client.get("/"))
    run_jobs()
    mail = mails_to(smtp_sink.wait_for(3), jordan.email)
    assert [m["Subject"] for m in mail] == ["Priya Raman accepted your request"]
    assert "Happy to help, Jordan!" in smtp_sink.text_of(mail[0])
    assert [kind for kind, _title, _body in notifications_of(app, priya)] == ["request_received", "mentorship_started"]


def test_the_message_is_required_and_guided(app, cohort, student_client):
    priya = cohort["Priya"]
    empty = ask(student_client, priya.id, message="   ")
    assert empty.status_code == 422 and "Write a short message: your goals and what you hope to learn." in text(empty)
    short = ask(student_client, priya.id, message="Please mentor me!")
    assert short.status_code == 422 and "Say a little more (at least 30 characters)" in text(short)
    assert "Please mentor me!" in text(short)  # what was typed stays
    long = ask(student_client, priya.id, message="x" * 2001)
    assert long.status_code == 422 and "Keep your message under 2,000 characters" in text(long)
    assert requests_in(app) == []


def test_one_pending_request_per_mentor_and_no_request_to_oneself(app, institution, cohort, student_client):
    priya = cohort["Priya"]
    assert ask(student_client, priya.id).status_code == 302
    again = ask(student_client, priya.id)
    assert again.status_code == 409
    assert "You've already asked Priya; your request is waiting for their answer." in text(again)
    assert "See your request" in text(again)
    with app.app_context(), tenant_scope(institution.id):
        with pytest.raises(RequestError, match="You can't ask yourself to be your mentor."):
            request_mentor(priya.id, priya.id, cohort["program"], MESSAGE)
    assert requests_in(app) == [("Jordan", "Priya", "pending")]


def test_only_mentors_taking_requests_can_be_asked(app, cohort, student_client):
    set_profile(app, cohort["Marcus"], accepting_requests=False)
    refused = ask(student_client, cohort["Marcus"].id)
    assert refused.status_code == 409 and "Marcus isn't taking new requests right now." in text(refused)
    assert MESSAGE in text(refused)  # the unsent message is kept for the student
    profile = text(student_client.get(f"/mentors/{cohort['Marcus'].id}"))
    assert "Marcus isn't taking new requests right now." in profile and "Send request" not in profile


def test_a_student_has_at_most_the_programs_limit_of_open_requests(app, cohort, student_client):
    with app.app_context(), unscoped():
        db.session.get(Program, cohort["program"]).max_open_requests = 2
        db.session.commit()
    assert ask(student_client, cohort["Priya"].id).status_code == 302
    assert ask(student_client, cohort["Marcus"].id).status_code == 302
    third = ask(student_client, cohort["Elena"].id)
    assert third.status_code == 409
    assert ("You have 2 requests waiting for an answer in Career Pathways, the most it allows. "
            "Withdraw one, or wait for an answer.") in text(third)
    assert "Career Pathways: 2 of 2 open requests used" in text(student_client.get("/requests"))


def test_a_pending_request_holds_a_place_so_a_full_mentor_cannot_be_asked(app, cohort, make_client, student_client):
    elena = cohort["Elena"]  # capacity 1
    lucas = sign_in(make_client, cohort["Lucas"])
    assert ask(lucas, elena.id).status_code == 302
    assert "Full" in text(student_client.get(f"/mentors/{elena.id}"))
    refused = ask(student_client, elena.id)
    assert refused.status_code == 409
    assert ("Elena has no free spot right now. Try another mentor, or ask Elena again when a spot opens."
            in text(refused))
    assert requests_in(app) == [("Lucas", "Elena", "pending")]


def test_the_mentor_declines_with_a_reason_and_the_student_sees_it(app, cohort, student_client, mentor_client,
                                                                  run_jobs, smtp_sink):
    request_id = request_id_of(ask(student_client, cohort["Priya"].id))
    no_reason = mentor_client.post(f"/requests/{request_id}/decline", data={"message": "Sorry"})
    assert no_reason.status_code == 302
    assert "Choose why you're declining, so the student understands." in text(mentor_client.get("/requests/inbox"))
    assert requests_in(app) == [("Jordan", "Priya", "pending")]
    bad = mentor_client.post(f"/requests/{request_id}/decline", data={"reason": "because"}, headers=HTMX)
    assert bad.status_code == 422 and "Choose why you're declining" in text(bad)

    response = mentor_client.post(f"/requests/{request_id}/decline", headers=HTMX, data={
        "reason": "not_a_fit", "message": "Marcus knows product far better than I do; try him!"})
    assert response.status_code == 200
    fragment = text(response)
    assert fragment.lstrip().startswith('<article class="card shadow-sm request-item" id="request-')
    assert "Declined. We've told Jordan your reason." in fragment and "Not the right fit" in fragment
    assert requests_in(app) == [("Jordan", "Priya", "declined")]

    mine = text(student_client.get("/requests"))
    assert "Answered and closed" in mine and "Priya declined on" in mine and "Not the right fit" in mine
    assert "Marcus knows product far better than I do; try him!" in mine
    assert "No request is waiting for an answer" in mine
    run_jobs()
    mail = mails_to(smtp_sink.wait_for(2), cohort["Jordan"].email)
    assert [m["Subject"] for m in mail] == ["Priya Raman declined your request"]
    body = smtp_sink.text_of(mail[0])
    assert "Their reason: not the right fit." in body and "try him!" in body
    # Declining frees the place, and a declined pair may ask again later.
    assert ask(student_client, cohort["Priya"].id).status_code == 302


def test_the_student_withdraws_and_the_mentor_is_told(app, cohort, student_client, mentor_client):
    request_id = request_id_of(ask(student_client, cohort["Priya"].id))
    assert "Withdraw" in text(student_client.get("/requests"))
    response = student_client.post(f"/requests/{request_id}/withdraw")
    assert response.status_code == 302 and response.headers["Location"] == "/requests"
    page = text(student_client.get("/requests"))
    assert "Your request to Priya is withdrawn, and Priya has been told." in page and "Withdrawn on" in page
    assert notifications_of(app, cohort["Priya"])[-1][:2] == ("request_withdrawn", "Jordan Lee withdrew their request")
    again = student_client.post(f"/requests/{request_id}/withdraw")
    assert "This request has already been withdrawn." in text(student_client.get(again.headers["Location"]))
    late = mentor_client.post(f"/requests/{request_id}/accept", headers=HTMX)
    assert late.status_code == 409 and "This request has already been withdrawn." in text(late)
    assert "No requests are waiting" in text(mentor_client.get("/requests/inbox"))


def test_accepting_withdraws_the_students_other_requests_politely(app, cohort, student_client, mentor_client,
                                                                  make_client):
    to_priya = request_id_of(ask(student_client, cohort["Priya"].id))
    to_marcus = request_id_of(ask(student_client, cohort["Marcus"].id))
    assert mentor_client.post(f"/requests/{to_priya}/accept").status_code == 302
    assert requests_in(app) == [("Jordan", "Priya", "accepted"), ("Jordan", "Marcus", "withdrawn")]
    kind, title, body = notifications_of(app, cohort["Marcus"])[-1]
    assert (kind, title) == ("request_withdrawn", "Jordan Lee has found a mentor")
    assert "Thank you for considering it" in body
    marcus = sign_in(make_client, cohort["Marcus"])
    page = text(marcus.get(f"/requests/{to_marcus}"))
    assert "Withdrawn on" in page and "Jordan found a mentor in Career Pathways." in page
    # And now Jordan has a mentor in this one-to-one program, so asking another is refused.
    refused = ask(student_client, cohort["Elena"].id)
    assert refused.status_code == 409 and "You already have a mentor in Career Pathways." in text(refused)


def test_accepting_beyond_capacity_is_refused_with_a_clear_message(app, cohort, mentor_client, student_client,
                                                                   make_client):
    first = request_id_of(ask(student_client, cohort["Priya"].id))
    second = request_id_of(ask(sign_in(make_client, cohort["Amara"]), cohort["Priya"].id))
    assert "Full" in text(student_client.get(f"/mentors/{cohort['Priya'].id}"))  # 2 of 2 places held
    assert mentor_client.post(f"/requests/{first}/accept").status_code == 302  # its own place, not a third
    set_profile(app, cohort["Priya"], capacity=1)
    refused = mentor_client.post(f"/requests/{second}/accept", headers=HTMX)
    assert refused.status_code == 409
    assert "You have no free spot for another mentee." in text(refused) and "Accept Amara" in text(refused)
    assert requests_in(app) == [("Jordan", "Priya", "accepted"), ("Amara", "Priya", "pending")]


def test_an_admin_match_respects_the_places_requests_hold(app, institution, cohort, make_client):
    from portal.mentorships import MentorshipError, create_mentorship, free_capacities

    assert ask(sign_in(make_client, cohort["Lucas"]), cohort["Elena"].id).status_code == 302
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, cohort["program"])
        assert free_capacities(program)[cohort["Elena"].id] == 0
        with pytest.raises(MentorshipError, match="Elena Novak has no room for another mentee"):
            create_mentorship(program, cohort["Elena"].id, [cohort["Amara"].id], "admin_manual", None)


def test_mentees_of_every_program_and_pending_requests_count_against_capacity(app, institution, cohort,
                                                                              student_client):
    from portal.mentorships import create_mentorship, free_capacities
    from portal.models import EnrollmentRole, EnrollmentSource
    from portal.programs import create_program, enroll

    with app.app_context(), tenant_scope(institution.id):
        other = create_program(institution.id, {"name": "Summer Sprint", "format": "group"})
        for first, role in (("Priya", EnrollmentRole.MENTOR), ("Lucas", EnrollmentRole.MENTEE)):
            enroll(other, db.session.get(User, cohort[first].id), role, EnrollmentSource.ADMIN)
        create_mentorship(other, cohort["Priya"].id, [cohort["Lucas"].id], "admin_manual", None)
        db.session.commit()
    assert "1 of 2 spots open" in text(student_client.get(f"/mentors/{cohort['Priya'].id}"))
    assert ask(student_client, cohort["Priya"].id).status_code == 302
    with app.app_context(), tenant_scope(institution.id):
        assert free_capacities(db.session.get(Program, cohort["program"]))[cohort["Priya"].id] == 0
    assert "Full" in text(student_client.get(f"/mentors/{cohort['Priya'].id}"))
    free_only = text(student_client.get("/mentors?free_spot=y"))
    assert "Priya Raman" not in free_only and "Marcus Okafor" in free_only


def test_people_outside_a_request_find_nothing(app, cohort, student_client, make_client, admin_client,
                                               other_admin_client):
    request_id = request_id_of(ask(student_client, cohort["Priya"].id))
    marcus, amara = sign_in(make_client, cohort["Marcus"]), sign_in(make_client, cohort["Amara"])
    assert marcus.get(f"/requests/{request_id}").status_code == 404
    assert marcus.post(f"/requests/{request_id}/accept").status_code == 404
    assert marcus.post(f"/requests/{request_id}/decline", data={"reason": "too_busy"}).status_code == 404
    assert amara.get(f"/requests/{request_id}").status_code == 404
    assert amara.post(f"/requests/{request_id}/withdraw").status_code == 404
    assert student_client.post(f"/requests/{request_id}/accept").status_code == 403
    assert other_admin_client.get(f"/requests/{request_id}").status_code == 404
    page = text(admin_client.get(f"/requests/{request_id}"))
    assert "Jordan Lee asked Priya Raman" in page and MESSAGE in page
    assert "Accept" not in page and "Withdraw" not in page  # admins read; the two people act
    assert requests_in(app) == [("Jordan", "Priya", "pending")]


def test_the_request_form_is_on_the_mentor_profile(app, cohort, student_client):
    priya = cohort["Priya"]
    profile = text(student_client.get(f"/mentors/{priya.id}"))
    box = profile[profile.index('class="card shadow-sm request-box"'):]
    assert "Ask Priya to mentor you" in box and 'name="message"' in box and "Send request" in box
    assert f'action="/mentors/{priya.id}/request"' in box
    request_id = request_id_of(ask(student_client, priya.id))
    profile = text(student_client.get(f"/mentors/{priya.id}"))
    assert "Your request is waiting for an answer" in profile and f"/requests/{request_id}" in profile
    assert 'name="message"' not in profile


def test_a_mentor_cannot_be_asked_outside_the_students_programs(app, institution, cohort, student_client):
    with app.app_context():
        stranger = make_user(institution, "mentor", "Nina", "Berg")
    assert student_client.get(f"/mentors/{stranger.id}/request").status_code == 404
    assert ask(student_client, stranger.id).status_code == 404
    assert requests_in(app) == []


def test_unanswered_requests_expire_and_both_sides_are_told(app, cohort, student_client, run_jobs, smtp_sink):
    from portal.requests import expire_requests

    request_id = request_id_of(ask(student_client, cohort["Priya"].id))
    with app.app_context():
        assert expire_requests() == 0
        with unscoped():
            record = db.session.get(MentorRequest, request_id)
            assert record.expires_at - record.created_at == timedelta(days=14)
            record.created_at -= timedelta(days=14, minutes=1)
            record.expires_at -= timedelta(days=14, minutes=1)
            db.session.commit()
        assert expire_requests() == 1
        db.session.commit()
        assert expire_requests() == 0  # a second sweep tells nobody twice
        db.session.commit()
    assert requests_in(app) == [("Jordan", "Priya", "expired")]
    run_jobs()
    subjects = sorted(m["Subject"] for m in smtp_sink.wait_for(3))
    assert subjects == ["Jordan Lee asked you to be their mentor", "Jordan Lee's request has expired",
                        "Your request to Priya Raman has expired"]
    assert "Expired on" in text(student_client.get("/requests"))
    # The place is free again.
    assert "2 of 2 spots open" in text(student_client.get(f"/mentors/{cohort['Priya'].id}"))


def test_the_cron_scheduler_expires_requests_every_hour(app):
    from rq.cron import CronScheduler

    from portal.jobs import redis_connection
    from portal.periodic import register_periodic_jobs

    with app.app_context():
        cron = CronScheduler(connection=redis_connection())
        register_periodic_jobs(cron)
        jobs = {job.func.__name__: job for job in cron.get_jobs()}
    assert jobs["expire_requests"].cron == "23 * * * *"


def test_the_demo_fills_priyas_inbox_and_leaves_her_a_place_for_jordan(app):
    from portal.demo import DEMO_LOGINS, seed_demo
    from portal.demo.requests import seed
    from portal.mentorships import free_capacities
    from portal.models import Role

    with app.app_context(), unscoped():
        institution = seed_demo()  # seeds the requests too
        assert seed(institution) == 0  # seeding again changes nothing
        db.session.commit()
        priya = db.session.scalar(select(User).where(User.email == DEMO_LOGINS[Role.MENTOR]))
        jordan = db.session.scalar(select(User).where(User.email == DEMO_LOGINS[Role.STUDENT]))
        statuses = [(r.mentee.first_name, r.mentor.first_name, r.status.value)
                    for r in db.session.scalars(select(MentorRequest).order_by(MentorRequest.id))]
        assert ("Amara", "Priya", "pending") in statuses and ("Noah", "Priya", "pending") in statuses
        assert {"accepted", "declined", "expired"} <= {status for _mentee, _mentor, status in statuses}
        assert not [row for row in statuses if row[0] == "Jordan"]
        program = db.session.scalar(select(Program).where(Program.institution_id == institution.id,
                                                          Program.status == "open").order_by(Program.id))
        assert free_capacities(program, [priya.id]) == {priya.id: 1}
        record = request_mentor(jordan.id, priya.id, program.id, MESSAGE)
        assert record.status == RequestStatus.PENDING
        db.session.rollback()
