"""Operator commands: `flask --app portal portal COMMAND`, or the `portal COMMAND` script."""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup, FlaskGroup

portal_cli = AppGroup("portal", help="Run and administer Mentor Portal.")


def _register_commands() -> None:
    """Import every module of this package; each adds its commands to `portal_cli`."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


_register_commands()


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
