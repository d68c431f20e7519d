"""Browser fixtures: the test app served over HTTP, one Chromium per run, a fresh context per test.

Every page records Content Security Policy violations, both the `securitypolicyviolation`
events the page sees and the console errors Chromium prints, so a test can assert that a
page really works under the portal's strict CSP (no inline scripts or styles).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
HERE = Path(__file__).parent

# Runs before any page script; init scripts are injected by the browser, so the CSP does not apply.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = {directive: event.violatedDirective, blocked: event.blockedURI,
                     source: event.sourceFile, line: event.lineNumber, sample: event.sample,
                     page: document.location.href};
  window.__cspViolations.push(violation);
  if (window.__portalReportCsp) { window.__portalReportCsp(violation); }
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the suite's app on a free local port for the whole run; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class CspWatch:
    """Collect CSP violations from every page a context opens, across navigations."""

    def __init__(self) -> None:
        self.reports: list[str] = []

    def record_violation(self, _source, violation: dict) -> None:
        self.reports.append(
            f"{violation['page']}: blocked {violation['blocked'] or 'inline'} by {violation['directive']}"
            f" ({violation['source']}:{violation['line']}) {violation['sample'] or ''}".rstrip())

    def record_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.reports.append(f"console {message.type}: {message.text}")

    def assert_none(self, page=None) -> None:
        """Fail with every violation seen so far, including any still only in the open page."""
        reports = list(self.reports)
        if page is not None:
            for violation in page.evaluate("window.__cspViolations || []"):
                line = (f"{violation['page']}: blocked {violation['blocked'] or 'inline'} by "
                        f"{violation['directive']}")
                if not any(report.startswith(line) for report in reports):
                    reports.append(line)
        assert not reports, "Content Security Policy violations:\n" + "\n".join(reports)


@pytest.fixture
def csp():
    """The CSP watch for this test's page; call `csp.assert_none(page)` after the journey."""
    return CspWatch()


def new_context(browser, live_server, csp, **options):
    """Return a fresh browser profile (no cookies, no storage) pointed at the live server, watched by `csp`."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, **options)
    # Generous for a loaded 2-core CI machine; a passing step does not wait for it.
    context.set_default_timeout(15000)
    context.expose_binding("__portalReportCsp", csp.record_violation)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    return context


def sign_in_on(page, email: str, password: str | None = None) -> None:
    """Sign in on this page through the form, as a person would."""
    from tests.factories import DEFAULT_PASSWORD

    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password or DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def context(browser, live_server, csp):
    """A fresh browser profile (no cookies, no storage) per test, pointed at the live server."""
    from playwright.sync_api import expect

    context = new_context(browser, live_server, csp)
    expect.set_options(timeout=15000)
    yield context
    context.close()


@pytest.fixture
def page(context, csp):
    page = context.new_page()
    page.on("console", csp.record_console)
    return page


@pytest.fixture
def sign_in(page):
    """Sign in through the form, as a person would."""

    def sign_in_as(email: str, password: str | None = None) -> None:
        sign_in_on(page, email, password)

    return sign_in_as


def open_menu_entry(page, name: str, *, menu: str | None = None) -> None:
    """Follow the main navigation's entry `name`, opening its drop-down `menu` (or the account menu) first."""
    navigation = page.get_by_role("navigation", name="Main navigation")
    if menu is not None:
        navigation.get_by_role("button", name=menu).click()
    navigation.get_by_role("link", name=name, exact=True).click()
