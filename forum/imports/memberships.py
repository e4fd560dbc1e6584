"""Importing a body's memberships: one line per role held, written by structure's create_membership."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from flask import url_for

from forum.core.dates import PRECISION_LABELS, fuzzy_date_label, today
from forum.core.i18n import gettext as _
from forum.core.i18n import lazy_gettext as _l
from forum.core.i18n import ngettext
from forum.core.imports import Column, Importer, Row
from forum.core.models import DatePrecision
from forum.core.permissions import Action
from forum.imports.lookups import DirectoryNames
from forum.structure import services
from forum.structure.models import (
    MEMBER_KIND_LABELS,
    MEMBERSHIP_STATUS_LABELS,
    ROLE_LABELS,
    MemberKind,
    Membership,
    MembershipRole,
    MembershipStatus,
)

#: the column that names the member, for each kind of member
MEMBER_COLUMN = {MemberKind.GOVERNMENT: "country", MemberKind.ORGANISATION: "organisation", MemberKind.PERSON: "person"}
MEMBER_LOOKUP = {
    MemberKind.GOVERNMENT: "countries",
    MemberKind.ORGANISATION: "organisations",
    MemberKind.PERSON: "people",
}
MEMBER_FIELD = {
    MemberKind.GOVERNMENT: "country_id",
    MemberKind.ORGANISATION: "organisation_id",
    MemberKind.PERSON: "person_id",
}


class MembershipImporter(Importer):
    kind = "memberships"
    action = Action.MEMBERSHIP_IMPORT
    columns = (
        Column("member_kind", _l("government, organisation or person"), "government", required=True),
        Column("country", _l("For a government: its name or ISO code (Morocco, MA)."), "Morocco", max_length=120),
        Column("organisation", _l("For an organisation: its name or acronym (IOM)."), max_length=200),
        Column("person", _l("For a person: their name as the directory has it."), max_length=200),
        Column("on_behalf_of", _l("For a person acting for a government: that country."), max_length=120),
        Column("role", _l("member (if empty), chair, co_chair, focal_point, observer…"), "member"),
        Column("starts_on", _l("The first day, as YYYY-MM-DD."), "2010-01-01", required=True, max_length=10),
        Column(
            "starts_precision",
            _l("How exactly the start is known: day (if empty), month, quarter, half_year, year."),
            "year",
        ),
        Column("ends_on", _l("The last day (YYYY-MM-DD), or empty while it lasts."), "2010-09-30", max_length=10),
        Column("ends_precision", _l("As for the start."), "month"),
        Column(
            "status",
            _l("active, ended, withdrawn, replaced or declined; if empty, ended once the end date has passed."),
            "withdrawn",
        ),
        Column("note", _l("Free text."), "Withdrew from the Troika; stayed on the Steering Group.", max_length=2000),
        Column("source", _l("Where the fact comes from."), "Report of Proceedings 2010", max_length=300),
    )
    fields = {
        "country_id": "country",
        "organisation_id": "organisation",
        "person_id": "person",
        "on_behalf_of_country_id": "on_behalf_of",
        "starts_on": "starts_on",
        "ends_on": "ends_on",
        "status": "status",
    }

    def __init__(self, target: Any) -> None:
        super().__init__(target)
        self.names = DirectoryNames()

    @property
    def title(self) -> str:
        return _("Import memberships of %(body)s", body=self.target.name)

    def back_url(self) -> str:
        return url_for("structure.body_detail", body_id=self.target.id)

    def done_message(self, count: int) -> str:
        return ngettext("%(num)d membership imported.", "%(num)d memberships imported.", count)

    def convert(self, row: Row) -> dict[str, Any] | None:
        kind = row.choice("member_kind", MEMBER_KIND_LABELS)
        member_id = None
        if kind is not None:
            column = MEMBER_COLUMN[kind]
            others = [c for c in MEMBER_COLUMN.values() if c != column and row.text(c)]
            if others:
                row.problem(
                    others[0],
                    _("Name this kind of member in the %(column)s column only; leave this one empty.", column=column),
                )
            elif not row.text(column):
                row.problem(column, _("Name the member in this column."))
            else:
                member_id = self.names.one(row, column, MEMBER_LOOKUP[kind])
        on_behalf_of = None
        if row.text("on_behalf_of"):
            if kind != MemberKind.PERSON:
                row.problem("on_behalf_of", _("Only a person acts on behalf of a government."))
            else:
                on_behalf_of = self.names.one(row, "on_behalf_of", "countries")
        starts_on, ends_on = row.date("starts_on"), row.date("ends_on")
        values = {
            "role": row.choice("role", ROLE_LABELS, MembershipRole.MEMBER),
            "starts_precision": row.choice("starts_precision", PRECISION_LABELS, DatePrecision.DAY),
            "ends_precision": row.choice("ends_precision", PRECISION_LABELS, DatePrecision.DAY),
            "status": row.choice("status", MEMBERSHIP_STATUS_LABELS),
        }
        if not row.is_valid:
            return None
        if values["status"] is None:
            ended = ends_on is not None and ends_on < today()
            values["status"] = MembershipStatus.ENDED if ended else MembershipStatus.ACTIVE
        return {
            "member_kind": kind,
            MEMBER_FIELD[kind]: member_id,
            "on_behalf_of_country_id": on_behalf_of,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "note": row.text("note"),
            "source": row.text("source"),
            **values,
        }

    def keys(self, values: dict[str, Any]) -> Iterable[Hashable]:
        kind = values["member_kind"]
        yield (kind, values[MEMBER_FIELD[kind]], values["role"], values["starts_on"])

    def write(self, actor: Any, values: dict[str, Any]) -> Membership:
        return services.create_membership(actor, body_id=self.target.id, **values)

    def describe(self, created: Membership) -> str:
        since = fuzzy_date_label(created.starts_on, created.starts_precision)
        until = fuzzy_date_label(created.ends_on, created.ends_precision) if created.ends_on else "…"
        return _(
            "%(member)s: %(role)s, %(since)s – %(until)s (%(status)s)",
            member=created.member,
            role=ROLE_LABELS[created.role],
            since=since,
            until=until,
            status=MEMBERSHIP_STATUS_LABELS[created.status],
        )
