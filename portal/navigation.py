"""The main navigation per role. Features add their entries here; an entry whose endpoint
does not exist (yet) is left out, so the menu always matches the app. A feature may show a
count beside its entry (unread messages, requests waiting) with `register_count`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, request
from flask_login import current_user

from portal.tenancy import tenant_scope

# In menu order: (endpoint, label, Bootstrap icon), or (label, icon, [entries]) for a drop-down.
NAVIGATION = {
    "admin": [
        ("dashboard.show_dashboard", "Dashboard", "speedometer2"),
        ("programs.list_programs", "Programs", "collection"),
        ("People", "people", [
            ("people.list_people", "People", "people"),
            ("directory.search_mentors", "Mentor directory", "search"),
            ("imports.new_import", "Import people", "upload"),
        ]),
        ("Mentorships", "link-45deg", [
            ("mentorships.list_mentorships", "Mentorships", "link-45deg"),
            ("mentorships.list_requests", "Requests", "inbox"),
        ]),
        ("reports.show_dashboard", "Reports", "bar-chart-line"),
        ("resources.list_resources", "Resources", "book"),
    ],
    "mentor": [
        ("dashboard.show_dashboard", "Dashboard", "speedometer2"),
        ("requests.show_inbox", "Requests", "inbox"),
        ("workspace.list_my_mentorships", "Mentorships", "people-fill"),
        ("messages.list_conversations", "Messages", "chat-dots"),
        ("resources.library", "Resources", "book"),
    ],
    "student": [
        ("dashboard.show_dashboard", "Dashboard", "speedometer2"),
        ("directory.search_mentors", "Find a mentor", "search"),
        ("requests.list_my_requests", "My requests", "send"),
        ("workspace.list_my_mentorships", "Mentorships", "people-fill"),
        ("messages.list_conversations", "Messages", "chat-dots"),
        ("resources.library", "Resources", "book"),
    ],
}

# The personal entries, in the account menu under the person's name.
ACCOUNT_MENU = {
    "admin": [],
    "mentor": [
        ("profiles.edit_profile", "My profile", "person-vcard"),
        ("availability.edit_availability", "Availability", "calendar-week"),
        ("programs.browse_programs", "My programs", "collection"),
    ],
    "student": [
        ("profiles.edit_profile", "My profile", "person-vcard"),
        ("programs.browse_programs", "My programs", "collection"),
    ],
}


def register_count(app: Flask, endpoint: str, count: Callable[[int], int]) -> None:
    """Show `count(user id)` beside the menu entry `endpoint` (hidden when it is 0)."""
    app.extensions.setdefault("portal_navigation_counts", {})[endpoint] = count


@dataclass
class MenuItem:
    label: str
    icon: str
    endpoint: str | None = None  # None for a drop-down
    count: int = 0
    active: bool = False
    children: list[MenuItem] = field(default_factory=list)


def _is_active(endpoint: str, entries: list) -> bool:
    """Return whether the page shown belongs to `endpoint`: the same view, or the only entry of its blueprint."""
    if request.endpoint == endpoint:
        return True
    blueprint = endpoint.split(".")[0]
    same_blueprint = [e for e in _endpoints(entries) if e.split(".")[0] == blueprint]
    return (request.blueprint == blueprint and blueprint != "dashboard" and len(same_blueprint) == 1
            and request.endpoint not in _endpoints(entries))


def _endpoints(entries: list) -> list[str]:
    return [e[0] if len(e) == 3 and isinstance(e[2], str) else child[0]
            for e in entries for child in ([e] if isinstance(e[2], str) else e[2])]


def _items(entries: list, everything: list) -> list[MenuItem]:
    counts = current_app.extensions.get("portal_navigation_counts", {})
    items = []
    for entry in entries:
        if isinstance(entry[2], list):
            children = _items(entry[2], everything)
            if children:
                items.append(MenuItem(entry[0], entry[1], count=sum(c.count for c in children),
                                      active=any(c.active for c in children), children=children))
        elif entry[0] in current_app.view_functions:
            endpoint, label, icon = entry
            count = 0
            if endpoint in counts:
                # Error pages raised before the request's scope is set (413, say) show the menu too.
                with tenant_scope(current_user.institution_id):
                    count = counts[endpoint](current_user.id)
            items.append(MenuItem(label, icon, endpoint, count, _is_active(endpoint, everything)))
    return items


def navigation_items() -> list[MenuItem]:
    """Return the signed-in person's main menu: entries and drop-downs, with counts and the active one."""
    if not current_user.is_authenticated:
        return []
    entries = NAVIGATION[current_user.role.value]
    return _items(entries, entries + ACCOUNT_MENU[current_user.role.value])


def account_items() -> list[MenuItem]:
    """Return the signed-in person's entries for the account menu."""
    if not current_user.is_authenticated:
        return []
    entries = ACCOUNT_MENU[current_user.role.value]
    return _items(entries, NAVIGATION[current_user.role.value] + entries)


def init_app(app: Flask) -> None:
    """Make the menu available to every template."""
    app.jinja_env.globals["navigation_items"] = navigation_items
    app.jinja_env.globals["account_items"] = account_items
