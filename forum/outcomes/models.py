"""Outcomes of roundtable sessions and their follow-up over the years.

An outcome is numbered within its session (`2010-RT2.1-3`) and keeps its text once published; a correction
after that is a new revision with a reason. Follow-up actions carry an owner, co-owners and a fuzzy due date;
their status is an append-only history of updates, of which the latest is the current one (copied onto the
action by the one service that appends, so lists and the review page can filter and sort on it with an index).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.audit import AppendOnly
from forum.core.i18n import lazy_gettext as _l
from forum.core.models import DatePrecision, TimestampMixin, VersionedMixin, enum_column, intpk, utcnow
from forum.core.themes import THEMES
from forum.directory.models import Country, Organisation, User
from forum.extensions import db
from forum.meetings.models import Meeting
from forum.partnerships.models import PartnershipProject
from forum.roundtables.models import RoundtableSession
from forum.structure.models import Body, ForumCycle


class OutcomeKind(enum.StrEnum):
    POLICY = "policy_recommendation"
    INSTITUTIONAL = "institutional"
    RESEARCH = "research"
    PARTNERSHIP = "partnership"


OUTCOME_KIND_LABELS = {
    OutcomeKind.POLICY: _l("Policy recommendation"),
    OutcomeKind.INSTITUTIONAL: _l("GFMD-internal or institutional"),
    OutcomeKind.RESEARCH: _l("Research"),
    OutcomeKind.PARTNERSHIP: _l("Partnership"),
}


class CommitmentStrength(enum.StrEnum):
    """How firm the wording is: "will", "must", "should", "could / may"."""

    COMMITMENT = "commitment"
    OBLIGATION = "obligation"
    RECOMMENDATION = "recommendation"
    SUGGESTION = "suggestion"


COMMITMENT_LABELS = {
    CommitmentStrength.COMMITMENT: _l("Commitment (will)"),
    CommitmentStrength.OBLIGATION: _l("Firm call (must)"),
    CommitmentStrength.RECOMMENDATION: _l("Recommendation (should)"),
    CommitmentStrength.SUGGESTION: _l("Suggestion (could, may)"),
}


class Outcome(VersionedMixin, TimestampMixin, db.Model):
    """One numbered outcome of a session, or of a cycle's other proceedings (a `series` such as HLD)."""

    __tablename__ = "outcomes"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "number", name="session_number"),
        sa.CheckConstraint("number BETWEEN 1 AND 999", name="number_range"),
        sa.CheckConstraint("(session_id IS NULL) <> (series = '')", name="session_or_series"),
    )

    id: Mapped[intpk]
    #: the stable reference, fixed when the outcome is recorded: 2010-RT2.1-3, or 2013-HLD-18
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_cycles.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roundtable_sessions.id", ondelete="CASCADE"), index=True
    )
    series: Mapped[str] = mapped_column(sa.String(20), default="")
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[OutcomeKind] = enum_column(OutcomeKind)
    strength: Mapped[CommitmentStrength] = enum_column(CommitmentStrength)
    #: set when the Support Unit publishes the session's outcomes; from then on the text is frozen
    published_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    cycle: Mapped[ForumCycle] = relationship()
    session: Mapped[RoundtableSession | None] = relationship()
    addressees: Mapped[list[OutcomeAddressee]] = relationship(
        back_populates="outcome", order_by="OutcomeAddressee.id", cascade="all, delete-orphan", passive_deletes=True
    )
    themes: Mapped[list[OutcomeTheme]] = relationship(
        back_populates="outcome", order_by="OutcomeTheme.code", cascade="all, delete-orphan", passive_deletes=True
    )
    revisions: Mapped[list[OutcomeRevision]] = relationship(
        back_populates="outcome", order_by="OutcomeRevision.number", passive_deletes=True
    )
    translations: Mapped[list[OutcomeTranslation]] = relationship(
        back_populates="outcome", order_by="OutcomeTranslation.language", passive_deletes=True
    )
    links: Mapped[list[OutcomeLink]] = relationship(
        back_populates="outcome",
        foreign_keys="OutcomeLink.outcome_id",
        order_by="OutcomeLink.id",
        passive_deletes=True,
    )
    actions: Mapped[list[FollowUpAction]] = relationship(
        back_populates="outcome", order_by="FollowUpAction.id", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def theme_labels(self) -> list[str]:
        return [str(THEMES.get(t.code, t.code)) for t in self.themes]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class AddresseeKind(enum.StrEnum):
    GOVERNMENT = "government"
    GOVERNMENTS = "governments"
    GFMD = "gfmd"
    GFMD_BODY = "gfmd_body"
    ORGANISATION = "organisation"
    INTERNATIONAL_ORGANISATIONS = "international_organisations"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"


ADDRESSEE_KIND_LABELS = {
    AddresseeKind.GOVERNMENT: _l("A government"),
    AddresseeKind.GOVERNMENTS: _l("Governments"),
    AddresseeKind.GFMD: _l("The GFMD"),
    AddresseeKind.GFMD_BODY: _l("A GFMD body"),
    AddresseeKind.ORGANISATION: _l("An organisation"),
    AddresseeKind.INTERNATIONAL_ORGANISATIONS: _l("International organisations"),
    AddresseeKind.CIVIL_SOCIETY: _l("Civil society"),
    AddresseeKind.PRIVATE_SECTOR: _l("The private sector"),
}

#: the kinds that name one party, and the column that holds it
NAMED_ADDRESSEES = {
    AddresseeKind.GOVERNMENT: "country_id",
    AddresseeKind.GFMD_BODY: "body_id",
    AddresseeKind.ORGANISATION: "organisation_id",
}


class OutcomeAddressee(db.Model):
    """Whom an outcome speaks to: a group (governments, civil society…) or one named government, body or IO."""

    __tablename__ = "outcome_addressees"
    __table_args__ = (
        sa.UniqueConstraint("outcome_id", "kind", "country_id", "body_id", "organisation_id", name="outcome_party"),
        sa.CheckConstraint(
            "(kind = 'government') = (country_id IS NOT NULL) AND (kind = 'gfmd_body') = (body_id IS NOT NULL) "
            "AND (kind = 'organisation') = (organisation_id IS NOT NULL)",
            name="named_party",
        ),
    )

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AddresseeKind] = enum_column(AddresseeKind)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )

    outcome: Mapped[Outcome] = relationship(back_populates="addressees")
    country: Mapped[Country | None] = relationship()
    body: Mapped[Body | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    def __str__(self) -> str:
        party = self.country or self.body or self.organisation
        return str(party) if party is not None else str(ADDRESSEE_KIND_LABELS[self.kind])


class OutcomeTheme(db.Model):
    __tablename__ = "outcome_themes"
    __table_args__ = (sa.UniqueConstraint("outcome_id", "code", name="outcome_code"),)

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(10), index=True)

    outcome: Mapped[Outcome] = relationship(back_populates="themes")


