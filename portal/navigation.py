"""The main navigation per role. Features add their entries here; an entry whose endpoint
does not exist (yet) is left out, so the menu always matches the app."""

from __future__ import annotations

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


def navigation_items() -> list[tuple[str, str, str]]:
    """Return the signed-in person's menu entries."""
    if not current_user.is_authenticated:
        return []
    return [item for item in NAVIGATION[current_user.role.value] if item[0] in current_app.view_functions]


def init_app(app: Flask) -> None:
    """Make the menu available to every template."""
    app.jinja_env.globals["navigation_items"] = navigation_items
