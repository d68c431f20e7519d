"""Sixteen students ask for a mentor's last free place at the same moment, round after round: exactly one
request is made, every other student reads why not, and nothing fails. Meant for PostgreSQL (row locks);
on SQLite the database's single writer gives the same outcome."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import EnrollmentRole, EnrollmentSource, MentorRequest, Program, ProgramStatus, RequestStatus, User
from portal.programs import create_program, enroll, set_program_status
from portal.requests import request_mentor
from portal.tenancy import tenant_scope
from tests.factories import make_user
from tests.test_match_runs import set_profile

CONTENDERS = 16
ROUNDS = 4
MESSAGE = "I'm hoping to learn how you chose your first role and how to prepare for interviews in your field."
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def race(app, institution, people, make_client):
    """An open program with a student holding a place and sixteen signed-in students ready to ask."""
    with app.app_context():
        students = [make_user(institution, "student", "Racer", f"No{number:02d}") for number in range(CONTENDERS)]
        holder = make_user(institution, "student", "Early", "Bird")
    with app.app_context(), tenant_scope(institution.id):
        program = create_program(institution.id, {"name": "Career Pathways", "max_open_requests": 20})
        set_program_status(program, ProgramStatus.OPEN)
        for ref in [*students, holder]:
            enroll(program, db.session.get(User, ref.id), EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
        db.session.commit()
        program_id = program.id
    clients = []
    for ref in students:
        client = make_client()
        assert client.sign_in(ref.email).status_code == 302
        token = CSRF.search(client.get("/reset-password").get_data(as_text=True)).group(1)
        clients.append((client, token))
    return {"program": program_id, "clients": clients, "holder": holder}


def _mentor_with_one_place_left(app, institution, race, number: int):
    """Return a new mentor with capacity 2, one place already held by a pending request."""
    with app.app_context():
        mentor = make_user(institution, "mentor", "Busy", f"Mentor{number}")
    set_profile(app, mentor, capacity=2, accepting_requests=True)
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, race["program"])
        enroll(program, db.session.get(User, mentor.id), EnrollmentRole.MENTOR, EnrollmentSource.ADMIN)
        request_mentor(race["holder"].id, mentor.id, program.id, MESSAGE)
        db.session.commit()
    return mentor


def test_sixteen_students_race_for_the_last_place_and_exactly_one_wins(app, institution, race):
    for number in range(ROUNDS):
        mentor = _mentor_with_one_place_left(app, institution, race, number)
        start = threading.Barrier(CONTENDERS)
        outcomes: list[tuple[int, str] | BaseException] = [None] * CONTENDERS

        def ask(index: int) -> None:
            client, token = race["clients"][index]
            try:
                start.wait(timeout=60)
                response = client.post(f"/mentors/{mentor.id}/request", csrf=False,
                                       data={"csrf_token": token, "message": MESSAGE})
                outcomes[index] = (response.status_code, response.get_data(as_text=True))
            except BaseException as error:  # noqa: BLE001 (reported below, with the round)
                outcomes[index] = error

        threads = [threading.Thread(target=ask, args=(index,)) for index in range(CONTENDERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        failures = [outcome for outcome in outcomes if not isinstance(outcome, tuple)]
        assert not failures, f"round {number}: {failures}"
        statuses = sorted(status for status, _body in outcomes)
        assert statuses == [302] + [409] * (CONTENDERS - 1), f"round {number}: {statuses}"
        for status, body in outcomes:
            if status == 409:
                assert "Busy has no free spot right now." in body, f"round {number}"
        with app.app_context(), tenant_scope(institution.id):
            held = db.session.scalar(select(func.count(MentorRequest.id)).where(
                MentorRequest.mentor_id == mentor.id, MentorRequest.status == RequestStatus.PENDING))
        assert held == 2, f"round {number}: the mentor holds {held} requests for 2 places"
