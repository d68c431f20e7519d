"""Institutions never see each other's records, and forgetting to choose a scope fails loudly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import Institution, Profile, User
from portal.tenancy import TenantScopeMissing, tenant_scope, unscoped


def test_reading_tenant_records_without_a_scope_is_an_error(app, people):
    with app.app_context():
        with pytest.raises(TenantScopeMissing):
            db.session.scalars(select(User)).all()
        with pytest.raises(TenantScopeMissing):
            db.session.scalars(select(Profile).join(User)).all()


def test_a_scope_sees_only_its_institution(app, people, institution, other_institution):
    with app.app_context():
        with tenant_scope(other_institution.id):
            emails = set(db.session.scalars(select(User.email)))
            assert emails == {people["other_admin"].email, people["other_student"].email}
            assert db.session.get(User, people["student"].id) is None
            assert [i.slug for i in db.session.scalars(select(Institution))] == ["lakeshore"]
            # Joins and counts are scoped too.
            profiles = db.session.scalar(select(func.count()).select_from(Profile).join(User))
            assert profiles == 2
        with unscoped():
            assert db.session.scalar(select(func.count()).select_from(User)) == 5


def test_bulk_updates_cannot_reach_another_institution(app, people, other_institution):
    with app.app_context():
        with tenant_scope(other_institution.id):
            db.session.execute(update(User).values(timezone="Europe/Lisbon"))
            db.session.commit()
        with unscoped():
            zones = dict(db.session.execute(select(User.email, User.timezone)).all())
    assert zones[people["other_admin"].email] == "Europe/Lisbon"
    assert zones[people["student"].email] != "Europe/Lisbon"


def test_an_admin_lists_and_finds_only_their_own_people(other_admin_client, people):
    page = other_admin_client.get("/admin/people").get_data(as_text=True)
    assert people["other_student"].email in page
    assert people["student"].email not in page and people["mentor"].email not in page
    search = other_admin_client.get("/admin/people", query_string={"q": "raman"},
                                    headers={"HX-Request": "true", "HX-Target": "people-results"})
    assert "No one matches" in search.get_data(as_text=True)


def test_the_dashboard_counts_only_the_own_institution(other_admin_client):
    page = other_admin_client.get("/").get_data(as_text=True)
    assert "Lakeshore College" in page and "Northbridge" not in page
