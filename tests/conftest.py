"""Fixtures: the app through the factory, real databases and Redis, a real SMTP server,
and signed-in clients per role.

Locally the suite runs on SQLite and the embedded Redis; with DATABASE_URL and REDIS_URL
set it runs on PostgreSQL and that Redis. With PORTAL_REQUIRE_SERVICES=1 (CI) any skipped
test counts as a failure, so a missing service or browser cannot pass unnoticed.
"""

from __future__ import annotations

import os
import re
import socket
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from config import load_config
from portal import create_app
from portal.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_institution, make_user
from tests.smtp import SmtpSink

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, but PORTAL_REQUIRE_SERVICES=1 demands it runs: {reason}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    configured = load_config("testing").SQLALCHEMY_DATABASE_URI
    if not configured:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "portal-test.db")
        return
    # A throwaway database on the configured server, so a test run never touches real data.
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    admin_engine = sa.create_engine(configured, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(configured).set(database=name).render_as_string(hide_password=False)
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    configured = load_config("testing").REDIS_URL
    if configured:
        yield configured
        return
    from portal.embedded_redis import embedded_redis_url, stop_embedded_redis

    folder = str(tmp_path_factory.mktemp("redis"))
    yield embedded_redis_url(folder)
    stop_embedded_redis(folder)


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink(port=_free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def app(database_url, redis_url, smtp_sink, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "ENV_NAME": "testing",
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_sink.port,
        "MAIL_USE_TLS": False,
        "PUBLIC_BASE_URL": "http://localhost",
    })
    app.test_client_class = PortalClient
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()  # the suite runs on the schema the migrations build, not on create_all
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request, app, smtp_sink):
    """Give every test empty tables, an empty Redis and an empty mailbox."""
    yield
    with app.app_context():
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]  # children first
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Deleting the few tables a test wrote is far quicker than truncating all of them
                # (TRUNCATE makes new files for every table and index: ~0.35 s a test).
                written = set(connection.execute(sa.text(" UNION ALL ".join(
                    f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM {table})" for table in tables))).scalars())
                for table in (table for table in tables if table in written):
                    connection.execute(sa.text(f"DELETE FROM {table}"))
                for table in written:  # ids start at 1 again, as on a fresh database
                    connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)"))
            else:
                for table in tables:
                    connection.execute(sa.text(f"DELETE FROM {table}"))
        from portal.jobs import redis_connection

        redis_connection(app).flushdb()
    smtp_sink.messages.clear()


class PortalClient(FlaskClient):
    """A test client that sends the CSRF token a real form would, unless told not to."""

    def csrf_token(self) -> str:
        page = self.get("/reset-password")
        return CSRF_INPUT.search(page.get_data(as_text=True)).group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            headers = dict(kwargs.pop("headers", None) or {})
            data = dict(kwargs.pop("data", None) or {})
            token = self.csrf_token()
            if headers.get("HX-Request"):
                headers.setdefault("X-CSRFToken", token)
            else:
                data.setdefault("csrf_token", token)
            kwargs["headers"], kwargs["data"] = headers, data
        return super().post(*args, **kwargs)

    def sign_in(self, email: str, password: str = DEFAULT_PASSWORD):
        return self.post("/login", data={"email": email, "password": password})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    return app.test_client


@pytest.fixture
def institution(app):
    with app.app_context():
        return make_institution("northbridge", "Northbridge University")


@pytest.fixture
def other_institution(app):
    with app.app_context():
        return make_institution("lakeshore", "Lakeshore College")


@pytest.fixture
def people(app, institution, other_institution):
    """One person per role at Northbridge, and an admin and a student at Lakeshore."""
    with app.app_context():
        return {
            "admin": make_user(institution, "admin", "Dana", "Whitfield"),
            "mentor": make_user(institution, "mentor", "Priya", "Raman"),
            "student": make_user(institution, "student", "Jordan", "Lee"),
            "other_admin": make_user(other_institution, "admin", "Olu", "Adeyemi"),
            "other_student": make_user(other_institution, "student", "Kai", "Turner"),
        }


def _signed_in(app, person):
    client = app.test_client()
    response = client.sign_in(person.email)
    assert response.status_code == 302, "the fixture could not sign in"
    return client


@pytest.fixture
def admin_client(app, people):
    return _signed_in(app, people["admin"])


@pytest.fixture
def mentor_client(app, people):
    return _signed_in(app, people["mentor"])


@pytest.fixture
def student_client(app, people):
    return _signed_in(app, people["student"])


@pytest.fixture
def other_admin_client(app, people):
    return _signed_in(app, people["other_admin"])


@pytest.fixture
def run_jobs(app):
    """Run every queued job in this process with the same worker class production uses."""

    def run() -> None:
        from portal.jobs import build_worker

        worker = build_worker(app, simple=True)
        worker.work(burst=True, with_scheduler=False, logging_level="WARNING")

    return run
