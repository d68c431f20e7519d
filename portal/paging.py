"""One page of a long list: its rows, how many rows in all, and which page it is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select

from portal.extensions import db

# Past this, a page number is a typo or a probe, not someone reading.
MAX_PAGE = 10_000


@dataclass
class Page:
    items: list
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def first(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.number * self.per_page, self.total)


def page_of(query: Select, count_query: Select, number: int, per_page: int) -> Page:
    """Return page `number` of the query's rows; a number past either end gives the first or the last page."""
    total = db.session.scalar(count_query) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    number = min(max(number, 1), pages, MAX_PAGE)
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items, total, number, per_page)
