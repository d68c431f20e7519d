"""Recognition: a mentor's hours, sessions, ratings and milestones; a program's printable thank-you page."""

from __future__ import annotations

import pytest

from portal.engagement import mentor_recognition
from portal.models import Goal, GoalStatus, User, UserStatus
from portal.tenancy import tenant_scope
from tests.test_engagement import (  # noqa: F401 (in_app_context is a fixture)
    _add, ago, change, enroll, in_app_context, make_meeting, make_pair, make_program, person, rate, set_profile, text,
)

pytestmark = pytest.mark.usefixtures("in_app_context")


@pytest.fixture
def history(app, institution, people):
    """Priya's mentoring in two programs, Marcus's ten sessions, and sessions that do not count.

    Priya: Career Pathways with Jordan, completed 60 + 90 + 30 minutes; Leadership Circle with
    Amara, completed 60 minutes -> 240 minutes = 4.0 hours over 4 sessions. A cancelled 120-minute
    session, a confirmed one ahead and a proposed one do not count. Ratings her mentees gave:
    4, 5 (Jordan), 3 (Amara) -> mean 4.0; her own rating of 1 is not hers to receive.
    Marcus: Career Pathways with Lucas, 10 completed sessions of 45 minutes -> 7.5 hours.
    """
    program = make_program(institution)
    circle = make_program(institution, "Leadership Circle")
    priya, jordan = people["mentor"], people["student"]
    set_profile(priya, job_title="Product Manager", employer="Globex")
    marcus, elena = person(institution, "mentor", "Marcus", "Okafor"), person(institution, "mentor", "Elena", "Novak")
    omar = person(institution, "mentor", "Omar", "Haddad")
    amara, lucas = person(institution, "student", "Amara", "Nwosu"), person(institution, "student", "Lucas", "Ferreira")
    mia, noah = person(institution, "student", "Mia", "Chen"), person(institution, "student", "Noah", "Kim")
    for ref, role in ((priya, "mentor"), (marcus, "mentor"), (elena, "mentor"), (omar, "mentor"), (jordan, "mentee"),
                      (lucas, "mentee"), (mia, "mentee"), (noah, "mentee")):
        enroll(institution, program, ref, role)
    enroll(institution, circle, priya, "mentor")
    enroll(institution, circle, amara, "mentee")

    with_jordan = make_pair(institution, program, priya, jordan)
    first = make_meeting(institution, with_jordan, priya, days_ago=30, minutes=60)
    rate(institution, first, jordan, 4, days_ago=29)
    rate(institution, first, priya, 1, days_ago=29)
    rate(institution, make_meeting(institution, with_jordan, priya, days_ago=20, minutes=90), jordan, 5, days_ago=19)
    make_meeting(institution, with_jordan, priya, days_ago=10, minutes=30)
    make_meeting(institution, with_jordan, priya, days_ago=3, minutes=120, status="cancelled")
    make_meeting(institution, with_jordan, priya, days_ago=-4, minutes=60, status="confirmed")
    make_meeting(institution, with_jordan, priya, days_ago=-8, minutes=60, status="proposed")
    with_amara = make_pair(institution, circle, priya, amara)
    rate(institution, make_meeting(institution, with_amara, priya, days_ago=5, minutes=60), amara, 3, days_ago=4)

    with_lucas = make_pair(institution, program, marcus, lucas)
    for week in range(10):
        make_meeting(institution, with_lucas, marcus, days_ago=70 - 7 * week, minutes=45)  # the 10th: 7 days ago
    with_mia = make_pair(institution, program, elena, mia)
    make_meeting(institution, with_mia, elena, days_ago=6, status="cancelled")  # Elena gave no session yet
    with_noah = make_pair(institution, program, omar, noah)
    make_meeting(institution, with_noah, omar, days_ago=6)  # Omar's account is deactivated below
    change(User, omar.id, status=UserStatus.DEACTIVATED)
    return {"program": program, "circle": circle, "priya": priya, "marcus": marcus, "elena": elena,
            "with_jordan": with_jordan, "with_lucas": with_lucas}


def recognition(app, institution, user_id):
    with app.app_context(), tenant_scope(institution.id):
        return mentor_recognition(user_id)


def test_a_mentors_hours_sessions_and_ratings(app, institution, history):
    priya = recognition(app, institution, history["priya"].id)
    assert priya.hours == 4.0  # (60 + 90 + 30 + 60) / 60
    assert priya.sessions == 4
    assert sorted(priya.ratings) == [3, 4, 5] and priya.mean_rating == 4.0  # (4 + 5 + 3) / 3
    marcus = recognition(app, institution, history["marcus"].id)
    assert (marcus.hours, marcus.sessions, marcus.mean_rating) == (7.5, 10, None)  # 10 x 45 / 60


