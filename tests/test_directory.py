"""The mentor directory: a student finds mentors of their own programs by what they type (typos and
abbreviations forgiven), by filters, and in the order that suits them."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from portal.extensions import db
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, Mentorship, MentorshipOrigin, MentorshipParticipant,
    ParticipantRole, Program, ProgramStatus, User, utcnow,
)
from portal.programs import create_program, set_program_status
from portal.tenancy import unscoped
from tests.factories import make_user

HTMX = {"HX-Request": "true", "HX-Target": "directory-results"}


def add_program(institution, name: str, status: ProgramStatus = ProgramStatus.OPEN, capacity: int = 2) -> int:
    with unscoped():
        program = create_program(institution.id, {"name": name, "default_capacity": capacity})
        if status != ProgramStatus.DRAFT:
            set_program_status(program, ProgramStatus.OPEN)
            set_program_status(program, status)
        db.session.commit()
        return program.id


def enroll(user_id: int, program_id: int, role: EnrollmentRole, status=EnrollmentStatus.ACTIVE) -> None:
    with unscoped():
        program = db.session.get(Program, program_id)
        db.session.add(Enrollment(institution_id=program.institution_id, program_id=program_id, user_id=user_id,
                                  role=role, status=status, answers={}))
        db.session.commit()


def set_profile(user_id: int, last_login_days: float | None = None, **fields) -> None:
    with unscoped():
        user = db.session.get(User, user_id)
        for name, value in fields.items():
            setattr(user.profile, name, value)
        if last_login_days is not None:
            user.last_login_at = utcnow() - timedelta(days=last_login_days)
        db.session.commit()


def add_mentor(institution, first: str, last: str, programs=(), status: str = "active",
               enrollment_status=EnrollmentStatus.ACTIVE, last_login_days: float | None = None, **profile):
    ref = make_user(institution, "mentor", first, last, status=status)
    set_profile(ref.id, last_login_days, **profile)
    for program_id in programs:
        enroll(ref.id, program_id, EnrollmentRole.MENTOR, enrollment_status)
    return ref


def add_mentorship(program_id: int, mentor_id: int, mentee_id: int) -> None:
    with unscoped():
        program = db.session.get(Program, program_id)
        mentorship = Mentorship(institution_id=program.institution_id, program_id=program_id,
                                origin=MentorshipOrigin.ADMIN_MANUAL)
        mentorship.participants = [
            MentorshipParticipant(institution_id=program.institution_id, user_id=mentor_id, role=ParticipantRole.MENTOR),
            MentorshipParticipant(institution_id=program.institution_id, user_id=mentee_id, role=ParticipantRole.MENTEE)]
        db.session.add(mentorship)
        db.session.commit()


@pytest.fixture
def world(app, people, institution, other_institution):
    """Northbridge's open program with a student and mentors of every kind; Lakeshore's look-alike."""
    with app.app_context():
        program = add_program(institution, "Career Pathways")
        elsewhere = add_program(institution, "Women in Tech")  # open, but the student is not in it
        closed = add_program(institution, "Last Year's Circle", ProgramStatus.CLOSED)
        student = people["student"]
        enroll(student.id, program, EnrollmentRole.MENTEE)
        set_profile(student.id, skills=["Python", "Data analysis"], career_interests=["Data science", "Fintech"],
                    major="Economics", location="Boston, MA", graduation_year=2027)
        w = SimpleNamespace(program=program, elsewhere=elsewhere, closed=closed, student=student)
        w.ana = add_mentor(institution, "Ana", "Okafor", [program], last_login_days=1,
                           headline="Risk analytics in banking", employer="Contoso Bank", job_title="Risk Analyst",
                           industry="Banking", skills=["Python", "SQL"], location="Chicago, IL",
                           graduation_year=2012, capacity=3)
        w.ben = add_mentor(institution, "Ben", "Schmidt", [program], last_login_days=10, accepting_requests=False,
                           headline="Clinical ML", employer="City Hospital", job_title="Research Scientist",
                           industry="Healthcare", skills=["Machine learning", "Statistics"],
                           location="Seattle, WA", graduation_year=2018)
        w.chloe = add_mentor(institution, "Chloe", "Nguyen", [program], last_login_days=3,
                             headline="Deals and models", employer="Fabrikam Capital", job_title="Associate",
                             industry="Investment banking", skills=["Financial modelling", "Excel"],
                             location="New York, NY", graduation_year=2005, capacity=1)
        w.dev = add_mentor(institution, "Dev", "Patel", [program], last_login_days=30,
                           headline="Data scientist in fintech, happy to talk about grad school",
                           employer="Lumen Analytics", job_title="Data Scientist", industry="Fintech",
                           skills=["Python", "Data analysis", "SQL"], mentoring_topics=["Data science"],
                           major="Economics", location="Boston, MA", graduation_year=2016, capacity=2)
        w.priya = people["mentor"]
        enroll(w.priya.id, program, EnrollmentRole.MENTOR)
        set_profile(w.priya.id, headline="Product at Tailspin", skills=["Product management"], industry="Energy")
        # Mentors the student must never find.
        w.other_program = add_mentor(institution, "Omar", "Haddad", [elsewhere], skills=["Python"])
        w.closed_only = add_mentor(institution, "Cleo", "Moreau", [closed], skills=["Python"])
        w.deactivated = add_mentor(institution, "Dan", "Rossi", [program], status="deactivated", skills=["Python"])
        w.left = add_mentor(institution, "Lea", "Costa", [program], enrollment_status=EnrollmentStatus.LEFT,
                            skills=["Python"])
        lakeshore_program = add_program(other_institution, "Lakeshore Mentoring")
        w.foreign = add_mentor(other_institution, "Farah", "Kowalski", [lakeshore_program], skills=["Python"],
                               employer="Contoso Bank")
        enroll(people["other_student"].id, lakeshore_program, EnrollmentRole.MENTEE)
        # Chloe mentors one student already: with capacity 1 she is full.
        mentee = make_user(institution, "student", "Sam", "Khan")
        add_mentorship(program, w.chloe.id, mentee.id)
        return w


VISIBLE = ("Ana Okafor", "Ben Schmidt", "Chloe Nguyen", "Dev Patel", "Priya Raman")
NEVER = ("Omar Haddad", "Cleo Moreau", "Dan Rossi", "Lea Costa", "Farah Kowalski")


def names(body: str) -> list[str]:
    """Return the mentors' names on a results page, in order."""
    return re.findall(r'class="mentor-link" href="[^"]*">([^<]+)</a>', body)


