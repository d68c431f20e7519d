"""Benchmark the people import: 10,000 realistic rows checked and written into a fresh database.

    .venv/bin/python bench/import_people.py [--rows 10000]

Runs on a throwaway SQLite file, and also on PostgreSQL when DATABASE_URL is set (in a
throwaway database created and dropped on that server, as the tests do). Each run builds the
app through create_app with its own instance folder, migrates, then times the same functions
the web, the CLI and the jobs use: read + validate + compare ("validate"), then the bulk write
and commit ("write"), and finally a re-import of the same file, which must change nothing.
The target is under 10 s per database for 10,000 rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from portal import create_app  # noqa: E402
from throwaway import throwaway_database  # noqa: E402
from portal.accounts.people import create_institution  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.imports.planning import plan_import  # noqa: E402
from portal.imports.reading import decode_upload, parse_people_csv  # noqa: E402
from portal.imports.samples import sample_people_csv  # noqa: E402
from portal.imports.validation import validate_rows  # noqa: E402
from portal.imports.writing import write_plan  # noqa: E402
from portal.models import Enrollment, Institution, Profile, Program, User  # noqa: E402
from portal.tenancy import tenant_scope, unscoped  # noqa: E402

TARGET_SECONDS = 10.0


def _check_and_plan(institution_id: int, data: bytes, program_id: int):
    people, issues = validate_rows(parse_people_csv(decode_upload(data)))
    return plan_import(institution_id, people, issues, program_id)


def measure(label: str, database_url: str, rows: int) -> dict:
    """Import `rows` generated people into a fresh database at `database_url`; return the timings."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        app = create_app({"ENV_NAME": "development", "INSTANCE_PATH": folder, "SQLALCHEMY_DATABASE_URI": database_url,
                          # No job runs here; the import is timed in this process, as the worker would run it.
                          "REDIS_URL": "redis://127.0.0.1:1/0"})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            with unscoped():
                institution = create_institution("Benchmark University", "bench", "America/Chicago")
                db.session.flush()
                program = Program(institution_id=institution.id, name="Career Launch")
                db.session.add(program)
                db.session.commit()
                institution_id, program_id = institution.id, program.id
            data = sample_people_csv(rows, seed=42).encode()

            with tenant_scope(institution_id):
                started = time.perf_counter()
                plan = _check_and_plan(institution_id, data, program_id)
                checked = time.perf_counter()
                if plan.errors:
                    raise SystemExit(f"{label}: the generated file has errors: {plan.errors[:3]}")
                counts = write_plan(db.session.get(Institution, institution_id), plan)
                db.session.commit()
                written = time.perf_counter()

                stored = {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                          for model in (User, Profile, Enrollment)}
                if stored != {"User": rows, "Profile": rows, "Enrollment": rows} or counts["new"] != rows:
                    raise SystemExit(f"{label}: expected {rows} of each, found {stored}")

                again_started = time.perf_counter()
                again = _check_and_plan(institution_id, data, program_id).counts()
                again_seconds = time.perf_counter() - again_started
                if again["unchanged"] != rows or again["new"] or again["updated"] or again["enrolled"]:
                    raise SystemExit(f"{label}: a re-import should change nothing, got {again}")
            db.session.remove()
            db.engine.dispose()
    return {"database": label, "rows": rows, "validate": checked - started, "write": written - checked,
            "total": written - started, "reimport": again_seconds}


def measure_postgres(configured: str, rows: int) -> dict:
    """Run the benchmark in a throwaway database on the configured PostgreSQL server."""
    with throwaway_database(configured) as url:
        return measure("postgresql", url, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="how many people to import (default 10,000)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as folder:
        results.append(measure("sqlite", "sqlite:///" + os.path.join(folder, "bench.db"), args.rows))
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        results.append(measure_postgres(os.environ["DATABASE_URL"], args.rows))
    else:
        print("(set DATABASE_URL=postgresql://... to measure PostgreSQL too)")
    print(f"{'database':<11} {'rows':>7} {'validate':>9} {'write':>8} {'total':>8} {'rows/s':>8} {'re-import':>10}")
    slow = False
    for result in results:
        rate = result["rows"] / result["total"]
        print(f"{result['database']:<11} {result['rows']:>7,} {result['validate']:>8.2f}s {result['write']:>7.2f}s "
              f"{result['total']:>7.2f}s {rate:>8,.0f} {result['reimport']:>9.2f}s")
        slow = slow or (result["rows"] >= 10_000 and result["total"] > TARGET_SECONDS)
    print(f"target: {TARGET_SECONDS:.0f} s for 10,000 rows per database: {'MISSED' if slow else 'met'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
