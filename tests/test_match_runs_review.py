"""Reviewing and publishing a run: approve, reject, swap, pin, ban, filter, then publish once."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.match_runs.export import safe_cell
from portal.mentorships import create_mentorship
from portal.models import AuditEvent, MatchRun, Mentorship, MentorshipParticipant, PairRule, Program
from portal.tenancy import tenant_scope, unscoped
from tests.factories import make_user
from tests.test_match_runs import (
    HTMX, PROFILES, make_cohort, matched_run, pairs_of, run_of, set_profile, suggestion_id, text,
)


def _post(client, suggestion: int, action: str, htmx: bool = True, **data):
    return client.post(f"/admin/matching/suggestions/{suggestion}/{action}", data=data,
                       headers=HTMX if htmx else {})


def _audit(app) -> list[tuple[str, dict]]:
    with app.app_context(), unscoped():
        return [(event.action, dict(event.details)) for event in db.session.scalars(
            select(AuditEvent).order_by(AuditEvent.id))]


def _mentorships(app) -> list[tuple[int, int, str, int | None]]:
    """Return (mentee id, mentor id, origin, match run id) of every mentorship."""
    with app.app_context(), unscoped():
        found = []
        for mentorship in db.session.scalars(select(Mentorship).order_by(Mentorship.id)):
            roles = {p.role.value: p.user_id for p in mentorship.participants}
            found.append((roles["mentee"], roles["mentor"], mentorship.origin.value, mentorship.match_run_id))
        return found


def test_approve_and_reject_answer_htmx_with_the_row_and_the_counts(app, admin_client, run_jobs, institution,
                                                                     people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    jordan = suggestion_id(app, run_id, cohort["Jordan"])
    response = _post(admin_client, jordan, "decision", decision="approved")
    row = text(response)
    assert row.lstrip().startswith(f'<tbody id="suggestion-{jordan}"') and "Approved." in row
    assert response.headers["HX-Trigger"] == "decisions-changed"  # the counts beside the publish button refresh
    counts = text(admin_client.get(f"/admin/matching/runs/{run_id}", headers={**HTMX, "HX-Target": "decision-counts"}))
    assert counts.lstrip().startswith('<div id="decision-counts"') and "1 approved" in counts
    assert "Publish 1 approved pair" in counts
    lucas = suggestion_id(app, run_id, cohort["Lucas"])
    plain = _post(admin_client, lucas, "decision", htmx=False, decision="rejected")
    assert plain.status_code == 302 and plain.headers["Location"].endswith(f"#suggestion-{lucas}")
    assert pairs_of(app, run_id)[cohort["Lucas"].id][1] == "rejected"
    undo = text(_post(admin_client, lucas, "decision", decision="proposed"))
    assert "Back to proposed." in undo and pairs_of(app, run_id)[cohort["Lucas"].id][1] == "proposed"
    nonsense = text(_post(admin_client, lucas, "decision", decision="maybe"))
    assert "Choose approve or reject." in nonsense
    approved = admin_client.post(f"/admin/matching/runs/{run_id}/approve", data={"min_score": 0},
                                 follow_redirects=True)
    assert "Approved 2 proposed pairs scoring 0 or more." in text(approved)
    bad = admin_client.post(f"/admin/matching/runs/{run_id}/approve", data={"min_score": "high"},
                            follow_redirects=True)
    assert "Enter a number from 0 to 100" in text(bad)


def test_swap_lists_candidates_with_room_and_changes_the_mentor(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    jordan = suggestion_id(app, run_id, cohort["Jordan"])
    panel = text(admin_client.get(f"/admin/matching/suggestions/{jordan}/swap", headers=HTMX))
    assert "Other mentors for Jordan Lee" in panel and "Marcus Okafor" in panel
    assert "Elena Novak" not in panel  # her only place is taken by Lucas in this run
    assert "Priya Raman" not in panel.split("Other mentors")[1]  # the current mentor
    assert re.search(r"1 place\s+left", panel)  # Marcus: 2 places, 1 taken by Amara
    page = text(admin_client.get(f"/admin/matching/suggestions/{jordan}/swap"))
    assert "Another mentor for Jordan Lee" in page and "Swap in" in page  # without JavaScript: a page

    refused = text(_post(admin_client, jordan, "swap", mentor_id=cohort["Elena"].id))
    assert "That mentor can't take this mentee" in refused
    row = text(_post(admin_client, jordan, "swap", mentor_id=cohort["Marcus"].id))
    assert "Swapped: Jordan Lee is now paired with Marcus Okafor (approved)." in row
    assert pairs_of(app, run_id)[cohort["Jordan"].id] == (cohort["Marcus"].id, "approved", False)
    action, details = _audit(app)[-1]
    assert action == "match.swap" and details["from_mentor_id"] == cohort["Priya"].id
    assert details["to_mentor_id"] == cohort["Marcus"].id
    # Marcus is full now (Amara and Jordan), so Amara's swap panel doesn't offer him to anyone else.
    lucas_panel = text(admin_client.get(f"/admin/matching/suggestions/{suggestion_id(app, run_id, cohort['Lucas'])}/swap",
                                        headers=HTMX))
    assert "Marcus Okafor" not in lucas_panel and "Priya Raman" in lucas_panel
    closed = text(admin_client.get(f"/admin/matching/suggestions/{jordan}/swap?close=1", headers=HTMX))
    assert "Other mentors" not in closed


def test_pin_and_ban_become_standing_rules_of_the_program(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    amara, lucas = suggestion_id(app, run_id, cohort["Amara"]), suggestion_id(app, run_id, cohort["Lucas"])
    row = text(_post(admin_client, amara, "pin"))
    assert "Pinned and approved" in row and "Unpin" in row
    assert pairs_of(app, run_id)[cohort["Amara"].id] == (cohort["Marcus"].id, "approved", True)
    row = text(_post(admin_client, lucas, "ban"))
    assert "Banned and rejected" in row and pairs_of(app, run_id)[cohort["Lucas"].id][1] == "rejected"
    # A banned pair can't be approved again; the swap gives the mentee someone else.
    assert "This pair is banned" in text(_post(admin_client, lucas, "decision", decision="approved"))
    assert [action for action, _ in _audit(app)] == ["match.pin", "match.ban"]
    with app.app_context(), unscoped():
        rules = {(r.mentee_id, r.mentor_id, r.kind.value) for r in db.session.scalars(select(PairRule))}
    assert rules == {(cohort["Amara"].id, cohort["Marcus"].id, "pin"), (cohort["Lucas"].id, cohort["Elena"].id, "ban")}
    page = text(admin_client.get(f"/admin/programs/{cohort['program']}/matching"))
    assert "Pinned" in page and "Banned" in page
    # The next run honours both; lifting the ban lets runs suggest the pair again.
    second = matched_run(app, admin_client, run_jobs, cohort)
    assert pairs_of(app, second)[cohort["Amara"].id] == (cohort["Marcus"].id, "proposed", True)
    assert pairs_of(app, second)[cohort["Lucas"].id][0] != cohort["Elena"].id
    with app.app_context(), unscoped():
        ban = db.session.scalar(select(PairRule.id).where(PairRule.kind == "ban"))
    lifted = admin_client.post(f"/admin/matching/rules/{ban}/delete", follow_redirects=True)
    assert "The ban is lifted" in text(lifted)
    third = matched_run(app, admin_client, run_jobs, cohort)
    assert pairs_of(app, third)[cohort["Lucas"].id][0] == cohort["Elena"].id
    unpin = text(_post(admin_client, suggestion_id(app, third, cohort["Amara"]), "pin"))
    assert "Unpinned" in unpin


def test_the_review_table_filters_sorts_and_pages(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, cohort["program"])
        program.default_capacity = 30
        db.session.commit()
    from portal.models import EnrollmentRole, EnrollmentSource, User
    from portal.programs import enroll

    extra = []
    with app.app_context():
        for number in range(55):
            extra.append(make_user(institution, "student", f"Student{number:02d}", "Extra", password=None))
    for person in extra:
        set_profile(app, person, **PROFILES["Amara"])
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, cohort["program"])
        for person in extra:
            enroll(program, db.session.get(User, person.id), EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
        for first in ("Priya", "Marcus", "Elena"):
            db.session.get(User, cohort[first].id).profile.capacity = None
        db.session.commit()
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "58 pairs" in page and "page 1 of 2" in page and page.count('<tbody id="suggestion-') == 50
    second = text(admin_client.get(f"/admin/matching/runs/{run_id}?page=2", headers={**HTMX, "HX-Target": "suggestions"}))
    assert not second.lstrip().startswith("<!doctype") and second.count('<tbody id="suggestion-') == 8
    found = text(admin_client.get(f"/admin/matching/runs/{run_id}?q=jordan", headers={**HTMX, "HX-Target": "suggestions"}))
    assert found.count('<tbody id="suggestion-') == 1 and "Jordan Lee" in found and "match these filters" in found
    by_mentor = text(admin_client.get(f"/admin/matching/runs/{run_id}?q=Elena+Novak&sort=mentee"))
    assert by_mentor.count('<tbody id="suggestion-') == 1
    scores = [float(s) for s in re.findall(r'score-pill[^>]*>(\d+)<', text(admin_client.get(
        f"/admin/matching/runs/{run_id}?sort=score_asc&min_score=10&max_score=100")))]
    assert scores == sorted(scores) and all(score >= 10 for score in scores)
    admin_client.post(f"/admin/matching/suggestions/{suggestion_id(app, run_id, cohort['Jordan'])}/decision",
                      data={"decision": "approved"})
    approved = text(admin_client.get(f"/admin/matching/runs/{run_id}?decision=approved"))
    assert approved.count('<tbody id="suggestion-') == 1
    nothing = text(admin_client.get(f"/admin/matching/runs/{run_id}?q=nobody-like-this"))
    assert "No pair matches these filters" in nothing
    odd = admin_client.get(f"/admin/matching/runs/{run_id}?min_score=abc&decision=maybe&sort=x&page=-3")
    assert odd.status_code == 200 and "58 pairs" in text(odd)


def test_publish_makes_mentorships_once_mails_both_and_shows_them_on_dashboards(
        app, admin_client, mentor_client, student_client, run_jobs, smtp_sink, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    nothing = admin_client.post(f"/admin/matching/runs/{run_id}/publish", follow_redirects=True)
    assert "Approve at least one pair before publishing" in text(nothing)
    assert run_of(app, run_id)["status"] == "finished"
    admin_client.post(f"/admin/matching/suggestions/{suggestion_id(app, run_id, cohort['Jordan'])}/decision",
                      data={"decision": "approved"})
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "Publish 1 approved pair" in page and "hx-confirm=" in page

    published = admin_client.post(f"/admin/matching/runs/{run_id}/publish", headers=HTMX)
    assert published.headers["HX-Redirect"] == f"/admin/matching/runs/{run_id}"
    twice = admin_client.post(f"/admin/matching/runs/{run_id}/publish", follow_redirects=True)
    assert "is published already; nothing was published twice" in text(twice)
    assert _mentorships(app) == [(cohort["Jordan"].id, cohort["Priya"].id, "admin_match", run_id)]
    assert run_of(app, run_id)["status"] == "published"
    action, details = _audit(app)[-1]
    assert action == "match.publish" and details["mentorships"] == 1 and details["approved"] == 1
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "Published" in page and "Dana Whitfield" in page and "Approve</button>" not in page
    assert "can't be changed" not in page
    refused = text(_post(admin_client, suggestion_id(app, run_id, cohort["Amara"]), "decision", decision="approved"))
    assert "is published, so its decisions are final" in refused

    run_jobs()
    mails = {message["To"]: message for message in smtp_sink.wait_for(2)}
    assert set(mails) == {cohort["Jordan"].email, cohort["Priya"].email}
    to_jordan = smtp_sink.text_of(mails[cohort["Jordan"].email])
    assert mails[cohort["Jordan"].email]["Subject"] == "Meet your mentor, Priya Raman"
    assert "Priya Raman" in to_jordan and "Engineering Manager" in to_jordan and "Shared skills: Python" in to_jordan
    assert "Jordan Lee" in smtp_sink.text_of(mails[cohort["Priya"].email])
    assert "Why you were matched" in smtp_sink.html_of(mails[cohort["Priya"].email])

    student = text(student_client.get("/"))
    assert "Priya Raman" in student and "Career Pathways" in student and "Why you were matched" in student
    assert "Shared skills: Python" in student and "You don't have a mentor yet" not in student
    mentor = text(mentor_client.get("/"))
    assert "Jordan Lee" in mentor and "Can speak to the mentee's interests: Fintech" in mentor
    assert "You have no mentees yet" not in mentor
    # The next run of the program leaves Jordan out: he has a mentor now.
    second = matched_run(app, admin_client, run_jobs, cohort)
    assert cohort["Jordan"].id not in pairs_of(app, second)


def test_publish_is_all_or_nothing_and_never_over_capacity(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    admin_client.post(f"/admin/matching/runs/{run_id}/approve", data={"min_score": 0})
    # Meanwhile Elena took a mentee another way: her only place is gone.
    with app.app_context():
        zoe = make_user(institution, "student", "Zoe", "Park", password=None)
    with app.app_context(), tenant_scope(institution.id):
        from portal.models import EnrollmentRole, EnrollmentSource, User
        from portal.programs import enroll

        program = db.session.get(Program, cohort["program"])
        enroll(program, db.session.get(User, zoe.id), EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
        create_mentorship(program, cohort["Elena"].id, [zoe.id], "request", None)
        db.session.commit()
    response = admin_client.post(f"/admin/matching/runs/{run_id}/publish", follow_redirects=True)
    body = text(response)
    assert "Nothing was published" in body and "Elena Novak has no room for another mentee" in body
    assert len(_mentorships(app)) == 1 and run_of(app, run_id)["status"] == "finished"
    # Swap Lucas to a mentor with room, then publishing works.
    lucas = suggestion_id(app, run_id, cohort["Lucas"])
    panel = text(admin_client.get(f"/admin/matching/suggestions/{lucas}/swap", headers=HTMX))
    assert "Elena Novak" not in panel.split("Other mentors")[1]
    _post(admin_client, lucas, "swap", mentor_id=cohort["Priya"].id)
    admin_client.post(f"/admin/matching/runs/{run_id}/publish")
    made = _mentorships(app)
    assert len(made) == 4 and run_of(app, run_id)["status"] == "published"
    with app.app_context(), unscoped():
        per_mentor = dict(db.session.execute(select(MentorshipParticipant.user_id, func.count())
                                             .where(MentorshipParticipant.role == "mentor")
                                             .group_by(MentorshipParticipant.user_id)).all())
    assert per_mentor[cohort["Priya"].id] == 2 and per_mentor[cohort["Elena"].id] == 1


def test_export_is_csv_of_the_pairs_with_formulas_neutralised(app, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    admin_client.post(f"/admin/matching/suggestions/{suggestion_id(app, run_id, cohort['Lucas'])}/decision",
                      data={"decision": "rejected"})
    response = admin_client.get(f"/admin/matching/runs/{run_id}/export.csv")
    assert response.mimetype == "text/csv" and "match-run-" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "mentee_email,mentor_email,score,reasons" and len(lines) == 3  # the rejected pair is left out
    assert lines[1].startswith(f"{cohort['Jordan'].email},{cohort['Priya'].email},") or \
        lines[2].startswith(f"{cohort['Jordan'].email},{cohort['Priya'].email},")
    assert "Shared skills: Python; " in response.get_data(as_text=True)
    assert [safe_cell(v) for v in ("=SUM(A1)", "+1", "-2", "@x", "plain")] == ["'=SUM(A1)", "'+1", "'-2", "'@x",
                                                                                "plain"]


def test_another_institutions_admin_finds_nothing(app, admin_client, other_admin_client, run_jobs, institution,
                                                  people):
    cohort = make_cohort(app, institution, people)
    run_id = matched_run(app, admin_client, run_jobs, cohort)
    jordan = suggestion_id(app, run_id, cohort["Jordan"])
    for path in (f"/admin/programs/{cohort['program']}/matching", f"/admin/matching/runs/{run_id}",
                 f"/admin/matching/runs/{run_id}/export.csv", f"/admin/matching/suggestions/{jordan}/swap"):
        assert other_admin_client.get(path).status_code == 404, path
    for path, data in ((f"/admin/matching/runs/{run_id}/publish", {}),
                       (f"/admin/matching/suggestions/{jordan}/decision", {"decision": "approved"}),
                       (f"/admin/matching/suggestions/{jordan}/swap", {"mentor_id": cohort["Marcus"].id}),
                       (f"/admin/matching/suggestions/{jordan}/ban", {})):
        assert other_admin_client.post(path, data=data).status_code == 404, path
    assert pairs_of(app, run_id)[cohort["Jordan"].id] == (cohort["Priya"].id, "proposed", False)
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count()).select_from(MatchRun)) == 1
