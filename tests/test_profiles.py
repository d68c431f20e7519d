"""People edit their own profile: tags with suggestions (htmx) or typed plainly, validation that
keeps what was typed, opt-in background details, and a completeness meter that says why."""

from __future__ import annotations

import re

from datetime import date
from html import unescape

from portal.extensions import db
from portal.models import Profile, User
from portal.profiles.completeness import profile_completeness
from portal.tenancy import tenant_scope, unscoped
from tests.factories import make_user

HTMX = {"HX-Request": "true"}


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _profile(app, user_id: int) -> Profile:
    with app.app_context(), unscoped():
        profile = db.session.query(Profile).filter_by(user_id=user_id).one()
        db.session.expunge(profile)
        return profile


def _set_profile(app, user_id: int, **values) -> None:
    with app.app_context(), unscoped():
        profile = db.session.query(Profile).filter_by(user_id=user_id).one()
        for name, value in values.items():
            setattr(profile, name, value)
        db.session.commit()


STUDENT_FORM = {
    "headline": "  Economics student curious about product management ",
    "bio": "Third-year student; I run the debate club.",
    "location": "Boston, USA",
    "languages": "English; Spanish",
    "degree": "BA",
    "major": "Economics",
    "graduation_year": "2027",
    "skills": ["Python; sql, Excel", "Public speaking", "python"],  # the tag box first, then ticked chips
    "career_interests": "Product management, Consulting",
    "meeting_preferences": "Video calls after 5pm",
}


def test_a_student_saves_their_profile_with_tags_cleaned(app, people, student_client):
    page = _text(student_client.get("/profile"))
    assert "Your profile" in page and "Mentees at a time" not in page and "Mentoring topics" not in page
    response = student_client.post("/profile", data=STUDENT_FORM)
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    profile = _profile(app, people["student"].id)
    assert profile.headline == "Economics student curious about product management"
    assert profile.graduation_year == 2027 and profile.major == "Economics"
    assert profile.skills == ["Public speaking", "python", "sql", "Excel"]  # chips first, repeats dropped
    assert profile.career_interests == ["Product management", "Consulting"]
    assert profile.languages == ["English", "Spanish"]
    page = _text(student_client.get("/profile"))
    assert "Your profile is saved." in page
    assert 'value="Public speaking" checked' in page and 'value="Consulting" checked' in page


def test_without_javascript_tags_are_typed_in_one_box_and_unticked_to_remove(app, people, student_client):
    student_client.post("/profile", data={"skills": "Python; SQL, Excel"})
    assert _profile(app, people["student"].id).skills == ["Python", "SQL", "Excel"]
    # The page shows the tags as ticked chips; the browser sends only those still ticked.
    student_client.post("/profile", data={"skills": ["Tableau", "Python", "Excel"]})
    assert _profile(app, people["student"].id).skills == ["Python", "Excel", "Tableau"]


def test_bad_input_is_explained_and_nothing_is_saved(app, people, student_client, mentor_client):
    latest = date.today().year + 8
    page = _text(student_client.post("/profile", data={**STUDENT_FORM, "graduation_year": "1800"}))
    assert f"Enter a year between 1940 and {latest}." in page
    assert "Nothing was saved yet" in page
    assert 'value="  Economics student curious about product management' in page  # what was typed stays
    page = _text(student_client.post("/profile", data={**STUDENT_FORM, "graduation_year": "next year"}))
    assert "Enter the year as four digits, e.g. 2027." in page
    assert _profile(app, people["student"].id).headline == ""

    many = ", ".join(f"Skill {number}" for number in range(21))
    page = _text(student_client.post("/profile", data={**STUDENT_FORM, "skills": many}))
    assert "Skills: choose up to 20 tags (you have 21)" in page
    assert 'value="Skill 20" checked' in page  # each one shown, to untick the ones to drop
    page = _text(student_client.post("/profile", data={**STUDENT_FORM, "skills": "x" * 61}))
    assert "Keep each tag to 60 characters or fewer" in page
    assert _profile(app, people["student"].id).skills == []

    for capacity in ("11", "0", "two"):
        page = _text(mentor_client.post("/profile", data={"capacity": capacity}))
        assert "Choose between 1 and 10 mentees." in page or "Enter a whole number" in page, capacity
    assert _profile(app, people["mentor"].id).capacity is None


