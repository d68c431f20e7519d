"""The mentorship workspace: a person's mentorships, each pair's overview (next session, open goals, action
items due), and the program's resources with first-meeting questions until the pair has met."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db
from portal.goals.editing import record_progress, save_goal
from portal.models import ActionItem, Meeting, MeetingStatus, Mentorship, MentorshipStatus, Program, User, utcnow
from portal.resources.editing import save_resource
from portal.tenancy import unscoped
from tests.access.workspace import make_mentorship
from tests.factories import make_user

TODAY = date.today()


def text(response) -> str:
    """Return what a reader sees: the text without tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.fixture
def pair(app, institution, people):
    with app.app_context(), unscoped():
        return make_mentorship(institution.id)


def meeting(app, mentorship_id: int, status: str, starts_in: timedelta, **fields) -> int:
    with app.app_context(), unscoped():
        mentorship = db.session.get(Mentorship, mentorship_id)
        mentor_id = next(p.user_id for p in mentorship.participants if p.role.value == "mentor")
        starts = utcnow().replace(microsecond=0) + starts_in
        record = Meeting(institution_id=mentorship.institution_id, mentorship_id=mentorship_id, mentor_id=mentor_id,
                         starts_at=starts, ends_at=starts + timedelta(minutes=45), status=MeetingStatus(status),
                         uid=f"{uuid.uuid4()}@test", **fields)
        db.session.add(record)
        db.session.commit()
        return record.id


def action_item(app, mentorship_id: int, title: str, due_on: date | None, done: bool = False,
                owner_id: int | None = None) -> None:
    with app.app_context(), unscoped():
        institution_id = db.session.get(Mentorship, mentorship_id).institution_id
        db.session.add(ActionItem(institution_id=institution_id, mentorship_id=mentorship_id, title=title,
                                  due_on=due_on, owner_id=owner_id, done_at=utcnow() if done else None))
        db.session.commit()


def resource(app, institution, title: str, kind: str = "guide", audience: str = "everyone",
             published: bool = True, program_id: int | None = None, body: str = "Read this first.") -> None:
    with app.app_context(), unscoped():
        save_resource(institution.id, title=title, body_markdown=body, kind=kind, audience=audience,
                      published=published, program_id=program_id)
        db.session.commit()


def set_status(app, mentorship_id: int, status: str, reason: str = "") -> None:
    with app.app_context(), unscoped():
        mentorship = db.session.get(Mentorship, mentorship_id)
        mentorship.status, mentorship.ended_at, mentorship.end_reason = MentorshipStatus(status), utcnow(), reason
        db.session.commit()


# The list of one's mentorships -----------------------------------------------------------------------------

def test_a_person_lists_their_mentorships_active_first_then_ended(app, institution, pair, people, student_client):
    with app.app_context():
        former = make_user(institution, "mentor", "Marcus", "Okafor")
    with app.app_context(), unscoped():
        ended = make_mentorship(institution.id, mentor_id=former.id, program="Leadership Circle")
    set_status(app, ended, "completed")
    meeting(app, pair, "confirmed", timedelta(days=3))
    page = text(student_client.get("/mentorships"))
    assert page.index("Active 1") < page.index("Priya Raman") < page.index("Ended 1") < page.index("Marcus Okafor")
    assert "Your mentor · Career Pathways" in page and "Completed" in page
    assert "None booked" in page  # the ended one
    assert "Goals None yet" in page


def test_the_list_tells_a_student_without_a_mentor_where_to_find_one(app, people, student_client, mentor_client):
    assert "You don't have a mentor yet" in text(student_client.get("/mentorships"))
    assert "You have no mentees yet" in text(mentor_client.get("/mentorships"))


def test_admins_are_sent_to_the_program_teams_list(admin_client):
    response = admin_client.get("/mentorships")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/mentorships"


def test_mentors_and_students_reach_their_mentorships_from_the_menu_and_the_dashboard(pair, student_client,
                                                                                      mentor_client):
    for client in (student_client, mentor_client):
        home = client.get("/").get_data(as_text=True)
        assert 'href="/mentorships"' in home  # the menu entry
        assert f'href="/mentorships/{pair}"' in home and "Open mentorship" in home


# The overview ----------------------------------------------------------------------------------------------

