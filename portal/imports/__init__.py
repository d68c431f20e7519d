"""People import: a CSV of alumni and students read, checked, compared with the people already
here, and written all or nothing.

The steps are plain functions the web, the CLI and the RQ jobs share:
`reading` (bytes -> rows), `validation` (rows -> clean people + issues), `planning`
(compare with the database: new, updated, unchanged), `writing` (bulk inserts and updates in
the caller's transaction) and `operations` (a `PeopleImport` record through its states).
"""

from __future__ import annotations


class ImportFileError(ValueError):
    """The file as a whole can't be imported (encoding, format, header); the message says why."""
