"""Reviewing a run's suggestions: approve or reject, swap the mentor, pin or ban a pair.

Each action answers htmx with the suggestion's row, and a "decisions-changed" event on which
the counts beside the publish button refresh themselves; a plain form post gets a redirect
back to the run.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.matching import bp
from portal.blueprints.matching.forms import ApproveAboveForm, DecisionForm, SwapForm
from portal.extensions import db, htmx
from portal.match_runs import MatchRunError, approve_above, ban_pair, decide_suggestion, pin_pair, swap_candidates
from portal.match_runs import swap_mentor
from portal.match_runs.listing import one_row
from portal.match_runs.review import remove_rule
from portal.models import MatchRun, MatchSuggestion, PairRule, Program

NOTICES = {"approved": "Approved.", "rejected": "Rejected.", "proposed": "Back to proposed."}


def _row(suggestion: MatchSuggestion, notice: str = "", kind: str = "success", candidates=None):
    """Answer htmx with the suggestion's row; the counts and the publish button then refresh themselves."""
    run = db.session.get(MatchRun, suggestion.run_id)
    body = render_template("matching/_suggestion.html", row=one_row(suggestion), run=run, notice=notice,
                           notice_kind=kind, candidates=candidates)
    return htmx_response(body, trigger="decisions-changed")


def _done(suggestion: MatchSuggestion, notice: str, kind: str = "success"):
    if htmx:
        return _row(suggestion, notice, kind)
    flash(notice, kind)
    return redirect(url_for("matching.show_run", run_id=suggestion.run_id) + f"#suggestion-{suggestion.id}")


def _refused(suggestion_id: int, error: MatchRunError):
    db.session.rollback()
    return _done(get_or_404(MatchSuggestion, suggestion_id), str(error), "danger")


@bp.route("/matching/suggestions/<int:suggestion_id>/decision", methods=["POST"])
@admin_required
def decide(suggestion_id: int):
    """Approve or reject a suggested pair, or put it back to proposed."""
    suggestion = get_or_404(MatchSuggestion, suggestion_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _done(suggestion, "Choose approve or reject.", "danger")
    try:
        decide_suggestion(suggestion, form.decision.data, current_user.id)
    except MatchRunError as error:
        return _refused(suggestion_id, error)
    db.session.commit()
    return _done(suggestion, NOTICES[form.decision.data])


@bp.route("/matching/runs/<int:run_id>/approve", methods=["POST"])
@admin_required
def approve_pairs(run_id: int):
    """Approve every proposed pair of the run scoring at least the given score."""
    run = get_or_404(MatchRun, run_id)
    form = ApproveAboveForm()
    if not form.validate_on_submit():
        flash(" ".join(form.min_score.errors) or "Enter the lowest score to approve.", "danger")
        return redirect(url_for("matching.show_run", run_id=run.id))
    try:
        count = approve_above(run, form.min_score.data, current_user.id)
    except MatchRunError as error:
        db.session.rollback()
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(f"Approved {count} proposed {'pair' if count == 1 else 'pairs'} scoring {form.min_score.data:g} "
              "or more." if count else f"No proposed pair scores {form.min_score.data:g} or more.",
              "success" if count else "info")
    return redirect(url_for("matching.show_run", run_id=run.id))


@bp.route("/matching/suggestions/<int:suggestion_id>/swap")
@admin_required
def show_swap(suggestion_id: int):
    """Show the mentors who could take this mentee instead, with their scores and reasons."""
    suggestion = get_or_404(MatchSuggestion, suggestion_id)
    if htmx and request.args.get("close"):
        return _row(suggestion)
    try:
        candidates = swap_candidates(suggestion)
    except MatchRunError as error:
        return _done(suggestion, str(error), "danger")
    if htmx:
        return _row(suggestion, candidates=candidates)
    run = db.session.get(MatchRun, suggestion.run_id)
    return render_template("matching/swap.html", row=one_row(suggestion), run=run, candidates=candidates,
                           program=db.session.get(Program, run.program_id))


@bp.route("/matching/suggestions/<int:suggestion_id>/swap", methods=["POST"])
@admin_required
def swap(suggestion_id: int):
    """Give the mentee the chosen mentor instead; the new pair is approved."""
    suggestion = get_or_404(MatchSuggestion, suggestion_id)
    form = SwapForm()
    if not form.validate_on_submit():
        return _done(suggestion, "Choose the mentor to swap in.", "danger")
    try:
        swap_mentor(suggestion, form.mentor_id.data, current_user.id)
    except MatchRunError as error:
        return _refused(suggestion_id, error)
    db.session.commit()
    row = one_row(suggestion)
    return _done(suggestion, f"Swapped: {row.mentee.name} is now paired with {row.mentor.name} (approved).")


@bp.route("/matching/suggestions/<int:suggestion_id>/pin", methods=["POST"])
@admin_required
def pin(suggestion_id: int):
    """Pin the pair for the program (every run makes it) and approve it; pinning again unpins."""
    suggestion = get_or_404(MatchSuggestion, suggestion_id)
    try:
        pinned = pin_pair(suggestion, current_user.id)
    except MatchRunError as error:
        return _refused(suggestion_id, error)
    db.session.commit()
    return _done(suggestion, "Pinned and approved: every new run keeps this pair." if pinned else
                 "Unpinned: new runs may pair them differently.")


@bp.route("/matching/suggestions/<int:suggestion_id>/ban", methods=["POST"])
@admin_required
def ban(suggestion_id: int):
    """Ban the pair for the program (no run makes it again) and reject it."""
    suggestion = get_or_404(MatchSuggestion, suggestion_id)
    try:
        ban_pair(suggestion, current_user.id)
    except MatchRunError as error:
        return _refused(suggestion_id, error)
    db.session.commit()
    return _done(suggestion, "Banned and rejected: no run pairs them again. Swap the mentor to give the mentee "
                             "someone else.", "warning")


@bp.route("/matching/rules/<int:rule_id>/delete", methods=["POST"])
@admin_required
def delete_rule(rule_id: int):
    """Lift a pinned or banned pair of a program."""
    rule = get_or_404(PairRule, rule_id)
    program_id, kind = rule.program_id, rule.kind.value
    remove_rule(rule, current_user.id)
    db.session.commit()
    flash("The pin is lifted." if kind == "pin" else "The ban is lifted: runs may suggest this pair again.", "success")
    return redirect(url_for("matching.show_matching", program_id=program_id) + "#pair-rules")
