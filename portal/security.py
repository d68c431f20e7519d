"""Response headers every page carries, errors included: CSP, framing, caching, Vary."""

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    """Install the security headers and, behind a proxy, trust its forwarded headers."""
    if app.config.get("TRUSTED_PROXIES"):
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    production = app.config["HSTS_ENABLED"]
    # Talisman keeps its settings on the instance, so each app gets its own rather than
    # sharing an unbound one (a second app would silently change the first's headers).
    app.extensions["talisman"] = Talisman(
        app,
        force_https=production,
        strict_transport_security=production,
        strict_transport_security_max_age=31536000,
        strict_transport_security_include_subdomains=True,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        # Same-origin keeps the Referer that Flask-WTF's HTTPS CSRF check needs.
        referrer_policy="same-origin",
        frame_options="DENY",
        x_content_type_options=True,
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )
    app.after_request(_no_store_and_vary)


def _no_store_and_vary(response):
    if request.endpoint == "static":
        return response
    # Pages show personal data and fragments differ from full pages for the same URL.
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response
