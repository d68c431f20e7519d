"""Every endpoint declares who may use it: anonymous, student, mentor, admin, and the admin of
another institution, with and without HX-Request. An endpoint missing from tests/access/
fails the suite."""

from __future__ import annotations

import pytest

from portal.tenancy import unscoped
from tests.access import ROLES, SIGN_IN, all_modules

MODULES = {endpoint: module for module in all_modules() for endpoint in module.RULES}


def test_every_endpoint_is_declared(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    missing = sorted(endpoints - MODULES.keys())
    assert not missing, f"declare the access of these endpoints in tests/access/: {missing}"
    assert not sorted(MODULES.keys() - endpoints), "tests/access/ names endpoints that no longer exist"


@pytest.mark.parametrize("endpoint", sorted(MODULES))
def test_access(endpoint, app, people, institution, make_client):
    module = MODULES[endpoint]
    rule = module.RULES[endpoint]
    with app.app_context(), unscoped():
        targets = module.make_targets(institution) if hasattr(module, "make_targets") else {}
    clients = {"anonymous": make_client()}
    for role in ROLES[1:]:
        clients[role] = make_client()
        assert clients[role].sign_in(people[role].email).status_code == 302
    path = rule.path.format(**targets)
    for htmx in (False, True):
        for role in ROLES:  # the admin goes last: its actions may change the records
            expected = (rule.htmx_expect.get(role) if htmx else None) or rule.expect[role]
            headers = {"HX-Request": "true"} if htmx else {}
            client = clients[role]
            if rule.method == "GET":
                response = client.get(path, headers=headers)
            else:
                response = client.post(path, headers=headers, data=dict(rule.data))
            where = f"{rule.method} {path} as {role}{' (htmx)' if htmx else ''}"
            if expected == SIGN_IN:
                if htmx:
                    assert response.status_code == 401, where
                    assert response.headers["HX-Redirect"] == "/login", where
                else:
                    assert response.status_code == 302, where
                    assert response.headers["Location"].startswith("/login"), where
            else:
                assert response.status_code == expected, f"{where}: {response.status_code} != {expected}"
            if expected == 404 and role == "other_admin":
                body = response.get_data(as_text=True)
                assert "Northbridge" not in body, f"{where} leaked the other institution's record"
