"""Search the mentors of one's programs, and open one mentor's profile (students; admins to check)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import abort, render_template, request, url_for
from flask_login import current_user

from portal.blueprints.access import roles_required
from portal.blueprints.directory import bp
from portal.blueprints.directory.forms import DirectorySearchForm
from portal.directory import industry_choices, mentor_card, search_mentors, viewer_for
from portal.extensions import htmx
from portal.models import Role, utcnow

RESULTS_ID = "directory-results"


@bp.route("/mentors", endpoint="search_mentors")
@roles_required(Role.STUDENT, Role.ADMIN)
def search_mentors_page():
    """Find a mentor: search, filter and sort; htmx asks for just the results as the student types."""
    viewer = viewer_for(current_user)
    form = DirectorySearchForm(request.args)
    fragment = bool(htmx) and htmx.target == RESULTS_ID and not htmx.history_restore_request
    program_ids = viewer.program_ids
    form.prepare(viewer, [] if fragment else industry_choices(program_ids))
    search, sort, page, notes = form.cleaned(viewer)
    results = search_mentors(viewer, search, sort, page) if viewer.programs else None
    context = dict(form=form, viewer=viewer, search=search, results=results, notes=notes,
                   query_string=_query_string(), clear_filters_url=_search_url(keep=("q", "sort", "program")),
                   clear_query_url=_search_url(drop=("q",)))
    if fragment:
        return render_template("directory/_results.html", **context)
    return render_template("directory/search.html", **context)


@bp.route("/mentors/<int:mentor_id>")
@roles_required(Role.STUDENT, Role.ADMIN)
def show_mentor(mentor_id: int):
    """Show a mentor's profile and, to a student, why they fit."""
    viewer = viewer_for(current_user)
    card = mentor_card(viewer, mentor_id)
    if card is None:
        abort(404)
    # `back` is only ever used as the query string of the search page, so it cannot lead elsewhere.
    back = request.args.get("back", "")[:1000]
    return render_template("directory/show.html", card=card, viewer=viewer, back=back)


@bp.app_template_filter("active_ago")
def active_ago(moment: datetime | None) -> str:
    """Say how recently a mentor was signed in: "Active today", "Active 3 weeks ago"."""
    if moment is None:
        return "Not signed in yet"
    days = (utcnow() - moment).days
    if days < 1:
        return "Active today"
    if days < 2:
        return "Active yesterday"
    if days < 14:
        return f"Active {days} days ago"
    if days < 61:
        return f"Active {days // 7} weeks ago"
    return f"Active {days // 30} months ago" if days < 365 else "Active over a year ago"


def _search_url(keep: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> str:
    """Return the search page's URL with only some of the current parameters (`keep`), or without some."""
    args = {key: values for key, values in request.args.to_dict(flat=False).items()
            if key != "page" and (key in keep if keep else key not in drop)}
    return url_for("directory.search_mentors") + ("?" + urlencode(args, doseq=True) if args else "")


def _query_string() -> str:
    """Return the current search's query string (without the page number)."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    return urlencode(args, doseq=True)
