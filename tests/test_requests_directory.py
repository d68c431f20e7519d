"""What the directory says about requests: how quickly each mentor answers (the median over the requests
they accepted or declined), "Most responsive" first, and places held by requests waiting for an answer."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.models import MentorRequest, Program, RequestStatus, utcnow
from portal.tenancy import unscoped
from tests.factories import make_user
from tests.test_directory import card_of, names, search, world  # noqa: F401  (world is the fixture)


def add_request(app, institution, program_id: int, mentor_id: int, status: str, hours: float | None = None,
                days_ago: float = 20) -> None:
    """Record a request to the mentor asked `days_ago` and answered after `hours` (None: not answered)."""
    with app.app_context(), unscoped():
        count = db.session.query(MentorRequest).count()
        mentee = make_user(institution, "student", "Asker", f"Number{count:02d}", password=None)
        created = utcnow() - timedelta(days=days_ago)
        answered = created + timedelta(hours=hours) if hours is not None else None
        program = db.session.get(Program, program_id)
        db.session.add(MentorRequest(
            institution_id=program.institution_id, program_id=program_id, mentee_id=mentee.id, mentor_id=mentor_id,
            message="I'd like to learn about your field.", status=RequestStatus(status), created_at=created,
            expires_at=created + timedelta(days=14), answered_at=answered,
            closed_at=answered or (created + timedelta(days=1) if status != "pending" else None)))
        db.session.commit()


def test_the_profile_and_card_say_how_quickly_a_mentor_answers(app, institution, student_client, world):
    for hours, status in ((1, "accepted"), (5, "declined"), (30, "accepted")):
        add_request(app, institution, world.program, world.ana.id, status, hours)
    add_request(app, institution, world.program, world.ana.id, "withdrawn")  # not an answer: not counted
    add_request(app, institution, world.program, world.ana.id, "expired")
    profile = student_client.get(f"/mentors/{world.ana.id}").get_data(as_text=True)
    assert "Usually answers requests within 5 hours" in profile
    assert "(median of 3 answered requests)" in profile
    card = card_of(search(student_client), "Ana Okafor")
    assert "Usually answers within 5 hours" in card
    # A mentor who has answered nothing yet shows no answer time at all.
    assert "answers" not in card_of(search(student_client), "Dev Patel").lower()
    assert "Usually answers" not in student_client.get(f"/mentors/{world.dev.id}").get_data(as_text=True)


def test_most_responsive_puts_the_quickest_first_and_the_unknown_last(app, institution, student_client, world):
    add_request(app, institution, world.program, world.dev.id, "accepted", 2)
    for hours in (1, 5, 30):
        add_request(app, institution, world.program, world.ana.id, "declined", hours)
    add_request(app, institution, world.program, world.chloe.id, "declined", 48)
    page = search(student_client, htmx=False)
    assert "Most responsive" in page
    body = search(student_client, sort="responsive")
    assert "once mentors have answered requests" not in body
    assert names(body) == ["Dev Patel", "Ana Okafor", "Chloe Nguyen", "Priya Raman", "Ben Schmidt"]
    assert "Usually answers within 2 hours" in card_of(body, "Dev Patel")
    assert "Usually answers within 2 days" in card_of(body, "Chloe Nguyen")


def test_a_request_waiting_for_an_answer_holds_a_place_in_the_directory(app, institution, student_client, world):
    add_request(app, institution, world.program, world.dev.id, "pending", days_ago=1)
    assert "1 of 2 spots open" in card_of(search(student_client), "Dev Patel")
    add_request(app, institution, world.program, world.dev.id, "pending", days_ago=1)
    assert "Full" in card_of(search(student_client), "Dev Patel")
    assert "Dev Patel" not in names(search(student_client, free_spot="y"))
    # Answered requests give their place back (declined) or hand it to the mentorship (accepted, counted there).
    add_request(app, institution, world.program, world.ana.id, "declined", 3)
    assert "3 of 3 spots open" in card_of(search(student_client), "Ana Okafor")
