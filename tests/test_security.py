"""Headers on every response (errors too), CSRF, error pages, and production's refusals."""

from __future__ import annotations

import re

import pytest

from config import ConfigError, ProductionConfig
from portal import create_app


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


@pytest.fixture
def crashing_app(app):
    """A second app on the same database with a view that fails, and a tiny upload limit."""
    other = create_app({**app.config, "TESTING": True, "MAX_CONTENT_LENGTH": 1024})
    other.test_client_class = app.test_client_class

    @other.route("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    return other


def test_signed_in_pages_carry_the_security_headers(admin_client):
    for path in ("/", "/admin/people", "/account"):
        response = admin_client.get(path)
        assert response.status_code == 200
        assert_security_headers(response)


@pytest.mark.parametrize("htmx", [False, True])
def test_error_responses_carry_the_headers_and_a_friendly_page(app, crashing_app, student_client, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    crash_client = crashing_app.test_client()
    cases = {
        400: lambda: app.test_client().post("/login", data={"email": "x"}, csrf=False),
        403: lambda: student_client.get("/admin/people", headers=headers),
        404: lambda: student_client.get("/no-such-page", headers=headers),
        413: lambda: crash_client.post("/login", data={"email": "x" * 5000}, headers=headers, csrf=False),
        500: lambda: crash_client.get("/boom", headers=headers),
    }
    for status, call in cases.items():
        response = call()
        assert response.status_code == status
        assert_security_headers(response)
        body = response.get_data(as_text=True)
        assert "Traceback" not in body and "hunter2" not in body
        if htmx and status != 400:
            assert not body.lstrip().startswith("<!doctype"), f"{status} should be a fragment for htmx"
            assert response.headers["HX-Retarget"] == "#flash-region"
        elif not htmx:
            assert body.lstrip().startswith("<!doctype html>")


def test_too_many_attempts_page_is_clear_and_secured(client, people):
    for _ in range(10):
        client.sign_in(people["student"].email, "wrong-password-guess")
    response = client.sign_in(people["student"].email)
    assert response.status_code == 429
    assert_security_headers(response)
    assert "Please wait 15 minutes" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(admin_client, people):
    target = f"/admin/people/{people['mentor'].id}/deactivate"
    refused = admin_client.post(target, csrf=False)
    assert refused.status_code == 400
    assert "This form had expired" in refused.get_data(as_text=True)
    wrong = admin_client.post(target, data={"csrf_token": "forged"}, csrf=False)
    assert wrong.status_code == 400
    page = admin_client.get(f"/admin/people/{people['mentor'].id}").get_data(as_text=True)
    assert "Active" in page  # nothing happened


def test_an_htmx_request_with_a_stale_token_refreshes_the_page_with_a_message(admin_client, people):
    response = admin_client.post(f"/admin/people/{people['mentor'].id}/deactivate",
                                 headers={"HX-Request": "true", "X-CSRFToken": "stale"}, csrf=False)
    assert response.status_code == 400
    assert response.headers["HX-Refresh"] == "true"
    assert "we refreshed it" in admin_client.get("/").get_data(as_text=True)


def test_htmx_sends_the_csrf_token_from_the_layout(admin_client, people):
    page = admin_client.get("/admin/people").get_data(as_text=True)
    token = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page).group(1)
    response = admin_client.post(f"/admin/people/{people['mentor'].id}/deactivate",
                                 headers={"HX-Request": "true", "X-CSRFToken": token}, csrf=False)
    assert response.status_code == 200
    assert "Deactivated" in response.get_data(as_text=True)


def test_pages_have_no_inline_scripts_styles_or_handlers(admin_client, client):
    pages = [admin_client.get(path) for path in ("/", "/admin/people", "/account", "/account/password")]
    pages += [client.get("/login"), client.get("/reset-password")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
        assert "<style" not in html and not re.search(r"\sstyle=", html), "inline style"
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_cookies_are_httponly_and_lax(client, people):
    response = client.sign_in(people["student"].email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def production_settings(tmp_path, **overrides):
    settings = ProductionConfig()
    settings.INSTANCE_PATH = str(tmp_path)
    settings.SECRET_KEY = "x" * 48
    settings.SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://db.internal/portal"
    settings.REDIS_URL = "redis://cache.internal:6379/0"
    settings.PUBLIC_BASE_URL = "https://mentors.example.edu"
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


@pytest.mark.parametrize("unsafe, complaint", [
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"SQLALCHEMY_DATABASE_URI": None}, "DATABASE_URL"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:///portal.db"}, "DATABASE_URL"),
    ({"REDIS_URL": None}, "REDIS_URL"),
    ({"PUBLIC_BASE_URL": "http://mentors.example.edu"}, "https"),
])
def test_production_refuses_unsafe_defaults(tmp_path, unsafe, complaint):
    with pytest.raises(ConfigError, match=complaint):
        create_app(production_settings(tmp_path, **unsafe))


def test_production_sends_hsts_and_secure_cookies(tmp_path, app):
    production = create_app(production_settings(tmp_path, REDIS_URL=app.config["REDIS_URL"]))
    client = production.test_client()
    plain = client.get("/login", base_url="http://mentors.example.edu")
    assert plain.status_code == 302 and plain.headers["Location"].startswith("https://")
    secure = client.get("/login", base_url="https://mentors.example.edu")
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]
    assert "Secure" in secure.headers["Set-Cookie"]


def test_development_keeps_one_generated_secret_key(tmp_path, app):
    settings = {**app.config, "TESTING": False, "ENV_NAME": "development", "SECRET_KEY": None,
                "INSTANCE_PATH": str(tmp_path)}
    first = create_app(settings).config["SECRET_KEY"]
    second = create_app(settings).config["SECRET_KEY"]
    assert first == second and len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
