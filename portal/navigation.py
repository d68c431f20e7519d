"""The main navigation per role. Features add their entries here; an entry whose endpoint
does not exist (yet) is left out, so the menu always matches the app. A feature may show a
count beside its entry (unread messages, requests waiting) with `register_count`."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from flask_login import current_user

# (endpoint, label, Bootstrap icon), in menu order.
NAVIGATION = {
    "admin": [
        ("dashboard.show_dashboard", "Dashboard", "speedometer2"),
        ("programs.list_programs", "Programs", "collection"),
        ("people.list_people", "People", "people"),
        ("directory.search_mentors", "Mentors", "search"),
        ("imports.new_import", "Import", "upload"),
        ("resources.list_resources", "Resources", "book"),
    ],
    "mentor": [
        ("dashboard.show_dashboard", "Dashboard", "speedometer2"),
        ("programs.browse_programs", "Programs", "collection"),
        ("profiles.edit_profile", "My profile", "person-vcard"),
        ("resources.library", "Resources", "book"),
    ],
    "student": [
        ("dashboard.show_dashboard", "Dashboard", "speedometer2"),
        ("directory.search_mentors", "Find a mentor", "search"),
        ("programs.browse_programs", "Programs", "collection"),
        ("profiles.edit_profile", "My profile", "person-vcard"),
        ("resources.library", "Resources", "book"),
    ],
}


def register_count(app: Flask, endpoint: str, count: Callable[[int], int]) -> None:
    """Show `count(user id)` beside the menu entry `endpoint` (hidden when it is 0)."""
    app.extensions.setdefault("portal_navigation_counts", {})[endpoint] = count


def navigation_items() -> list[tuple[str, str, str, int]]:
    """Return the signed-in person's menu entries as (endpoint, label, icon, count)."""
    if not current_user.is_authenticated:
        return []
    counts = current_app.extensions.get("portal_navigation_counts", {})
    return [(endpoint, label, icon, counts[endpoint](current_user.id) if endpoint in counts else 0)
            for endpoint, label, icon in NAVIGATION[current_user.role.value]
            if endpoint in current_app.view_functions]


def init_app(app: Flask) -> None:
    """Make the menu available to every template."""
    app.jinja_env.globals["navigation_items"] = navigation_items
