"""Issue 3's journey in a real browser, with a real RQ worker and a real SMTP server.

An admin creates a program and its questionnaire, opens it, imports a 2,000-row CSV with
mistakes (sees every one, nothing is written), imports the corrected file, and invites one
alumnus and one student; each of them opens the mailed link in their own browser, chooses a
password and walks through the onboarding to the dashboard. The worker is a subprocess
(`worker.py --no-cron imports mail`) pointed at the suite's database, Redis and SMTP sink.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.imports.samples import sample_people, sample_people_csv
from tests.browser.conftest import RECORD_CSP_VIOLATIONS, CspWatch, open_menu_entry
from tests.workers import WorkerProcess, worker_env

JOB_TIMEOUT = 60_000  # ms: a job-driven step on a loaded CI machine
PROGRAM = "Career Compass 2026"
ROWS, SEED = 2000, 7
SEARCH = "Zoe"  # a first name that picks out a few dozen of the 2,000 people
PASSWORD = "river lantern copper meadow"


@pytest.fixture
def worker(app, smtp_sink, live_server, tmp_path):
    """A worker on the "imports" and "mail" queues; call `worker.start()`, it is stopped after the test."""
    running = WorkerProcess(worker_env(app, tmp_path, smtp_sink, live_server), tmp_path, ("imports", "mail"))
    yield running
    running.stop()
    running.print_log()


def person_browser(browser, live_server):
    """A new browser profile for someone else, recording CSP violations like the `context` fixture."""
    watch = CspWatch()
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    context.expose_binding("__portalReportCsp", watch.record_violation)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", watch.record_console)
    return context, page, watch


def the_two_people() -> tuple[dict, dict, int]:
    """Pick a student and an alumnus (with no capacity in the file) among the people named SEARCH."""
    people = sample_people(ROWS, SEED)
    found = [person for person in people
             if SEARCH.lower() in " ".join((person["email"], person["first_name"], person["last_name"])).lower()]
    student = next(person for person in found if person["role"] == "student")
    mentor = next(person for person in found if person["role"] == "mentor" and not person["capacity"])
    assert 2 < len(found) <= 50, "the search must fit on one page of the people list"
    return student, mentor, len(found)


def getting_started(page):
    return page.get_by_role("navigation", name="Getting started")


def search_people(page) -> None:
    """Type in the people list's live search (once htmx is listening) and wait for the table."""
    page.wait_for_load_state()
    page.get_by_label("Search by name or email").fill(SEARCH)
    expect(page).to_have_url(re.compile(rf"[?&]q={SEARCH}"))