def test_mentors_set_capacity_topics_and_whether_they_accept_requests(app, people, mentor_client, student_client):
    page = _text(mentor_client.get("/profile"))
    assert "Mentees at a time" in page and "accepting new mentee requests" in page
    mentor_client.post("/profile", data={"capacity": "3", "mentoring_topics": "Career switching; Negotiation",
                                         "employer": "Stripe", "job_title": "Engineering Manager"})
    profile = _profile(app, people["mentor"].id)
    assert profile.capacity == 3 and profile.accepting_requests is False  # an unticked box
    assert profile.mentoring_topics == ["Career switching", "Negotiation"]
    mentor_client.post("/profile", data={"capacity": "3", "accepting_requests": "y"})
    assert _profile(app, people["mentor"].id).accepting_requests is True
    # A student has no capacity: a forged field is ignored.
    student_client.post("/profile", data={"capacity": "5", "mentoring_topics": "Hacking"})
    student = _profile(app, people["student"].id)
    assert student.capacity is None and student.mentoring_topics == []


def test_background_details_are_kept_only_with_consent(app, people, student_client):
    page = _text(student_client.post("/profile", data={"affinity_first_generation": "y"}))
    assert "Tick this box to share the details above" in page
    assert _profile(app, people["student"].id).affinity == {}

    student_client.post("/profile", data={"affinity_first_generation": "y", "affinity_gender": " Non-binary ",
                                          "affinity_consent": "y"})
    affinity = _profile(app, people["student"].id).affinity
    assert affinity["first_generation"] is True and affinity["gender"] == "Non-binary"
    assert "consented_at" in affinity and "international" not in affinity
    page = _text(student_client.get("/profile"))
    assert 'id="affinity_first_generation" name="affinity_first_generation" type="checkbox" value="y"' in page

    # Consent withdrawn (the browser sends the emptied text box): every detail is forgotten.
    student_client.post("/profile", data={"affinity_gender": ""})
    assert _profile(app, people["student"].id).affinity == {}


def test_after_saving_the_walk_through_continues_but_never_off_site(app, people, student_client):
    response = student_client.post("/profile?next=/welcome", data={**STUDENT_FORM, "next": "/welcome"})
    assert response.headers["Location"] == "/welcome"
    assert "Save and continue" in _text(student_client.get("/profile?next=/welcome"))
    for target in ("https://evil.example", "//evil.example", "javascript:alert(1)"):
        response = student_client.post("/profile", data={**STUDENT_FORM, "next": target})
        assert response.headers["Location"] == "/profile", target


