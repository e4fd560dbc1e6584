"""Names in an import file resolved against the directory: each table indexed once per file, not scanned per cell.

The keys are those of forum.directory.services.find_country and its siblings (the name, ISO codes, acronyms and
aliases, compared the same case- and accent-insensitive way), so a file accepts what the web forms accept.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

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

    def one(self, row: Row, column: str, kind: str, name: str | None = None) -> int | None:
        """The one id the cell (or `name`) names, or None with the problem recorded on the row."""
        if name is None:
            if row.has_problem(column):  # too long already: no need to say it is also unknown
                return None
            name = row.text(column)
        found = self.matches(kind, name)
        if len(found) == 1:
            return next(iter(found))
        if found:
            row.problem(
                column, _("“%(name)s” fits more than one entry of the directory: give the full name.", name=name)
            )
        elif kind == "countries":
            row.problem(column, _("Unknown country: “%(name)s”. Use its name (Morocco) or ISO code (MA).", name=name))
        elif kind == "organisations":
            row.problem(
                column,
                _("Unknown organisation: “%(name)s”. Use its name or acronym as the directory has it.", name=name),
            )
        elif kind == "people":
            row.problem(column, _("Unknown person: “%(name)s”. Add them to the directory first.", name=name))
        else:
            row.problem(column, _("Unknown GFMD body: “%(name)s”.", name=name))
        return None