def create_program_with_questionnaire(page) -> None:
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Programs").click()
    expect(page.get_by_text("No programs yet.")).to_be_visible()
    page.get_by_role("link", name="Create your first program").click()
    page.get_by_label("Program name").fill(PROGRAM)
    page.get_by_label("Objective").fill("Guide 300 final-year students in their career choice by June 30")
    page.get_by_label("Key result target").fill("300")
    page.get_by_label("Measured in").fill("students guided")
    page.get_by_label("Key result deadline").fill("2027-06-30")
    page.get_by_label("Starts on").fill("2026-09-01")
    page.get_by_label("Ends on").fill("2027-06-30")
    page.get_by_label("Format").select_option(label="One-to-one")
    page.get_by_role("button", name="Create program").click()

    expect(page.get_by_role("heading", name=PROGRAM)).to_be_visible()
    expect(page.get_by_text(f"{PROGRAM} is created as a draft.")).to_be_visible()
    expect(page.get_by_text("300 students guided by Jun 30, 2027")).to_be_visible()
    expect(page.get_by_text("Sep 1, 2026 – Jun 30, 2027")).to_be_visible()

    # Two questions, added in place (htmx) without leaving the page.
    page.evaluate("window.__stillTheSamePage = true")
    editor = page.locator("#questionnaire")
    editor.get_by_label(re.compile(r"^Question\b")).fill("Which path interests you most after graduation?")
    editor.get_by_label("Answer type").select_option(label="Single choice")
    editor.get_by_label("Asked of").select_option(label="Mentors and mentees")
    editor.get_by_label("Options").fill("Industry\nGraduate school\nPublic service\nStarting a business")
    editor.get_by_label("Use in matching").check()
    editor.get_by_role("button", name="Add question").click()
    expect(editor.get_by_role("status")).to_have_text(
        "Question 1 is added: “Which path interests you most after graduation?”.")

    editor.get_by_label(re.compile(r"^Question\b")).fill("How sure are you about your next career step?")
    editor.get_by_label("Answer type").select_option(label="Scale 1-5")
    editor.get_by_label("Asked of").select_option(label="Mentees")
    editor.get_by_role("button", name="Add question").click()
    expect(editor.get_by_role("status")).to_have_text(
        "Question 2 is added: “How sure are you about your next career step?”.")
    expect(editor.get_by_text("2 questions: 1 for mentors, 2 for mentees")).to_be_visible()
    assert page.evaluate("window.__stillTheSamePage === true"), "adding a question reloaded the page"

    page.get_by_role("button", name="Open for joining").click()
    expect(page.get_by_text(f"{PROGRAM} is open: mentors and students can join it")).to_be_visible()
    expect(page.locator("h1 .program-status")).to_have_text("Open")


def upload(page, name: str, content: str) -> None:
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}])
    page.get_by_label("Enroll everyone into a program").select_option(label=PROGRAM)
    page.get_by_role("button", name="Upload and check").click()


def import_with_errors_then_corrected(page, worker) -> None:
    # From the program's empty participant list, as a new admin would.
    page.get_by_role("link", name="import people").click()
    expect(page.get_by_role("heading", name="Import people")).to_be_visible()
    upload(page, "alumni-and-students.csv", sample_people_csv(ROWS, errors=True, seed=SEED))

    # No worker is running yet: the page says so and keeps polling while it waits.
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("heading")).to_have_text("Checking 2,000 rows")
    expect(progress).to_contain_text("Waiting for a worker to check the file")
    expect(progress.get_by_role("progressbar", name="Progress")).to_be_visible()
    worker.start()

    # Once checked, the page reloads itself with every error by row and column.
    alert = page.get_by_role("alert").filter(has_text="nothing can be imported yet")
    expect(alert).to_be_visible(timeout=JOB_TIMEOUT)
    expect(alert.get_by_role("heading")).to_have_text("5 errors: nothing can be imported yet")
    issues = page.get_by_role("region", name="Errors and warnings").locator("tbody tr")
    expected = [("3", "email", "is also in row 1602"), ("402", "email", ""), ("802", "role", ""),
                ("1202", "capacity", '"three"'), ("1602", "email", "is also in row 3")]
    for row, column, words in expected:
        line = issues.filter(has=page.locator("td:first-child", has_text=re.compile(rf"^{row}$")))
        expect(line).to_have_count(1)
        expect(line.locator("td").nth(1)).to_have_text(column)
        expect(line.locator("td").nth(2)).to_contain_text(words)
    expect(issues).to_have_count(len(expected))
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)

    # Nothing was written: none of the file's people are here.
    open_menu_entry(page, "People", menu="People")
    search_people(page)
    expect(page.get_by_text(f"No one matches “{SEARCH}”")).to_be_visible()

    page.goto("/admin/import")
    upload(page, "alumni-and-students-corrected.csv", sample_people_csv(ROWS, errors=False, seed=SEED))
    ready = page.get_by_role("heading", name="Ready to import")
    expect(ready).to_be_visible(timeout=JOB_TIMEOUT)
    counts = page.locator(".import-counts .card")
    expect(counts.filter(has_text="New people")).to_contain_text("2,000")
    expect(counts.filter(has_text=f"to enrol into {PROGRAM}")).to_contain_text("2,000")
    expect(page.get_by_text("Rows 1–50 of 2,000 people in the file (page 1 of 40).")).to_be_visible()

    # With the worker busy elsewhere (here: stopped), the admin watches the import wait, then run.
    worker.stop()
    page.get_by_role("button", name="Confirm and import").click()
    expect(progress.get_by_role("heading")).to_have_text("Importing 2,000 rows")
    expect(progress).to_contain_text("Waiting for a worker to import the file")
    expect(progress.get_by_role("progressbar", name="Progress")).to_be_visible()
    worker.start()
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible(timeout=JOB_TIMEOUT)
    expect(page.get_by_text("every row of the file was written")).to_be_visible()
    expect(counts.filter(has_text="New people")).to_contain_text("2,000")
    expect(counts.filter(has_text=f"enrolled into {PROGRAM}")).to_contain_text("2,000")


