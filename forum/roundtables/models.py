"""Roundtables, their sessions, the people and governments in each session, and its preparation checklist."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.i18n import lazy_gettext as _l
from forum.core.models import TimestampMixin, VersionedMixin, enum_column, intpk
from forum.directory.models import Country, Organisation, Person, User
from forum.extensions import db
from forum.structure.models import ForumCycle


class Roundtable(VersionedMixin, TimestampMixin, db.Model):
    """One of a cycle's roundtables (RT1..RT3), guided by a coordinator."""

    __tablename__ = "roundtables"
    __table_args__ = (
        sa.UniqueConstraint("cycle_id", "number", name="cycle_number"),
        sa.CheckConstraint("number BETWEEN 1 AND 20", name="number_range"),
    )

    id: Mapped[intpk]
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_cycles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    #: a coordinator is usually a person (a Special Adviser in 2010); a government may coordinate instead
    coordinator_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    coordinator_country_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("countries.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    cycle: Mapped[ForumCycle] = relationship()
    coordinator_person: Mapped[Person | None] = relationship()
    coordinator_country: Mapped[Country | None] = relationship()
    sessions: Mapped[list[RoundtableSession]] = relationship(
        back_populates="roundtable", order_by="RoundtableSession.number", passive_deletes=True
    )
    roles: Mapped[list[SessionRole]] = relationship(
        back_populates="roundtable", order_by="SessionRole.position", passive_deletes=True
    )

    @property
    def reference(self) -> str:
        return f"{self.cycle.year}-RT{self.number}"

    @property
    def coordinator(self) -> Person | Country | None:
        return self.coordinator_person or self.coordinator_country

    def __str__(self) -> str:
        return f"RT{self.number} {self.title}"


def session_code(roundtable: int, number: int) -> str:
    """A session's number within its cycle: 2.1."""
    return f"{roundtable}.{number}"


def session_reference(year: int, roundtable: int, number: int) -> str:
    """The stable reference that includes the year: 2010-RT2.1."""
    return f"{year}-RT{session_code(roundtable, number)}"


class RoundtableSession(VersionedMixin, TimestampMixin, db.Model):
    """A session of a roundtable ("2.1"), with its time, room, guiding questions and team."""

    __tablename__ = "roundtable_sessions"
    __table_args__ = (
        sa.UniqueConstraint("roundtable_id", "number", name="roundtable_number"),
        sa.CheckConstraint("number BETWEEN 1 AND 20", name="number_range"),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(sa.ForeignKey("roundtables.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    guiding_questions: Mapped[str] = mapped_column(sa.Text, default="")
    #: None until the programme fixes it; stored in UTC, shown in `timezone` and the viewer's zone
    starts_at: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    is_date_estimated: Mapped[bool] = mapped_column(default=False)
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    #: once closed, governments can no longer sign up or withdraw
    is_team_closed: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    roundtable: Mapped[Roundtable] = relationship(back_populates="sessions")
    roles: Mapped[list[SessionRole]] = relationship(
        back_populates="session", order_by="SessionRole.position", passive_deletes=True
    )
    team: Mapped[list[TeamMember]] = relationship(
        back_populates="session", order_by="TeamMember.id", passive_deletes=True
    )
    checklist: Mapped[list[ChecklistItem]] = relationship(
        back_populates="session", order_by="ChecklistItem.position", passive_deletes=True
    )

    @property
    def code(self) -> str:
        return session_code(self.roundtable.number, self.number)

    @property
    def reference(self) -> str:
        return session_reference(self.roundtable.cycle.year, self.roundtable.number, self.number)

    @property
    def local_start(self) -> datetime | None:
        return self.starts_at.astimezone(ZoneInfo(self.timezone)) if self.starts_at else None

    @property
    def session_date(self) -> date | None:
        """The day of the session where it is held: the checklist's due dates count from it."""
        local = self.local_start
        return local.date() if local else None

    @property
    def co_chairs(self) -> list[SessionRole]:
        return [r for r in self.roles if r.kind == RoleKind.CO_CHAIR]

    @property
    def co_chair_country_ids(self) -> set[int]:
        return {r.country_id for r in self.co_chairs if r.country_id}

    @property
    def co_chair_label(self):
        """A single co-chair is the session's "Chair" (RT 2.2 in 2010)."""
        return _l("Chair") if len(self.co_chairs) == 1 else _l("Co-chairs")

    def __str__(self) -> str:
        return f"RT {self.code} {self.title}"


class RoleKind(enum.StrEnum):
    CO_CHAIR = "co_chair"
    SECTION_FACILITATOR = "section_facilitator"
    SESSION_RAPPORTEUR = "session_rapporteur"
    GENERAL_RAPPORTEUR = "general_rapporteur"
    PLENARY_REPORTER = "plenary_reporter"
    NOTE_TAKER = "note_taker"


ROLE_KIND_LABELS = {
    RoleKind.CO_CHAIR: _l("Co-chair"),
    RoleKind.SECTION_FACILITATOR: _l("Section facilitator"),
    RoleKind.SESSION_RAPPORTEUR: _l("Session rapporteur"),
    RoleKind.GENERAL_RAPPORTEUR: _l("Roundtable general rapporteur"),
    RoleKind.PLENARY_REPORTER: _l("Reporter to the closing plenary"),
    RoleKind.NOTE_TAKER: _l("Note-taker"),
}

#: roles held for a whole roundtable rather than one session
ROUNDTABLE_LEVEL_ROLES = frozenset({RoleKind.GENERAL_RAPPORTEUR, RoleKind.PLENARY_REPORTER})


class SessionRole(TimestampMixin, db.Model):
    """A role in a roundtable or one of its sessions, held by a government, an organisation or a person."""

    __tablename__ = "session_roles"
    __table_args__ = (
        sa.CheckConstraint(
            "(country_id IS NOT NULL AND organisation_id IS NULL AND person_id IS NULL)"
            " OR (organisation_id IS NOT NULL AND country_id IS NULL AND person_id IS NULL)"
            " OR (person_id IS NOT NULL AND country_id IS NULL AND organisation_id IS NULL)",
            name="one_holder",
        ),
        sa.CheckConstraint(
            "kind <> 'co_chair' OR (country_id IS NOT NULL AND session_id IS NOT NULL)", name="co_chair_is_government"
        ),
    )

    id: Mapped[intpk]
    roundtable_id: Mapped[int] = mapped_column(sa.ForeignKey("roundtables.id", ondelete="CASCADE"), index=True)
    #: empty for a roundtable-level role (general rapporteur, plenary reporter, RT1's rapporteurs in 2010)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roundtable_sessions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RoleKind] = enum_column(RoleKind)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    #: e.g. "Labour Attaché, the Philippines" or "Section (a): transnational families"
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    roundtable: Mapped[Roundtable] = relationship(back_populates="roles")
    session: Mapped[RoundtableSession | None] = relationship(back_populates="roles")
    country: Mapped[Country | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    person: Mapped[Person | None] = relationship()

    @property
    def holder(self) -> Country | Organisation | Person:
        return self.country or self.organisation or self.person

    def __str__(self) -> str:
        return f"{ROLE_KIND_LABELS[self.kind]}: {self.holder}"


class TeamMemberKind(enum.StrEnum):
    GOVERNMENT = "government"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    EXPERT = "expert"
    CIVIL_SOCIETY = "civil_society"


TEAM_MEMBER_KIND_LABELS = {
    TeamMemberKind.GOVERNMENT: _l("Government"),
    TeamMemberKind.INTERNATIONAL_ORGANISATION: _l("International organisation"),
    TeamMemberKind.EXPERT: _l("Expert"),
    TeamMemberKind.CIVIL_SOCIETY: _l("Civil society"),
}


class TeamStatus(enum.StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


TEAM_STATUS_LABELS = {
    TeamStatus.REQUESTED: _l("Asked to join"),
    TeamStatus.ACCEPTED: _l("In the team"),
    TeamStatus.DECLINED: _l("Declined"),
    TeamStatus.WITHDRAWN: _l("Withdrew"),
}


class TeamMember(VersionedMixin, TimestampMixin, db.Model):
    """A government, organisation, expert or civil-society body in a session's preparation team."""

    __tablename__ = "session_team_members"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "country_id", name="session_country"),
        sa.UniqueConstraint("session_id", "organisation_id", name="session_organisation"),
        sa.UniqueConstraint("session_id", "person_id", name="session_person"),
        sa.CheckConstraint(
            "(kind = 'government' AND country_id IS NOT NULL AND organisation_id IS NULL AND person_id IS NULL)"
            " OR (kind = 'expert' AND person_id IS NOT NULL AND country_id IS NULL AND organisation_id IS NULL)"
            " OR (kind IN ('international_organisation', 'civil_society') AND organisation_id IS NOT NULL"
            " AND country_id IS NULL AND person_id IS NULL)",
            name="one_member",
        ),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roundtable_sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TeamMemberKind] = enum_column(TeamMemberKind)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    status: Mapped[TeamStatus] = enum_column(TeamStatus, default=TeamStatus.REQUESTED)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    decided_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    session: Mapped[RoundtableSession] = relationship(back_populates="team")
    country: Mapped[Country | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    person: Mapped[Person | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def member(self) -> Country | Organisation | Person:
        return self.country or self.organisation or self.person

    def __str__(self) -> str:
        return f"{self.member} in the team of {self.session}"


class OwnerRole(enum.StrEnum):
    """Who answers for a checklist item; resolved per session (its co-chairs, its coordinator…)."""

    SUPPORT_UNIT = "support_unit"
    CO_CHAIRS = "co_chairs"
    COORDINATOR = "coordinator"
    SESSION_TEAM = "session_team"
    RAPPORTEUR = "rapporteur"
    CHAIR_TEAM = "chair_team"


OWNER_ROLE_LABELS = {
    OwnerRole.SUPPORT_UNIT: _l("Support Unit"),
    OwnerRole.CO_CHAIRS: _l("Co-chairs"),
    OwnerRole.COORDINATOR: _l("Roundtable coordinator"),
    OwnerRole.SESSION_TEAM: _l("Session team"),
    OwnerRole.RAPPORTEUR: _l("Session rapporteur"),
    OwnerRole.CHAIR_TEAM: _l("Chair-in-Office team"),
}


class ChecklistTemplateItem(VersionedMixin, TimestampMixin, db.Model):
    """One step every session goes through, due a number of days before (negative) or after the session."""

    __tablename__ = "checklist_template_items"
    __table_args__ = (
        sa.UniqueConstraint("title", name="title"),
        sa.CheckConstraint("due_offset_days BETWEEN -730 AND 365", name="offset_range"),
    )

    id: Mapped[intpk]
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_role: Mapped[OwnerRole] = enum_column(OwnerRole)
    #: -70 is ten weeks before the session, 28 four weeks after it
    due_offset_days: Mapped[int]
    is_active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.title


class ItemStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


ITEM_STATUS_LABELS = {
    ItemStatus.OPEN: _l("Open"),
    ItemStatus.DONE: _l("Done"),
    ItemStatus.NOT_APPLICABLE: _l("Not applicable"),
}


class CellState(enum.StrEnum):
    """How an item shows on the preparation board, computed from its status and due date against today."""

    DONE = "done"
    NOT_APPLICABLE = "not_applicable"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NOT_STARTED = "not_started"


CELL_STATE_LABELS = {
    CellState.DONE: _l("Done"),
    CellState.NOT_APPLICABLE: _l("Not applicable"),
    CellState.OVERDUE: _l("Overdue"),
    CellState.DUE_SOON: _l("Due soon"),
    CellState.NOT_STARTED: _l("Not started"),
}

#: an open item due within this many days shows as "due soon"
DUE_SOON_DAYS = 14


def cell_state(status: ItemStatus, due_on: date | None, day: date) -> CellState:
    """How a checklist item stands on a day, as the board shows it."""
    if status == ItemStatus.DONE:
        return CellState.DONE
    if status == ItemStatus.NOT_APPLICABLE:
        return CellState.NOT_APPLICABLE
    if due_on is not None and due_on < day:
        return CellState.OVERDUE
    if due_on is not None and due_on <= day + timedelta(days=DUE_SOON_DAYS):
        return CellState.DUE_SOON
    return CellState.NOT_STARTED


class ChecklistItem(VersionedMixin, TimestampMixin, db.Model):
    """One step of one session's preparation, copied from the template when the session was created."""

    __tablename__ = "checklist_items"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "template_item_id", name="session_template"),
        sa.CheckConstraint("status <> 'not_applicable' OR na_reason <> ''", name="na_has_reason"),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roundtable_sessions.id", ondelete="CASCADE"), index=True)
    template_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("checklist_template_items.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    owner_role: Mapped[OwnerRole] = enum_column(OwnerRole)
    due_offset_days: Mapped[int]
    due_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[ItemStatus] = enum_column(ItemStatus, default=ItemStatus.OPEN)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    evidence_url: Mapped[str] = mapped_column(sa.String(500), default="")
    evidence_note: Mapped[str] = mapped_column(sa.Text, default="")
    #: an uploaded document: its original name, and the random name it is stored under outside the web root
    evidence_file_name: Mapped[str] = mapped_column(sa.String(255), default="")
    evidence_file_key: Mapped[str] = mapped_column(sa.String(64), default="")
    evidence_file_size: Mapped[int] = mapped_column(default=0)
    na_reason: Mapped[str] = mapped_column(sa.String(500), default="")

    session: Mapped[RoundtableSession] = relationship(back_populates="checklist")
    done_by: Mapped[User | None] = relationship()

    def state_on(self, day: date) -> CellState:
        return cell_state(self.status, self.due_on, day)

    def __str__(self) -> str:
        return f"{self.title} ({self.session})"
