"""Admins watch engagement: pairs at risk (and nudge them), fairness, requests left waiting, thanks to mentors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.engagement import bp
from portal.blueprints.engagement.forms import NudgeForm
from portal.engagement import EngagementError, fairness_report, nudge_pairs
from portal.engagement.at_risk import NUDGE_INTERVAL, at_risk_page
from portal.engagement.recognition import program_thank_you
from portal.engagement.reminders import mentors_waiting, overdue_requests
from portal.extensions import db, htmx
from portal.models import Program, utcnow

UNMATCHED_SHOWN = 200
AT_RISK_REGION = "at-risk-region"  # the at-risk list's page links swap this element


def _chosen_program() -> Program | None:
    """Return the program picked in the filter (?program=ID), or None for the whole institution."""
    raw = request.args.get("program", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(404)
    return get_or_404(Program, int(raw))


def _programs() -> list[Program]:
    return list(db.session.scalars(select(Program).order_by(Program.name)))


def _at_risk_context(program: Program | None, number: int, form: NudgeForm | None = None, outcome=None,
                     problem: str = "", tick_all: bool = False):
    """Return one page of the pairs at risk, the counts of them all, and the nudge form (with every pair
    that can be nudged ticked, on asking)."""
    now = utcnow()
    results, summary = at_risk_page(program.id if program else None, number, now)
    return {"results": results, "summary": summary, "program": program,
            "programs": _programs(), "form": form or NudgeForm(formdata=None), "outcome": outcome,
            "problem": problem, "nudge_interval": NUDGE_INTERVAL, "tick_all": tick_all,
            "recent": {pair.mentorship_id for pair in results.items if pair.nudged_within(now, NUDGE_INTERVAL)}}


@bp.route("/reports/at-risk")
@admin_required
def list_at_risk():
    """List the active pairs at risk, a page at a time, with the reasons, to nudge one or several."""
    program = _chosen_program()
    context = _at_risk_context(program, request.args.get("page", 1, type=int),
                               tick_all=request.args.get("tick") == "all")
    if htmx and htmx.target == AT_RISK_REGION and not htmx.history_restore_request:
        return render_template("engagement/_at_risk_region.html", **context)
    return render_template("engagement/at_risk.html", **context)


@bp.route("/reports/at-risk/nudge", methods=["POST"], endpoint="nudge_pairs")
@admin_required
def nudge_pairs_view():
    """Nudge the chosen pairs; pairs nudged in the last 7 days are skipped, and the page says so.

    The admin comes back to the page of the list they nudged from."""
    form = NudgeForm()
    program = get_or_404(Program, form.program.data) if form.program.data else None
    outcome, problem = None, ""
    if not form.validate_on_submit():
        problem = " ".join(message for errors in form.errors.values() for message in errors)
    else:
        try:
            outcome = nudge_pairs(form.chosen_ids(), current_user.id, form.note.data or "")
        except EngagementError as error:
            db.session.rollback()
            problem = str(error)
        else:
            db.session.commit()
    if htmx:
        keep = form if problem else NudgeForm(formdata=None)
        return render_template("engagement/_at_risk_region.html",
                               **_at_risk_context(program, form.page_number(), keep, outcome, problem))
    if problem:
        flash(problem, "danger")
    for sentence, kind in _outcome_flashes(outcome):
        flash(sentence, kind)
    number = form.page_number()
    return redirect(url_for("engagement.list_at_risk", program=program.id if program else None,
                            page=number if number > 1 else None))


def _outcome_flashes(outcome) -> list[tuple[str, str]]:
    if outcome is None:
        return []
    sentences = outcome.sentences()
    return [(sentence, "success" if index == 0 and outcome.nudged else "warning")
            for index, sentence in enumerate(sentences)]


@bp.route("/reports/fairness")
@admin_required
def show_fairness():
    """Show who is left unmatched and why, and match rate and satisfaction by group."""
    program = _chosen_program()
    report = fairness_report(program.id if program else None)
    return render_template("engagement/fairness.html", report=report, program=program, programs=_programs(),
                           unmatched_shown=UNMATCHED_SHOWN)


@bp.route("/reports/unanswered-requests")
@admin_required
def show_unanswered():
    """List requests waiting for a mentor's answer longer than half their program's expiry time."""
    program = _chosen_program()
    overdue = overdue_requests(program.id if program else None)
    return render_template("engagement/unanswered.html", overdue=overdue, mentors=mentors_waiting(overdue),
                           program=program, programs=_programs())


@bp.route("/programs/<int:program_id>/thank-you")
@admin_required
def thank_you(program_id: int):
    """Show a printable thank-you to the program's mentors: who gave time, with hours and sessions."""
    program = get_or_404(Program, program_id)
    return render_template("engagement/thank_you.html", thanks=program_thank_you(program), program=program)
