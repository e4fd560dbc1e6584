"""Meetings, their invitees, agenda items, programme roles and decisions."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.i18n import lazy_gettext as _l
from forum.core.models import TimestampMixin, VersionedMixin, enum_column, intpk, utcnow
from forum.directory.models import Country, Organisation, Person
from forum.extensions import db
from forum.structure.models import Body, ForumCycle, MemberKind, Track


class MeetingKind(enum.StrEnum):
    BODY_MEETING = "body_meeting"
    PLENARY = "plenary"
    PANEL = "panel"
    ROUNDTABLE_SESSION = "roundtable_session"
    WORKING_SESSION = "working_session"
    SPECIAL_SESSION = "special_session"
    CIVIL_SOCIETY_SESSION = "civil_society_session"
    OTHER = "other"


MEETING_KIND_LABELS = {
    MeetingKind.BODY_MEETING: _l("Meeting of a body"),
    MeetingKind.PLENARY: _l("Plenary"),
    MeetingKind.PANEL: _l("Panel"),
    MeetingKind.ROUNDTABLE_SESSION: _l("Roundtable session"),
    MeetingKind.WORKING_SESSION: _l("Working session"),
    MeetingKind.SPECIAL_SESSION: _l("Special session"),
    MeetingKind.CIVIL_SOCIETY_SESSION: _l("Civil Society Days session"),
    MeetingKind.OTHER: _l("Other"),
}


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    INVITATIONS_SENT = "invitations_sent"
    HELD = "held"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: _l("Planned"),
    MeetingStatus.INVITATIONS_SENT: _l("Invitations sent"),
    MeetingStatus.HELD: _l("Held"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
    MeetingStatus.POSTPONED: _l("Postponed"),
}


class AgendaStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


AGENDA_STATUS_LABELS = {AgendaStatus.DRAFT: _l("Draft"), AgendaStatus.PUBLISHED: _l("Published")}


class MinutesStatus(enum.StrEnum):
    NONE = "none"
    DRAFT = "draft"
    CIRCULATED = "circulated"
    FINAL = "final"


MINUTES_STATUS_LABELS = {
    MinutesStatus.NONE: _l("Not started"),
    MinutesStatus.DRAFT: _l("Draft"),
    MinutesStatus.CIRCULATED: _l("Circulated for comments"),
    MinutesStatus.FINAL: _l("Final"),
}


class Meeting(VersionedMixin, TimestampMixin, db.Model):
    """A meeting of a body or a session of the summit programme, held at a venue in its own time zone."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("sequence >= 0", name="sequence_positive"),
        sa.Index("ix_meetings_cycle_start", "cycle_id", "starts_at"),
        # the meetings list in date order, a page at a time: read from the index, the page's 25 rows are joined
        # to their cycle and body rather than every meeting, then sorted
        sa.Index("ix_meetings_start", "starts_at", "id"),
    )

    id: Mapped[intpk]
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_cycles.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[MeetingKind] = enum_column(MeetingKind)
    #: a programme session belongs to one track: the civil-society track's groups are not the governments'
    track: Mapped[Track] = enum_column(Track, default=Track.GOVERNMENT)
    #: a session of the summit programme (shown on /cycles/<year>/programme)
    in_programme: Mapped[bool] = mapped_column(default=False)
    is_public: Mapped[bool] = mapped_column(default=True)
    #: the source gives no date: the dates shown are an estimate
    is_date_estimated: Mapped[bool] = mapped_column(default=False)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: the venue's IANA zone, in which the meeting's times are shown
    timezone: Mapped[str] = mapped_column(sa.String(64))
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[MeetingStatus] = enum_column(MeetingStatus, default=MeetingStatus.PLANNED)
    #: the iCalendar SEQUENCE: raised whenever the time or place changes, so subscribed calendars follow
    sequence: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    interventions: Mapped[int | None]
    agenda_status: Mapped[AgendaStatus] = enum_column(AgendaStatus, default=AgendaStatus.DRAFT)
    minutes_status: Mapped[MinutesStatus] = enum_column(MinutesStatus, default=MinutesStatus.NONE)
    minutes_text: Mapped[str] = mapped_column(sa.Text, default="")

    cycle: Mapped[ForumCycle] = relationship()
    body: Mapped[Body | None] = relationship()
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="select", order_by="Invitation.id"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="select", order_by="AgendaItem.position"
    )
    roles: Mapped[list[ProgrammeRole]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="select", order_by="ProgrammeRole.position"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="select", order_by="Decision.position"
    )

    def __str__(self) -> str:
        return self.title

    @property
    def on(self) -> date:
        from forum.core.dates import in_zone

        return in_zone(self.starts_at, self.timezone).date()


