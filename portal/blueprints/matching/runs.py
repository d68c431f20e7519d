"""The matching page of a program, and a run's life: start, progress, retry, re-run, publish, export."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.matching import bp
from portal.blueprints.matching.forms import (
    ActionForm, ApproveAboveForm, MatchSettingsForm, ReviewFilterForm,
)
from portal.extensions import db, htmx
from portal.match_runs import (
    MatchRunError, default_parameters, publish_match_run, rerun_match_run, retry_match_run, run_state,
    start_match_run,
)
from portal.match_runs.cohort import matching_questions, names_of
from portal.match_runs.export import export_csv
from portal.match_runs.listing import (
    Filters, decision_counts, program_readiness, score_bars, suggestions_page, unmatched_people,
)
from portal.match_runs.parameters import CRITERION_HELP, criteria_of, describe
from portal.matching import normalise_weights
from portal.models import MatchRun, MatchRunStatus, PairRule, Program

RUNS_LISTED = 20
PROBLEMS_FLASHED = 5


def _criteria(program: Program) -> dict[str, str]:
    return criteria_of(program, bool(matching_questions(program.id)))


def _shares(program: Program, form: MatchSettingsForm, criteria: dict[str, str]) -> dict[str, int]:
    """Return each criterion's share of the score in percent, as the engine will weigh them."""
    weights = {criterion: form[f"weight_{criterion}"].data or 0 for criterion in criteria}
    try:  # the engine only asks whether the program uses questions and affinity fields at all
        shares = normalise_weights(weights, questions=[None] if "questionnaire" in criteria else (),
                                   affinity_fields=program.affinity_fields or ())
    except ValueError:
        return {}
    return {criterion: round(share * 100) for criterion, share in shares.items()}


def _matching_page(program: Program, form: MatchSettingsForm, status: int = 200, problem: str = ""):
    runs = list(db.session.scalars(select(MatchRun).where(MatchRun.program_id == program.id)
                                   .order_by(MatchRun.id.desc()).limit(RUNS_LISTED)))
    states = {run.id: run_state(run) for run in runs}
    rules = list(db.session.scalars(select(PairRule).where(PairRule.program_id == program.id)
                                    .order_by(PairRule.created_at.desc())))
    people = names_of({run.requested_by_id for run in runs if run.requested_by_id}
                      | {person for rule in rules for person in (rule.mentee_id, rule.mentor_id)})
    criteria = _criteria(program)
    last_reviewed = next((run for run in runs if run.status == MatchRunStatus.FINISHED), None)
    return render_template(
        "matching/show.html", program=program, form=form, criteria=criteria, help=CRITERION_HELP,
        shares=_shares(program, form, criteria), runs=runs, states=states, rules=rules, people=people,
        readiness=program_readiness(program), last_reviewed=last_reviewed, action_form=ActionForm(formdata=None),
        active=next((run for run in runs if states[run.id].active), None), problem=problem), status


@bp.route("/programs/<int:program_id>/matching")
@admin_required
def show_matching(program_id: int):
    """Show a program's matching: weights and constraints for a new run, and the past runs."""
    program = get_or_404(Program, program_id)
    if htmx and htmx.trigger == "match-settings":  # the sliders moved: answer the numbers beside them
        form = MatchSettingsForm(request.args, meta={"csrf": False})
        criteria = _criteria(program)
        return render_template("matching/_weight_values.html", form=form, criteria=criteria,
                               shares=_shares(program, form, criteria))
    latest = db.session.scalar(select(MatchRun).where(MatchRun.program_id == program.id)
                               .order_by(MatchRun.id.desc()).limit(1))
    form = MatchSettingsForm(formdata=None)
    form.load(default_parameters(program, latest.parameters if latest else None))
    form.keep_decisions.data = True
    return _matching_page(program, form)


@bp.route("/programs/<int:program_id>/matching/runs", methods=["POST"])
@admin_required
def start_run(program_id: int):
    """Start a match run of the program with the chosen weights and constraints."""
    program = get_or_404(Program, program_id)
    form = MatchSettingsForm()
    if not form.validate_on_submit():
        return _matching_page(program, form, 422, "Please correct the highlighted settings.")
    keep_from = None
    if form.keep_decisions.data:
        keep_from = db.session.scalar(select(MatchRun).where(
            MatchRun.program_id == program.id, MatchRun.status == MatchRunStatus.FINISHED)
            .order_by(MatchRun.id.desc()).limit(1))
    try:
        run = start_match_run(program, current_user.id, form.parameters(_criteria(program)), keep_from)
    except MatchRunError as error:
        db.session.rollback()
        return _matching_page(get_or_404(Program, program_id), form, 422, str(error))
    db.session.commit()
    flash(f"Run #{run.id} started. You can leave this page; the run goes on.", "success")
    return redirect(url_for("matching.show_run", run_id=run.id))