class OutcomeRevision(AppendOnly, db.Model):
    """The published text (number 1) and every later correction with its reason; never changed afterwards."""

    __tablename__ = "outcome_revisions"
    __table_args__ = (sa.UniqueConstraint("outcome_id", "number", name="outcome_number"),)

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    outcome: Mapped[Outcome] = relationship(back_populates="revisions")
    created_by: Mapped[User | None] = relationship()


#: the language outcomes are recorded in: the reports of proceedings they come from are in English
ORIGINAL_LANGUAGE = "en"


class OutcomeTranslation(TimestampMixin, db.Model):
    """The outcome's title and text in another language, for readers of that language. The original stays the
    reference (frozen once published, corrected by revisions); a translation is replaced when it is improved."""

    __tablename__ = "outcome_translations"
    __table_args__ = (sa.UniqueConstraint("outcome_id", "language", name="outcome_language"),)

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(sa.String(5))
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    outcome: Mapped[Outcome] = relationship(back_populates="translations")


class OutcomeLink(db.Model):
    """What an outcome continues (an earlier outcome) or leads to (a later session, a PfP project, a meeting of a
    working group); one target per row."""

    __tablename__ = "outcome_links"
    __table_args__ = (
        sa.CheckConstraint(
            " + ".join(
                f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)"
                for column in ("earlier_outcome_id", "session_id", "project_id", "meeting_id")
            )
            + " = 1",
            name="one_target",
        ),
        sa.CheckConstraint("earlier_outcome_id IS NULL OR earlier_outcome_id <> outcome_id", name="not_itself"),
    )

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    earlier_outcome_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roundtable_sessions.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    outcome: Mapped[Outcome] = relationship(back_populates="links", foreign_keys=[outcome_id])
    earlier_outcome: Mapped[Outcome | None] = relationship(foreign_keys=[earlier_outcome_id])
    session: Mapped[RoundtableSession | None] = relationship()
    project: Mapped[PartnershipProject | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()


class StatementKind(enum.StrEnum):
    FINDING = "finding"
    SUGGESTION = "suggestion"
    MINORITY_VIEW = "minority_view"


STATEMENT_KIND_LABELS = {
    StatementKind.FINDING: _l("Finding"),
    StatementKind.SUGGESTION: _l("Suggestion"),
    StatementKind.MINORITY_VIEW: _l("Minority view"),
}


class SessionStatement(TimestampMixin, db.Model):
    """What a session found, suggested or disagreed on without making it an outcome."""

    __tablename__ = "session_statements"

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roundtable_sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StatementKind] = enum_column(StatementKind)
    text: Mapped[str] = mapped_column(sa.Text)
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    session: Mapped[RoundtableSession] = relationship()


class FollowUpStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    STALLED = "stalled"
    DROPPED = "dropped"
    CARRIED_OVER = "carried_over"


FOLLOW_UP_STATUS_LABELS = {
    FollowUpStatus.NOT_STARTED: _l("Not started"),
    FollowUpStatus.IN_PROGRESS: _l("In progress"),
    FollowUpStatus.DONE: _l("Done"),
    FollowUpStatus.STALLED: _l("Stalled"),
    FollowUpStatus.DROPPED: _l("Dropped"),
    FollowUpStatus.CARRIED_OVER: _l("Carried over"),
}

#: an action in one of these states asks nothing more of its owner in this cycle
CLOSED_STATUSES = frozenset({FollowUpStatus.DONE, FollowUpStatus.DROPPED, FollowUpStatus.CARRIED_OVER})


def is_overdue(status: FollowUpStatus, due_on: date | None, day: date) -> bool:
    """An open action whose due date has passed by `day`."""
    return status not in CLOSED_STATUSES and due_on is not None and due_on < day


class FollowUpAction(VersionedMixin, TimestampMixin, db.Model):
    """What will be done about an outcome in one cycle, by whom and by when."""

    __tablename__ = "follow_up_actions"
    __table_args__ = (
        sa.CheckConstraint("(owner_country_id IS NULL) <> (owner_organisation_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        sa.Index("ix_follow_up_actions_cycle_status_due", "cycle_id", "status", "due_on"),
    )

    id: Mapped[intpk]
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    #: the cycle in which the action is followed; carrying over makes a new action in the next cycle
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_cycles.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(sa.Text)
    owner_country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    owner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    #: the last day of the period the due date names (the services store it so): Q1 2011 is 2011-03-31
    due_on: Mapped[date | None]
    due_precision: Mapped[DatePrecision] = enum_column(DatePrecision, default=DatePrecision.DAY)
    indicator: Mapped[str] = mapped_column(sa.String(300), default="")
    target: Mapped[str] = mapped_column(sa.String(300), default="")
    carried_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("follow_up_actions.id", ondelete="SET NULL"), unique=True
    )
    #: the latest update's status, progress and time, kept by forum.outcomes.services.report_progress only
    status: Mapped[FollowUpStatus] = enum_column(FollowUpStatus, default=FollowUpStatus.NOT_STARTED)
    progress: Mapped[int] = mapped_column(default=0)
    last_update_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    outcome: Mapped[Outcome] = relationship(back_populates="actions")
    cycle: Mapped[ForumCycle] = relationship()
    owner_country: Mapped[Country | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()
    co_owners: Mapped[list[FollowUpCoOwner]] = relationship(
        back_populates="action", order_by="FollowUpCoOwner.id", cascade="all, delete-orphan", passive_deletes=True
    )
    updates: Mapped[list[FollowUpUpdate]] = relationship(
        back_populates="action", order_by="(FollowUpUpdate.created_at, FollowUpUpdate.id)", passive_deletes=True
    )
    carried_from: Mapped[FollowUpAction | None] = relationship(remote_side="FollowUpAction.id")

    @property
    def owner(self) -> Country | Organisation:
        return self.owner_country or self.owner_organisation

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, day: date) -> bool:
        return is_overdue(self.status, self.due_on, day)

    @property
    def co_owner_names(self) -> list[str]:
        return [str(c.party) for c in self.co_owners]

    @property
    def country_ids(self) -> set[int]:
        """The governments that own or co-own the action: their focal points report on it."""
        ids = {c.country_id for c in self.co_owners if c.country_id}
        if self.owner_country_id:
            ids.add(self.owner_country_id)
        return ids

    def __str__(self) -> str:
        return f"{self.outcome.reference}: {self.description[:80]}"


