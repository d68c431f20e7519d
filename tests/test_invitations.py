"""Admins invite people: everyone not yet invited, a selection, or one person; resend and revoke.
The mails go out from the worker to a real SMTP server, and their links really work."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from portal.accounts.invitations import send_invitations
from portal.extensions import db
from portal.models import AuthToken, Enrollment, EnrollmentRole, Program, User, utcnow
from portal.tenancy import tenant_scope, unscoped
from tests.factories import make_user

HTMX = {"HX-Request": "true"}
LINK = re.compile(r"http://localhost(/invitation/[\w-]+)")
NEW_PASSWORD = "copper-meadow-lantern-77"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _link_in(smtp_sink, message) -> str:
    text = smtp_sink.text_of(message)
    path = LINK.search(text).group(1)
    assert f"http://localhost{path}" in smtp_sink.html_of(message)
    return path


def _mails_by_recipient(smtp_sink, count: int) -> dict:
    messages = smtp_sink.wait_for(count)
    assert len(messages) == count, [m["To"] for m in messages]
    return {message["To"]: message for message in messages}


def _set(app, user_id: int, **values) -> None:
    with app.app_context(), unscoped():
        user = db.session.get(User, user_id)
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()


def _user(app, user_id: int) -> User:
    with app.app_context(), unscoped():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_inviting_everyone_not_yet_invited_mails_working_14_day_links(app, institution, people, admin_client,
                                                                      run_jobs, smtp_sink, make_client):
    with app.app_context():
        noor = make_user(institution, "mentor", "Noor", "Haidari", status="invited")
        lena = make_user(institution, "student", "Lena", "Fischer", status="invited")
        gone = make_user(institution, "student", "Gil", "Moreau", status="deactivated", password=None)
        earlier = make_user(institution, "student", "Ines", "Ortega", status="invited")
    _set(app, earlier.id, invited_at=utcnow() - timedelta(days=2))

    page = _text(admin_client.get("/admin/people"))
    assert "Invite everyone not yet invited (2)" in page
    assert "2 people haven't been sent an invitation yet" in page

    response = admin_client.post("/admin/invitations/not-invited")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/people"
    page = _text(admin_client.get("/admin/people"))
    assert "Sending invitations to 2 people" in page and "expires in 14 days" in page
    assert "Invite everyone not yet invited" not in page  # no one is left waiting

    run_jobs()
    mails = _mails_by_recipient(smtp_sink, 2)
    assert set(mails) == {noor.email, lena.email}  # not Gil (deactivated), not Ines (invited before)
    assert "Northbridge University" in mails[noor.email]["Subject"]
    assert "expires in 14 days" in smtp_sink.text_of(mails[noor.email])

    with app.app_context(), unscoped():
        token = db.session.scalar(select(AuthToken).where(AuthToken.user_id == noor.id))
        assert abs(token.expires_at - token.created_at - timedelta(days=14)) < timedelta(seconds=5)
        assert db.session.get(User, gone.id).invited_at is None

    page = _text(admin_client.get("/admin/people?status=invited"))
    assert "Noor Haidari" in page and "valid until" in page and "Ines Ortega" in page

    newcomer = make_client()
    path = _link_in(smtp_sink, mails[noor.email])
    form = newcomer.get(path)
    assert form.status_code == 200 and "Welcome, Noor" in _text(form)
    accepted = newcomer.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert accepted.status_code == 302
    assert newcomer.get("/profile").status_code == 200  # signed in
    assert newcomer.get(path).status_code == 404  # the link worked once

    joined = _text(admin_client.get("/admin/people?status=joined"))
    assert "Noor Haidari" in joined and "Lena Fischer" not in joined


def test_inviting_selected_people_skips_those_who_cannot_be_invited(app, institution, people, admin_client,
                                                                    run_jobs, smtp_sink):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
        tomas = make_user(institution, "mentor", "Tomas", "Silva", status="invited")
        gone = make_user(institution, "student", "Gil", "Moreau", status="deactivated", password=None)

    page = _text(admin_client.get("/admin/people"))
    assert f'name="person" value="{amara.id}" form="bulk-invite"' in page
    assert f'name="person" value="{people["mentor"].id}"' not in page  # already joined: no checkbox

    response = admin_client.post("/admin/invitations/selected",
                                 data={"person": [amara.id, gone.id, people["mentor"].id]})
    assert response.status_code == 302
    page = _text(admin_client.get("/admin/people"))
    assert "Sending invitations to Amara Nwosu" in page
    assert "Not sent to 2" in page and "Priya Raman has already joined" in page
    assert "Gil Moreau is deactivated; reactivate them first" in page

    run_jobs()
    assert [message["To"] for message in smtp_sink.wait_for(1)] == [amara.email]
    assert _user(app, tomas.id).invited_at is None

    nothing = admin_client.post("/admin/invitations/selected", data={})
    assert nothing.status_code == 302
    assert "Tick the people you want to invite first" in _text(admin_client.get("/admin/people"))


def test_resend_sends_a_new_link_and_the_old_one_stops_working(app, institution, people, admin_client, run_jobs,
                                                               smtp_sink, client):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    admin_client.post(f"/admin/invitations/{amara.id}/send")
    run_jobs()
    [first] = smtp_sink.wait_for(1)
    old_link = _link_in(smtp_sink, first)

    row = _text(admin_client.post(f"/admin/invitations/{amara.id}/send", headers=HTMX))
    assert row.lstrip().startswith(f'<tr id="person-{amara.id}"')
    assert "A new invitation is on its way to Amara Nwosu; the earlier link no longer works." in row
    assert "Sending now" in row
    gone = client.get(old_link)
    assert gone.status_code == 404 and "no longer valid" in _text(gone)

    run_jobs()
    messages = smtp_sink.wait_for(2)
    assert len(messages) == 2
    new_link = _link_in(smtp_sink, messages[1])
    assert new_link != old_link
    assert client.get(new_link).status_code == 200


def test_revoke_makes_the_link_answer_no_longer_valid(app, institution, people, admin_client, run_jobs,
                                                      smtp_sink, client):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    admin_client.post(f"/admin/invitations/{amara.id}/send")
    run_jobs()
    link = _link_in(smtp_sink, smtp_sink.wait_for(1)[0])

    row = _text(admin_client.post(f"/admin/invitations/{amara.id}/revoke", headers=HTMX))
    assert "Amara Nwosu's invitation link no longer works" in row
    assert "Not invited yet" in row and "Invitation revoked" in row
    answer = client.get(link)
    assert answer.status_code == 404
    assert "This link is no longer valid" in _text(answer)
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 404

    # The person stays, not invited: the list offers a fresh invitation.
    page = _text(admin_client.get("/admin/people?status=not_invited"))
    assert "Amara Nwosu" in page and "Invite everyone not yet invited (1)" in page
    again = _text(admin_client.post(f"/admin/invitations/{amara.id}/revoke", headers=HTMX))
    assert "Amara Nwosu has no invitation to revoke." in again


def test_a_revoke_before_the_worker_ran_calls_the_mail_off(app, institution, people, admin_client, run_jobs,
                                                           smtp_sink):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    admin_client.post(f"/admin/invitations/{amara.id}/send")
    admin_client.post(f"/admin/invitations/{amara.id}/revoke")
    run_jobs()
    assert smtp_sink.wait_for(1, timeout=0.5) == []


def test_jobs_are_idempotent_and_the_latest_request_wins(app, institution, people, admin_client, run_jobs,
                                                         smtp_sink):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    admin_client.post(f"/admin/invitations/{amara.id}/send")
    admin_client.post(f"/admin/invitations/{amara.id}/send")  # clicked twice before the worker ran
    run_jobs()
    assert len(smtp_sink.wait_for(2, timeout=0.5)) == 1
    with app.app_context():
        assert send_invitations(institution.id, [amara.id]) == 0  # a retried job sends nothing again


def test_deactivated_people_get_nothing(app, institution, people, admin_client, run_jobs, smtp_sink):
    with app.app_context():
        gone = make_user(institution, "student", "Gil", "Moreau", status="invited")
    admin_client.post(f"/admin/invitations/{gone.id}/send")
    admin_client.post(f"/admin/people/{gone.id}/deactivate")  # before the worker got to it
    response = admin_client.post(f"/admin/invitations/{gone.id}/send")
    assert response.status_code == 302
    page = _text(admin_client.get(response.headers["Location"]))
    assert "Gil Moreau is deactivated; reactivate them first." in page
    row = _text(admin_client.post(f"/admin/invitations/{people['mentor'].id}/send", headers=HTMX))
    assert "Priya Raman has already joined." in row
    run_jobs()
    assert smtp_sink.wait_for(1, timeout=0.5) == []


def test_the_people_list_shows_each_stage_and_filters_by_it(app, institution, people, admin_client):
    with app.app_context():
        waiting = make_user(institution, "student", "Amara", "Nwosu", status="invited")
        invited = make_user(institution, "student", "Tomas", "Silva", status="invited")
        joined = make_user(institution, "mentor", "Noor", "Haidari", onboarded=False)
        gone = make_user(institution, "student", "Gil", "Moreau", status="deactivated")
    _set(app, invited.id, invited_at=utcnow())

    expected = {
        "not_invited": {"Amara Nwosu"},
        "invited": {"Tomas Silva"},
        "joined": {"Noor Haidari"},
        "active": {"Priya Raman", "Jordan Lee", "Dana Whitfield"},  # admins have no walk-through
        "deactivated": {"Gil Moreau"},
    }
    everyone = set().union(*expected.values())
    labels = {"not_invited": "Not invited yet", "invited": "Invited", "joined": "Joined", "active": "Active",
              "deactivated": "Deactivated"}
    for status, names in expected.items():
        body = _text(admin_client.get(f"/admin/people?status={status}",
                                      headers={**HTMX, "HX-Target": "people-results"}))
        assert {name for name in everyone if name in body} == names, status
        assert f'status-{status}">{labels[status]}</span>' in body

    row = _text(admin_client.get("/admin/people?q=tomas"))
    assert "Sending now" in row or "Sent " in row
    assert "Resend<span" in row and "Revoke<span" in row
    waiting_row = _text(admin_client.get("/admin/people?q=amara"))
    assert "Invite<span" in waiting_row and "Revoke<span" not in waiting_row
    assert "Kai Turner" not in _text(admin_client.get("/admin/people"))
    # A filter that makes no sense is ignored rather than failing.
    assert admin_client.get("/admin/people?status=bogus&role=wizard&program=x").status_code == 200
    _ = (waiting, joined, gone)


def test_the_people_list_filters_by_program(app, institution, people, admin_client):
    with app.app_context(), tenant_scope(institution.id):
        program = Program(institution_id=institution.id, name="Career Launch 2026")
        other = Program(institution_id=institution.id, name="Women in Tech")
        db.session.add_all([program, other])
        db.session.flush()
        db.session.add(Enrollment(institution_id=institution.id, program_id=program.id,
                                  user_id=people["student"].id, role=EnrollmentRole.MENTEE))
        db.session.commit()
        program_id, other_id = program.id, other.id
    page = _text(admin_client.get(f"/admin/people?program={program_id}"))
    assert "Career Launch 2026" in page and "Women in Tech" in page  # the filter's options
    assert "Jordan Lee" in page and "Priya Raman" not in page
    empty = _text(admin_client.get(f"/admin/people?program={other_id}"))
    assert "No one matches with these filters" in empty


def test_another_institution_cannot_invite_or_revoke_this_ones_people(app, institution, people, admin_client,
                                                                     other_admin_client, run_jobs, smtp_sink):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    assert other_admin_client.post(f"/admin/invitations/{amara.id}/send").status_code == 404
    admin_client.post(f"/admin/invitations/{amara.id}/send")
    assert other_admin_client.post(f"/admin/invitations/{amara.id}/revoke").status_code == 404
    other_admin_client.post("/admin/invitations/selected", data={"person": [amara.id]})
    other_admin_client.post("/admin/invitations/not-invited")
    run_jobs()
    assert [message["To"] for message in smtp_sink.wait_for(2, timeout=0.5)] == [amara.email]  # just ours, once
    listing = _text(other_admin_client.get("/admin/people"))
    assert "Amara Nwosu" not in listing and "Northbridge" not in listing
