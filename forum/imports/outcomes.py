"""Importing a session's outcomes: one line per outcome, recorded unpublished by outcomes' record_outcome."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import sqlalchemy as sa
from flask import url_for

from forum.core.i18n import gettext as _
from forum.core.i18n import lazy_gettext as _l
from forum.core.i18n import ngettext
from forum.core.imports import Column, Importer, Row, find_choice, plain
from forum.core.permissions import Action
from forum.core.themes import THEMES
from forum.extensions import db
from forum.imports.lookups import DirectoryNames
from forum.outcomes import services
from forum.outcomes.models import (
    ADDRESSEE_KIND_LABELS,
    COMMITMENT_LABELS,
    NAMED_ADDRESSEES,
    OUTCOME_KIND_LABELS,
    AddresseeKind,
    Outcome,
)
from forum.outcomes.services import AddresseeInput

#: the addressees that are a group rather than one named party
GROUPS = {kind: label for kind, label in ADDRESSEE_KIND_LABELS.items() if kind not in NAMED_ADDRESSEES}
#: "government: Mexico", "body: Steering Group", "organisation: IOM"
PREFIXES = {
    "government": (AddresseeKind.GOVERNMENT, "countries"),
    "country": (AddresseeKind.GOVERNMENT, "countries"),
    "body": (AddresseeKind.GFMD_BODY, "bodies"),
    "gfmd body": (AddresseeKind.GFMD_BODY, "bodies"),
    "organisation": (AddresseeKind.ORGANISATION, "organisations"),
    "organization": (AddresseeKind.ORGANISATION, "organisations"),
}
NAMED = (
    (AddresseeKind.GOVERNMENT, "countries"),
    (AddresseeKind.GFMD_BODY, "bodies"),
    (AddresseeKind.ORGANISATION, "organisations"),
)


class OutcomeImporter(Importer):
    kind = "outcomes"
    action = Action.OUTCOME_IMPORT
    columns = (
        Column("number", _l("Its number in the session (1–999); if empty, the next free one."), "", max_length=10),
        Column("title", _l("A short title."), "Ethical recruitment", required=True, max_length=200),
        Column(
            "text",
            _l("The outcome's text."),
            "Governments should license recruiters and publish a register of them.",
            required=True,
            max_length=5000,
        ),
        Column(
            "kind",
            _l("policy_recommendation, institutional, research or partnership."),
            "policy_recommendation",
            required=True,
        ),
        Column(
            "strength", _l("commitment, obligation, recommendation or suggestion."), "recommendation", required=True
        ),
        Column(
            "addressees",
            _l(
                "To whom, separated by semicolons: groups (governments, gfmd, international_organisations, "
                "civil_society, private_sector) or named parties (government: Mexico; body: Steering Group; "
                "organisation: IOM)."
            ),
            "governments; organisation: IOM",
            required=True,
            max_length=1000,
        ),
        Column("themes", _l("Theme codes separated by semicolons (T1–T13)."), "T3; T5", max_length=200),
        Column("source", _l("Where the text comes from."), "Report of Proceedings 2010, p. 60", max_length=300),
    )
    fields = {"title": "title", "text": "text", "kind": "kind", "strength": "strength", "number": "number"}
    fields |= {"addressees": "addressees", "themes": "themes"}

    def __init__(self, target: Any) -> None:
        super().__init__(target)
        self.names = DirectoryNames()
        self._titles: dict[str, str] | None = None

    @property
    def title(self) -> str:
        return _("Import outcomes of %(ref)s", ref=self.target.reference)

    def back_url(self) -> str:
        return url_for("roundtables.session_detail", ref=self.target.reference) + "#outcomes"

    def done_message(self, count: int) -> str:
        return ngettext(
            "%(num)d outcome imported, not yet published.", "%(num)d outcomes imported, not yet published.", count
        )

    def _existing_title(self, title: str) -> str | None:
        """The reference of the session's outcome that already has this title."""
        if self._titles is None:
            rows = db.session.execute(
                sa.select(Outcome.title, Outcome.reference).where(Outcome.session_id == self.target.id)
            )
            self._titles = {plain(t): ref for t, ref in rows}
        return self._titles.get(plain(title))

    def _addressees(self, row: Row) -> list[AddresseeInput]:
        chosen = []
        for item in row.items("addressees"):
            head, colon, rest = item.partition(":")
            if colon and plain(head) in PREFIXES:
                kind, lookup = PREFIXES[plain(head)]
                ident = self.names.one(row, "addressees", lookup, rest.strip())
                chosen += [AddresseeInput(kind, ident)] if ident else []
            elif (group := find_choice(item, GROUPS)) is not None:
                chosen.append(AddresseeInput(group))
            else:
                chosen += self._named(row, item)
        return chosen

    def _named(self, row: Row, name: str) -> list[AddresseeInput]:
        """A bare name: a government, a GFMD body or an organisation, if it is exactly one of them."""
        hits = [(kind, ids) for kind, lookup in NAMED if (ids := self.names.matches(lookup, name))]
        if len(hits) == 1 and len(hits[0][1]) == 1:
            return [AddresseeInput(hits[0][0], next(iter(hits[0][1])))]
        if hits:
            row.problem(
                "addressees",
                _("“%(name)s” names more than one party: write government: …, body: … or organisation: ….", name=name),
            )
        else:
            row.problem(
                "addressees",
                _(
                    "Unknown addressee: “%(name)s”. Use a group (%(groups)s) or a government, GFMD body or "
                    "organisation of the directory.",
                    name=name,
                    groups=", ".join(kind.value for kind in GROUPS),
                ),
            )
        return []

    def _themes(self, row: Row) -> list[str]:
        by_name = {plain(code): code for code in THEMES} | {plain(str(label)): code for code, label in THEMES.items()}
        codes = []
        for item in row.items("themes"):
            if plain(item) in by_name:
                codes.append(by_name[plain(item)])
            else:
                row.problem("themes", _("Unknown theme: “%(code)s”. Use T1 to T13.", code=item))
        return codes

    def convert(self, row: Row) -> dict[str, Any] | None:
        values = {
            "number": row.number("number", 1, 999),
            "title": row.text("title"),
            "text": row.text("text"),
            "kind": row.choice("kind", OUTCOME_KIND_LABELS),
            "strength": row.choice("strength", COMMITMENT_LABELS),
            "addressees": self._addressees(row) if not row.has_problem("addressees") else [],
            "theme_codes": self._themes(row) if not row.has_problem("themes") else [],
            "source": row.text("source"),
        }
        existing = self._existing_title(values["title"]) if values["title"] else None
        if existing:
            row.problem("title", _("The session already has an outcome with this title: %(ref)s.", ref=existing))
        return values if row.is_valid else None

    def keys(self, values: dict[str, Any]) -> Iterable[Hashable]:
        yield ("title", plain(values["title"]))
        if values["number"] is not None:
            yield ("number", values["number"])

    def write(self, actor: Any, values: dict[str, Any]) -> Outcome:
        session = self.target
        return services.record_outcome(actor, cycle=session.roundtable.cycle, session=session, **values)

    def describe(self, created: Outcome) -> str:
        parts = [
            f"{created.reference} {created.title}",
            f"{OUTCOME_KIND_LABELS[created.kind]}, {COMMITMENT_LABELS[created.strength]}",
            _("to %(whom)s", whom="; ".join(sorted(str(a) for a in created.addressees))),
        ]
        if created.themes:
            parts.append(", ".join(sorted((t.code for t in created.themes), key=lambda c: int(c[1:]))))
        return " · ".join(parts)
