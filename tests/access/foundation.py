"""Access rules of the foundation: sign-in, account, dashboard, people, health."""

from tests.access import Rule, admins, everyone, signed_in
from tests.factories import make_user


def make_targets(institution):
    return {"person": make_user(institution, "mentor", "Tariq", "Haddad").id}


RULES = {
    "auth.login": Rule("GET", "/login", {**everyone(302), "anonymous": 200}),
    "auth.logout": Rule("POST", "/logout", everyone(302)),
    "auth.accept_invite": Rule("GET", "/invitation/not-a-real-token", everyone(404)),
    "auth.request_password_reset": Rule("GET", "/reset-password", everyone(200)),
    "auth.reset_with_link": Rule("GET", "/reset-password/not-a-real-token", everyone(404)),
    "account.edit_settings": Rule("GET", "/account", signed_in(200)),
    "account.change_own_password": Rule("GET", "/account/password", signed_in(200)),
    "dashboard.show_dashboard": Rule("GET", "/", signed_in(200)),
    "people.list_people": Rule("GET", "/admin/people", admins(own=200, other=200)),
    "people.show_person": Rule("GET", "/admin/people/{person}", admins(own=200, other=404)),
    "people.deactivate_person": Rule("POST", "/admin/people/{person}/deactivate", admins(own=302, other=404),
                                     htmx_expect={"admin": 200}),
    "people.reactivate_person": Rule("POST", "/admin/people/{person}/reactivate", admins(own=302, other=404),
                                     htmx_expect={"admin": 200}),
    "health.healthz": Rule("GET", "/healthz", everyone(200)),
}
