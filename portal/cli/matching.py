"""`portal match run` and `portal match export`: a program's matching from the command line."""

from __future__ import annotations

import sys
import time

import click

from portal.cli import portal_cli
from portal.extensions import db
from portal.match_runs import MatchRunError, default_parameters, run_state, start_match_run
from portal.match_runs.export import export_csv
from portal.models import MatchRun, Program
from portal.tenancy import tenant_scope, unscoped


@portal_cli.group("match")
def match_cli():
    """Run a program's matching, or export a run's pairs."""


def _find(model, record_id: int, what: str):
    with unscoped():
        record = db.session.get(model, record_id)
    if record is None:
        raise click.ClickException(f"There is no {what} {record_id}.")
    return record


def _statistics(run: MatchRun) -> list[str]:
    stats = run.statistics or {}
    lines = [f"matched {stats.get('matched', 0)} of {stats.get('mentees', 0)} mentees "
             f"({100 * stats.get('matched_share', 0):.1f}%)",
             f"mean score {stats.get('mean_score', 0):.1f}, median {stats.get('median_score', 0):.1f}",
             "scores " + " ".join(f"{band * 10}-{band * 10 + 10}:{count}"
                                  for band, count in enumerate(stats.get("histogram") or []))]
    unmatched = stats.get("unmatched_by_reason") or {}
    if unmatched:
        lines.append("unmatched " + ", ".join(f"{reason.replace('_', ' ')}: {count}"
                                              for reason, count in sorted(unmatched.items())))
    timings = stats.get("timings") or {}
    if timings:
        lines.append(f"took {timings.get('total', 0):.2f} s (load {timings.get('load', 0):.2f} s, "
                     f"engine {timings.get('engine', 0):.2f} s, save {timings.get('save', 0):.2f} s)")
    lines.extend(f"warning: {warning}" for warning in stats.get("warnings") or [])
    return lines


def _wait(institution_id: int, run_id: int, timeout: float) -> MatchRun:
    deadline = time.monotonic() + timeout
    while True:
        with tenant_scope(institution_id):
            db.session.expire_all()
            run = db.session.get(MatchRun, run_id)
            state = run_state(run)
            if not state.active:
                return run
        if time.monotonic() > deadline:
            raise click.ClickException(f"Run {run_id} did not finish within {timeout:g} s; is a worker running "
                                       "(python worker.py matching)? The run goes on; check it on its page.")
        time.sleep(0.25)


@match_cli.command("run")
@click.option("--program", "program_id", type=int, required=True, help="The program's id.")
@click.option("--wait", is_flag=True, help="Block until a worker has finished the run; print its statistics.")
@click.option("--timeout", type=float, default=3600, show_default=True, help="Seconds --wait waits at most.")
def run_command(program_id: int, wait: bool, timeout: float):
    """Enqueue a match run of a program with its weights; print `run ID` first."""
    program = _find(Program, program_id, "program")
    institution_id = program.institution_id
    with tenant_scope(institution_id):
        program = db.session.get(Program, program_id)
        try:
            run = start_match_run(program, None, default_parameters(program))
        except MatchRunError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        db.session.commit()
        run_id = run.id
    click.echo(f"run {run_id}")
    if not wait:
        return
    run = _wait(institution_id, run_id, timeout)
    with tenant_scope(institution_id):
        state = run_state(run)
        if state.value != "finished":
            reason = run.error or ("the worker stopped before finishing it; retry it on its page"
                                   if state.value == "stopped" else state.label)
            click.echo(f"run {run_id} {state.value}: {reason}", err=True)
            sys.exit(1)
        click.echo(f"run {run_id} finished")
        for line in _statistics(run):
            click.echo(line)


@match_cli.command("export")
@click.option("--run", "run_id", type=int, required=True, help="The run's id.")
def export_command(run_id: int):
    """Print a run's pairs as CSV: mentee_email,mentor_email,score,reasons (rejected pairs left out)."""
    run = _find(MatchRun, run_id, "match run")
    with tenant_scope(run.institution_id):
        click.echo(export_csv(db.session.get(MatchRun, run_id)), nl=False)
