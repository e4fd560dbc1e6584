"""Importing a cycle's team matrix: which government co-chairs which session, and who is in each session's team;
written by roundtables' add_role and add_team_member, as the session page's forms do."""

from __future__ import annotations

import enum
import re
from collections.abc import Hashable, Iterable
from typing import Any

import sqlalchemy as sa
from flask import url_for

from forum.core.i18n import gettext as _
from forum.core.i18n import lazy_gettext as _l
from forum.core.i18n import ngettext
from forum.core.imports import Column, Importer, Row
from forum.core.permissions import Action
from forum.directory.models import Organisation, OrganisationKind
from forum.extensions import db
from forum.imports.lookups import DirectoryNames
from forum.roundtables import services
from forum.roundtables.models import (
    ROLE_KIND_LABELS,
    RoleKind,
    Roundtable,
    RoundtableSession,
    SessionRole,
    TeamMember,
    TeamMemberKind,
)

SHORT_REFERENCE = re.compile(r"^(?:(\d{4})-)?(?:RT)?\s*(\d{1,2})\.(\d{1,2})$")


class MatrixRole(enum.StrEnum):
    CO_CHAIR = "co_chair"
    TEAM_MEMBER = "team_member"


MATRIX_ROLE_LABELS = {MatrixRole.CO_CHAIR: _l("Co-chair"), MatrixRole.TEAM_MEMBER: _l("Team member")}


class TeamMatrixImporter(Importer):
    kind = "team_matrix"
    action = Action.TEAM_IMPORT
    columns = (
        Column("session", _l("The session's reference (2010-RT2.1, or RT2.1 within this cycle)."), "", required=True),
        Column("country", _l("A government: its name or ISO code."), "Philippines", max_length=120),
        Column("organisation", _l("Or an organisation (team members only): its name or acronym."), max_length=200),
        Column("role", _l("co_chair or team_member."), "co_chair", required=True),
        Column("note", _l("Free text, e.g. a section the co-chair leads."), max_length=300),
        Column("source", _l("Where the fact comes from."), "Report of Proceedings 2010", max_length=300),
    )
    fields = {"country_name": "country", "country_id": "country", "organisation_name": "organisation", "kind": "role"}

    def __init__(self, target: Any) -> None:
        super().__init__(target)
        self.names = DirectoryNames()
        self._sessions: dict[tuple[int, int], int] | None = None

    @property
    def title(self) -> str:
        return _("Import the team matrix of %(year)s", year=self.target.year)

    def back_url(self) -> str:
        return url_for("roundtables.roundtable_list", year=self.target.year)

    def example(self) -> list[str]:
        return [f"{self.target.year}-RT1.1", *super().example()[1:]]

    def done_message(self, count: int) -> str:
        return ngettext(
            "%(num)d co-chair or team member imported.", "%(num)d co-chairs and team members imported.", count
        )

    def _session_id(self, row: Row) -> int | None:
        if self._sessions is None:
            rows = db.session.execute(
                sa.select(Roundtable.number, RoundtableSession.number, RoundtableSession.id)
                .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
                .where(Roundtable.cycle_id == self.target.id)
            )
            self._sessions = {(rt, number): ident for rt, number, ident in rows}
        value = row.text("session")
        match = SHORT_REFERENCE.match(value.upper())
        if match is None:
            row.problem("session", _("“%(value)s” is not a session reference such as 2010-RT2.1.", value=value))
            return None
        year, rt, number = match.groups()
        if year is not None and int(year) != self.target.year:
            row.problem(
                "session", _("%(ref)s is not a session of the %(year)s cycle.", ref=value, year=self.target.year)
            )
            return None
        found = self._sessions.get((int(rt), int(number)))
        if found is None:
            row.problem("session", _("The %(year)s cycle has no session %(ref)s.", year=self.target.year, ref=value))
        return found

    def convert(self, row: Row) -> dict[str, Any] | None:
        session_id = self._session_id(row) if row.text("session") else None
        role = row.choice("role", MATRIX_ROLE_LABELS)
        country = row.text("country")
        organisation = row.text("organisation")
        country_id = organisation_id = None
        if country and organisation:
            row.problem("organisation", _("Give a government or an organisation on one line, not both."))
        elif country:
            country_id = self.names.one(row, "country", "countries")
        elif organisation:
            organisation_id = self.names.one(row, "organisation", "organisations")
        else:
            row.problem("country", _("Give the government (or, for a team member, the organisation)."))
        if not row.is_valid:
            return None
        return {
            "session_id": session_id,
            "role": role,
            "country_id": country_id,
            "organisation_id": organisation_id,
            "note": row.text("note"),
            "source": row.text("source"),
        }

    def keys(self, values: dict[str, Any]) -> Iterable[Hashable]:
        yield (values["session_id"], values["role"], values["country_id"], values["organisation_id"])

    def write(self, actor: Any, values: dict[str, Any]) -> SessionRole | TeamMember:
        session = db.session.get(RoundtableSession, values["session_id"])
        party = {"country_id": values["country_id"], "organisation_id": values["organisation_id"]}
        if values["role"] == MatrixRole.CO_CHAIR:
            return services.add_role(
                actor, session, kind=RoleKind.CO_CHAIR, note=values["note"], source=values["source"], **party
            )
        return services.add_team_member(
            actor, session, kind=self._member_kind(values), note=values["note"], source=values["source"], **party
        )

    @staticmethod
    def _member_kind(values: dict[str, Any]) -> TeamMemberKind:
        if values["country_id"] is not None:
            return TeamMemberKind.GOVERNMENT
        organisation = db.session.get(Organisation, values["organisation_id"])
        if organisation.kind == OrganisationKind.CIVIL_SOCIETY:
            return TeamMemberKind.CIVIL_SOCIETY
        return TeamMemberKind.INTERNATIONAL_ORGANISATION

    def describe(self, created: SessionRole | TeamMember) -> str:
        if isinstance(created, SessionRole):
            return _(
                "%(ref)s: %(role)s — %(party)s",
                ref=created.session.reference,
                role=ROLE_KIND_LABELS[created.kind],
                party=created.holder,
            )
        return _(
            "%(ref)s: %(role)s — %(party)s",
            ref=created.session.reference,
            role=MATRIX_ROLE_LABELS[MatrixRole.TEAM_MEMBER],
            party=created.member,
        )