def test_milestones_first_session_ten_sessions_and_a_mentees_goal(app, institution, history):
    priya = recognition(app, institution, history["priya"].id)
    first, ten, goal = priya.milestones
    assert first.title == "First session" and first.reached_at.date() == ago(30).date()
    assert ten.title == "10 sessions" and ten.reached_at is None and ten.progress == "4 of 10 so far."
    assert goal.title == "A mentee's goal achieved" and goal.reached_at is None
    _add(Goal(institution_id=institution.id, mentorship_id=history["with_lucas"], title="Land an internship",
              status=GoalStatus.ACHIEVED, achieved_at=ago(2)))  # Marcus's mentee: not Priya's milestone
    _add(Goal(institution_id=institution.id, mentorship_id=history["with_jordan"], title="Draft a CV",
              status=GoalStatus.IN_PROGRESS, progress=60))
    assert recognition(app, institution, history["priya"].id).milestones[2].reached_at is None
    _add(Goal(institution_id=institution.id, mentorship_id=history["with_jordan"], title="Choose a career path",
              status=GoalStatus.ACHIEVED, achieved_at=ago(1)))
    assert recognition(app, institution, history["priya"].id).milestones[2].reached_at.date() == ago(1).date()
    marcus = recognition(app, institution, history["marcus"].id)
    assert marcus.milestones[1].reached_at.date() == ago(7).date()  # the 10th session, 70 - 7 x 9 = 7 days ago
    assert [m.title for m in marcus.reached] == ["First session", "10 sessions", "A mentee's goal achieved"]


def test_the_mentors_dashboard_shows_their_recognition(app, institution, history, mentor_client, student_client):
    page = text(mentor_client.get("/"))
    assert "Your mentoring so far" in page
    assert 'id="recognition-hours">4<' in page and 'id="recognition-sessions">4<' in page
    assert 'id="recognition-rating">4<' in page and "mean rating (3)" in page
    assert "First session" in page and "Not yet. 4 of 10 so far." in page
    assert "Your mentoring so far" not in text(student_client.get("/"))


def test_a_new_mentor_sees_what_counts(app, institution, people, make_client):
    from tests.factories import make_user

    with app.app_context():
        newcomer = make_user(institution, "mentor", "Lena", "Fischer")
    client = make_client()
    client.sign_in(newcomer.email)
    page = text(client.get("/"))
    assert "Your hours and sessions show here once your first session is marked as held." in page
    assert "Not yet. Your first completed session counts." in page


def test_the_thank_you_page_lists_mentors_who_gave_time_and_no_students(
        app, institution, history, admin_client, mentor_client, student_client, other_admin_client):
    page = text(admin_client.get(f"/programs/{history['program']}/thank-you"))
    assert "Thank you to our mentors" in page
    # Marcus 7.5 h + Priya 3 h (her Career Pathways sessions only) = 10.5 h; 10 + 3 = 13 sessions.
    assert "2 mentors gave 10.5 hours over 13 sessions to the students of Career Pathways." in page
    assert "Marcus Okafor" in page and "7.5 hours · 10 sessions" in page
    assert "Priya Raman" in page and "3 hours · 3 sessions" in page and "Product Manager, Globex" in page
    assert page.index("Marcus Okafor") < page.index("Priya Raman")  # by last name, not ranked by hours
    assert "Elena Novak" not in page and "Omar Haddad" not in page  # no session held; account deactivated
    for student in ("Jordan", "Amara", "Lucas", "Mia", "Noah"):
        assert student not in page, student
    circle = text(admin_client.get(f"/programs/{history['circle']}/thank-you"))
    assert "1 mentor gave 1 hour over 1 session" in circle
    # Mentors and students see no one else's figures; another institution's admin finds nothing.
    assert mentor_client.get(f"/programs/{history['program']}/thank-you").status_code == 403
    assert student_client.get(f"/programs/{history['program']}/thank-you").status_code == 403
    assert other_admin_client.get(f"/programs/{history['program']}/thank-you").status_code == 404


def test_a_program_with_no_sessions_yet_says_so(app, institution, admin_client):
    program = make_program(institution, "Spring Cohort")
    page = text(admin_client.get(f"/programs/{program}/thank-you"))
    assert "No sessions are completed in Spring Cohort yet." in page and "mentors gave" not in page
