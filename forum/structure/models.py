"""Cycles, bodies and memberships: who held which role in which body, from when to when."""

from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.i18n import lazy_gettext as _l
from forum.core.models import DatePrecision, TimestampMixin, VersionedMixin, enum_column, intpk
from forum.directory.models import Country, Organisation, Person
from forum.extensions import db


class CycleStatus(enum.StrEnum):
    COMMITTED = "committed"
    PREPARING = "preparing"
    SUMMIT_HELD = "summit_held"
    CONCLUDED = "concluded"


CYCLE_STATUS_LABELS = {
    CycleStatus.COMMITTED: _l("Host committed"),
    CycleStatus.PREPARING: _l("In preparation"),
    CycleStatus.SUMMIT_HELD: _l("Summit held, follow-up under way"),
    CycleStatus.CONCLUDED: _l("Concluded"),
}


class ForumCycle(VersionedMixin, TimestampMixin, db.Model):
    """A chairmanship year: one chairing government, a theme, and 0..n meetings (2011 had no summit)."""

    __tablename__ = "forum_cycles"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint(
            "summit_ends_on IS NULL OR summit_starts_on IS NULL OR summit_ends_on >= summit_starts_on",
            name="summit_ends_after_start",
        ),
        sa.CheckConstraint("year BETWEEN 2000 AND 2200", name="year_range"),
    )

    id: Mapped[intpk]
    #: one chair per year is the rule, so the year is unique
    year: Mapped[int] = mapped_column(unique=True)
    chair_country_id: Mapped[int] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    theme: Mapped[str | None] = mapped_column(sa.Text)
    summit_city: Mapped[str | None] = mapped_column(sa.String(120))
    #: "Fourth Meeting" of the GFMD; None where the year held no numbered meeting
    meeting_number: Mapped[int | None]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    summit_starts_on: Mapped[date | None]
    summit_ends_on: Mapped[date | None]
    status: Mapped[CycleStatus] = enum_column(CycleStatus, default=CycleStatus.COMMITTED)
    is_fictional: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    chair_country: Mapped[Country] = relationship()

    def __str__(self) -> str:
        return f"GFMD {self.year} ({self.chair_country.name})"

    @property
    def has_summit(self) -> bool:
        return self.summit_starts_on is not None


class BodyKind(enum.StrEnum):
    CHAIR_OFFICE = "chair_office"
    EXTENDED_TROIKA = "extended_troika"
    STEERING_GROUP = "steering_group"
    FRIENDS_OF_THE_FORUM = "friends_of_the_forum"
    SUPPORT_UNIT = "support_unit"
    WORKING_GROUP = "working_group"
    ASSESSMENT_TEAM = "assessment_team"
    TASKFORCE = "taskforce"
    CIVIL_SOCIETY_BODY = "civil_society_body"
    OTHER = "other"


BODY_KIND_LABELS = {
    BodyKind.CHAIR_OFFICE: _l("Chair-in-Office"),
    BodyKind.EXTENDED_TROIKA: _l("Extended Troika"),
    BodyKind.STEERING_GROUP: _l("Steering Group"),
    BodyKind.FRIENDS_OF_THE_FORUM: _l("Friends of the Forum"),
    BodyKind.SUPPORT_UNIT: _l("Support Unit"),
    BodyKind.WORKING_GROUP: _l("Working group"),
    BodyKind.ASSESSMENT_TEAM: _l("Assessment team"),
    BodyKind.TASKFORCE: _l("Taskforce"),
    BodyKind.CIVIL_SOCIETY_BODY: _l("Civil Society Days body"),
    BodyKind.OTHER: _l("Other"),
}


class Track(enum.StrEnum):
    """Which side of the forum a body or meeting belongs to; names collide across tracks."""

    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    COMMON_SPACE = "common_space"


TRACK_LABELS = {
    Track.GOVERNMENT: _l("Government track"),
    Track.CIVIL_SOCIETY: _l("Civil Society Days"),
    Track.COMMON_SPACE: _l("Common Space"),
}