def invite_the_two(page, student: dict, mentor: dict, found: int) -> None:
    open_menu_entry(page, "People", menu="People")
    expect(page.get_by_text(f"{ROWS} people haven't been sent an invitation yet.")).to_be_visible()
    search_people(page)
    rows = page.locator("#people-results tbody tr")
    expect(rows).to_have_count(found)
    for person in (student, mentor):
        row = rows.filter(has_text=person["email"])
        expect(row).to_contain_text("Not invited yet")
        row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Invite selected").click()
    expect(page.get_by_text("Sending invitations to 2 people. The mails go out in the background; "
                            "each link works once and expires in 14 days.")).to_be_visible()
    expect(page.get_by_text(f"{ROWS - 2} people haven't been sent an invitation yet.")).to_be_visible()


def invitation_path(smtp_sink, email: str) -> str:
    message = next(message for message in smtp_sink.messages if message["To"] == email)
    assert message["Subject"], "the invitation has no subject"
    link = re.search(r"https?://\S+/invitation/\S+", smtp_sink.text_of(message)).group(0)
    # The link names the portal's public address (TestingConfig pins it to http://localhost, whatever
    # PUBLIC_BASE_URL says): open its path on the test server.
    return "/" + link.split("/", 3)[3]


def accept_invitation(page, path: str, first_name: str, role: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name=f"Welcome, {first_name}")).to_be_visible()
    expect(page.get_by_text(f"as a {role}. Choose a password")).to_be_visible()
    page.get_by_role("textbox", name="New password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the new password").fill(PASSWORD)
    page.get_by_role("button", name="Join the program").click()
    expect(page.get_by_text(f"Welcome to Northbridge University's mentoring program, {first_name}!")).to_be_visible()


def read_orientation_and_finish(page, first_name: str) -> None:
    expect(page.get_by_role("heading", name="Your orientation")).to_be_visible()
    expect(getting_started(page)).to_contain_text("Getting started · step 4 of 4")
    page.get_by_role("button", name="I've read the orientation").click()
    expect(page.get_by_text("You're all set. Welcome to the program!")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Welcome, {first_name}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"127\.0\.0\.1:\d+/$"))
    expect(getting_started(page)).to_have_count(0)
    expect(page.get_by_text("Finish setting up your account")).to_have_count(0)


def student_onboards(page, path: str, student: dict) -> None:
    accept_invitation(page, path, student["first_name"], "student")
    # The import brought the student's major, year, skills and interests: the profile step is done.
    expect(page.get_by_role("heading", name=PROGRAM)).to_be_visible()
    steps = getting_started(page)
    expect(steps).to_contain_text("Getting started · step 3 of 4")
    expect(steps.get_by_role("progressbar", name="2 of 4 steps done")).to_be_visible()
    expect(steps.locator("li.done")).to_have_text(["Set your password (done)", "Complete your profile (done)"])
    expect(steps.locator("li[aria-current=step]")).to_have_text("Answer your program's questions")
    expect(page.get_by_text("You take part as a mentee.")).to_be_visible()
    page.get_by_role("radio", name="Graduate school").check()
    page.locator("label.scale-option", has_text="4").click()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text(f"Thank you! Your answers for {PROGRAM} are saved.")).to_be_visible()
    read_orientation_and_finish(page, student["first_name"])