def test_the_overview_shows_the_next_session_open_goals_and_action_items_due(app, pair, people, student_client):
    meeting(app, pair, "completed", -timedelta(days=7))
    meeting(app, pair, "cancelled", timedelta(days=1))
    meeting(app, pair, "confirmed", timedelta(days=9), agenda="Mock interview")
    proposed = meeting(app, pair, "proposed", timedelta(days=2, hours=3), agenda="Review the cover letter")
    action_item(app, pair, "Send Priya the résumé", TODAY - timedelta(days=1), owner_id=people["student"].id)
    action_item(app, pair, "Introduce Jordan to a recruiter", TODAY + timedelta(days=5), owner_id=people["mentor"].id)
    action_item(app, pair, "Read the negotiation guide", None)
    action_item(app, pair, "Book the career fair", TODAY, done=True)
    with app.app_context(), unscoped():
        save_goal(pair, people["student"].id, title="Land a fintech internship", kind="smart",
                  measurable_outcome="10 applications", target_date=TODAY + timedelta(days=40), today=TODAY)
        achieved = save_goal(pair, people["student"].id, title="Polish my LinkedIn", kind="real", today=TODAY)
        record_progress(pair, achieved.id, people["student"].id, progress=100, status="achieved")
        db.session.commit()
    page = text(student_client.get(f"/mentorships/{pair}"))
    assert "Your mentorship with Priya Raman" in page
    assert "Proposed, not confirmed yet" in page and "Review the cover letter" in page
    with app.app_context(), unscoped():
        zone = ZoneInfo(db.session.get(User, people["student"].id).timezone)
        starts = db.session.get(Meeting, proposed).starts_at.astimezone(zone)
    assert f"{starts:%A, %B} {starts.day} at {starts:%H:%M %Z}" in page
    assert "Mock interview" not in page  # a later session
    assert "Land a fintech internship" in page and "Polish my LinkedIn" not in page and "1 achieved" in page
    items = page[page.index("Action items due"):]
    assert items.index("Send Priya the résumé") < items.index("Introduce Jordan") < items.index("Read the negotiation")
    assert "you Overdue" in items and "Priya" in items and "No date" in items
    assert "Book the career fair" not in page


def test_a_new_pair_is_told_how_to_start(app, pair, mentor_client):
    page = text(mentor_client.get(f"/mentorships/{pair}"))
    assert "Your mentorship with Jordan Lee" in page
    assert "No session is booked yet" in page and "No goals yet" in page and "Set a goal" in page
    assert "Nothing is waiting" in page
    assert "Before your first session" in page and "Why did you decide to be a mentor?" in page


def test_an_ended_mentorship_says_so_and_offers_no_changes(app, pair, student_client):
    set_status(app, pair, "ended_early", "We couldn't find time to meet")
    page = text(student_client.get(f"/mentorships/{pair}"))
    assert "This mentorship ended early" in page and "nothing new can be added" in page
    assert "We couldn't find time to meet" in page
    assert "Set a goal" not in page and "Before your first session" not in page


def test_an_admin_reads_the_workspace_read_only(app, pair, admin_client):
    page = text(admin_client.get(f"/mentorships/{pair}"))
    assert "Priya Raman mentoring Jordan Lee" in page and "Viewing as an admin" in page
    assert "Set a goal" not in page


def test_nobody_outside_the_pair_finds_the_workspace(app, institution, pair, other_admin_client):
    with app.app_context():
        outsider = make_user(institution, "student", "Amara", "Nwosu")
    client = app.test_client()
    client.sign_in(outsider.email)
    for path in (f"/mentorships/{pair}", f"/mentorships/{pair}/resources"):
        assert client.get(path).status_code == 404
        response = other_admin_client.get(path)
        assert response.status_code == 404 and "Priya" not in text(response)
    assert client.get("/mentorships/999999").status_code == 404


# Resources -------------------------------------------------------------------------------------------------

def test_resources_fit_the_viewers_side_and_program(app, institution, pair, student_client, mentor_client,
                                                    admin_client):
    with app.app_context(), unscoped():
        program_id = db.session.get(Mentorship, pair).program_id
        other = Program(institution_id=institution.id, name="Another program")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    resource(app, institution, "Mentee handbook", "handbook", "mentees")
    resource(app, institution, "Mentor handbook", "handbook", "mentors")
    resource(app, institution, "Career Pathways agenda", "agenda", "everyone", program_id=program_id)
    resource(app, institution, "Another program's guide", "guide", "everyone", program_id=other_id)
    resource(app, institution, "Draft guide", "guide", "everyone", published=False)
    student = text(student_client.get(f"/mentorships/{pair}/resources"))
    assert "Mentee handbook" in student and "Career Pathways agenda" in student
    assert "Mentor handbook" not in student and "Another program's guide" not in student and "Draft" not in student
    mentor = text(mentor_client.get(f"/mentorships/{pair}/resources"))
    assert "Mentor handbook" in mentor and "Mentee handbook" not in mentor
    admin = text(admin_client.get(f"/mentorships/{pair}/resources"))
    assert "Mentor handbook" in admin and "Mentee handbook" in admin and "Draft guide" not in admin


def test_first_meeting_questions_lead_until_the_pair_has_met(app, institution, pair, student_client):
    resource(app, institution, "Questions for your first meeting", "first_meeting_questions", "mentees",
             body="1. **Why** did you decide to be a mentor?\n2. Which skills should I work on?")
    resource(app, institution, "Mentee handbook", "handbook", "mentees")
    page = student_client.get(f"/mentorships/{pair}/resources").get_data(as_text=True)
    assert "Before your first session" in page and "<strong>Why</strong> did you decide" in page
    assert page.index("Questions for your first meeting") < page.index("Mentee handbook")
    overview = text(student_client.get(f"/mentorships/{pair}"))
    assert "Before your first session Questions for your first meeting" in overview
    meeting(app, pair, "completed", -timedelta(days=1))
    after = text(student_client.get(f"/mentorships/{pair}/resources"))
    assert "Before your first session" not in after
    assert after.index("Mentee handbook") < after.index("Questions for your first meeting")  # back in its place
    assert "Before your first session" not in text(student_client.get(f"/mentorships/{pair}"))
