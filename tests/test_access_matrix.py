"""Every endpoint declares who may use it: anonymous, student, mentor, admin, and the admin of
another institution, with and without HX-Request. An endpoint missing here fails the suite."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.factories import make_user

ROLES = ("anonymous", "student", "mentor", "other_admin", "admin")
SIGN_IN = "sign-in"  # a redirect to the sign-in page, or 401 + HX-Redirect for htmx


@dataclass
class Rule:
    method: str
    path: str  # may name {target}: a mentor of the first institution the test can act on
    expect: dict[str, int | str]
    htmx_expect: dict[str, int | str] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def signed_in(status: int) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, **{role: status for role in ROLES[1:]}}


def admins(own: int, other: int, others_forbidden: int = 403) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, "student": others_forbidden, "mentor": others_forbidden,
            "other_admin": other, "admin": own}


MATRIX: dict[str, Rule] = {
    "auth.login": Rule("GET", "/login", {**everyone(302), "anonymous": 200}),
    "auth.logout": Rule("POST", "/logout", everyone(302)),
    "auth.accept_invite": Rule("GET", "/invitation/not-a-real-token", everyone(404)),
    "auth.request_password_reset": Rule("GET", "/reset-password", everyone(200)),
    "auth.reset_with_link": Rule("GET", "/reset-password/not-a-real-token", everyone(404)),
    "account.edit_settings": Rule("GET", "/account", signed_in(200)),
    "account.change_own_password": Rule("GET", "/account/password", signed_in(200)),
    "dashboard.show_dashboard": Rule("GET", "/", signed_in(200)),
    "people.list_people": Rule("GET", "/admin/people", admins(own=200, other=200)),
    "people.show_person": Rule("GET", "/admin/people/{target}", admins(own=200, other=404)),
    "people.deactivate_person": Rule("POST", "/admin/people/{target}/deactivate", admins(own=302, other=404),
                                     htmx_expect={"admin": 200}),
    "people.reactivate_person": Rule("POST", "/admin/people/{target}/reactivate", admins(own=302, other=404),
                                     htmx_expect={"admin": 200}),
    "health.healthz": Rule("GET", "/healthz", everyone(200)),
}


def test_every_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    missing = sorted(endpoints - MATRIX.keys())
    assert not missing, f"declare the access of these endpoints in MATRIX: {missing}"
    assert not sorted(MATRIX.keys() - endpoints), "MATRIX names endpoints that no longer exist"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(endpoint, app, people, institution, make_client):
    rule = MATRIX[endpoint]
    with app.app_context():
        target = make_user(institution, "mentor", "Tariq", "Haddad")
    clients = {"anonymous": make_client()}
    for role in ROLES[1:]:
        clients[role] = make_client()
        assert clients[role].sign_in(people[role].email).status_code == 302
    path = rule.path.format(target=target.id)
    for htmx in (False, True):
        for role in ROLES:  # the admin goes last: its actions may change the target
            expected = (rule.htmx_expect.get(role) if htmx else None) or rule.expect[role]
            headers = {"HX-Request": "true"} if htmx else {}
            client = clients[role]
            if rule.method == "GET":
                response = client.get(path, headers=headers)
            else:
                response = client.post(path, headers=headers)
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
                assert "Tariq" not in body and "Northbridge" not in body, f"{where} leaked the record"