def _filters(form: ReviewFilterForm) -> Filters:
    """Return the filters of the review table; a value that doesn't make sense is left out."""
    form.validate()
    clean = lambda field, default=None: default if field.errors or field.data in (None, "") else field.data  # noqa: E731
    return Filters(q=(form.q.data or "").strip()[:100], min_score=clean(form.min_score),
                   max_score=clean(form.max_score), decision=clean(form.decision, ""), sort=clean(form.sort, "score"),
                   page=max(1, clean(form.page, 1)))


def _review_context(run: MatchRun) -> dict:
    form = ReviewFilterForm(request.args)
    filters = _filters(form)
    return dict(filter_form=form, filters=filters, page=suggestions_page(run, filters), counts=decision_counts(run))


@bp.route("/matching/runs/<int:run_id>")
@admin_required
def show_run(run_id: int):
    """Show a run: its progress while it runs; its suggestions, statistics and unmatched mentees after."""
    run = get_or_404(MatchRun, run_id)
    program = db.session.get(Program, run.program_id)
    state = run_state(run)
    context = dict(run=run, program=program, state=state, constraints=describe(run.parameters),
                   action_form=ActionForm(formdata=None), people=names_of([run.requested_by_id or 0,
                                                                          run.published_by_id or 0]))
    if run.status in (MatchRunStatus.FINISHED, MatchRunStatus.PUBLISHED):
        context.update(_review_context(run))
        if htmx and htmx.target == "suggestions":
            return render_template("matching/_suggestions.html", **context)
        if htmx and htmx.target == "decision-counts":  # a row's decision changed
            return render_template("matching/_decision_counts.html", **context)
        statistics = run.statistics or {}
        context.update(
            statistics=statistics, bars=score_bars(statistics.get("histogram") or [0] * 10, width=520),
            unmatched=unmatched_people(run), approve_form=ApproveAboveForm(formdata=None),
            newer=db.session.scalar(select(MatchRun.id).where(MatchRun.program_id == run.program_id,
                                                              MatchRun.id > run.id).limit(1)))
    return render_template("matching/run.html", **context)


@bp.route("/matching/runs/<int:run_id>/progress")
@admin_required
def run_progress(run_id: int):
    """Answer htmx's polling with the progress bar; once the run is done, reload the page."""
    run = get_or_404(MatchRun, run_id)
    if not htmx:
        return redirect(url_for("matching.show_run", run_id=run.id))
    state = run_state(run)
    body = render_template("matching/_progress.html", run=run, state=state, action_form=ActionForm(formdata=None))
    return body if state.active else htmx_response(body, refresh=True)


@bp.route("/matching/runs/<int:run_id>/retry", methods=["POST"])
@admin_required
def retry_run(run_id: int):
    """Queue a failed or stopped run again."""
    run = get_or_404(MatchRun, run_id)
    try:
        retry_match_run(run)
    except MatchRunError as error:
        db.session.rollback()
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(f"Run #{run.id} is queued again.", "success")
    return redirect(url_for("matching.show_run", run_id=run_id))


@bp.route("/matching/runs/<int:run_id>/rerun", methods=["POST"])
@admin_required
def rerun_run(run_id: int):
    """Run the matching again with the same settings, keeping this run's decisions."""
    run = get_or_404(MatchRun, run_id)
    try:
        new = rerun_match_run(run, current_user.id)
    except MatchRunError as error:
        db.session.rollback()
        flash(str(error), "warning")
        return redirect(url_for("matching.show_run", run_id=run_id))
    db.session.commit()
    flash(f"Run #{new.id} started with the decisions of run #{run_id}: approved pairs stay, rejected pairs "
          "are not suggested again.", "success")
    return redirect(url_for("matching.show_run", run_id=new.id))


def _to_run(run_id: int):
    url = url_for("matching.show_run", run_id=run_id)
    return htmx_response(redirect=url) if htmx else redirect(url)


@bp.route("/matching/runs/<int:run_id>/publish", methods=["POST"])
@admin_required
def publish_run(run_id: int):
    """Make the approved pairs mentorships and tell both people; all of them or none."""
    run = get_or_404(MatchRun, run_id)
    try:
        made = publish_match_run(run, current_user.id)
    except MatchRunError as error:
        db.session.rollback()
        flash(str(error), "danger")
        for problem in error.problems[:PROBLEMS_FLASHED]:
            flash(problem, "warning")
        if len(error.problems) > PROBLEMS_FLASHED:
            flash(f"…and {len(error.problems) - PROBLEMS_FLASHED} more like these.", "warning")
        return _to_run(run_id)
    db.session.commit()
    count = len(made)
    flash(f"Published: {count} {'mentorship' if count == 1 else 'mentorships'} created. Mentors and mentees are "
          "being emailed and see their match on their dashboard.", "success")
    return _to_run(run_id)


@bp.route("/matching/runs/<int:run_id>/export.csv")
@admin_required
def export_run(run_id: int):
    """Download the run's pairs as CSV: mentee_email, mentor_email, score, reasons."""
    run = get_or_404(MatchRun, run_id)
    return Response(export_csv(run), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=match-run-{run.id}.csv"})
