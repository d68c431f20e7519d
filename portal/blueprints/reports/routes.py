"""The admin's reports: the dashboard (institution or one program), CSV exports and a printable report."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.reports import bp
from portal.blueprints.reports.forms import ReportFilterForm
from portal.extensions import db, htmx
from portal.models import Program, utcnow
from portal.reports import charts, dashboard, today_in
from portal.reports.exports import KINDS, export
from portal.reports.filters import cohort_choices

BODY_ID = "report-body"
FILTER_KEYS = ("program", "date_from", "date_to", "graduation_year", "major")


def _filters(with_choices: bool = True):
    """Read the filters from the query string; another institution's program is not found."""
    institution = current_user.institution
    now = utcnow()
    today = today_in(institution.timezone, now)
    form = ReportFilterForm(request.args)
    programs = db.session.execute(select(Program.id, Program.name).where(
        Program.institution_id == institution.id).order_by(Program.name)).all() if with_choices else []
    form.prepare(programs, *(cohort_choices(institution.id) if with_choices else ([], [])))
    filters, program_id, notes = form.cleaned(institution.id, today, institution.timezone)
    program = None
    if program_id is not None:
        if not program_id.isdigit():
            abort(404)
        program = get_or_404(Program, int(program_id))
        filters = filters.with_program(program.id)
    return dict(form=form, filters=filters, program=program, notes=notes, today=today, now=now)


def _fragment() -> bool:
    return bool(htmx) and htmx.target == BODY_ID and not htmx.history_restore_request


def _report(with_choices: bool = True):
    """Read the filters and work out the report; return the template context."""
    context = _filters(with_choices)
    figures = dashboard(context["filters"], context["now"])
    shown = [charts.engagement_chart(figures.weeks), charts.active_people_chart(figures.weeks),
             charts.ratings_chart(figures.satisfaction), charts.goals_chart(figures.goals)]
    if context["program"] is None and len(figures.programs) > 1:
        shown.insert(0, charts.programs_chart(figures.programs))
    query = {key: value for key, value in request.args.items() if key in FILTER_KEYS and value}
    return dict(context, figures=figures, charts=shown, query=urlencode(query), has_programs=bool(figures.programs),
                filtered=bool(context["filters"].cohort or context["program"]),
                clear_url=url_for("reports.show_dashboard"))


@bp.route("/reports")
@admin_required
def show_dashboard():
    """Show the institution's (or one program's) figures and charts; htmx swaps in just the report."""
    if _fragment():  # the filter form stays on the page: no need to work out its choices
        return render_template("reports/_body.html", **_report(with_choices=False))
    return render_template("reports/dashboard.html", **_report())


@bp.route("/reports/print")
@admin_required
def print_report():
    """Show the report laid out for paper: print it, or save it as a PDF, from the browser."""
    return render_template("reports/print.html", printing=True, **_report(with_choices=False))


@bp.route("/reports/export/<kind>.csv")
@admin_required
def export_csv(kind: str):
    """Download participants, pairs, sessions or feedback as CSV, with the dashboard's filters."""
    if kind not in KINDS:
        abort(404)
    context = _filters(with_choices=False)
    filters, program = context["filters"], context["program"]
    scope = _slug(program.name) if program else current_user.institution.slug
    name = f"{kind}-{scope}-{filters.date_from.isoformat()}-to-{filters.date_to.isoformat()}.csv"
    return Response(export(kind, filters), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _slug(name: str) -> str:
    return "-".join("".join(char if char.isalnum() else " " for char in name.lower()).split())[:60] or "program"


@bp.app_template_filter("report_number")
def report_number(value) -> str:
    """Show a figure without trailing zeros: 2.0 -> 2, 57.10 -> 57.1, 1234 -> 1,234."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
