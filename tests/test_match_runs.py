"""Match runs end to end: an admin starts a run, a real worker scores and assigns, the page follows.

Also the helpers the other match-run tests share: a small cohort whose best pairs are plain
(Jordan and Priya both in fintech and Python, Amara and Marcus in product, Lucas and Elena in
health data), and readers of a run's state.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import select

from portal.extensions import db
from portal.jobs import queue
from portal.match_runs.jobs import run_match
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentSource, MatchRun, MatchSuggestion, PairRule, PairRuleKind,
    Program, ProgramStatus, User, utcnow,
)
from portal.programs import create_program, enroll, set_program_status
from portal.tenancy import tenant_scope, unscoped
from tests.factories import Ref, make_user

HTMX = {"HX-Request": "true"}
PROFILES = {
    "Priya": dict(skills=["Python", "System design"], industry="Fintech", job_title="Engineering Manager",
                  major="Computer Science", location="Boston, MA", languages=["English", "Tamil"],
                  mentoring_topics=["Technical interviews"], capacity=2),
    "Marcus": dict(skills=["Product management", "User research"], industry="Media", job_title="Product Manager",
                   major="Economics", location="New York, NY", languages=["English"], capacity=2),
    "Elena": dict(skills=["Machine learning", "R", "SQL"], industry="Healthcare", job_title="Data Scientist",
                  major="Statistics", location="Rochester, MN", languages=["English", "Czech"], capacity=1),
    "Jordan": dict(skills=["Python", "Java"], career_interests=["Fintech", "Software engineering"],
                   major="Computer Science", location="Boston, MA", languages=["English"]),
    "Amara": dict(skills=["User research", "Excel"], career_interests=["Product management", "Media"],
                  major="Economics", location="New York, NY", languages=["English"]),
    "Lucas": dict(skills=["R", "SQL"], career_interests=["Data science", "Healthcare"], major="Statistics",
                  location="Rochester, MN", languages=["English", "Portuguese"]),
}


def set_profile(app, person: Ref, **fields) -> None:
    with app.app_context(), tenant_scope(person.institution_id):
        profile = db.session.get(User, person.id).profile
        for name, value in fields.items():
            setattr(profile, name, value)
        db.session.commit()


def make_cohort(app, institution: Ref, people: dict, name: str = "Career Pathways", **program) -> dict:
    """Return {"program": id, first name: Ref} for an open program with three mentors and three mentees.

    Priya (mentor) and Jordan (student) are the `people` fixture's, so their signed-in clients take part.
    """
    cohort = {"Priya": people["mentor"], "Jordan": people["student"]}
    with app.app_context():
        for first, last, role in (("Marcus", "Okafor", "mentor"), ("Elena", "Novak", "mentor"),
                                  ("Amara", "Nwosu", "student"), ("Lucas", "Ferreira", "student")):
            cohort[first] = make_user(institution, role, first, last, password=None)
    for first, fields in PROFILES.items():
        set_profile(app, cohort[first], **fields)
    with app.app_context(), tenant_scope(institution.id):
        record = create_program(institution.id, {"name": name, **program})
        set_program_status(record, ProgramStatus.OPEN)
        for first in PROFILES:
            user = db.session.get(User, cohort[first].id)
            enroll(record, user, EnrollmentRole.MENTOR if user.role.value == "mentor" else EnrollmentRole.MENTEE,
                   EnrollmentSource.ADMIN)
        db.session.commit()
        cohort["program"] = record.id
    return cohort


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def start(client, program_id: int, **settings) -> int:
    """Start a run from the matching page's form; return its id."""
    data = {"weight_skills": 30, "weight_interests": 25, "weight_industry": 10, "weight_major": 10,
            "weight_location": 5, "weight_languages": 10, "objective": "total_score", **settings}
    response = client.post(f"/admin/programs/{program_id}/matching/runs", data=data)
    assert response.status_code == 302, text(response)
    return int(re.search(r"/admin/matching/runs/(\d+)$", response.headers["Location"]).group(1))


