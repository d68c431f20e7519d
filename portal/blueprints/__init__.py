"""Blueprints, one per thing people do."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach every feature's blueprint to the app."""
    from portal.blueprints import account, auth, dashboard, health, people

    for module in (auth, account, dashboard, people, health):
        app.register_blueprint(module.bp)
    auth.init_app(app)
