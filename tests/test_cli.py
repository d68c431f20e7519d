"""Operator commands, as DESIGN.md describes them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from portal.demo import DEMO_LOGINS, DEMO_PASSWORD
from portal.extensions import db
from portal.models import Role, User, UserStatus
from portal.tenancy import unscoped


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_create_institution_with_a_password_makes_an_active_admin(runner, client):
    result = runner.invoke(args=["portal", "create-institution", "Harbor State", "--slug", "harbor",
                                 "--admin-email", "ops@harbor.example.edu", "--admin-password", "amber-tundra-piano-5"])
    assert result.exit_code == 0, result.output
    assert "ops@harbor.example.edu can sign in now" in result.output
    assert client.sign_in("ops@harbor.example.edu", "amber-tundra-piano-5").status_code == 302


def test_create_institution_explains_what_is_wrong(runner, institution):
    taken = runner.invoke(args=["portal", "create-institution", "Copy", "--slug", "northbridge",
                                "--admin-email", "a@b.example.edu"])
    assert taken.exit_code != 0 and "already exists" in taken.output
    bad = runner.invoke(args=["portal", "create-institution", "Bad", "--slug", "Bad Slug!",
                              "--admin-email", "a@b.example.edu"])
    assert bad.exit_code != 0 and "lowercase letters" in bad.output
    weak = runner.invoke(args=["portal", "create-institution", "Weak", "--slug", "weak",
                               "--admin-email", "a@weak.example.edu", "--admin-password", "password"])
    assert weak.exit_code != 0 and "common" in weak.output


def test_set_password_resets_and_signs_out(runner, people, student_client, make_client):
    result = runner.invoke(args=["portal", "set-password", people["student"].email, "--password", "violet-canyon-ferry-3"])
    assert result.exit_code == 0, result.output
    assert student_client.get("/").status_code == 302
    assert make_client().sign_in(people["student"].email, "violet-canyon-ferry-3").status_code == 302
    missing = runner.invoke(args=["portal", "set-password", "nobody@example.edu", "--password", "violet-canyon-ferry-3"])
    assert missing.exit_code != 0 and "No account" in missing.output


def test_set_password_prompts_when_no_password_is_given(runner, people):
    result = runner.invoke(args=["portal", "set-password", people["mentor"].email],
                           input="violet-canyon-ferry-3\nviolet-canyon-ferry-3\n")
    assert result.exit_code == 0, result.output


def test_seed_demo_creates_people_once_and_prints_the_logins(app, runner, client):
    first = runner.invoke(args=["portal", "seed-demo"])
    assert first.exit_code == 0, first.output
    for email in DEMO_LOGINS.values():
        assert email in first.output
    second = runner.invoke(args=["portal", "seed-demo"])
    assert "already exists" in second.output
    with app.app_context(), unscoped():
        mentors = db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.MENTOR))
        invited = db.session.scalar(select(func.count()).select_from(User).where(User.status == UserStatus.INVITED))
    assert mentors >= 10 and invited >= 3
    for email in DEMO_LOGINS.values():
        assert app.test_client().sign_in(email, DEMO_PASSWORD).status_code == 302


@pytest.mark.parametrize("command", ["create-institution", "set-password", "seed-demo"])
def test_every_command_has_help(runner, command):
    result = runner.invoke(args=["portal", command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_the_portal_script_is_installed(app, tmp_path):
    # The suite's own database and Redis, so the command starts no embedded server of its own.
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=app.config["REDIS_URL"],
               PORTAL_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", "portal", "--help"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0
    for command in ("create-institution", "set-password", "seed-demo"):
        assert command in result.stdout
