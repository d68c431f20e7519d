"""Reading an uploaded people CSV: bytes to text to rows, forgiving of what spreadsheets do.

Spreadsheets add a UTF-8 BOM, end lines with CRLF, quote fields with commas and line breaks,
leave empty rows at the end and write headers as "First Name". All of that is accepted. What
can't be read (another encoding, a workbook renamed .csv, an empty file, a header without the
required columns) raises `ImportFileError` with a message an admin can act on.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from portal.imports import ImportFileError

COLUMNS = ("email", "first_name", "last_name", "role", "graduation_year", "degree", "major", "employer",
           "job_title", "industry", "location", "skills", "interests", "languages", "capacity", "bio")
REQUIRED_COLUMNS = ("email", "first_name", "role")
LIST_COLUMNS = ("skills", "interests", "languages")
LIST_SEPARATOR = ";"

SAVE_AS_CSV = 'In Excel or Numbers choose "Save as" (or Export) and pick "CSV UTF-8 (comma delimited)".'
# Signatures of files people rename to .csv by mistake.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel (.xlsx) or other zipped workbook",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook",
    b"%PDF": "a PDF document",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
}
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass
class CsvRow:
    """One data row as the spreadsheet numbers it (the header is row 1)."""

    number: int
    values: dict[str, str]
    extra_cells: int = 0  # non-empty cells beyond the header's columns


@dataclass
class CsvFile:
    """The rows of a readable file, and what was noticed about its header."""

    rows: list[CsvRow]
    columns: list[str]  # the known columns present, in file order
    ignored_columns: list[str] = field(default_factory=list)


def decode_upload(data: bytes) -> str:
    """Return the text of an uploaded file, or raise `ImportFileError` saying what it is instead."""
    if not data.strip():
        raise ImportFileError("The file is empty. Upload a CSV with a header row and one row per person.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(f"This file is saved as UTF-16 text, which the import can't read. {SAVE_AS_CSV}")
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ImportFileError(f"This file is {kind}, not a CSV file, even if its name ends in .csv. {SAVE_AS_CSV}")
    if b"\x00" in data[:65536]:
        raise ImportFileError("This file contains binary data, so it isn't a CSV text file (it may be a workbook, "
                              f"or text saved as UTF-16). {SAVE_AS_CSV}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ImportFileError(
            f"This file isn't UTF-8 text: line {line} has characters saved in another encoding "
            f"(often Windows-1252 or Latin-1, e.g. for accented names). {SAVE_AS_CSV}") from None
    if _CONTROL_CHARACTERS.search(text[:65536]):
        raise ImportFileError(f"This file contains binary data, so it isn't a CSV text file. {SAVE_AS_CSV}")
    return text


# Other names spreadsheets commonly give the same columns.
ALIASES = {"e_mail": "email", "email_address": "email", "firstname": "first_name", "given_name": "first_name",
           "lastname": "last_name", "surname": "last_name", "family_name": "last_name",
           "grad_year": "graduation_year", "class_year": "graduation_year", "title": "job_title"}


def header_key(name: str) -> str:
    """Return the column a header cell names: "First Name " -> "first_name", "E-mail" -> "email"."""
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return ALIASES.get(key, key)


def _read_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    if len(header) == 1 and any(separator in header[0] for separator in (";", "\t")):
        raise ImportFileError("The columns in this file are separated by semicolons or tabs; the import expects "
                              f"commas. {SAVE_AS_CSV}")
    positions: dict[int, str] = {}
    ignored: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = header_key(cell)
        if not key:
            continue
        if key in seen:
            raise ImportFileError(f'The header names the column "{key}" twice (columns {seen[key] + 1} and '
                                  f"{index + 1}). Keep one of them.")
        seen[key] = index
        if key in COLUMNS:
            positions[index] = key
        else:
            ignored.append(cell.strip())
    missing = [column for column in REQUIRED_COLUMNS if column not in positions.values()]
    if missing:
        raise ImportFileError(
            f"The header row (row 1) has no {_join_words(missing)} column. The first row must name the columns, "
            f"e.g. {','.join(COLUMNS)}")
    return positions, ignored


def _join_words(words: list[str]) -> str:
    quoted = [f'"{word}"' for word in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def parse_people_csv(text: str) -> CsvFile:
    """Split CSV text into numbered rows keyed by column; skip empty rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ImportFileError("The first row must be the header naming the columns, e.g. "
                                  f"{','.join(COLUMNS)}")
        positions, ignored = _read_header(header)
        rows = []
        width = len(header)
        # Spreadsheets number records, not text lines: a quoted value with line breaks is one row.
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = {column: "" for column in positions.values()}
            for index, column in positions.items():
                if index < len(cells):
                    values[column] = _clean(cells[index])
            extra = sum(1 for cell in cells[width:] if cell.strip())
            rows.append(CsvRow(number, values, extra))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} of the file can't be read as CSV ({error}). "
                              "Check its quotes.") from None
    if not rows:
        raise ImportFileError("The file has a header row but no people in it. Add one row per person below the header.")
    return CsvFile(rows=rows, columns=[positions[index] for index in sorted(positions)], ignored_columns=ignored)


def _clean(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def split_list(value: str) -> list[str]:
    """Split a list cell on ';' keeping each tag as typed, without blanks or repeats."""
    items: list[str] = []
    seen: set[str] = set()
    for item in value.split(LIST_SEPARATOR):
        item = " ".join(item.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            items.append(item)
    return items
