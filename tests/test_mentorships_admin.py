"""Admins see every mentorship and request of their programs, filter them (status, program, age, person),
page through long lists, and pair a mentor with mentees by hand."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.models import (
    EnrollmentRole, EnrollmentSource, MentorRequest, Mentorship, MentorshipOrigin, MentorshipParticipant, Notification,
    ParticipantRole, Program, RequestStatus, User, utcnow,
)
from portal.programs import create_program, enroll
from portal.tenancy import tenant_scope, unscoped
from tests.test_match_runs import make_cohort, text

HTMX = {"HX-Request": "true"}


@pytest.fixture
def cohort(app, institution, people):
    return make_cohort(app, institution, people)


def _program(cohort) -> Program:
    return db.session.get(Program, cohort["program"])


@pytest.fixture
def listed(app, institution, cohort, people):
    """Priya-Jordan active (10 days old), Marcus-Amara completed, Elena-Lucas active today; and requests."""
    with app.app_context(), tenant_scope(institution.id):
        program = _program(cohort)
        old = create_mentorship(program, cohort["Priya"].id, [cohort["Jordan"].id], "request", None)
        old.started_at = utcnow() - timedelta(days=10)
        done = create_mentorship(program, cohort["Marcus"].id, [cohort["Amara"].id], "admin_match", None)
        done.status = "completed"
        done.ended_at = utcnow()
        create_mentorship(program, cohort["Elena"].id, [cohort["Lucas"].id], "admin_manual", None)
        now = utcnow()
        for mentee, mentor, status, age in (("Amara", "Priya", "pending", 9), ("Lucas", "Marcus", "pending", 2),
                                            ("Jordan", "Elena", "declined", 20)):
            db.session.add(MentorRequest(
                institution_id=institution.id, program_id=program.id, mentee_id=cohort[mentee].id,
                mentor_id=cohort[mentor].id, message="Could you help me?", status=RequestStatus(status),
                created_at=now - timedelta(days=age), expires_at=now + timedelta(days=14 - age)))
        db.session.commit()
    return cohort


def _words(html: str) -> str:
    """Return the page's text as a reader sees it, without tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rows(html: str, kind: str) -> int:
    return len(re.findall(rf'<tr id="{kind}-\d+"', html))


def test_admins_filter_mentorships_by_status_program_age_and_person(app, listed, admin_client):
    page = text(admin_client.get("/admin/mentorships"))
    assert _rows(page, "mentorship") == 3
    assert "2 active" in _words(page) and "1 completed" in _words(page)
    assert 'hx-push-url="true"' in page and 'hx-target="#mentorship-results"' in page
    assert _rows(text(admin_client.get("/admin/mentorships?status=completed")), "mentorship") == 1
    older = text(admin_client.get("/admin/mentorships?age=7"))
    assert _rows(older, "mentorship") == 1 and "Priya Raman" in older and "10 days ago" in older
    assert _rows(text(admin_client.get("/admin/mentorships?q=novak")), "mentorship") == 1
    assert _rows(text(admin_client.get("/admin/mentorships?q=lucas%20ferreira")), "mentorship") == 1
    assert _rows(text(admin_client.get(f"/admin/mentorships?program={listed['program']}")), "mentorship") == 3
    empty = text(admin_client.get("/admin/mentorships?status=ended_early"))
    assert "No mentorship matches these filters" in empty and "Clear the filters" in empty
    # Nonsense in the address counts as no filter, never an error.
    for query in ("status=paused", "age=3", "program=abc", "page=-4", "page=abc", "page=99999999"):
        response = admin_client.get(f"/admin/mentorships?{query}")
        assert response.status_code == 200, query
        assert _rows(text(response), "mentorship") == 3, query
    # htmx asks for just the results.
    fragment = text(admin_client.get("/admin/mentorships?status=active",
                                     headers={**HTMX, "HX-Target": "mentorship-results"}))
    assert "<html" not in fragment and _rows(fragment, "mentorship") == 2


