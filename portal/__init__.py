"""Mentor Portal: the application factory."""

from __future__ import annotations

import os
import secrets

from flask import Flask

from config import Config, load_config


def create_app(config: Config | type | dict | str | None = None) -> Flask:
    """Build the portal from a config object, class, mapping, environment name, or PORTAL_ENV."""
    settings = _resolve_config(config)
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"], instance_relative_config=False)
    app.config.update(settings)
    os.makedirs(app.instance_path, exist_ok=True)
    _fill_local_defaults(app)

    from portal import cli, errors, navigation, security, templating
    from portal.profiles import canonical  # noqa: F401  (keeps cached canonical tags fresh on save)
    from portal.blueprints import register_blueprints
    from portal.extensions import csrf, db, htmx, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    navigation.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    return app


def _resolve_config(config) -> dict:
    if config is None or isinstance(config, str):
        config = load_config(config)
    if isinstance(config, dict):
        base = load_config(config.get("ENV_NAME", "testing" if config.get("TESTING") else None))
        settings = _as_dict(base)
        settings.update(config)
        return settings
    if isinstance(config, type):
        config = config()
    config.validate()
    return _as_dict(config)


def _as_dict(config: Config) -> dict:
    return {key: getattr(config, key) for key in dir(config) if key.isupper()}


def _fill_local_defaults(app: Flask) -> None:
    """Fill the development defaults: a kept secret key, SQLite, and the embedded Redis."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "portal.db")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    if not app.config.get("REDIS_URL"):
        from portal.embedded_redis import embedded_redis_url

        app.config["REDIS_URL"] = embedded_redis_url(app.instance_path)
    app.config.setdefault("RATELIMIT_STORAGE_URI", _limits_storage_uri(app.config["REDIS_URL"]))


def _instance_secret_key(instance_path: str) -> str:
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    with open(path) as handle:
        return handle.read().strip()


def _limits_storage_uri(redis_url: str) -> str:
    """Translate a redis-py URL into the form the `limits` library expects."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url[len("unix://"):]
    return redis_url
