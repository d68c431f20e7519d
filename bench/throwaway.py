"""A throwaway PostgreSQL database for a benchmark run, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


def create_database(configured: str, prefix: str = "portal_bench") -> tuple[str, tuple]:
    """Create an empty database on the server of `configured`; return its URL and a drop handle."""
    if configured.startswith(("postgres://", "postgresql://")):
        configured = "postgresql+psycopg://" + configured.split("://", 1)[1]
    url = sa.engine.make_url(configured)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False), (admin, name)


def drop_database(handle: tuple) -> None:
    """Drop a database made by `create_database`."""
    admin, name = handle
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def throwaway_database(configured: str, prefix: str = "portal_bench") -> Iterator[str]:
    """Yield the URL of a fresh database, dropped when the block ends."""
    url, handle = create_database(configured, prefix)
    try:
        yield url
    finally:
        drop_database(handle)


def open_database(configured: str, prefix: str, kept: str | None) -> tuple[str, tuple | None]:
    """Return the URL to measure and a drop handle: the database an earlier run kept (`--database`,
    no handle: nothing to write or drop), or a fresh one."""
    if kept:
        return kept, None
    return create_database(configured, prefix)


def release_database(url: str, handle: tuple | None, keep: bool) -> None:
    """At the end of a run: drop the database it made, or with `--keep` say how to measure it again."""
    if handle and keep:
        print(f"kept the database: --database {url}")
    elif handle:
        drop_database(handle)