def run_of(app, run_id: int) -> dict:
    with app.app_context(), unscoped():
        run = db.session.get(MatchRun, run_id)
        return {"status": run.status.value, "phase": run.phase, "progress": run.progress, "error": run.error,
                "statistics": dict(run.statistics or {}), "unmatched": list(run.unmatched or []),
                "job_id": run.job_id, "parameters": dict(run.parameters)}


def pairs_of(app, run_id: int) -> dict[int, tuple[int, str, bool]]:
    """Return {mentee id: (mentor id, decision, pinned)} of a run."""
    with app.app_context(), unscoped():
        return {s.mentee_id: (s.mentor_id, s.decision.value, s.pinned) for s in db.session.scalars(
            select(MatchSuggestion).where(MatchSuggestion.run_id == run_id))}


def suggestion_id(app, run_id: int, mentee: Ref) -> int:
    with app.app_context(), unscoped():
        return db.session.scalar(select(MatchSuggestion.id).where(MatchSuggestion.run_id == run_id,
                                                                  MatchSuggestion.mentee_id == mentee.id))


def matched_run(app, client, run_jobs, cohort, **settings) -> int:
    run_id = start(client, cohort["program"], **settings)
    run_jobs()
    assert run_of(app, run_id)["status"] == "finished", run_of(app, run_id)
    return run_id