def test_the_mentorship_list_pages_through_many_mentorships(app, institution, cohort, admin_client):
    with app.app_context(), tenant_scope(institution.id):
        for number in range(30):
            db.session.add(Mentorship(
                institution_id=institution.id, program_id=cohort["program"], origin=MentorshipOrigin.ADMIN_MANUAL,
                started_at=utcnow() - timedelta(hours=number), participants=[
                    MentorshipParticipant(institution_id=institution.id, user_id=cohort["Priya"].id,
                                          role=ParticipantRole.MENTOR),
                    MentorshipParticipant(institution_id=institution.id, user_id=cohort["Jordan"].id,
                                          role=ParticipantRole.MENTEE)]))
        db.session.commit()
    first = text(admin_client.get("/admin/mentorships?status=active"))
    assert _rows(first, "mentorship") == 25 and "30 mentorships, showing 1–25" in first
    assert "/admin/mentorships?status=active&amp;page=2" in admin_client.get(
        "/admin/mentorships?status=active").get_data(as_text=True)
    second = text(admin_client.get("/admin/mentorships?status=active&page=2"))
    assert _rows(second, "mentorship") == 5 and "showing 26–30" in second
    assert "showing 26–30" in text(admin_client.get("/admin/mentorships?page=7"))  # past the end: the last page


def test_admins_see_every_request_with_filters(app, listed, admin_client):
    page = text(admin_client.get("/admin/requests"))
    assert _rows(page, "request") == 3
    assert "1 request has waited more than 7 days for an answer." in page
    assert "2 waiting for an answer" in _words(page) and "1 declined" in _words(page)
    waiting_long = text(admin_client.get("/admin/requests?status=pending&age=7"))
    assert _rows(waiting_long, "request") == 1 and "Amara Nwosu" in waiting_long
    declined = text(admin_client.get("/admin/requests?status=declined"))
    assert _rows(declined, "request") == 1 and "Jordan Lee" in declined
    assert _rows(text(admin_client.get("/admin/requests?q=marcus")), "request") == 1
    fragment = text(admin_client.get("/admin/requests?q=priya", headers={**HTMX, "HX-Target": "request-results"}))
    assert "<html" not in fragment and _rows(fragment, "request") == 1
    assert "No request matches these filters" in text(admin_client.get("/admin/requests?status=withdrawn"))


def test_another_institution_sees_none_of_our_mentorships_or_requests(listed, other_admin_client):
    for path, words in (("/admin/mentorships", "No mentorships yet"), ("/admin/requests", "No requests yet")):
        page = text(other_admin_client.get(path))
        assert words in page
        assert "Priya" not in page and "Career Pathways" not in page


def test_students_and_mentors_cannot_open_the_admin_lists(listed, mentor_client, student_client):
    for client in (mentor_client, student_client):
        for path in ("/admin/mentorships", "/admin/requests", "/admin/mentorships/new"):
            assert client.get(path).status_code == 403


def test_an_admin_pairs_a_mentor_and_a_mentee_by_hand(app, institution, cohort, people, admin_client, run_jobs,
                                                      smtp_sink):
    start = text(admin_client.get("/admin/mentorships/new"))
    assert "Choose a program to see its mentors" in start and "Career Pathways" in start
    chosen = text(admin_client.get(f"/admin/mentorships/new?program={cohort['program']}"))
    assert "Elena Novak · 1 free place" in chosen and "Marcus Okafor · 2 free places" in chosen
    assert "Jordan Lee" in chosen and "Only mentees without a mentor" in chosen
    # The program menu swaps in the people of the program, without a page load.
    fragment = text(admin_client.get(f"/admin/mentorships/new?program={cohort['program']}",
                                     headers={**HTMX, "HX-Target": "new-mentorship-form"}))
    assert "<html" not in fragment and "Marcus Okafor" in fragment

    response = admin_client.post("/admin/mentorships/new", data={
        "program": cohort["program"], "mentor": cohort["Marcus"].id, "mentees": [cohort["Amara"].id],
        "note": "They met at the alumni evening."})
    assert response.status_code == 302
    listing = text(admin_client.get(response.headers["Location"]))
    assert "Mentorship made: Amara Nwosu with Marcus Okafor in Career Pathways." in listing
    with app.app_context(), tenant_scope(institution.id):
        mentorship = db.session.scalar(select(Mentorship))
        assert mentorship.origin == MentorshipOrigin.ADMIN_MANUAL
        assert [(e.kind, e.actor_id, e.note) for e in mentorship.events] == [
            ("created", people["admin"].id, "They met at the alumni evening.")]
        titles = {n.user_id: n.title for n in db.session.scalars(select(Notification))}
        mentorship_id = mentorship.id
    assert titles == {cohort["Marcus"].id: "You have a new mentee in Career Pathways: Amara Nwosu",
                      cohort["Amara"].id: "Meet your mentor in Career Pathways: Marcus Okafor"}
    run_jobs()
    mails = {mail["To"]: mail for mail in smtp_sink.wait_for(2)}
    assert set(mails) == {"marcus.okafor@northbridge.example.edu", "amara.nwosu@northbridge.example.edu"}
    assert f"/mentorships/{mentorship_id}" in smtp_sink.text_of(mails["amara.nwosu@northbridge.example.edu"])
    # Amara has a mentor now, so she is no longer offered in this one-to-one program.
    again = text(admin_client.get(f"/admin/mentorships/new?program={cohort['program']}"))
    assert "Amara Nwosu" not in again and "Marcus Okafor · 1 free place" in again


