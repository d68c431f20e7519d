"""Blueprints, one package per thing people do; each package exposes `bp`."""

import importlib
import pkgutil

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach every feature's blueprint to the app."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.ispkg:
            module = importlib.import_module(f"{__name__}.{info.name}")
            app.register_blueprint(module.bp)
    from portal.blueprints import auth

    auth.init_app(app)