class Reply(enum.StrEnum):
    NONE = "none"
    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"
    REPRESENTED = "represented"


REPLY_LABELS = {
    Reply.NONE: _l("No reply yet"),
    Reply.ATTENDING: _l("Attending"),
    Reply.NOT_ATTENDING: _l("Not attending"),
    Reply.REPRESENTED: _l("Represented by"),
}


class Invitation(TimestampMixin, db.Model):
    """One invitee of a meeting (a government, an organisation or a person), their reply and attendance."""

    __tablename__ = "meeting_invitations"
    __table_args__ = (
        sa.CheckConstraint(
            "(member_kind = 'government' AND country_id IS NOT NULL AND organisation_id IS NULL"
            " AND person_id IS NULL)"
            " OR (member_kind = 'organisation' AND organisation_id IS NOT NULL AND country_id IS NULL"
            " AND person_id IS NULL)"
            " OR (member_kind = 'person' AND person_id IS NOT NULL AND country_id IS NULL"
            " AND organisation_id IS NULL)",
            name="one_invitee",
        ),
        sa.CheckConstraint("interventions IS NULL OR interventions >= 0", name="interventions_positive"),
        sa.UniqueConstraint("meeting_id", "member_key", name="meeting_member"),
    )

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_kind: Mapped[MemberKind] = enum_column(MemberKind)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    #: "government:12": one invitation per invitee and meeting, enforced by the unique constraint
    member_key: Mapped[str] = mapped_column(sa.String(40))
    is_guest: Mapped[bool] = mapped_column(default=False)
    reply: Mapped[Reply] = enum_column(Reply, default=Reply.NONE)
    represented_by: Mapped[str] = mapped_column(sa.String(200), default="")
    attended: Mapped[bool | None]
    interventions: Mapped[int | None]

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    country: Mapped[Country | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    person: Mapped[Person | None] = relationship()

    @property
    def invitee(self) -> Country | Organisation | Person:
        return {
            MemberKind.GOVERNMENT: self.country,
            MemberKind.ORGANISATION: self.organisation,
            MemberKind.PERSON: self.person,
        }[self.member_kind]

    def __str__(self) -> str:
        return f"{self.invitee} — {self.meeting}"


class AgendaItem(TimestampMixin, db.Model):
    """A numbered item of a meeting's agenda; its number is its position."""

    __tablename__ = "agenda_items"
    __table_args__ = (sa.CheckConstraint("minutes_allotted IS NULL OR minutes_allotted > 0", name="minutes_positive"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    presenter: Mapped[str] = mapped_column(sa.String(200), default="")
    minutes_allotted: Mapped[int | None]
    document_title: Mapped[str] = mapped_column(sa.String(300), default="")
    document_url: Mapped[str] = mapped_column(sa.String(500), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ProgrammeRoleKind(enum.StrEnum):
    CHAIR = "chair"
    CO_CHAIR = "co_chair"
    MODERATOR = "moderator"
    PANELLIST = "panellist"
    SPEAKER = "speaker"
    RAPPORTEUR = "rapporteur"


PROGRAMME_ROLE_LABELS = {
    ProgrammeRoleKind.CHAIR: _l("Chair"),
    ProgrammeRoleKind.CO_CHAIR: _l("Co-chair"),
    ProgrammeRoleKind.MODERATOR: _l("Moderator"),
    ProgrammeRoleKind.PANELLIST: _l("Panellist"),
    ProgrammeRoleKind.SPEAKER: _l("Speaker"),
    ProgrammeRoleKind.RAPPORTEUR: _l("Rapporteur"),
}


class ProgrammeRole(db.Model):
    """Who chairs, moderates or sits on the panel of a programme session, as the programme prints it."""

    __tablename__ = "programme_roles"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ProgrammeRoleKind] = enum_column(ProgrammeRoleKind)
    position: Mapped[int] = mapped_column(default=0)
    #: the name as printed ("Ambassador Sergio Marchi, ICTSD"); a person or government may be linked as well
    label: Mapped[str] = mapped_column(sa.String(300))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"), index=True)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="SET NULL"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="roles")


class Decision(TimestampMixin, db.Model):
    """A decision recorded in a meeting's minutes, listed on its own and linkable to what it decided."""

    __tablename__ = "meeting_decisions"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    link_title: Mapped[str] = mapped_column(sa.String(300), default="")
    link_url: Mapped[str] = mapped_column(sa.String(500), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class CalendarFeed(db.Model):
    """A user's personal calendar feed: a secret address (only its hash is kept) that the user can reset."""

    __tablename__ = "calendar_feeds"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
