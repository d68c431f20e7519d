"""Template filters shared by every page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user


def localtime(value: datetime | None, fmt: str = "%b %d, %Y %H:%M") -> str:
    """Show a UTC timestamp in the viewer's time zone."""
    if value is None:
        return ""
    zone = current_user.timezone if current_user.is_authenticated else "UTC"
    local = value.astimezone(ZoneInfo(zone))
    return f"{local.strftime(fmt)} {local.tzname()}"


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(localtime)
