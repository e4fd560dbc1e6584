"""Imports from CSV: one upload → preview → confirm flow for every kind of row the Support Unit loads in bulk.

An importer (forum/imports/) declares its columns and, for one row, how to read it into the arguments of an area
service and how to call that service. Everything else is here: reading the file (size, UTF-8 with or without a
BOM, comma or semicolon, the header), checking each row, keeping the file between preview and confirm, and
writing. A preview runs every row through the same service the web form uses inside a savepoint and rolls it
back, so the preview shows exactly what the services would say and create; the confirm runs them again on the
current data and keeps the result only when every row passes and the outcome is the one previewed.
"""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import json
import re
import secrets
import unicodedata
from collections.abc import Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from flask import current_app
from sqlalchemy.exc import DataError, IntegrityError

from forum.core.audit import AuditVerb, record
from forum.core.dates import utcnow
from forum.core.errors import ForumError, PermissionDenied, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.permissions import Action, require
from forum.extensions import db

#: a bigger file is refused before it is parsed (IMPORT_MAX_KB in the app's config changes it)
DEFAULT_MAX_KB = 1024
MAX_ROWS = 2000
#: how long an uploaded file waits for its confirmation
KEEP_FOR = timedelta(hours=2)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: how files that are not text begin: a workbook (xlsx, ods, zip), an old Office file, a PDF
BINARY_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF-")
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)

E = TypeVar("E", bound=enum.Enum)


class ImportGone(ForumError):
    """The upload a confirmation names is not there (already written, expired, or someone else's)."""

    status_code = 410


def plain(text: str) -> str:
    """Case-, accent- and punctuation-insensitive, to match what people type against values and labels."""
    stripped = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in stripped.lower()).split()).removeprefix("the ")


# --------------------------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Column:
    """One column of an import file, as the upload page explains it and the template shows it."""

    name: str
    help: Any  # a lazy string: what goes in the column
    example: str = ""
    required: bool = False
    max_length: int = 300


@dataclass(frozen=True)
class Problem:
    column: str | None  # None: the row as a whole
    message: str


