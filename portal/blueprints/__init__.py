"""Blueprints, one package per thing people do; each package exposes `bp`, and may expose
`init_app(app)` for what it adds beyond routes."""

import importlib
import pkgutil

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach every feature's blueprint to the app."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.ispkg:
            module = importlib.import_module(f"{__name__}.{info.name}")
            app.register_blueprint(module.bp)
            if hasattr(module, "init_app"):
                module.init_app(app)