class FollowUpCoOwner(db.Model):
    __tablename__ = "follow_up_co_owners"
    __table_args__ = (
        sa.CheckConstraint("(country_id IS NULL) <> (organisation_id IS NULL)", name="one_party"),
        sa.UniqueConstraint("action_id", "country_id", "organisation_id", name="action_party"),
    )

    id: Mapped[intpk]
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("follow_up_actions.id", ondelete="CASCADE"), index=True)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )

    action: Mapped[FollowUpAction] = relationship(back_populates="co_owners")
    country: Mapped[Country | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def party(self) -> Country | Organisation:
        return self.country or self.organisation


class FollowUpUpdate(AppendOnly, db.Model):
    """One report of progress. Append-only: nothing changes or removes one (the audit log's flush guard refuses
    it), so the history is what was reported, when and by whom."""

    __tablename__ = "follow_up_updates"
    __table_args__ = (
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        sa.Index("ix_follow_up_updates_action_created", "action_id", "created_at"),
    )

    id: Mapped[intpk]
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("follow_up_actions.id", ondelete="CASCADE"))
    status: Mapped[FollowUpStatus] = enum_column(FollowUpStatus)
    progress: Mapped[int]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    #: internal notes are shown to the Support Unit, the Chair team and the owners, not to the public
    is_public: Mapped[bool] = mapped_column(default=True)
    evidence_url: Mapped[str] = mapped_column(sa.String(500), default="")
    evidence_file_name: Mapped[str] = mapped_column(sa.String(255), default="")
    evidence_file_key: Mapped[str] = mapped_column(sa.String(64), default="")
    evidence_file_size: Mapped[int] = mapped_column(default=0)
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: the government whose report this is (the Support Unit reporting on its behalf names it too)
    on_behalf_of_country_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("countries.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[FollowUpAction] = relationship(back_populates="updates")
    reported_by: Mapped[User | None] = relationship()
    on_behalf_of: Mapped[Country | None] = relationship()


class ChairReview(db.Model):
    """The Chair team's review of one outcome or of a whole cycle, perhaps asking the owners for an update."""

    __tablename__ = "chair_reviews"

    id: Mapped[intpk]
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey("forum_cycles.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    reviewed_on: Mapped[date]
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    requests_update: Mapped[bool] = mapped_column(default=False)
    #: the owners have until then to answer a request for an update
    update_due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cycle: Mapped[ForumCycle] = relationship()
    outcome: Mapped[Outcome | None] = relationship()
    reviewer: Mapped[User | None] = relationship()
    requests: Mapped[list[UpdateRequest]] = relationship(
        back_populates="review", order_by="UpdateRequest.id", passive_deletes=True
    )


class UpdateRequest(db.Model):
    """A request for an update on one open action, from a Chair's review; answered by the owners' next report."""

    __tablename__ = "follow_up_update_requests"
    __table_args__ = (sa.UniqueConstraint("review_id", "action_id", name="review_action"),)

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("chair_reviews.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("follow_up_actions.id", ondelete="CASCADE"), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    answered_by_update_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("follow_up_updates.id", ondelete="SET NULL")
    )

    review: Mapped[ChairReview] = relationship(back_populates="requests")
    action: Mapped[FollowUpAction] = relationship()