@dataclass
class Row:
    """One line of the file while it is checked: its cells by column, and what is wrong with it."""

    line: int
    cells: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    #: what the row creates, in words, once a service accepted it
    result: str = ""

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(column, message))

    def has_problem(self, column: str) -> bool:
        return any(p.column == column for p in self.problems)

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def items(self, column: str) -> list[str]:
        """A cell holding a list: values separated by semicolons (a comma may be part of a name)."""
        return [item.strip() for item in self.text(column).split(";") if item.strip()]

    def date(self, column: str) -> date | None:
        value = self.text(column)
        if not value or self.has_problem(column):
            return None
        try:
            day = date.fromisoformat(value) if DATE.match(value) else None
        except ValueError:
            day = None
        if day is None or not EARLIEST <= day <= LATEST:
            self.problem(column, _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2010-11-09.", value=value))
            return None
        return day

    def number(self, column: str, low: int, high: int) -> int | None:
        value = self.text(column)
        if not value or self.has_problem(column):
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            self.problem(
                column, _("“%(value)s” is not a number from %(low)s to %(high)s.", value=value, low=low, high=high)
            )
            return None
        return int(value)

    def choice(self, column: str, labels: Mapping[E, Any], default: E | None = None) -> E | None:
        """An enum member named by its value (co_chair), its name or its label (Co-chair), in any case."""
        value = self.text(column)
        if not value or self.has_problem(column):
            return default
        found = find_choice(value, labels)
        if found is None:
            self.problem(
                column,
                _(
                    "Unknown %(column)s: “%(value)s”. Use one of: %(values)s.",
                    column=column,
                    value=value,
                    values=", ".join(member.value for member in labels),
                ),
            )
        return found


def find_choice(value: str, labels: Mapping[E, Any]) -> E | None:
    wanted = plain(value)
    for member, label in labels.items():
        if wanted in {plain(str(member.value)), plain(member.name), plain(str(label))}:
            return member
    return None


class Importer:
    """What one kind of import declares; a subclass is made for one target (a body, a cycle, a session)."""

    #: names the upload in its stored file and in the audit entry, e.g. "memberships"
    kind: ClassVar[str]
    action: ClassVar[Action]
    columns: ClassVar[tuple[Column, ...]]
    #: a service's error field -> the column to show its message on (others go to the row as a whole)
    fields: ClassVar[dict[str, str]] = {}

    def __init__(self, target: Any) -> None:
        self.target = target

    @property
    def target_key(self) -> str:
        return f"{self.kind}:{self.target.id}"

    @property
    def title(self) -> str:
        raise NotImplementedError

    def convert(self, row: Row) -> dict[str, Any] | None:
        """The service's arguments for the row, or None with the row's problems recorded."""
        raise NotImplementedError

    def keys(self, values: dict[str, Any]) -> Iterable[Hashable]:
        """What no two rows of one file may share (the same member, role and start twice)."""
        return ()

    def write(self, actor: Any, values: dict[str, Any]) -> Any:
        """Call the area's service, exactly as its web form does; return what it created."""
        raise NotImplementedError

    def describe(self, created: Any) -> str:
        return str(created)

    def example(self) -> list[str]:
        """The template's example line, one value per column."""
        return [c.example for c in self.columns]


# ---------------------------------------------------------------------------------------------- reading


def max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_KB", DEFAULT_MAX_KB)) * 1024


def expected_columns(importer: Importer) -> str:
    return ", ".join(c.name + ("*" if c.required else "") for c in importer.columns)


def decode(filename: str, data: bytes) -> str:
    """The file's text, or ValidationFailed on the upload field with what to do instead."""
    name = (filename or "").strip()
    if not name.lower().endswith(".csv"):
        raise ValidationFailed({"file": _("Upload a .csv file (save it from your spreadsheet as “CSV UTF-8”).")})
    if len(data) > max_bytes():
        raise ValidationFailed(
            {"file": _("The file is larger than %(kb)s KB: split it into smaller files.", kb=max_bytes() // 1024)}
        )
    if data.startswith(BINARY_STARTS) or b"\x00" in data:
        raise ValidationFailed(
            {"file": _("This is not a CSV file but a binary one (a workbook?): save it as “CSV UTF-8” and try again.")}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            {"file": _("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8” and try again.")}
        ) from None
    if not text.strip():
        raise ValidationFailed({"file": _("The file is empty.")})
    return text


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _header_name(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", " ").split())


def parse(importer: Importer, text: str) -> list[Row]:
    """The file's rows, checked for shape (header, cell count, required cells, lengths); ValidationFailed on the
    upload field when the file as a whole cannot be read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = [_header_name(cell) for cell in next(reader)]
        _check_header(importer, header)
        rows = []
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ValidationFailed(
                    {"file": _("The file has more than %(n)s lines: split it into smaller files.", n=MAX_ROWS)}
                )
            rows.append(_row(importer, header, line, cells))
    except csv.Error as error:
        raise ValidationFailed(
            {"file": _("Line %(line)s cannot be read as CSV: %(error)s.", line=reader.line_num, error=str(error))}
        ) from None
    if not rows:
        raise ValidationFailed({"file": _("The file has a header but no lines to import.")})
    return rows


def _check_header(importer: Importer, header: list[str]) -> None:
    known = {c.name for c in importer.columns}
    missing = [c.name for c in importer.columns if c.required and c.name not in header]
    unknown = [name for name in header if name and name not in known]  # a nameless column must stay empty
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if not (missing or unknown or repeated):
        return
    told = []
    if missing:
        told.append(_("missing: %(names)s", names=", ".join(missing)))
    if unknown:
        told.append(_("not a column of this import: %(names)s", names=", ".join(unknown)[:300]))
    if repeated:
        told.append(_("given twice: %(names)s", names=", ".join(repeated)))
    raise ValidationFailed(
        {
            "file": _(
                "The first line must name the columns (%(problems)s). The columns are: %(columns)s "
                "(* required; any order; optional ones may be left out).",
                problems="; ".join(told),
                columns=expected_columns(importer),
            )
        }
    )


def _row(importer: Importer, header: list[str], line: int, cells: list[str]) -> Row:
    row = Row(line=line, cells={})
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
        row.problem(
            None, _("This line has %(n)s values but the header names %(m)s columns.", n=len(cells), m=len(header))
        )
    pairs = list(zip(header, (cell.strip() for cell in cells), strict=False))
    if any(value for name, value in pairs if not name):
        row.problem(None, _("This line has a value in a column without a name on the first line."))
    values = dict(pairs)
    for column in importer.columns:
        value = values.get(column.name, "")
        row.cells[column.name] = value
        if column.required and not value:
            row.problem(column.name, _("Required: give a value."))
        elif len(value) > column.max_length:
            row.problem(
                column.name,
                _("Too long: %(n)s characters, at most %(max)s.", n=len(value), max=column.max_length),
            )
    return row


def template_csv(importer: Importer) -> bytes:
    """The header and one example line, with a BOM so that spreadsheets open it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in importer.columns])
    writer.writerow(importer.example())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -------------------------------------------------------------------------------------------- checking


@dataclass
class ImportCheck:
    """The rows of one upload as checked against the data now; what the preview page shows."""

    importer: Importer
    token: str
    filename: str
    rows: list[Row]
    #: set when the rows were written, to how many
    written: int | None = None
    #: set when a confirmation found a different outcome than the preview it was sent from
    changed: bool = False

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def is_valid(self) -> bool:
        return not self.bad_rows

    @property
    def fingerprint(self) -> str:
        """What the preview promised: each line, what it creates and what is wrong with it."""
        seen = [(row.line, row.result, [(p.column, p.message) for p in row.problems]) for row in self.rows]
        return hashlib.sha256(json.dumps([self.token, seen]).encode()).hexdigest()


@contextmanager
def _one_transaction() -> Iterator[None]:
    """Each area service ends with its own commit, as one form's action should. An import is many such actions
    that stand or fall together, so while its rows run a service's commit does what a commit does to the session
    (flush, then expire what was loaded, so the next row's checks read the rows before it) without making
    anything permanent; the import then commits once, or rolls everything back."""
    session = db.session()

    def flush_only() -> None:
        session.flush()
        session.expire_all()

    session.commit = flush_only
    try:
        yield
    finally:
        del session.commit


def _try_rows(actor: Any, importer: Importer, rows: list[Row]) -> None:
    seen: dict[Hashable, int] = {}
    order = {c.name: position for position, c in enumerate(importer.columns, 1)}
    for row in rows:
        values = importer.convert(row)  # also for a row already wrong, to list all its problems at once
        row.problems.sort(key=lambda p: order.get(p.column, 0))  # in the order of the columns
        if values is None or not row.is_valid:
            continue
        keys = list(importer.keys(values))
        earlier = next((seen[key] for key in keys if key in seen), None)
        if earlier is not None:
            row.problem(None, _("The same as line %(line)s of this file.", line=earlier))
            continue
        seen.update(dict.fromkeys(keys, row.line))
        try:
            with db.session.begin_nested():
                row.result = importer.describe(importer.write(actor, values))
        except PermissionDenied:
            raise
        except ValidationFailed as error:
            for name, message in error.errors.items():
                row.problem(importer.fields.get(name), message)
        except ForumError as error:
            row.problem(None, error.message)
        except (IntegrityError, DataError):
            row.problem(None, _("The database refused this line: check its values against the existing records."))


def check(
    actor: Any, importer: Importer, token: str, filename: str, rows: list[Row], *, keep_if: str | None = None
) -> ImportCheck:
    """Run every row through its service inside one savepoint, then roll it back; or, given the fingerprint of
    the preview being confirmed, keep it when every row passes and the outcome is still the previewed one."""
    result = ImportCheck(importer=importer, token=token, filename=filename, rows=rows)
    keep = False
    with _one_transaction():
        trial = db.session.begin_nested()
        try:
            _try_rows(actor, importer, rows)
            keep = keep_if is not None and result.is_valid and result.fingerprint == keep_if
            if keep:
                record(
                    actor,
                    AuditVerb.UPDATE,
                    importer.target,
                    {importer.kind: [None, f"+{len(rows)}"]},
                    note=f"CSV import of {len(rows)} rows from {filename[:100]}",
                )
                trial.commit()
            else:
                trial.rollback()
        except BaseException:
            if trial.is_active:
                trial.rollback()
            raise
    if keep:
        db.session.commit()
        result.written = len(rows)
    elif keep_if is not None:
        result.changed = result.fingerprint != keep_if
    return result


# ------------------------------------------------------------------------------------ keeping the upload


def _folder() -> Path:
    folder = Path(current_app.config["INSTANCE_PATH"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    oldest = (utcnow() - KEEP_FOR).timestamp()
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < oldest:
                path.unlink()
        except FileNotFoundError:  # another request cleared it first
            continue


def _store(actor: Any, importer: Importer, filename: str, text: str) -> str:
    folder = _folder()
    _forget_old(folder)
    token = secrets.token_urlsafe(24)
    upload = {"user_id": actor.id, "target": importer.target_key, "filename": filename, "text": text}
    (folder / f"{token}.json").write_text(json.dumps(upload), encoding="utf-8")
    return token


@contextmanager
def _claimed(actor: Any, importer: Importer, token: str) -> Iterator[dict[str, Any]]:
    """The stored upload, held by this request alone: renaming it is the claim, so a second confirmation sent
    at the same moment finds nothing. It is put back (for the preview shown again) unless marked written."""
    gone = ImportGone(
        _("This import is no longer waiting: it was written already, or it expired. Upload the file again.")
    )
    if not TOKEN.match(token or ""):
        raise gone
    waiting = _folder() / f"{token}.json"
    held = waiting.with_suffix(".claimed")
    try:
        waiting.rename(held)
    except FileNotFoundError:
        raise gone from None
    if held.stat().st_mtime < (utcnow() - KEEP_FOR).timestamp():
        held.unlink(missing_ok=True)
        raise gone
    upload = json.loads(held.read_text(encoding="utf-8"))
    if upload.get("user_id") != actor.id or upload.get("target") != importer.target_key:
        held.rename(waiting)
        raise gone
    try:
        yield upload
    finally:
        if upload.get("written"):
            held.unlink(missing_ok=True)
        else:
            held.rename(waiting)


# ------------------------------------------------------------------------------------------- the flow


def preview(actor: Any, importer: Importer, filename: str, data: bytes) -> ImportCheck:
    """Read an uploaded file, keep it for the confirmation, and check every row without writing any."""
    require(actor, importer.action, importer.target)
    text = decode(filename, data)
    rows = parse(importer, text)  # a file that cannot be read is refused before it is kept
    name = Path(filename.replace("\\", "/")).name[:200]  # without the folders some browsers send
    token = _store(actor, importer, name, text)
    return check(actor, importer, token, name, rows)


def confirm(actor: Any, importer: Importer, token: str, fingerprint: str) -> ImportCheck:
    """Write the rows of a previewed upload in one transaction, if every row still passes and the outcome is the
    one the preview showed; otherwise write nothing and return the new preview (`changed` when it differs)."""
    require(actor, importer.action, importer.target)
    with _claimed(actor, importer, token) as upload:
        rows = parse(importer, upload["text"])
        result = check(actor, importer, token, upload["filename"], rows, keep_if=fingerprint or "")
        upload["written"] = result.written is not None
        return result