def card_of(body: str, name: str) -> str:
    """Return the card of the mentor called `name` on a results page."""
    return next(card for card in body.split("<article")[1:] if f">{name}</a>" in card)


def search(client, query: str = "", htmx: bool = True, **params) -> str:
    url = "/mentors?" + "&".join(f"{key}={value}" for key, value in {"q": query, **params}.items())
    response = client.get(url, headers=HTMX if htmx else {})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_directory_shows_the_mentors_of_the_students_open_programs_only(student_client, world):
    body = search(student_client, htmx=False)
    assert sorted(names(body)) == sorted(VISIBLE)
    assert "5 mentors" in body
    for name in NEVER:
        assert name not in body


def test_a_misspelt_skill_finds_mentors_with_that_skill(student_client, world):
    body = search(student_client, "pyhton")
    assert sorted(names(body)) == ["Ana Okafor", "Dev Patel"]
    assert "Python" in body and "you typed “pyhton”" in body


def test_an_abbreviation_finds_the_full_tag(student_client, world):
    assert names(search(student_client, "ML")) == ["Ben Schmidt"]
    assert names(search(student_client, "fin modelling")) == ["Chloe Nguyen"]


def test_raw_text_search_covers_employer_name_job_title_and_headline(student_client, world):
    assert names(search(student_client, "contoso")) == ["Ana Okafor"]
    assert names(search(student_client, "schmidt")) == ["Ben Schmidt"]
    assert names(search(student_client, "risk analyst")) == ["Ana Okafor"]
    assert names(search(student_client, "grad school")) == ["Dev Patel"]


def test_every_word_must_match(student_client, world):
    assert names(search(student_client, "python contoso")) == ["Ana Okafor"]
    assert names(search(student_client, "python hospital")) == []


def test_industry_filter_includes_narrower_industries(student_client, world):
    assert sorted(names(search(student_client, industry="Finance"))) == ["Ana Okafor", "Dev Patel"]
    assert names(search(student_client, industry="Healthcare")) == ["Ben Schmidt"]


def test_location_filter_matches_part_of_the_place_and_common_short_forms(student_client, world):
    assert names(search(student_client, location="boston")) == ["Dev Patel"]
    assert names(search(student_client, location="NYC")) == ["Chloe Nguyen"]


def test_graduation_year_range(student_client, world):
    assert sorted(names(search(student_client, graduated_from="2010", graduated_to="2017"))) == [
        "Ana Okafor", "Dev Patel"]
    # A range given backwards is read the right way round.
    assert sorted(names(search(student_client, graduated_from="2017", graduated_to="2010"))) == [
        "Ana Okafor", "Dev Patel"]


def test_skills_filter_requires_every_skill_and_forgives_typos(student_client, world):
    assert sorted(names(search(student_client, skills="pyhton"))) == ["Ana Okafor", "Dev Patel"]
    assert names(search(student_client, skills="pyhton, data analysis")) == ["Dev Patel"]
    assert names(search(student_client, htmx=False, **{"skills": "sql&skills=data analysis"})) == ["Dev Patel"]


