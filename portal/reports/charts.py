"""Charts drawn on the server with pygal, inlined as plain SVG, each with its numbers as a table.

pygal writes a <style> and a <script> into every chart; the portal's Content Security Policy
allows neither inline, so both are taken out (with the tooltips that needed the script and the
one `style` attribute) and the look comes from static/css/features/reports.css instead. What
remains is shapes and text: nothing in it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from xml.etree import ElementTree

import pygal
from markupsafe import Markup
from pygal.style import Style

from portal.reports.figures import GoalProgress, ProgramRow, Satisfaction, Week

# The portal's navy, amber, teal and a grey: told apart by people with colour blindness too.
PALETTE = ("#2b3f8c", "#e8a33d", "#1b998b", "#8d99ae", "#c8553d")


def _style(font_size: int) -> Style:
    # pygal lays the chart out with these sizes; reports.css draws the text at the same sizes.
    return Style(colors=PALETTE, font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                 background="transparent", plot_background="transparent", foreground="#374151",
                 foreground_strong="#111827", foreground_subtle="#6b7280", label_font_size=font_size,
                 major_label_font_size=font_size, value_font_size=font_size, legend_font_size=font_size,
                 title_font_size=font_size, tooltip_font_size=font_size)


# Wide charts fill the page's width, narrow ones half of it: each drawn near the size it is shown at.
WIDE = dict(width=1000, height=330, style=_style(15))
NARROW = dict(width=540, height=250, style=_style(13))
GOAL_LABELS = {"achieved": "Achieved", "in_progress": "In progress", "not_started": "Not started",
               "dropped": "Dropped"}
UNWANTED = {"script", "style", "desc"}


@dataclass
class Chart:
    """A chart and the same numbers as a table."""

    key: str
    title: str
    summary: str  # one sentence a screen reader hears instead of the picture
    svg: Markup
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    empty: bool = False
    wide: bool = True
    legend: list[str] = field(default_factory=list)  # series names, coloured .legend-0, .legend-1, ...


def _config(size: dict, **options) -> dict:
    # js=[] keeps pygal from linking its tooltip script from the internet; the legend is the page's.
    # css=[]: pygal would read and minify its style sheets for every chart, and inline_svg drops
    # the <style> anyway (the look is reports.css).
    return {**dict(js=[], css=[], no_prefix=True, disable_xml_declaration=True, show_legend=False,
                   print_values=False, margin=8, spacing=12, truncate_label=-1), **size, **options}


def _whole_ticks(peak: float) -> list[int]:
    """Axis marks for counts: whole numbers only, about five of them."""
    step = max(1, ceil(peak / 5))
    return list(range(0, ceil(peak) + step, step)) if peak > 0 else [0, 1]


def inline_svg(chart, key: str, title: str, summary: str) -> Markup:
    """Return `chart` as an <svg> element that is safe to put in a page under a strict CSP.

    The chart's title is the page's heading above it, so pygal draws none; the SVG keeps it as <title>.
    """
    root = chart.render_tree()
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in list(root.iter()):
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if element.tag is ElementTree.Comment or tag in UNWANTED or "tooltip-overlay" in element.get("class", ""):
            parents[element].remove(element)
            continue
        for attribute in [name for name in element.attrib if name == "style" or name.startswith("on")]:
            del element.attrib[attribute]
    root.attrib.pop("id", None)
    for element in root:  # the chart's own <title>, read as the image's name
        if element.tag.rsplit("}", 1)[-1] == "title":
            element.text = title
    root.set("class", f"pygal-chart report-chart-svg chart-{key}")
    root.set("role", "img")
    root.set("aria-label", summary)
    root.set("focusable", "false")
    return Markup(ElementTree.tostring(root, encoding="unicode", short_empty_elements=True))


def _week_label(week: Week) -> str:
    return week.starts_on.strftime("%b %-d")


def _week_axis(weeks: list[Week]) -> dict:
    """Label every week when they fit, else about eight of them."""
    if len(weeks) <= 14:
        return {}
    return dict(show_minor_x_labels=False, x_labels_major_every=max(1, len(weeks) // 8))


def engagement_chart(weeks: list[Week]) -> Chart:
    """Sessions and messages per pair, week by week (stacked: the bar's height is the engagement)."""
    chart = pygal.StackedBar(**_config(WIDE, **_week_axis(weeks), min_scale=4, max_scale=8,
                                       value_formatter=lambda value: f"{value:.2f}"))
    title = "Sessions and messages per pair, by week"
    chart.x_labels = [_week_label(week) for week in weeks]
    chart.add("Sessions per pair", [round(week.sessions / week.pairs, 2) if week.pairs else None for week in weeks])
    chart.add("Messages per pair", [round(week.messages / week.pairs, 2) if week.pairs else None for week in weeks])
    peak = max(weeks, key=lambda week: week.per_pair or 0, default=None)
    summary = (f"Weekly engagement per pair over {len(weeks)} weeks; the busiest week, {_week_label(peak)}, had "
               f"{peak.per_pair:.2f} sessions and messages per pair." if peak and peak.per_pair else
               "No sessions or messages in this period.")
    rows = [[week.starts_on.strftime("%b %-d, %Y"), week.sessions, week.messages, week.pairs,
             "–" if week.per_pair is None else f"{week.per_pair:.2f}", week.active_participants] for week in weeks]
    return Chart("engagement", title, summary, inline_svg(chart, "engagement", title, summary),
                 ["Week of", "Completed sessions", "Messages", "Active pairs", "Per pair", "Active participants"],
                 rows, empty=not any(week.sessions or week.messages for week in weeks),
                 legend=["Sessions per pair", "Messages per pair"])


def active_people_chart(weeks: list[Week]) -> Chart:
    """Weekly active participants: who met in a completed session or wrote a message."""
    peak = max((week.active_participants for week in weeks), default=0)
    chart = pygal.Line(**_config(WIDE, **_week_axis(weeks), dots_size=3, y_labels=_whole_ticks(peak),
                                 value_formatter=lambda value: f"{value:.0f}"))
    title = "Weekly active participants"
    chart.x_labels = [_week_label(week) for week in weeks]
    chart.add("Active participants", [week.active_participants for week in weeks])
    last = weeks[-1] if weeks else None
    summary = (f"Weekly active participants, at most {peak}; in the week of {_week_label(last)}: "
               f"{last.active_participants}." if last else "No weeks in this period.")
    rows = [[week.starts_on.strftime("%b %-d, %Y"), week.active_participants] for week in weeks]
    return Chart("people", title, summary, inline_svg(chart, "people", title, summary),
                 ["Week of", "Active participants"], rows, empty=not peak)


def _count_bars(labels: list[str], counts: list[int], key: str, title: str, summary: str):
    chart = pygal.HorizontalBar(**_config(NARROW, print_values=True, y_labels=_whole_ticks(max(counts, default=0)),
                                          value_formatter=lambda value: f"{value:.0f}"))
    chart.x_labels = labels
    chart.add(title, [count or None for count in counts])  # no empty bar with an unreadable "0" on it
    return inline_svg(chart, key, title, summary)


def ratings_chart(satisfaction: Satisfaction) -> Chart:
    """How many sessions got each rating, 5 stars on top."""
    title, stars, total = "Session ratings", [5, 4, 3, 2, 1], satisfaction.rating_count
    summary = (f"{total} session ratings, mean {satisfaction.mean_rating:.2f} out of 5." if total else
               "No session ratings in this period.")
    svg = _count_bars([f"{star} ★" for star in reversed(stars)],
                      [satisfaction.ratings.get(star, 0) for star in reversed(stars)], "ratings", title, summary)
    rows = [[f"{star} out of 5", satisfaction.ratings.get(star, 0),
             f"{100 * satisfaction.ratings.get(star, 0) / total:.1f} %" if total else "–"] for star in stars]
    return Chart("ratings", title, summary, svg, ["Rating", "Ratings", "Share"], rows, empty=not total, wide=False)


def goals_chart(goals: GoalProgress) -> Chart:
    """Goals by status."""
    title, order = "Goals by status", ["dropped", "not_started", "in_progress", "achieved"]
    summary = f"{goals.achieved.part} of {goals.goals} goals achieved." if goals.goals else "No goals set yet."
    svg = _count_bars([GOAL_LABELS[status] for status in order], [goals.by_status.get(status, 0) for status in order],
                      "goals", title, summary)
    rows = [[GOAL_LABELS[status], goals.by_status.get(status, 0)] for status in reversed(order)]
    return Chart("goals", title, summary, svg, ["Status", "Goals"], rows, empty=not goals.goals, wide=False)


def programs_chart(programs: list[ProgramRow]) -> Chart:
    """Each program's match rate, side by side."""
    shown = [row for row in programs if row.mentees]
    chart = pygal.HorizontalBar(**_config(WIDE, print_values=True, range=(0, 100), y_labels=list(range(0, 101, 20)),
                                          height=max(160, 50 + 48 * len(shown)),
                                          value_formatter=lambda value: f"{value:.0f} %"))
    title = "Match rate by program"
    chart.x_labels = [row.name for row in reversed(shown)]
    chart.add("Match rate", [row.match_rate.percent for row in reversed(shown)])
    summary = ("Match rate by program: " + "; ".join(f"{row.name} {row.match_rate.percent:.0f} %" for row in shown)
               if shown else "No program has mentees yet.")
    rows = [[row.name, row.mentees, row.matched, "–" if row.match_rate.percent is None else
             f"{row.match_rate.percent:.1f} %", row.active_pairs] for row in programs]
    return Chart("programs", title, summary, inline_svg(chart, "programs", title, summary),
                 ["Program", "Mentees", "Matched", "Match rate", "Active pairs"], rows, empty=not shown)