def test_tag_suggestions_come_as_a_fragment_from_this_institution_only(app, people, institution,
                                                                      other_institution, student_client):
    with app.app_context():
        other = make_user(other_institution, "mentor", "Rin", "Sato")
    _set_profile(app, people["mentor"].id, skills=["PyTorch", "People management"])
    _set_profile(app, other.id, skills=["Pyramid Secret Project"])

    response = student_client.get("/profile/tags?field=skills&q=py", headers=HTMX)
    fragment = _text(response)
    assert response.status_code == 200 and not fragment.lstrip().startswith("<!doctype")
    assert "PyTorch" in fragment and "Python" in fragment  # used here, and from the vocabulary
    assert "Pyramid Secret Project" not in fragment  # another institution's tag
    assert "hx-get=\"/profile/tags/add?field=skills&amp;tag=PyTorch\"" in response.get_data(as_text=True)
    words = _text(student_client.get("/profile/tags?field=skills&q=manag", headers=HTMX))
    assert "People management" in words  # a word of a tag used here
    assert "Project management" in _text(student_client.get("/profile/tags?field=skills&q=project+m", headers=HTMX))
    # An abbreviation from the canonical vocabulary suggests its tag first.
    first = re.search(r"</i> ([^<]+)</button>", _text(student_client.get("/profile/tags?field=skills&q=ML",
                                                                         headers=HTMX)))
    assert first and first.group(1).strip() == "Machine learning"

    # The tag box sends its own text first, then the ticked chips: a chosen tag is not suggested again.
    typed = _text(student_client.get("/profile/tags?field=skills&skills=Excel,%20py&skills=Python", headers=HTMX))
    assert "PyTorch</button>" in typed and "Python</button>" not in typed
    nothing = _text(student_client.get("/profile/tags?field=skills&q=zzzq", headers=HTMX))
    assert "it will be added as you typed it" in nothing
    assert student_client.get("/profile/tags?field=password_hash&q=a", headers=HTMX).status_code == 404
    assert student_client.get("/profile/tags?field=mentoring_topics&q=a", headers=HTMX).status_code == 404


def test_picking_a_suggestion_answers_the_tag_box_with_the_tag_added(people, student_client):
    response = student_client.get("/profile/tags/add?field=skills&tag=Python&skills=Excel,%20py&skills=SQL",
                                  headers=HTMX)
    box = _text(response)
    assert box.lstrip().startswith('<fieldset id="tags-skills"')
    assert box.index('value="SQL"') < box.index('value="Excel"') < box.index('value="Python"')
    assert 'value="py"' not in box and "autofocus" in box
    full = "&".join(f"skills=Tag{number}" for number in range(20))
    crowded = _text(student_client.get(f"/profile/tags/add?field=skills&tag=Python&skills=&{full}", headers=HTMX))
    assert "choose up to 20 tags" in crowded


def test_completeness_for_a_mentor_and_a_student(app, people, mentor_client, student_client):
    _set_profile(app, people["mentor"].id, skills=["Python"], mentoring_topics=["Negotiation"], industry="Fintech")
    with app.app_context(), unscoped():
        meter = profile_completeness(db.session.get(User, people["mentor"].id))
    assert (meter.percent, meter.filled, meter.total) == (50, 3, 6)
    assert [label for label, _ in meter.missing] == ["Job title", "Employer", "Capacity"]
    assert dict(meter.missing)["Capacity"] == "we never send you more mentees than you can take"

    page = _text(mentor_client.get("/profile"))
    assert 'value="50"' in page and "50% complete" in page and "3 of 6 essentials" in page
    assert "we never send you more mentees than you can take" in page
    dashboard = _text(mentor_client.get("/"))
    assert "50% complete" in dashboard and "Complete your profile" in dashboard

    _set_profile(app, people["student"].id, major="Economics", skills=["Excel"])
    with app.app_context(), tenant_scope(people["student"].institution_id):
        meter = profile_completeness(db.session.get(User, people["student"].id))
    assert (meter.percent, meter.filled, meter.total) == (50, 2, 4)
    assert meter.missing == [("Career interests", "we match you with mentors working in those careers"),
                             ("Graduation year", "it tells mentors where you are in your studies")]
    assert "Skills: we match mentors and students on shared skills" not in _text(student_client.get("/profile"))

    student_client.post("/profile", data={**STUDENT_FORM})
    dashboard = _text(student_client.get("/"))
    assert "Profile complete: every essential is filled in." in dashboard and "Edit your profile" in dashboard
    assert "Economics student curious about product management" in dashboard


def test_admins_read_a_persons_profile_but_not_their_background_details(app, people, student_client, admin_client):
    student_client.post("/profile", data={**STUDENT_FORM, "affinity_veteran": "y", "affinity_consent": "y"})
    page = _text(admin_client.get(f"/admin/people/{people['student'].id}"))
    assert "Economics student curious about product management" in page and "100% of the essentials" in page
    assert "served in the military" not in page and "veteran" not in page.lower()
