"""Platform for Partnerships: projects that governments propose, own and implement, and their path through
screening (the Support Unit), review and decision (a working group, the Steering Group or the Chair-in-Office)
and publication. The platform facilitates; it never funds or selects on its own."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.i18n import lazy_gettext as _l
from forum.core.models import TimestampMixin, VersionedMixin, enum_column, intpk, utcnow
from forum.directory.models import Country, Organisation
from forum.extensions import db
from forum.structure.models import Body, ForumCycle


class ProjectState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_SCREENING = "in_screening"
    RETURNED = "returned"
    UNDER_REVIEW = "under_review"
    #: the body decided; nobody outside the Support Unit and the body knows until publication
    DECIDED = "decided"
    ACCEPTED = "accepted"
    CHANGES_REQUESTED = "changes_requested"
    DECLINED = "declined"


STATE_LABELS = {
    ProjectState.DRAFT: _l("Draft"),
    ProjectState.SUBMITTED: _l("Submitted, awaiting screening"),
    ProjectState.IN_SCREENING: _l("In screening"),
    ProjectState.RETURNED: _l("Returned to the proposers"),
    ProjectState.UNDER_REVIEW: _l("Under review"),
    ProjectState.DECIDED: _l("Decided, not yet published"),
    ProjectState.ACCEPTED: _l("Accepted for the platform"),
    ProjectState.CHANGES_REQUESTED: _l("Changes requested"),
    ProjectState.DECLINED: _l("Declined"),
}

#: states in which the proposing governments may edit and (re)submit
EDITABLE_STATES = frozenset({ProjectState.DRAFT, ProjectState.RETURNED, ProjectState.CHANGES_REQUESTED})
#: states the Support Unit may see (everything once submitted at least once)
NOT_PRIVATE_STATES = frozenset(ProjectState) - {ProjectState.DRAFT}


class ProjectStage(enum.StrEnum):
    """The project life cycle named at the 2010 working session (seeds/002 L774)."""

    INITIATION = "initiation"
    DESIGN = "design"
    IMPLEMENTATION = "implementation"
    COMPLETION = "completion"


STAGE_LABELS = {
    ProjectStage.INITIATION: _l("Initiation"),
    ProjectStage.DESIGN: _l("Design"),
    ProjectStage.IMPLEMENTATION: _l("Implementation"),
    ProjectStage.COMPLETION: _l("Completion and follow-up"),
}


class DecisionOutcome(enum.StrEnum):
    ACCEPTED = "accepted"
    CHANGES_REQUESTED = "changes_requested"
    DECLINED = "declined"


DECISION_LABELS = {
    DecisionOutcome.ACCEPTED: _l("Accepted for the platform"),
    DecisionOutcome.CHANGES_REQUESTED: _l("Changes requested"),
    DecisionOutcome.DECLINED: _l("Declined"),
}


class PartnerRole(enum.StrEnum):
    SUPPORTER = "supporter"
    IMPLEMENTER = "implementer"
    TECHNICAL_PARTNER = "technical_partner"


PARTNER_ROLE_LABELS = {
    PartnerRole.SUPPORTER: _l("Supporter"),
    PartnerRole.IMPLEMENTER: _l("Implementer"),
    PartnerRole.TECHNICAL_PARTNER: _l("Technical partner"),
}


class EventKind(enum.StrEnum):
    CREATED = "created"
    CONFIRMED = "confirmed"
    TRANSITION = "transition"
    COMMENT = "comment"
    OFFER = "offer"
    OFFER_REPLY = "offer_reply"
    REPORT = "report"
    ATTACHMENT = "attachment"


class Recommendation(enum.StrEnum):
    ACCEPT = "accept"
    CHANGES = "changes"
    DECLINE = "decline"


RECOMMENDATION_LABELS = {
    Recommendation.ACCEPT: _l("Recommend accepting"),
    Recommendation.CHANGES: _l("Recommend asking for changes"),
    Recommendation.DECLINE: _l("Recommend declining"),
}


def project_reference(project_id: int) -> str:
    return f"PfP-{project_id:04d}"


class PartnershipProject(VersionedMixin, TimestampMixin, db.Model):
    """A project put forward by one or more governments (never by the Support Unit)."""

    __tablename__ = "pfp_projects"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("funding_amount IS NULL OR funding_amount > 0", name="funding_positive"),
        sa.CheckConstraint(
            "report_every_months IS NULL OR report_every_months BETWEEN 1 AND 36", name="report_interval"
        ),
        sa.Index("ix_pfp_projects_state_published", "state", "published_at"),
    )

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    objectives: Mapped[str] = mapped_column(sa.Text, default="")
    #: the GFMD outcomes the project follows up (free text until the outcomes module links them)
    outcomes_followed: Mapped[str] = mapped_column(sa.Text, default="")
    stage: Mapped[ProjectStage | None] = enum_column(ProjectStage, index=True)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    needs_partners: Mapped[str] = mapped_column(sa.Text, default="")
    needs_expertise: Mapped[str] = mapped_column(sa.Text, default="")
    needs_funding: Mapped[str] = mapped_column(sa.Text, default="")
    #: indicative only: the platform never funds a project
    funding_amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    funding_currency: Mapped[str | None] = mapped_column(sa.String(3))
    offers: Mapped[str] = mapped_column(sa.Text, default="")
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: where the project comes from, e.g. "Roundtable 1.2 of the 2009 Athens GFMD"
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    lead_country_id: Mapped[int] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum_cycles.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[ProjectState] = enum_column(ProjectState, default=ProjectState.DRAFT, index=True)
    submitted_at: Mapped[datetime | None]
    reviewing_body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id", ondelete="RESTRICT"), index=True)
    routed_at: Mapped[datetime | None]

    decision: Mapped[DecisionOutcome | None] = enum_column(DecisionOutcome)
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: set when the Support Unit recorded the body's decision: where the body took it (meeting, written procedure)
    decision_record: Mapped[str] = mapped_column(sa.String(500), default="")
    #: the progress-report schedule set at acceptance
    report_every_months: Mapped[int | None]
    #: when the next progress report is due: set on publication, moved on by each report, cleared by a final one
    next_report_due_on: Mapped[date | None] = mapped_column(index=True)
    published_at: Mapped[datetime | None]

    lead_country: Mapped[Country] = relationship(foreign_keys=[lead_country_id])
    cycle: Mapped[ForumCycle | None] = relationship()
    reviewing_body: Mapped[Body | None] = relationship()
    proposers: Mapped[list[ProjectProposer]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True, order_by="ProjectProposer.id"
    )
    themes: Mapped[list[ProjectTheme]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True, order_by="ProjectTheme.code"
    )
    partners: Mapped[list[ProjectPartner]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True, order_by="ProjectPartner.id"
    )
    events: Mapped[list[ProjectEvent]] = relationship(
        back_populates="project", passive_deletes=True, order_by="ProjectEvent.id", lazy="raise_on_sql"
    )
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="project", passive_deletes=True, order_by="ProgressReport.id"
    )
    #: the documents still attached (a removed one stays in the table and the history, no longer shown)
    attachments: Mapped[list[ProjectAttachment]] = relationship(
        primaryjoin="and_(ProjectAttachment.project_id == PartnershipProject.id, "
        "ProjectAttachment.removed_at.is_(None))",
        order_by="ProjectAttachment.id",
        viewonly=True,
    )

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return project_reference(self.id)

    @property
    def proposer_country_ids(self) -> frozenset[int]:
        return frozenset(p.country_id for p in self.proposers)

    @property
    def theme_codes(self) -> list[str]:
        return [t.code for t in self.themes]

    @property
    def need_kinds(self) -> list[str]:
        return [
            k
            for k, v in (
                ("partners", self.needs_partners),
                ("expertise", self.needs_expertise),
                ("funding", self.needs_funding or self.funding_amount),
            )
            if v
        ]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.state == ProjectState.ACCEPTED


class ProjectProposer(db.Model):
    """A government proposing the project: the lead (confirmed on creation) or a co-proposer who must confirm."""

    __tablename__ = "pfp_project_proposers"
    __table_args__ = (sa.UniqueConstraint("project_id", "country_id", name="project_country"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    country_id: Mapped[int] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None]

    project: Mapped[PartnershipProject] = relationship(back_populates="proposers")
    country: Mapped[Country] = relationship()

    @property
    def name(self) -> str:
        return self.country.name

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ProjectTheme(db.Model):
    """One theme of the fixed taxonomy tagged on a project."""

    __tablename__ = "pfp_project_themes"
    __table_args__ = (sa.UniqueConstraint("project_id", "code", name="project_code"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(10), index=True)

    project: Mapped[PartnershipProject] = relationship(back_populates="themes")


class ProjectPartner(db.Model):
    """A government or an organisation already on board, with its role."""

    __tablename__ = "pfp_project_partners"
    __table_args__ = (
        sa.CheckConstraint("(country_id IS NULL) <> (organisation_id IS NULL)", name="one_partner"),
        sa.UniqueConstraint("project_id", "country_id", "organisation_id", "role", name="project_partner_role"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[PartnerRole] = enum_column(PartnerRole)

    project: Mapped[PartnershipProject] = relationship(back_populates="partners")
    country: Mapped[Country | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def name(self) -> str:
        return self.country.name if self.country is not None else self.organisation.name


class ProjectEvent(db.Model):
    """One step in a project's history. Internal events (screening notes, review, an unpublished decision) are
    shown only to the Support Unit and the reviewing body, never to the proposers."""

    __tablename__ = "pfp_project_events"

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(200), default="system")
    kind: Mapped[EventKind] = enum_column(EventKind)
    state_from: Mapped[ProjectState | None] = enum_column(ProjectState, type_name="state_from")
    state_to: Mapped[ProjectState | None] = enum_column(ProjectState, type_name="state_to")
    recommendation: Mapped[Recommendation | None] = enum_column(Recommendation)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    is_internal: Mapped[bool] = mapped_column(default=False)

    project: Mapped[PartnershipProject] = relationship(back_populates="events")


class OfferKind(enum.StrEnum):
    INTEREST = "interest"
    SUPPORT = "support"


OFFER_KIND_LABELS = {
    OfferKind.INTEREST: _l("Expression of interest"),
    OfferKind.SUPPORT: _l("Offer of support"),
}


class OfferState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


OFFER_STATE_LABELS = {
    OfferState.PENDING: _l("Waiting for the proposers"),
    OfferState.ACCEPTED: _l("Accepted"),
    OfferState.DECLINED: _l("Declined"),
}


class ProjectOffer(TimestampMixin, db.Model):
    """A government or an organisation's interest in a published project, or its offer of support: what it
    offers and on what terms. The proposers accept (the party becomes a partner with a role) or decline."""

    __tablename__ = "pfp_offers"
    __table_args__ = (
        sa.CheckConstraint("(country_id IS NULL) <> (organisation_id IS NULL)", name="one_party"),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[OfferKind] = enum_column(OfferKind)
    #: the role the party proposes to take; the proposers may give another on acceptance
    role: Mapped[PartnerRole] = enum_column(PartnerRole)
    what: Mapped[str] = mapped_column(sa.Text, default="")
    terms: Mapped[str] = mapped_column(sa.Text, default="")
    #: an indicative contribution, if any (the platform itself funds nothing)
    amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    state: Mapped[OfferState] = enum_column(OfferState, default=OfferState.PENDING, index=True)
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pfp_project_partners.id", ondelete="SET NULL"), index=True
    )

    project: Mapped[PartnershipProject] = relationship()
    country: Mapped[Country | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def party_name(self) -> str:
        return self.country.name if self.country is not None else self.organisation.name


class ProgressReport(db.Model):
    """A proposer's report on an accepted project: the period, the progress, a change of stage, the results and
    the next steps. Reports are public with the project; each moves the next due date on."""

    __tablename__ = "pfp_reports"
    __table_args__ = (sa.CheckConstraint("period_end >= period_start", name="period_order"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    progress: Mapped[str] = mapped_column(sa.Text, default="")
    stage_before: Mapped[ProjectStage | None] = enum_column(ProjectStage, type_name="stage_before")
    stage_after: Mapped[ProjectStage | None] = enum_column(ProjectStage, type_name="stage_after")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    next_steps: Mapped[str] = mapped_column(sa.Text, default="")
    is_final: Mapped[bool] = mapped_column(default=False)
    #: the due date this report answered, to tell on-time from late reports afterwards
    due_on: Mapped[date | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    project: Mapped[PartnershipProject] = relationship(back_populates="reports")

    @property
    def was_late(self) -> bool:
        return self.due_on is not None and self.submitted_at.date() > self.due_on


class ProjectAttachment(db.Model):
    """A document attached to a project, stored outside the web root under a random name. Removing one hides it
    and keeps the file, so what was once shared with the Support Unit can still be traced."""

    __tablename__ = "pfp_attachments"

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("pfp_projects.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(sa.String(200))
    file_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    file_size: Mapped[int]
    description: Mapped[str] = mapped_column(sa.String(300), default="")
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    project: Mapped[PartnershipProject] = relationship()
