"""Template filters shared by every page."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_login import current_user


def localtime(value: datetime | None, fmt: str = "%b %d, %Y %H:%M") -> str:
    """Show a UTC timestamp in the viewer's time zone."""
    if value is None:
        return ""
    zone = current_user.timezone if current_user.is_authenticated else "UTC"
    local = value.astimezone(ZoneInfo(zone))
    return f"{local.strftime(fmt)} {local.tzname()}"


def localdate(value: datetime | None) -> str:
    """Show the day of a UTC timestamp in the viewer's time zone, e.g. Nov 21, 2026."""
    if value is None:
        return ""
    zone = current_user.timezone if current_user.is_authenticated else "UTC"
    return value.astimezone(ZoneInfo(zone)).strftime("%b %d, %Y")


def _feature_stylesheets(app: Flask) -> list[str]:
    folder = os.path.join(app.static_folder, "css", "features")
    if not os.path.isdir(folder):
        return []
    return [f"css/features/{name}" for name in sorted(os.listdir(folder)) if name.endswith(".css")]


def init_app(app: Flask) -> None:
    """Register the filters, and the stylesheets features add under static/css/features/."""
    app.add_template_filter(localtime)
    app.add_template_filter(localdate)
    app.jinja_env.globals["current_app"] = current_app  # templates show a link only if its feature exists
    app.jinja_env.globals["feature_stylesheets"] = _feature_stylesheets(app)