def test_pairing_by_hand_explains_what_cannot_be_done(app, institution, cohort, people, admin_client):
    with app.app_context(), tenant_scope(institution.id):
        create_mentorship(_program(cohort), cohort["Elena"].id, [cohort["Lucas"].id], "request", None)
        db.session.commit()
    response = admin_client.post("/admin/mentorships/new", data={
        "program": cohort["program"], "mentor": cohort["Elena"].id, "mentees": [cohort["Amara"].id]})
    assert response.status_code == 422
    assert "Elena Novak has no room for another mentee (capacity reached)." in text(response)
    response = admin_client.post("/admin/mentorships/new", data={
        "program": cohort["program"], "mentor": cohort["Marcus"].id, "mentees": [cohort["Lucas"].id]})
    assert "Lucas Ferreira already has a mentor in Career Pathways." in text(response)
    response = admin_client.post("/admin/mentorships/new", data={"program": cohort["program"]})
    assert response.status_code == 422
    assert "Choose a mentor." in text(response) and "Choose at least one mentee." in text(response)
    response = admin_client.post("/admin/mentorships/new", data={
        "program": cohort["program"], "mentor": cohort["Marcus"].id, "mentees": [people["other_student"].id]})
    assert "Someone is not a mentee in Career Pathways." in text(response)
    response = admin_client.post("/admin/mentorships/new", data={"mentor": cohort["Marcus"].id,
                                                                 "mentees": [cohort["Amara"].id]})
    assert "Choose the program the mentorship belongs to." in text(response)
    response = admin_client.post("/admin/mentorships/new", data={
        "program": cohort["program"], "mentor": "x", "mentees": ["y"]})
    assert response.status_code == 422
    with app.app_context(), unscoped():
        assert len(db.session.scalars(select(Mentorship.id)).all()) == 1
        assert db.session.scalar(select(Notification.id)) is None


def test_a_group_program_takes_several_mentees_and_a_flash_program_none(app, institution, cohort, admin_client):
    with app.app_context(), tenant_scope(institution.id):
        group = create_program(institution.id, {"name": "Women in Tech Circles", "format": "group"})
        flash = create_program(institution.id, {"name": "Office Hours", "format": "flash"})
        for first in ("Priya", "Jordan", "Amara"):
            user = db.session.get(User, cohort[first].id)
            enroll(group, user, EnrollmentRole.MENTOR if first == "Priya" else EnrollmentRole.MENTEE,
                   EnrollmentSource.ADMIN)
        db.session.commit()
        group_id, flash_id = group.id, flash.id
    page = text(admin_client.get(f"/admin/mentorships/new?program={group_id}"))
    assert 'type="checkbox" name="mentees"' in page and "tick every mentee" in page
    assert "Office Hours" not in text(admin_client.get("/admin/mentorships/new"))
    assert "Choose a program to see" in text(admin_client.get(f"/admin/mentorships/new?program={flash_id}"))
    response = admin_client.post("/admin/mentorships/new", data={
        "program": group_id, "mentor": cohort["Priya"].id, "mentees": [cohort["Jordan"].id, cohort["Amara"].id]})
    assert response.status_code == 302
    assert "Mentorship made: Jordan Lee, Amara Nwosu with Priya Raman in Women in Tech Circles." in text(
        admin_client.get(response.headers["Location"]))