def test_an_admin_runs_matching_and_reviews_the_reasons(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    page = text(admin_client.get(f"/admin/programs/{cohort['program']}/matching"))
    assert page.count('type="range"') == 6  # no question is used in matching yet, so no questionnaire slider
    assert 'name="weight_skills"' in page and 'max="100"' in page and "Highest total score" in page
    assert "mentees without a mentor" in page and "No runs yet" in page
    # Moving a slider asks for the numbers beside the sliders, out of band.
    numbers = text(admin_client.get(f"/admin/programs/{cohort['program']}/matching?weight_skills=90&weight_interests=10",
                                    headers={**HTMX, "HX-Trigger": "match-settings"}))
    assert 'id="weight-skills-value"' in numbers and ">90<" in numbers and "90% of the score" in numbers

    run_id = start(admin_client, cohort["program"], weight_skills=40)
    assert run_of(app, run_id)["parameters"]["weights"]["skills"] == 40
    jobs = queue("matching", app).jobs
    assert len(jobs) == 1 and jobs[0].timeout == 1800 and jobs[0].args[1] == run_id
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "Waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    assert '<progress class="form-progress run-progress" max="100" value="0"' in page
    fragment = admin_client.get(f"/admin/matching/runs/{run_id}/progress", headers=HTMX)
    assert "HX-Refresh" not in fragment.headers and 'hx-trigger="every 1s"' in text(fragment)

    run_jobs()
    state = run_of(app, run_id)
    assert state["status"] == "finished" and state["progress"] == 100
    assert state["statistics"]["matched"] == 3 and state["statistics"]["mentees"] == 3
    assert set(state["statistics"]["timings"]) >= {"load", "engine", "save", "total"}
    assert pairs_of(app, run_id) == {cohort["Jordan"].id: (cohort["Priya"].id, "proposed", False),
                                     cohort["Amara"].id: (cohort["Marcus"].id, "proposed", False),
                                     cohort["Lucas"].id: (cohort["Elena"].id, "proposed", False)}
    done = admin_client.get(f"/admin/matching/runs/{run_id}/progress", headers=HTMX)
    assert done.headers["HX-Refresh"] == "true" and "hx-trigger" not in text(done)
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "Ready for review" in page and "Shared skills: Python" in page and "Both in Fintech" not in page
    assert "Can speak to the mentee's interests: Fintech" in page
    assert "100%" in page and "Mentees matched" in page and "<svg" in page and "<rect" in page
    assert "style=" not in page  # the chart is drawn with attributes only (CSP)
    assert "Publish 0 approved pairs" in page and "Every mentee got a suggested mentor" in page
    # The program page leads to matching; the matching page lists the run.
    assert f"/admin/programs/{cohort['program']}/matching" in text(admin_client.get(f"/admin/programs/{cohort['program']}"))
    listing = text(admin_client.get(f"/admin/programs/{cohort['program']}/matching"))
    assert f"Run #{run_id}" in listing and "3 of 3" in listing


def test_a_job_that_runs_again_writes_nothing_twice(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    first = pairs_of(app, run_id)
    queue("matching", app).enqueue(run_match, institution.id, run_id)  # a duplicate delivery of the job
    run_jobs()
    assert pairs_of(app, run_id) == first and run_of(app, run_id)["status"] == "finished"


def _refuse_suggestions(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO MATCH_SUGGESTIONS"):
        raise sa.exc.OperationalError(statement, parameters, OSError("disk I/O error"))


def test_a_failed_run_shows_the_error_and_a_retry_finishes_it(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = start(admin_client, cohort["program"])
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", _refuse_suggestions)
    try:
        run_jobs()
    finally:
        sa.event.remove(engine, "before_cursor_execute", _refuse_suggestions)
    state = run_of(app, run_id)
    assert state["status"] == "failed" and "unexpected problem (OperationalError)" in state["error"]
    assert pairs_of(app, run_id) == {}
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "The run failed" in page and "nothing was saved" in page and "Retry the run" in page

    response = admin_client.post(f"/admin/matching/runs/{run_id}/retry")
    assert response.status_code == 302 and run_of(app, run_id)["status"] == "queued"
    assert run_of(app, run_id)["job_id"] != state["job_id"]
    run_jobs()
    assert run_of(app, run_id)["status"] == "finished" and len(pairs_of(app, run_id)) == 3
    again = admin_client.post(f"/admin/matching/runs/{run_id}/retry", follow_redirects=True)
    assert "finished; start a new run instead" in text(again)


def test_a_run_left_by_a_dead_worker_is_stopped_and_a_retry_replaces_its_partial_rows(
        app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = start(admin_client, cohort["program"])
    # As a worker killed mid-run leaves it: claimed, a heartbeat that stopped, a row it wrote half-way.
    with app.app_context(), tenant_scope(institution.id):
        run = db.session.get(MatchRun, run_id)
        run.status, run.phase, run.progress = "running", "scoring", 40
        run.started_at = run.heartbeat_at = utcnow() - timedelta(minutes=10)
        db.session.add(MatchSuggestion(institution_id=institution.id, run_id=run_id, mentee_id=cohort["Jordan"].id,
                                       mentor_id=cohort["Marcus"].id, score=1.0, breakdown={}, reasons=[]))
        db.session.commit()
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "This run stopped" in page and "stopped answering" in page and "Retry the run" in page
    assert 'hx-trigger="every 1s"' not in page
    assert "Stopped" in text(admin_client.get(f"/admin/programs/{cohort['program']}/matching"))
    # A run that is still beating is left alone.
    with app.app_context(), tenant_scope(institution.id):
        db.session.get(MatchRun, run_id).heartbeat_at = utcnow()
        db.session.commit()
    refused = admin_client.post(f"/admin/matching/runs/{run_id}/retry", follow_redirects=True)
    assert "is running; it can't be retried now" in text(refused)
    with app.app_context(), tenant_scope(institution.id):
        db.session.get(MatchRun, run_id).heartbeat_at = utcnow() - timedelta(minutes=3)
        db.session.commit()

    admin_client.post(f"/admin/matching/runs/{run_id}/retry")
    run_jobs()
    assert run_of(app, run_id)["status"] == "finished"
    assert pairs_of(app, run_id)[cohort["Jordan"].id] == (cohort["Priya"].id, "proposed", False)
    assert len(pairs_of(app, run_id)) == 3


def test_a_queued_run_whose_job_is_gone_can_be_retried(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = start(admin_client, cohort["program"])
    from portal.jobs import redis_connection

    redis_connection(app).flushdb()  # Redis lost the job
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "This run stopped" in page and "its job is no longer queued" in page
    admin_client.post(f"/admin/matching/runs/{run_id}/retry")
    run_jobs()
    assert run_of(app, run_id)["status"] == "finished"


def _rule(app, institution, program_id, mentee, mentor, kind):
    with app.app_context(), tenant_scope(institution.id):
        db.session.add(PairRule(institution_id=institution.id, program_id=program_id, mentee_id=mentee.id,
                                mentor_id=mentor.id, kind=kind))
        db.session.commit()


def test_pinned_pairs_are_always_made_and_banned_pairs_never(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    _rule(app, institution, cohort["program"], cohort["Jordan"], cohort["Marcus"], PairRuleKind.PIN)
    _rule(app, institution, cohort["program"], cohort["Lucas"], cohort["Elena"], PairRuleKind.BAN)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    pairs = pairs_of(app, run_id)
    assert pairs[cohort["Jordan"].id] == (cohort["Marcus"].id, "proposed", True)
    assert pairs[cohort["Lucas"].id][0] != cohort["Elena"].id
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "Pinned" in page
    rules = text(admin_client.get(f"/admin/programs/{cohort['program']}/matching"))
    assert "Jordan Lee with Marcus Okafor" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rules))


def test_a_pin_that_cannot_be_made_is_explained(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    _rule(app, institution, cohort["program"], cohort["Amara"], cohort["Elena"], PairRuleKind.PIN)
    _rule(app, institution, cohort["program"], cohort["Lucas"], cohort["Elena"], PairRuleKind.PIN)  # Elena takes 1
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    warnings = run_of(app, run_id)["statistics"]["warnings"]
    assert warnings == ["Pinned pair Lucas Ferreira with Elena Novak left out: Elena Novak has no free place left."]
    assert warnings[0] in text(admin_client.get(f"/admin/matching/runs/{run_id}"))


def test_a_rerun_keeps_the_decisions_made(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    admin_client.post(f"/admin/matching/suggestions/{suggestion_id(app, run_id, cohort['Jordan'])}/decision",
                      data={"decision": "approved"})
    admin_client.post(f"/admin/matching/suggestions/{suggestion_id(app, run_id, cohort['Lucas'])}/decision",
                      data={"decision": "rejected"})
    response = admin_client.post(f"/admin/matching/runs/{run_id}/rerun")
    second = int(response.headers["Location"].rsplit("/", 1)[1])
    assert second != run_id and run_of(app, second)["parameters"]["previous_run_id"] == run_id
    run_jobs()
    pairs = pairs_of(app, second)
    assert pairs[cohort["Jordan"].id] == (cohort["Priya"].id, "approved", True)
    assert pairs[cohort["Lucas"].id][0] != cohort["Elena"].id  # rejected before: not suggested again
    assert "decisions kept from run #%d" % run_id in text(admin_client.get(f"/admin/matching/runs/{second}"))
    # Starting from the matching page can keep them too.
    third = start(admin_client, cohort["program"], keep_decisions="y")
    assert run_of(app, third)["parameters"]["previous_run_id"] == second


def test_a_second_run_waits_for_the_first(app, admin_client, institution, people):
    cohort = make_cohort(app, institution, people)
    first = start(admin_client, cohort["program"])
    response = admin_client.post(f"/admin/programs/{cohort['program']}/matching/runs",
                                 data={"weight_skills": 30, "objective": "total_score"})
    assert response.status_code == 422 and f"Run #{first} of Career Pathways is still in progress" in text(response)


def test_bad_settings_are_refused_with_a_message_and_nothing_starts(app, admin_client, institution, people):
    cohort = make_cohort(app, institution, people)
    path = f"/admin/programs/{cohort['program']}/matching/runs"
    zero = admin_client.post(path, data={"weight_skills": 0, "objective": "total_score"})
    assert zero.status_code == 422 and "Give at least one criterion a weight above 0" in text(zero)
    wrong = admin_client.post(path, data={"weight_skills": 30, "min_score": "lots", "objective": "total_score"})
    assert wrong.status_code == 422 and "Enter a number from 0 to 100" in text(wrong)
    high = admin_client.post(path, data={"weight_skills": 300, "min_score": 150, "objective": "best"})
    body = text(high)
    assert high.status_code == 422 and "Use a weight from 0 to 100." in body and "Use a score from 0 to 100." in body
    assert 'value="300"' in body  # what was typed stays
    with app.app_context(), unscoped():
        assert db.session.scalar(select(sa.func.count()).select_from(MatchRun)) == 0


def test_unmatched_mentees_are_listed_with_the_reason(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort, min_score=99)
    state = run_of(app, run_id)
    assert state["statistics"]["matched"] == 0 and len(state["unmatched"]) == 3
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "No available mentor reaches the minimum score of 99." in page and "Jordan Lee" in page
    assert "This run suggested no pairs" in page


def test_people_in_or_once_in_a_mentorship_are_not_paired_again(app, admin_client, run_jobs, institution, people):
    from portal.mentorships import create_mentorship

    cohort = make_cohort(app, institution, people)
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, cohort["program"])
        create_mentorship(program, cohort["Elena"].id, [cohort["Amara"].id], "admin_manual", None)
        earlier = create_program(institution.id, {"name": "Spring Pilot"})
        for first in ("Priya", "Jordan"):
            user = db.session.get(User, cohort[first].id)
            enroll(earlier, user, EnrollmentRole.MENTOR if first == "Priya" else EnrollmentRole.MENTEE, "admin")
        ended = create_mentorship(earlier, cohort["Priya"].id, [cohort["Jordan"].id], "request", None)
        ended.status = "completed"
        db.session.commit()
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    pairs = pairs_of(app, run_id)
    assert cohort["Amara"].id not in pairs  # already has a mentor in this program
    assert pairs[cohort["Jordan"].id][0] != cohort["Priya"].id  # they were paired before
    assert cohort["Elena"].id not in {mentor for mentor, _, _ in pairs.values()}  # her one place is taken
    assert run_of(app, run_id)["statistics"]["already_matched"] == 1


def test_a_run_loads_only_its_own_institutions_people(app, admin_client, run_jobs, institution, other_institution,
                                                        people, other_admin_client):
    other_admin = other_admin_client
    cohort = make_cohort(app, institution, people)
    outsider = people["other_student"]
    with app.app_context():
        mentor = make_user(other_institution, "mentor", "Noor", "Haidari", password=None)
    set_profile(app, outsider, **PROFILES["Jordan"])
    set_profile(app, mentor, **PROFILES["Priya"])
    with app.app_context(), tenant_scope(other_institution.id):
        theirs = create_program(other_institution.id, {"name": "Lakeshore Pathways"})
        for person, role in ((outsider, EnrollmentRole.MENTEE), (mentor, EnrollmentRole.MENTOR)):
            enroll(theirs, db.session.get(User, person.id), role, EnrollmentSource.ADMIN)
        # Even a row that wrongly puts their people into our program is not read by our run.
        db.session.add(Enrollment(institution_id=other_institution.id, program_id=cohort["program"],
                                  user_id=mentor.id, role=EnrollmentRole.MENTOR, answers={}))
        db.session.commit()
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    state = run_of(app, run_id)
    assert state["statistics"]["mentees"] == 3 and state["statistics"]["mentors"] == 3
    assert mentor.id not in {m for m, _, _ in pairs_of(app, run_id).values()}
    assert outsider.id not in pairs_of(app, run_id)
    # And the other institution's admin finds none of it.
    other = text(other_admin.get(f"/admin/matching/runs/{run_id}"))
    assert "Jordan" not in other and "Northbridge" not in other
