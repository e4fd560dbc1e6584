"""Names resolved against the directory, in an import file (each table indexed once per file, not scanned per cell)
and in the forms that take a name rather than a choice among thousands.

The keys are those of forum.directory.services.find_country and its siblings (the name, ISO codes, acronyms and
aliases, compared the same case- and accent-insensitive way), so a file accepts what the web forms accept.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from forum.core.errors import ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.imports import Row
from forum.directory.models import Country, Organisation, Person
from forum.directory.services import normalise
from forum.extensions import db
from forum.structure.models import Body


def _index(entries: list[tuple[int, list[str | None]]]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for ident, names in entries:
        for name in names:
            if name and normalise(name):
                found[normalise(name)].add(ident)
    return found


def _lines(aliases: str | None) -> list[str]:
    return (aliases or "").splitlines()


class DirectoryNames:
    """Countries, organisations, people and bodies by every name a file may use for them."""

    def __init__(self) -> None:
        self._indexes: dict[str, dict[str, set[int]]] = {}

    def _countries(self) -> dict[str, set[int]]:
        c = Country
        rows = db.session.execute(sa.select(c.id, c.name, c.iso2, c.iso3, c.official_name, c.aliases))
        return _index([(r.id, [r.name, r.iso2, r.iso3, r.official_name, *_lines(r.aliases)]) for r in rows])

    def _organisations(self) -> dict[str, set[int]]:
        o = Organisation
        rows = db.session.execute(sa.select(o.id, o.name, o.acronym, o.aliases))
        # also as an organisation is shown: "International Organization for Migration (IOM)"
        return _index(
            [
                (r.id, [r.name, r.acronym, f"{r.name} ({r.acronym})" if r.acronym else None, *_lines(r.aliases)])
                for r in rows
            ]
        )

    def _people(self) -> dict[str, set[int]]:
        rows = db.session.execute(sa.select(Person.id, Person.name, Person.aliases).where(Person.name.is_not(None)))
        return _index([(r.id, [r.name, *_lines(r.aliases)]) for r in rows])

    def _bodies(self) -> dict[str, set[int]]:
        rows = db.session.execute(sa.select(Body.id, Body.name, Body.acronym))
        return _index([(r.id, [r.name, r.acronym]) for r in rows])

    def matches(self, kind: str, name: str) -> set[int]:
        """The ids of `kind` ("countries", "organisations", "people", "bodies") that go by this name."""
        if kind not in self._indexes:
            self._indexes[kind] = getattr(self, f"_{kind}")()
        return self._indexes[kind].get(normalise(name), set())

    def resolve(self, kind: str, name: str) -> tuple[int | None, str | None]:
        """The one id that goes by this name, or None and why not (unknown, or more than one)."""
        found = self.matches(kind, name)
        if len(found) == 1:
            return next(iter(found)), None
        if found:
            return None, _("“%(name)s” fits more than one entry of the directory: give the full name.", name=name)
        if kind == "countries":
            return None, _("Unknown country: “%(name)s”. Use its name (Morocco) or ISO code (MA).", name=name)
        if kind == "organisations":
            return None, _(
                "Unknown organisation: “%(name)s”. Use its name or acronym as the directory has it.", name=name
            )
        if kind == "people":
            return None, _("Unknown person: “%(name)s”. Add them to the directory first.", name=name)
        return None, _("Unknown GFMD body: “%(name)s”.", name=name)

    def one(self, row: Row, column: str, kind: str, name: str | None = None) -> int | None:
        """The one id the cell (or `name`) names, or None with the problem recorded on the row."""
        if name is None:
            if row.has_problem(column):  # too long already: no need to say it is also unknown
                return None
            name = row.text(column)
        found, problem = self.resolve(kind, name)
        if problem:
            row.problem(column, problem)
        return found


def named_holders(form: Any, *, organisation: bool = True, person: bool = True) -> tuple[int | None, int | None]:
    """The organisation and the person a form names in its `organisation_name` and `person_name` fields (None for
    an empty field, or one the form's choices make irrelevant), resolved against the directory; a name that fits
    none or several is refused on its field."""
    names, found, errors = DirectoryNames(), {}, {}
    for field_name, kind, wanted in (
        ("organisation_name", "organisations", organisation),
        ("person_name", "people", person),
    ):
        name = (getattr(form, field_name).data or "").strip()
        found[kind] = None
        if name and wanted:
            found[kind], problem = names.resolve(kind, name)
            if problem:
                errors[field_name] = problem
    if errors:
        raise ValidationFailed(errors)
    return found["organisations"], found["people"]