def alumnus_onboards(page, path: str, mentor: dict) -> None:
    accept_invitation(page, path, mentor["first_name"], "mentor")
    # The file had the alumnus's employer, job and skills, but no mentoring topics or capacity.
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/profile\?next=%2Fwelcome$|/profile\?next=/welcome$"))
    expect(getting_started(page)).to_contain_text("Getting started · step 2 of 4")
    expect(getting_started(page).get_by_role("progressbar", name="1 of 4 steps done")).to_be_visible()
    meter = page.locator(".profile-side")
    expect(meter).to_contain_text("67% complete")
    expect(meter.locator(".completeness-list li")).to_have_count(2)
    expect(meter.locator(".completeness-list")).to_contain_text("Mentoring topics")
    expect(meter.locator(".completeness-list")).to_contain_text("Capacity")
    expect(page.get_by_label("Employer")).to_have_value(mentor["employer"])
    page.get_by_label("Add mentoring topics").fill("Career change; Interview preparation; Salary negotiation")
    page.get_by_label("Mentees at a time").fill("2")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    expect(page.get_by_role("heading", name=PROGRAM)).to_be_visible()
    expect(getting_started(page)).to_contain_text("Getting started · step 3 of 4")
    expect(page.get_by_text("You take part as a mentor.")).to_be_visible()
    expect(page.get_by_text("How sure are you about your next career step?")).to_have_count(0)  # mentees only
    page.get_by_role("radio", name="Industry").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text(f"Thank you! Your answers for {PROGRAM} are saved.")).to_be_visible()
    read_orientation_and_finish(page, mentor["first_name"])


def test_admin_imports_and_invites_then_a_student_and_an_alumnus_onboard(
        page, browser, live_server, sign_in, people, csp, smtp_sink, worker):
    student, mentor, found = the_two_people()
    sign_in(people["admin"].email)
    expect(page.get_by_role("heading", name="Welcome, Dana")).to_be_visible()

    create_program_with_questionnaire(page)
    import_with_errors_then_corrected(page, worker)
    invite_the_two(page, student, mentor, found)

    messages = smtp_sink.wait_for(2, timeout=30)
    assert sorted(message["To"] for message in messages) == sorted([student["email"], mentor["email"]])

    for person, onboard in ((student, student_onboards), (mentor, alumnus_onboards)):
        context, person_page, watch = person_browser(browser, live_server)
        try:
            onboard(person_page, invitation_path(smtp_sink, person["email"]), person)
            watch.assert_none(person_page)
        finally:
            context.close()

    # Back as the admin: the two are active, everyone else in the search is still to invite.
    open_menu_entry(page, "People", menu="People")
    search_people(page)
    rows = page.locator("#people-results tbody tr")
    expect(rows).to_have_count(found)
    for person in (student, mentor):
        expect(rows.filter(has_text=person["email"]).locator("td:nth-child(5) .badge")).to_have_text("Active")
    expect(rows.filter(has_text="Not invited yet")).to_have_count(found - 2)
    expect(page.get_by_text(f"{ROWS - 2} people haven't been sent an invitation yet.")).to_be_visible()

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Programs").click()
    page.get_by_role("link", name=PROGRAM).click()
    participants = page.get_by_role("region", name="Participants")
    mentors = sum(person["role"] == "mentor" for person in sample_people(ROWS, SEED))
    expect(participants.locator(".stat-value").first).to_have_text(f"{mentors}")
    expect(participants.locator(".stat-value").nth(1)).to_have_text(f"{ROWS - mentors}")
    csp.assert_none(page)