def test_free_spot_and_accepting_filters(student_client, world):
    free = names(search(student_client, free_spot="y"))
    assert "Chloe Nguyen" not in free and "Ana Okafor" in free
    accepting = names(search(student_client, accepting="y"))
    assert "Ben Schmidt" not in accepting and "Ana Okafor" in accepting


def test_cards_say_how_many_spots_are_open(student_client, world):
    body = search(student_client, sort="name")
    assert "3 of 3 spots open" in card_of(body, "Ana Okafor")
    assert "2 of 2 spots open" in card_of(body, "Ben Schmidt")  # no number of their own: the program's default
    assert "Full" in card_of(body, "Chloe Nguyen") and "spots open" not in card_of(body, "Chloe Nguyen")
    assert "Not taking requests" in card_of(body, "Ben Schmidt")
    assert "Accepting requests" in card_of(body, "Ana Okafor")


def test_recommended_puts_the_best_fit_first_with_reasons(student_client, world):
    body = search(student_client)
    assert names(body)[0] == "Dev Patel"
    best = card_of(body, "Dev Patel")
    assert "Why this mentor" in best and "Shared skills: Python and Data analysis" in best


def test_recently_active_and_name_orders(student_client, world):
    assert names(search(student_client, sort="recent"))[:4] == ["Ana Okafor", "Chloe Nguyen", "Ben Schmidt",
                                                                 "Dev Patel"]
    assert names(search(student_client, sort="name")) == [
        "Chloe Nguyen", "Ana Okafor", "Dev Patel", "Priya Raman", "Ben Schmidt"]


def test_most_responsive_is_not_offered_before_requests_exist(student_client, world):
    page = search(student_client, htmx=False)
    assert "Most responsive" not in page
    body = search(student_client, sort="responsive")
    assert "once mentors have answered requests" in body
    assert names(body)[0] == "Dev Patel"  # the recommended order instead


def test_pages_of_twelve(app, student_client, world, institution):
    with app.app_context():
        for number in range(10):
            add_mentor(institution, "Extra", f"Mentor{number:02d}", [world.program], skills=["Gardening"])
    first, second = search(student_client, sort="name"), search(student_client, sort="name", page="2")
    assert len(names(first)) == 12 and len(names(second)) == 3
    assert not set(names(first)) & set(names(second))
    assert "15 mentors" in first and "showing 13–15" in second
    assert 'hx-push-url="true"' in first and "page=2" in first
    assert names(search(student_client, sort="name", page="99")) == names(second)  # past the end: the last page


def test_htmx_gets_the_results_fragment_and_a_plain_get_the_whole_page(student_client, world):
    fragment = student_client.get("/mentors?q=pyhton", headers=HTMX)
    page = student_client.get("/mentors?q=pyhton")
    assert "HX-Request" in fragment.headers["Vary"]
    fragment_body, page_body = fragment.get_data(as_text=True), page.get_data(as_text=True)
    assert not fragment_body.lstrip().startswith("<!doctype")
    assert page_body.lstrip().startswith("<!doctype html>")
    assert names(fragment_body) == names(page_body) == ["Dev Patel", "Ana Okafor"]
    # The form works without JavaScript: a GET to the same address, with the query filled in.
    assert 'method="get" action="/mentors"' in page_body and 'value="pyhton"' in page_body
    assert 'hx-get="/mentors"' in page_body and 'hx-target="#directory-results"' in page_body
    # An htmx request aimed elsewhere (e.g. a boosted link) gets the whole page.
    other = student_client.get("/mentors?q=pyhton", headers={"HX-Request": "true", "HX-Target": "main"})
    assert other.get_data(as_text=True).lstrip().startswith("<!doctype html>")


def test_an_empty_result_says_what_to_try(student_client, world):
    body = search(student_client, "underwater basket weaving")
    assert "No mentor matches “underwater basket weaving”" in body
    assert "Try a broader word" in body and "fewer words" in body
    body = search(student_client, "python", free_spot="y", location="lagos")
    assert "keep the search and clear the filters" in body and 'href="/mentors?q=python"' in body


def test_bad_filter_values_are_explained_and_left_out(student_client, world):
    body = search(student_client, htmx=False, graduated_from="abc", page="-4", sort="nonsense")
    assert "Enter a year as four digits" in body
    assert "Enter a year between" not in body  # one message for one mistake
    assert sorted(names(body)) == sorted(VISIBLE)
    long = student_client.get("/mentors?q=" + "x" * 500)
    assert long.status_code == 200


def test_a_student_in_no_program_is_sent_to_the_programs(app, make_client, institution, world):
    with app.app_context():
        loner = make_user(institution, "student", "Noor", "Abara")
    client = make_client()
    client.sign_in(loner.email)
    body = client.get("/mentors").get_data(as_text=True)
    assert "not taking part in an open program yet" in body and 'href="/programs"' in body


