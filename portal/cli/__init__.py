"""Operator commands: `flask --app portal portal COMMAND`, or the `portal COMMAND` script."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup

portal_cli = AppGroup("portal", help="Run and administer Mentor Portal.")

from portal.cli import demo, institutions  # noqa: E402,F401  (they register commands)


def init_app(app: Flask) -> None:
    """Attach the `portal` command group to the app's CLI."""
    app.cli.add_command(portal_cli)


def _create_app():
    from portal import create_app

    return create_app()


main = FlaskGroup(
    name="portal",
    help="Mentor Portal operator commands (the same as `flask --app portal portal ...`).",
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    commands=portal_cli.commands,
)
