"""SQL the reports need that PostgreSQL and SQLite spell differently: days between two times, the
week a time falls in, and a median, so every figure is worked out by the database on both."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Date, Float, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from portal.models.base import UTCDateTime


class days_between(FunctionElement):  # noqa: N801 (reads like the SQL function it stands for)
    """`later - earlier` in days, with the fraction of a day (a float)."""

    type = Float()
    inherit_cache = True


@compiles(days_between)
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}))"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})) / 86400.0)"


class week_of(FunctionElement):  # noqa: N801
    """The Monday (a date, UTC) of the week a timestamp falls in."""

    type = Date()
    inherit_cache = True


@compiles(week_of)
def _week_of_sqlite(element, compiler, **kw):
    # Back six days, then forward to the next Monday (or stay on it): the Monday on or before.
    return f"date({compiler.process(list(element.clauses)[0], **kw)}, '-6 days', 'weekday 1')"


@compiles(week_of, "postgresql")
def _week_of_postgresql(element, compiler, **kw):
    return f"CAST(date_trunc('week', {compiler.process(list(element.clauses)[0], **kw)} AT TIME ZONE 'UTC') AS DATE)"


def tune_for_reports(session) -> None:
    """Set this transaction (only) up for a few large aggregate queries, on PostgreSQL.

    The reports group every session and message of a period: 32 MB lets them group in memory
    rather than spill to disk. JIT compilation is off: it is meant for queries that run for
    seconds, and costs these (tens of milliseconds) hundreds of milliseconds to compile.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.set_config("work_mem", "32MB", True), func.set_config("jit", "off", True)))


def moment(value: datetime) -> ColumnElement:
    """Bind a Python time as a timestamp the database compares and subtracts like a column."""
    return literal(value, UTCDateTime())


def later_of(column, value: datetime) -> ColumnElement:
    """Return the later of a timestamp column and a fixed time (GREATEST, spelt for both databases)."""
    return case((column > moment(value), column), else_=moment(value))


def median_and_count(values, postgresql: bool = False):
    """Return a select of (the median, how many values) of the one-column select `values`.

    PostgreSQL has percentile_cont (one sort); elsewhere the middle row, or the mean of the two
    middle rows, by row number. The median is NULL when there are no values.
    """
    inner = values.subquery("median_values")
    value = list(inner.columns)[0]
    if postgresql:
        return select(func.percentile_cont(0.5).within_group(value), func.count(value))
    ranked = select(value.label("value"),
                    func.row_number().over(order_by=value).label("position"),
                    func.count().over().label("total")).subquery("median_ranked")
    total = ranked.c.total
    middle = ranked.c.position.in_([(total + 1) // 2, (total + 2) // 2])
    return select(func.avg(case((middle, ranked.c.value))), func.coalesce(func.max(total), 0))
