"""Mentorships: made within capacity, never twice for a pair, with a history; what dashboards read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import (
    MentorshipError, active_mentorships_of, create_mentorship, create_mentorships, free_capacities, pairs_ever,
)
from portal.mentorships.cards import mentorship_cards
from portal.models import EnrollmentRole, EnrollmentSource, Mentorship, Program, User
from portal.programs import create_program, enroll
from portal.tenancy import tenant_scope
from tests.factories import make_user
from tests.test_match_runs import make_cohort, text


@pytest.fixture
def cohort(app, institution, people):
    return make_cohort(app, institution, people)


def _program(cohort) -> Program:
    return db.session.get(Program, cohort["program"])


def test_a_mentorship_has_its_people_and_a_history(app, institution, cohort, people):
    with app.app_context(), tenant_scope(institution.id):
        mentorship = create_mentorship(_program(cohort), cohort["Priya"].id, [cohort["Jordan"].id], "request",
                                       people["admin"].id, note="Requested by the student")
        db.session.commit()
        assert {(p.user_id, p.role.value) for p in mentorship.participants} == {
            (cohort["Priya"].id, "mentor"), (cohort["Jordan"].id, "mentee")}
        assert [(e.kind, e.actor_id, e.note) for e in mentorship.events] == [
            ("created", people["admin"].id, "Requested by the student")]
        assert mentorship.status.value == "active" and mentorship.origin.value == "request"
        assert [m.id for m in active_mentorships_of(cohort["Jordan"].id)] == [mentorship.id]
        assert pairs_ever() == {(cohort["Jordan"].id, cohort["Priya"].id)}
        assert free_capacities(_program(cohort)) == {cohort["Priya"].id: 1, cohort["Marcus"].id: 2,
                                                     cohort["Elena"].id: 1}


def test_a_mentor_is_never_given_more_mentees_than_capacity(app, institution, cohort):
    with app.app_context(), tenant_scope(institution.id):
        create_mentorship(_program(cohort), cohort["Elena"].id, [cohort["Lucas"].id], "request", None)
        db.session.commit()
        with pytest.raises(MentorshipError, match="Elena Novak has no room for another mentee"):
            create_mentorship(_program(cohort), cohort["Elena"].id, [cohort["Amara"].id], "request", None)
        db.session.rollback()
        with pytest.raises(MentorshipError) as raised:
            create_mentorships(_program(cohort), [(cohort["Marcus"].id, [cohort["Amara"].id]),
                                                  (cohort["Marcus"].id, [cohort["Jordan"].id]),
                                                  (cohort["Priya"].id, [cohort["Lucas"].id])], "admin_match", None)
        # Marcus has room for 2, but Lucas already has a mentor: nothing is made.
        assert raised.value.problems == ["Lucas Ferreira already has a mentor in Career Pathways."]
        db.session.rollback()
        assert len(db.session.scalars(select(Mentorship.id)).all()) == 1


def test_a_pair_is_never_made_twice_even_after_it_ended(app, institution, cohort):
    with app.app_context(), tenant_scope(institution.id):
        first = create_mentorship(_program(cohort), cohort["Priya"].id, [cohort["Jordan"].id], "request", None)
        first.status = "completed"
        db.session.commit()
        with pytest.raises(MentorshipError, match="Jordan Lee and Priya Raman are, or were, paired already"):
            create_mentorship(_program(cohort), cohort["Priya"].id, [cohort["Jordan"].id], "request", None)


def test_only_the_programs_mentors_and_mentees_can_be_paired(app, institution, other_institution, cohort, people):
    with app.app_context():
        outsider = make_user(institution, "student", "Zoe", "Park", password=None)
    with app.app_context(), tenant_scope(institution.id):
        for mentor, mentees, message in (
                (cohort["Jordan"].id, [cohort["Amara"].id], "Jordan Lee is not a mentor in Career Pathways"),
                (cohort["Priya"].id, [outsider.id], "Zoe Park is not a mentee in Career Pathways"),
                (cohort["Priya"].id, [people["other_student"].id], "Someone is not a mentee in Career Pathways"),
                (cohort["Priya"].id, [], "A mentorship needs at least one mentee"),
                (cohort["Marcus"].id, [cohort["Amara"].id, cohort["Jordan"].id], "pairs one mentee with one mentor")):
            with pytest.raises(MentorshipError, match=message):
                create_mentorship(_program(cohort), mentor, mentees, "admin_manual", None)
            db.session.rollback()


def test_a_group_program_puts_several_mentees_with_one_mentor(app, institution, cohort):
    with app.app_context(), tenant_scope(institution.id):
        circle = create_program(institution.id, {"name": "Leadership Circle", "format": "group",
                                                 "default_capacity": 3})
        for first, role in (("Marcus", EnrollmentRole.MENTOR), ("Amara", EnrollmentRole.MENTEE),
                            ("Jordan", EnrollmentRole.MENTEE)):
            enroll(circle, db.session.get(User, cohort[first].id), role, EnrollmentSource.ADMIN)
        group = create_mentorship(circle, cohort["Marcus"].id, [cohort["Amara"].id, cohort["Jordan"].id],
                                  "admin_manual", None)
        assert len(group.participants) == 3
        assert free_capacities(circle)[cohort["Marcus"].id] == 0  # his profile says 2
        flash = create_program(institution.id, {"name": "Office Hours", "format": "flash"})
        with pytest.raises(MentorshipError, match="one-off sessions"):
            create_mentorship(flash, cohort["Marcus"].id, [cohort["Amara"].id], "request", None)


def test_dashboards_show_each_side_with_the_reasons(app, institution, cohort, mentor_client, student_client):
    with app.app_context(), tenant_scope(institution.id):
        create_mentorship(_program(cohort), cohort["Priya"].id, [cohort["Jordan"].id], "request", None)
        db.session.commit()
        cards = mentorship_cards(db.session.get(User, cohort["Jordan"].id))
        assert [(card.program.name, [p.user.name for p in card.partners]) for card in cards] == [
            ("Career Pathways", ["Priya Raman"])]
        assert "Shared skills: Python" in cards[0].partners[0].reasons
    student = text(student_client.get("/"))
    assert "Your mentor" in student and "Priya Raman" in student and "Engineering Manager" in student
    assert "Why you were matched" in student and "Can speak to your interests: Fintech" in student
    mentor = text(mentor_client.get("/"))
    assert "Your mentees" in mentor and "Jordan Lee" in mentor and "Computer Science" in mentor
    assert "jordan.lee@northbridge.example.edu" in mentor


def test_the_demo_has_a_few_mentorships_and_leaves_priya_and_jordan_to_match(app):
    from portal.demo import DEMO_LOGINS, seed_demo
    from portal.demo.matching import seed_matching
    from portal.models import Role
    from portal.tenancy import unscoped

    with app.app_context(), unscoped():
        institution = seed_demo()  # seeds the mentorships too
        assert seed_matching(institution) == 0  # seeding again changes nothing
        db.session.commit()
        paired = {p.user.email for m in db.session.scalars(select(Mentorship)) for p in m.participants}
        assert len(paired) == 8  # three active pairs and one completed in the autumn
        assert not paired & {DEMO_LOGINS[Role.MENTOR], DEMO_LOGINS[Role.STUDENT]}