class Body(VersionedMixin, TimestampMixin, db.Model):
    """A body of the forum: standing (Steering Group) or tied to one cycle (the 2010 Taskforce)."""

    __tablename__ = "bodies"
    __table_args__ = (sa.UniqueConstraint("name", "track", name="name_track"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(200))
    acronym: Mapped[str | None] = mapped_column(sa.String(20))
    kind: Mapped[BodyKind] = enum_column(BodyKind)
    track: Mapped[Track] = enum_column(Track, default=Track.GOVERNMENT)
    cycle_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum_cycles.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    established_on: Mapped[date | None]
    dissolved_on: Mapped[date | None]

    cycle: Mapped[ForumCycle | None] = relationship()

    def __str__(self) -> str:
        return self.name


class MemberKind(enum.StrEnum):
    GOVERNMENT = "government"
    ORGANISATION = "organisation"
    PERSON = "person"


MEMBER_KIND_LABELS = {
    MemberKind.GOVERNMENT: _l("Government"),
    MemberKind.ORGANISATION: _l("Organisation"),
    MemberKind.PERSON: _l("Person"),
}


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    CHAIR = "chair"
    CO_CHAIR = "co_chair"
    CHAIR_IN_OFFICE = "chair_in_office"
    EXECUTIVE_DIRECTOR = "executive_director"
    HEAD = "head"
    STAFF = "staff"
    SPECIAL_ADVISER = "special_adviser"
    TECHNICAL_SECRETARY = "technical_secretary"
    FOCAL_POINT = "focal_point"
    OBSERVER = "observer"


ROLE_LABELS = {
    MembershipRole.MEMBER: _l("Member"),
    MembershipRole.CHAIR: _l("Chair"),
    MembershipRole.CO_CHAIR: _l("Co-chair"),
    MembershipRole.CHAIR_IN_OFFICE: _l("Chair-in-Office"),
    MembershipRole.EXECUTIVE_DIRECTOR: _l("Executive Director"),
    MembershipRole.HEAD: _l("Head"),
    MembershipRole.STAFF: _l("Staff"),
    MembershipRole.SPECIAL_ADVISER: _l("Special Adviser"),
    MembershipRole.TECHNICAL_SECRETARY: _l("Technical Secretary"),
    MembershipRole.FOCAL_POINT: _l("Focal point"),
    MembershipRole.OBSERVER: _l("Observer"),
}


class MembershipStatus(enum.StrEnum):
    """How a membership stands or how it ended; whether it counts on a day comes from its dates."""

    ACTIVE = "active"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"
    DECLINED = "declined"


MEMBERSHIP_STATUS_LABELS = {
    MembershipStatus.ACTIVE: _l("Active"),
    MembershipStatus.ENDED: _l("Term ended"),
    MembershipStatus.WITHDRAWN: _l("Withdrew"),
    MembershipStatus.REPLACED: _l("Replaced"),
    MembershipStatus.DECLINED: _l("Declined to take part"),
}


class Membership(VersionedMixin, TimestampMixin, db.Model):
    """One role held in one body by a government, an organisation or a person, between two dates."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint(
            "(member_kind = 'government' AND country_id IS NOT NULL AND organisation_id IS NULL"
            " AND person_id IS NULL)"
            " OR (member_kind = 'organisation' AND organisation_id IS NOT NULL AND country_id IS NULL"
            " AND person_id IS NULL)"
            " OR (member_kind = 'person' AND person_id IS NOT NULL AND country_id IS NULL"
            " AND organisation_id IS NULL)",
            name="one_member",
        ),
        sa.CheckConstraint(
            "on_behalf_of_country_id IS NULL OR member_kind = 'person'", name="on_behalf_only_for_people"
        ),
        sa.Index("ix_memberships_body_dates", "body_id", "starts_on", "ends_on"),
    )

    id: Mapped[intpk]
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    member_kind: Mapped[MemberKind] = enum_column(MemberKind)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    #: the government a person acts for in this role (a focal point, a plenary reporter)
    on_behalf_of_country_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[MembershipRole] = enum_column(MembershipRole, default=MembershipRole.MEMBER)
    starts_on: Mapped[date]
    starts_precision: Mapped[DatePrecision] = enum_column(DatePrecision, default=DatePrecision.DAY)
    ends_on: Mapped[date | None]
    ends_precision: Mapped[DatePrecision] = enum_column(
        DatePrecision, type_name="ends_precision", default=DatePrecision.DAY
    )
    status: Mapped[MembershipStatus] = enum_column(MembershipStatus, default=MembershipStatus.ACTIVE)
    #: the membership this one took over (Switzerland replacing Spain in the 2010 Troika)
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    #: where the fact comes from, e.g. "Report of Proceedings 2010, footnote 2"
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    body: Mapped[Body] = relationship()
    country: Mapped[Country | None] = relationship(foreign_keys=[country_id])
    organisation: Mapped[Organisation | None] = relationship()
    person: Mapped[Person | None] = relationship()
    on_behalf_of: Mapped[Country | None] = relationship(foreign_keys=[on_behalf_of_country_id])
    replaces: Mapped[Membership | None] = relationship(remote_side="Membership.id")

    @hybrid_method
    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @active_on.expression
    def active_on(cls, day: date):
        return sa.and_(cls.starts_on <= day, sa.or_(cls.ends_on.is_(None), cls.ends_on >= day))

    @property
    def member(self) -> Country | Organisation | Person:
        return {
            MemberKind.GOVERNMENT: self.country,
            MemberKind.ORGANISATION: self.organisation,
            MemberKind.PERSON: self.person,
        }[self.member_kind]

    def __str__(self) -> str:
        return f"{self.member} — {ROLE_LABELS[self.role]}, {self.body}"
