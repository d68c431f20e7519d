"""Canonical tags are worked out when a profile is saved, not when matching runs."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.matching import VOCABULARY_VERSION
from portal.models import Profile, User
from portal.profiles.canonical import refresh_stale_canonical_tags
from portal.tenancy import unscoped
from tests.data import upload, uploaded_import_id


def _profile(app, email):
    with app.app_context(), unscoped():
        return db.session.scalar(select(Profile).join(User).where(User.email == email))


def test_saving_a_profile_caches_canonical_tags(app, student_client, people):
    response = student_client.post("/profile", data={
        "skills": "ML; pyhton; Data sci", "career_interests": "UX", "major": "comp sci",
        "graduation_year": "2027", "languages": "English",
    })
    assert response.status_code == 302
    profile = _profile(app, people["student"].email)
    assert profile.skills == ["ML", "pyhton", "Data sci"]  # what the person typed is kept
    cached = profile.canonical_tags
    assert profile.canonical_version == VOCABULARY_VERSION
    assert len(cached["skills"]) == 3 and "ML" not in cached["skills"] and "pyhton" not in cached["skills"]
    assert cached["major"] and cached["major"] != "comp sci"


def test_imported_profiles_are_cached_too(app, admin_client, people):
    csv = ("email,first_name,last_name,role,skills,interests\n"
           "nia.b@northbridge.example.edu,Nia,Bakare,student,ML;SWE,fintech\n"
           f"{people['student'].email},Jordan,Lee,student,UX;pyhton,\n")
    import_id = uploaded_import_id(upload(admin_client, csv))
    assert admin_client.post(f"/admin/import/{import_id}/confirm").status_code == 302
    for email in ("nia.b@northbridge.example.edu", people["student"].email):  # a new and an updated person
        profile = _profile(app, email)
        assert profile.canonical_version == VOCABULARY_VERSION
        assert len(profile.canonical_tags["skills"]) == 2
        assert not set(profile.canonical_tags["skills"]) & {"ML", "SWE", "UX", "pyhton"}


def test_stale_caches_are_refreshed_by_the_periodic_job(app, people):
    with app.app_context(), unscoped():
        db.session.execute(Profile.__table__.update().values(canonical_version=0, canonical_tags={}))
        db.session.commit()
        assert refresh_stale_canonical_tags() == 5
        db.session.commit()
        versions = set(db.session.scalars(select(Profile.canonical_version)))
    assert versions == {VOCABULARY_VERSION}