def test_mentors_cannot_use_the_directory(mentor_client, world):
    assert mentor_client.get("/mentors").status_code == 403
    assert mentor_client.get(f"/mentors/{world.ana.id}").status_code == 403


def test_admins_see_every_open_program_without_recommendations(admin_client, world):
    body = admin_client.get("/mentors").get_data(as_text=True)
    assert "Omar Haddad" in body and "Ana Okafor" in body  # every open program
    assert "Cleo Moreau" not in body and "Farah Kowalski" not in body
    assert "Recommended for me" not in body and "Why this mentor" not in body


def test_another_institution_never_sees_our_mentors(app, make_client, people, world):
    client = make_client()
    client.sign_in(people["other_student"].email)
    body = client.get("/mentors?q=contoso").get_data(as_text=True)
    assert names(body) == ["Farah Kowalski"] and "Ana Okafor" not in body
    assert client.get(f"/mentors/{world.ana.id}").status_code == 404
    assert names(search(client, "okafor")) == []  # names are searched within the institution too


def test_a_mentor_who_changes_their_profile_is_explained_afresh(app, student_client, world):
    assert "Shared skills: Python" in card_of(search(student_client, "contoso"), "Ana Okafor")
    with app.app_context():
        set_profile(world.ana.id, skills=["Data analysis"])
    card = card_of(search(student_client, "contoso"), "Ana Okafor")
    assert "Shared skills: Data analysis" in card and "Shared skills: Python" not in card


def test_editing_ones_profile_changes_the_recommendations_at_once(app, student_client, world):
    assert names(search(student_client))[0] == "Dev Patel"
    with app.app_context():
        set_profile(world.student.id, skills=["Machine learning", "Statistics"], career_interests=["Healthcare"],
                    major="", location="Seattle, WA")
    assert names(search(student_client))[0] == "Ben Schmidt"


def test_a_mentor_who_joins_later_is_ranked_too(app, student_client, world, institution):
    search(student_client)  # the student's scores are worked out and kept
    with app.app_context():
        add_mentor(institution, "Eve", "Tanaka", [world.program], skills=["Python", "Data analysis", "SQL"],
                   industry="Fintech", job_title="Data Scientist", major="Economics", location="Boston, MA",
                   mentoring_topics=["Data science"])
    assert set(names(search(student_client))[:2]) == {"Dev Patel", "Eve Tanaka"}


def test_a_mentor_in_two_shared_programs_is_listed_once(app, student_client, world, institution):
    with app.app_context():
        second = add_program(institution, "Summer Sprint", capacity=4)
        enroll(world.student.id, second, EnrollmentRole.MENTEE)
        enroll(world.ana.id, second, EnrollmentRole.MENTOR)
    body = search(student_client, "contoso", htmx=False)
    assert names(body) == ["Ana Okafor"]
    assert "All your programs" in body and "Summer Sprint" in body
    assert names(search(student_client, program=str(second))) == ["Ana Okafor"]


INDEXED_SEARCHES = [  # (search, the indexes PostgreSQL must be able to use for it)
    (dict(query="pyhton"), {"ix_profiles_search_text", "ix_profiles_canonical_text"}),
    (dict(industry="Technology"), {"ix_profiles_canonical_industry"}),
    (dict(location="boston"), {"ix_profiles_location_text"}),
]


@pytest.mark.parametrize("fields, indexes", INDEXED_SEARCHES)
def test_on_postgresql_a_search_can_use_its_indexes(app, world, fields, indexes):
    """The conditions are written on the very expressions the migration indexes (else: a full scan)."""
    from sqlalchemy import text
    from sqlalchemy.dialects import postgresql

    from portal.directory import Search, viewer_for
    from portal.directory.query import USER_NAME_TEXT, search_conditions
    from portal.models import Profile

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the trigram indexes exist on PostgreSQL only")
        with unscoped():
            viewer = viewer_for(db.session.get(User, world.student.id))
            conditions, *_ = search_conditions(Search(**fields), viewer, None)
            statements = [select(Profile.id).where(*conditions)]
            if "query" in fields:
                statements.append(select(User.id).where(USER_NAME_TEXT.like("%okafor%")))
                indexes = indexes | {"ix_users_name_text"}
            # The tables are tiny, so make every plan but an index's cost the earth: what remains shows
            # whether the condition can use an index at all.
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            db.session.execute(text("SET LOCAL enable_indexscan = off"))
            plan = ""
            for statement in statements:
                sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
                plan += "\n".join(db.session.execute(text("EXPLAIN " + sql.replace("%%", "%"))).scalars())
            db.session.rollback()
    for index in indexes:
        assert index in plan, f"{index} not used:\n{plan}"
