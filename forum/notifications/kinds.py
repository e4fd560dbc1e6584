"""The kinds of reminder: what is due, when, for whom, and which placeholders its messages may use.

A kind is a small class registered in KINDS. Adding one (follow-up actions, PfP progress reports…) means
subclassing ReminderKind with `open_subjects`, `load`, `is_open`, `due_on`, `recipients`, `placeholders_for` and
`owed_by`, decorating it with @register, and listing default rules; the sweep, digests, preferences and the
"my tasks" page pick it up without further change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import BuildError

from forum.core.dates import today
from forum.core.i18n import lazy_gettext as _l
from forum.directory.models import User
from forum.extensions import db
from forum.structure.models import Body, BodyKind, MemberKind, Membership

#: placeholders every kind offers
COMMON_PLACEHOLDERS = {
    "recipient_name": _l("the recipient's name"),
    "title": _l("what is due"),
    "due_date": _l("the due date (YYYY-MM-DD)"),
    "days_left": _l("days until the due date (negative once overdue)"),
    "days_overdue": _l("days past the due date (0 before)"),
    "link": _l("the address of the page to act on"),
}


@dataclass(frozen=True)
class DefaultRule:
    name: str
    offset_days: int
    repeat_days: int | None
    roles: str
    subject: str
    body: str
    is_mandatory: bool = False


@dataclass(frozen=True)
class Task:
    """One line of a user's "my tasks" page."""

    kind_label: Any
    title: str
    due_on: date | None
    link: str


class ReminderKind:
    key: ClassVar[str]
    label: ClassVar[Any]
    subject_type: ClassVar[str]
    #: role key -> label; the rule picks some of them as recipients
    roles: ClassVar[dict[str, Any]]
    extra_placeholders: ClassVar[dict[str, Any]] = {}
    defaults: ClassVar[tuple[DefaultRule, ...]] = ()

    @property
    def placeholders(self) -> dict[str, Any]:
        return COMMON_PLACEHOLDERS | self.extra_placeholders

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        """(id, due date) of every open object with a due date."""
        raise NotImplementedError

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        raise NotImplementedError

    def is_open(self, obj: Any) -> bool:
        raise NotImplementedError

    def due_on(self, obj: Any) -> date | None:
        raise NotImplementedError

    def recipients(self, obj: Any, role: str) -> list[User]:
        raise NotImplementedError

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        """The kind's own values (title, link, extras); the service adds the recipient's and the dates."""
        raise NotImplementedError

    def owed_by(self, user: User) -> list[Task]:
        raise NotImplementedError


KINDS: dict[str, ReminderKind] = {}


def register(cls: type[ReminderKind]) -> type[ReminderKind]:
    KINDS[cls.key] = cls()
    return cls


def kind_of(key: str) -> ReminderKind | None:
    return KINDS.get(key)


# ---------------------------------------------------------------------------------------------- who is who


def government_accounts(country_ids: Iterable[int]) -> list[User]:
    """The active accounts acting for these governments (their focal points)."""
    ids = {c for c in country_ids if c}
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User).where(User.is_active.is_(True), User.acts_for_country_id.in_(ids)).order_by(User.id)
        )
    )


def person_accounts(person_ids: Iterable[int]) -> list[User]:
    ids = {p for p in person_ids if p}
    if not ids:
        return []
    return list(
        db.session.scalars(sa.select(User).where(User.is_active.is_(True), User.person_id.in_(ids)).order_by(User.id))
    )


def body_accounts(kind: BodyKind, cycle_id: int | None = None) -> list[User]:
    """Active accounts of the people currently sitting on a body of this kind (of this cycle)."""
    stmt = (
        sa.select(User)
        .join(Membership, sa.and_(Membership.person_id == User.person_id, Membership.member_kind == MemberKind.PERSON))
        .join(Body, Body.id == Membership.body_id)
        .where(Body.kind == kind, Membership.active_on(today()), User.is_active.is_(True))
        .distinct()
        .order_by(User.id)
    )
    if cycle_id is not None:
        stmt = stmt.where(Body.cycle_id == cycle_id)
    return list(db.session.scalars(stmt))


def _url(endpoint: str, **values: Any) -> str:
    """An absolute link when the area's page exists; the "my tasks" page otherwise."""
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return url_for("notifications.my_tasks", _external=True)


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.id, user)
    return list(seen.values())


# ------------------------------------------------------------------------------------ meeting invitations


@register
class MeetingReplyKind(ReminderKind):
    """An invitation to a meeting that has no reply yet; due on the day of the meeting."""

    key = "meeting_reply"
    label = _l("Meeting invitations awaiting a reply")
    subject_type = "meeting_invitation"
    roles: ClassVar[dict[str, Any]] = {"invitee": _l("The invitee (government focal points, or the person)")}
    extra_placeholders: ClassVar[dict[str, Any]] = {"meeting": _l("the meeting's title"), "city": _l("its city")}
    defaults = (
        DefaultRule(
            name="Meeting reply: one week before",
            offset_days=-7,
            repeat_days=None,
            roles="invitee",
            subject="Please reply: {meeting} on {due_date}",
            body=(
                "Dear {recipient_name},\n\nYou are invited to {meeting} ({city}) on {due_date}, in {days_left} "
                "days, and we have no reply from you yet. Please reply here: {link}"
            ),
        ),
    )

    def _models(self):
        from forum.meetings.models import Invitation, Meeting, MeetingStatus, Reply

        return Invitation, Meeting, MeetingStatus, Reply

    def _open_stmt(self):
        invitation, meeting, status, reply = self._models()
        from forum.core.dates import utcnow

        return (
            sa.select(invitation)
            .join(meeting, meeting.id == invitation.meeting_id)
            .where(invitation.reply == reply.NONE, meeting.starts_at > utcnow())
            .where(meeting.status.in_([status.PLANNED, status.INVITATIONS_SENT]))
        )

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        invitations = db.session.scalars(self._open_stmt().options(sa.orm.joinedload(self._models()[0].meeting)))
        return [(i.id, i.meeting.on) for i in invitations]

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        invitation = self._models()[0]
        rows = db.session.scalars(
            sa.select(invitation).where(invitation.id.in_(set(ids))).options(sa.orm.joinedload(invitation.meeting))
        )
        return {i.id: i for i in rows}

    def is_open(self, obj: Any) -> bool:
        _, _, status, reply = self._models()
        from forum.core.dates import utcnow

        meeting = obj.meeting
        return (
            obj.reply == reply.NONE
            and meeting.status in (status.PLANNED, status.INVITATIONS_SENT)
            and (meeting.starts_at > utcnow())
        )

    def due_on(self, obj: Any) -> date | None:
        return obj.meeting.on

    def recipients(self, obj: Any, role: str) -> list[User]:
        if role != "invitee":
            return []
        if obj.country_id:
            return government_accounts([obj.country_id])
        if obj.person_id:
            return person_accounts([obj.person_id])
        return list(
            db.session.scalars(
                sa.select(User).where(User.is_active.is_(True), User.acts_for_organisation_id == obj.organisation_id)
            )
        )

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        meeting = obj.meeting
        return {
            "title": f"Reply to the invitation to {meeting.title}",
            "meeting": meeting.title,
            "city": meeting.city or "online",
            "link": _url("meetings.meeting_detail", meeting_id=meeting.id),
        }

    def owed_by(self, user: User) -> list[Task]:
        invitation = self._models()[0]
        clauses = [invitation.person_id == user.person_id]
        if user.acts_for_country_id:
            clauses.append(invitation.country_id == user.acts_for_country_id)
        if user.acts_for_organisation_id:
            clauses.append(invitation.organisation_id == user.acts_for_organisation_id)
        rows = db.session.scalars(
            self._open_stmt().where(sa.or_(*clauses)).options(sa.orm.joinedload(invitation.meeting))
        )
        return [
            Task(
                self.label,
                f"Reply to the invitation to {i.meeting.title}",
                i.meeting.on,
                _url("meetings.meeting_detail", meeting_id=i.meeting_id),
            )
            for i in rows
        ]


# ----------------------------------------------------------------------------- the preparation checklist


@register
class ChecklistItemKind(ReminderKind):
    """An open step of a roundtable session's preparation checklist, due on its own date."""

    key = "checklist_item"
    label = _l("Preparation checklist items")
    subject_type = "checklist_item"
    roles: ClassVar[dict[str, Any]] = {
        "owner": _l("The item's owner (co-chairs, coordinator, team, rapporteur, Support Unit or Chair team)"),
        "co_chairs": _l("The session's co-chairs (copy)"),
        "support_unit": _l("The Support Unit"),
    }
    extra_placeholders: ClassVar[dict[str, Any]] = {"session": _l("the session's reference, e.g. 2010-RT2.1")}
    defaults = (
        DefaultRule(
            name="Checklist item: due in 7 days",
            offset_days=-7,
            repeat_days=None,
            roles="owner co_chairs",
            subject="{session}: {title} is due on {due_date}",
            body=(
                'Dear {recipient_name},\n\n"{title}" for session {session} is due on {due_date}, in {days_left} '
                "days.\n\nSee the session: {link}"
            ),
        ),
        DefaultRule(
            name="Checklist item: overdue, weekly",
            offset_days=1,
            repeat_days=7,
            roles="owner co_chairs",
            subject="Overdue: {title} ({session})",
            body=(
                'Dear {recipient_name},\n\n"{title}" for session {session} was due on {due_date} and is '
                "{days_overdue} days overdue.\n\nPlease mark it done or tell the Support Unit: {link}"
            ),
            is_mandatory=True,
        ),
    )

    def _models(self):
        from forum.roundtables import models

        return models

    def _loaded(self, stmt):
        m = self._models()
        return stmt.options(
            sa.orm.joinedload(m.ChecklistItem.session)
            .joinedload(m.RoundtableSession.roundtable)
            .joinedload(m.Roundtable.cycle),
            sa.orm.joinedload(m.ChecklistItem.session).selectinload(m.RoundtableSession.roles),
        )

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        m = self._models()
        return list(
            db.session.execute(
                sa.select(m.ChecklistItem.id, m.ChecklistItem.due_on).where(
                    m.ChecklistItem.status == m.ItemStatus.OPEN, m.ChecklistItem.due_on.is_not(None)
                )
            )
        )

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        m = self._models()
        rows = db.session.scalars(self._loaded(sa.select(m.ChecklistItem).where(m.ChecklistItem.id.in_(set(ids)))))
        return {i.id: i for i in rows.unique()}

    def is_open(self, obj: Any) -> bool:
        return obj.status == self._models().ItemStatus.OPEN and obj.due_on is not None

    def due_on(self, obj: Any) -> date | None:
        return obj.due_on

    def recipients(self, obj: Any, role: str) -> list[User]:
        m = self._models()
        session = obj.session
        if role == "co_chairs":
            return government_accounts(session.co_chair_country_ids)
        if role == "support_unit":
            return body_accounts(BodyKind.SUPPORT_UNIT)
        if role != "owner":
            return []
        owner = obj.owner_role
        if owner == m.OwnerRole.SUPPORT_UNIT:
            return body_accounts(BodyKind.SUPPORT_UNIT)
        if owner == m.OwnerRole.CO_CHAIRS:
            return government_accounts(session.co_chair_country_ids)
        if owner == m.OwnerRole.CHAIR_TEAM:
            return body_accounts(BodyKind.CHAIR_OFFICE, session.roundtable.cycle_id)
        if owner == m.OwnerRole.COORDINATOR:
            rt = session.roundtable
            return _unique(
                person_accounts([rt.coordinator_person_id]) + government_accounts([rt.coordinator_country_id])
            )
        if owner == m.OwnerRole.RAPPORTEUR:
            holders = [r for r in session.roles if r.kind == m.RoleKind.SESSION_RAPPORTEUR]
            return _unique(
                person_accounts(r.person_id for r in holders) + government_accounts(r.country_id for r in holders)
            )
        if owner == m.OwnerRole.SESSION_TEAM:
            team = db.session.scalars(
                sa.select(m.TeamMember).where(
                    m.TeamMember.session_id == session.id, m.TeamMember.status == m.TeamStatus.ACCEPTED
                )
            ).all()
            return _unique(government_accounts(t.country_id for t in team) + person_accounts(t.person_id for t in team))
        return []

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        return {
            "title": obj.title,
            "session": obj.session.reference,
            "link": _url("roundtables.checklist_item_detail", checklist_item_id=obj.id),
        }

    def owed_by(self, user: User) -> list[Task]:
        m = self._models()
        stmt = self._loaded(
            sa.select(m.ChecklistItem)
            .where(m.ChecklistItem.status == m.ItemStatus.OPEN, m.ChecklistItem.due_on.is_not(None))
            .order_by(m.ChecklistItem.due_on)
        )
        owed = []
        clauses = []
        if user.acts_for_country_id:
            co_chaired = sa.select(m.SessionRole.session_id).where(
                m.SessionRole.kind == m.RoleKind.CO_CHAIR, m.SessionRole.country_id == user.acts_for_country_id
            )
            clauses.append(
                sa.and_(m.ChecklistItem.owner_role == m.OwnerRole.CO_CHAIRS, m.ChecklistItem.session_id.in_(co_chaired))
            )
        from forum.core.permissions import principal_of

        principal = principal_of(user)
        if principal.is_support_unit:
            clauses.append(m.ChecklistItem.owner_role == m.OwnerRole.SUPPORT_UNIT)
        if principal.chair_cycle_ids:
            chair_sessions = (
                sa.select(m.RoundtableSession.id)
                .join(m.Roundtable, m.Roundtable.id == m.RoundtableSession.roundtable_id)
                .where(m.Roundtable.cycle_id.in_(principal.chair_cycle_ids))
            )
            clauses.append(
                sa.and_(
                    m.ChecklistItem.owner_role == m.OwnerRole.CHAIR_TEAM, m.ChecklistItem.session_id.in_(chair_sessions)
                )
            )
        if not clauses:
            return []
        for item in db.session.scalars(stmt.where(sa.or_(*clauses))).unique():
            owed.append(
                Task(
                    self.label,
                    f"{item.session.reference}: {item.title}",
                    item.due_on,
                    _url("roundtables.checklist_item_detail", checklist_item_id=item.id),
                )
            )
        return owed


# ---------------------------------------------------------------------- Platform for Partnerships screening


def body_member_accounts(body_id: int | None) -> list[User]:
    """Accounts of a body's current members: the people sitting on it and the focal points of its governments."""
    if body_id is None:
        return []
    rows = db.session.execute(
        sa.select(Membership.member_kind, Membership.person_id, Membership.country_id).where(
            Membership.body_id == body_id, Membership.active_on(today())
        )
    ).all()
    people = [r.person_id for r in rows if r.member_kind == MemberKind.PERSON]
    governments = [r.country_id for r in rows if r.member_kind == MemberKind.GOVERNMENT]
    return _unique(person_accounts(people) + government_accounts(governments))


@register
class PartnershipWaitingKind(ReminderKind):
    """A PfP submission waiting for screening (since it was submitted) or for the reviewing body's decision
    (since it was routed); the due date is the day the wait began, so "+14 days" means waiting for two weeks."""

    key = "pfp_waiting"
    label = _l("Partnership submissions waiting for screening or review")
    subject_type = "pfp_project"
    roles: ClassVar[dict[str, Any]] = {
        "support_unit": _l("The Support Unit"),
        "reviewing_body": _l("The members of the reviewing body"),
    }
    extra_placeholders: ClassVar[dict[str, Any]] = {
        "reference": _l("the project's reference, e.g. PfP-0007"),
        "state": _l("where it waits (screening or review)"),
    }
    defaults = (
        DefaultRule(
            name="PfP: waiting for two weeks, then weekly",
            offset_days=14,
            repeat_days=7,
            roles="support_unit reviewing_body",
            subject="{reference} has waited {days_overdue} days: {title}",
            body=(
                'Dear {recipient_name},\n\nThe partnership submission {reference} "{title}" has been waiting for '
                "{state} since {due_date} ({days_overdue} days).\n\n{link}"
            ),
        ),
    )

    def _models(self):
        from forum.partnerships import models

        return models

    def _waiting(self) -> tuple:
        s = self._models().ProjectState
        return (s.SUBMITTED, s.IN_SCREENING), (s.UNDER_REVIEW,)

    def due_on(self, obj: Any) -> date | None:
        screening, review = self._waiting()
        moment = obj.submitted_at if obj.state in screening else obj.routed_at if obj.state in review else None
        return moment.date() if moment else None

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        project = self._models().PartnershipProject
        screening, review = self._waiting()
        rows = db.session.scalars(sa.select(project).where(project.state.in_(screening + review)))
        return [(p.id, self.due_on(p)) for p in rows if self.due_on(p)]

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        project = self._models().PartnershipProject
        return {p.id: p for p in db.session.scalars(sa.select(project).where(project.id.in_(set(ids))))}

    def is_open(self, obj: Any) -> bool:
        return self.due_on(obj) is not None

    def recipients(self, obj: Any, role: str) -> list[User]:
        if role == "support_unit":
            return body_accounts(BodyKind.SUPPORT_UNIT)
        if role == "reviewing_body" and obj.state in self._waiting()[1]:
            return body_member_accounts(obj.reviewing_body_id)
        return []

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        in_review = obj.state in self._waiting()[1]
        return {
            "title": obj.title,
            "reference": obj.reference,
            "state": "the reviewing body's decision" if in_review else "screening",
            "link": _url("partnerships.project_detail", project_id=obj.id),
        }

    def owed_by(self, user: User) -> list[Task]:
        from forum.core.permissions import principal_of

        project = self._models().PartnershipProject
        screening, review = self._waiting()
        principal = principal_of(user)
        clauses = []
        if principal.is_support_unit:
            clauses.append(project.state.in_(screening))
        if principal.body_ids:
            clauses.append(sa.and_(project.state.in_(review), project.reviewing_body_id.in_(principal.body_ids)))
        if not clauses:
            return []
        rows = db.session.scalars(sa.select(project).where(sa.or_(*clauses)).order_by(project.id))
        return [
            Task(
                self.label,
                f"{p.reference}: {p.title}",
                self.due_on(p),
                _url("partnerships.project_detail", project_id=p.id),
            )
            for p in rows
        ]


@register
class PartnershipReportKind(ReminderKind):
    """A progress report an accepted, published PfP project owes, due on the date its schedule gives (set at
    acceptance: every so many months from publication, moved on by each report, ended by a final one)."""

    key = "pfp_report"
    label = _l("Partnership progress reports due or late")
    subject_type = "pfp_project"
    roles: ClassVar[dict[str, Any]] = {
        "proposers": _l("The proposing governments' focal points"),
        "support_unit": _l("The Support Unit"),
    }
    extra_placeholders: ClassVar[dict[str, Any]] = {
        "reference": _l("the project's reference, e.g. PfP-0007"),
        "every": _l("the reporting interval in months"),
    }
    defaults = (
        DefaultRule(
            name="PfP report: due in 14 days",
            offset_days=-14,
            repeat_days=None,
            roles="proposers",
            subject="Progress report due on {due_date}: {title}",
            body=(
                'Dear {recipient_name},\n\nThe progress report of {reference} "{title}" is due on {due_date}, in '
                "{days_left} days (the project reports every {every} months).\n\nSubmit it on the project page: {link}"
            ),
        ),
        DefaultRule(
            name="PfP report: late, every two weeks",
            offset_days=1,
            repeat_days=14,
            roles="proposers support_unit",
            subject="Late progress report: {reference} {title}",
            body=(
                'Dear {recipient_name},\n\nThe progress report of {reference} "{title}" was due on {due_date} and '
                "is {days_overdue} days late.\n\nSubmit it on the project page: {link}"
            ),
            is_mandatory=True,
        ),
    )

    def _open_stmt(self):
        from forum.partnerships.models import PartnershipProject, ProjectState

        return sa.select(PartnershipProject).where(
            PartnershipProject.state == ProjectState.ACCEPTED,
            PartnershipProject.published_at.is_not(None),
            PartnershipProject.next_report_due_on.is_not(None),
        )

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        return [(p.id, p.next_report_due_on) for p in db.session.scalars(self._open_stmt())]

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        from forum.partnerships.models import PartnershipProject

        rows = db.session.scalars(
            sa.select(PartnershipProject)
            .where(PartnershipProject.id.in_(set(ids)))
            .options(sa.orm.selectinload(PartnershipProject.proposers))
        )
        return {p.id: p for p in rows}

    def is_open(self, obj: Any) -> bool:
        return obj.is_published and obj.next_report_due_on is not None

    def due_on(self, obj: Any) -> date | None:
        return obj.next_report_due_on

    def recipients(self, obj: Any, role: str) -> list[User]:
        if role == "proposers":
            return government_accounts(obj.proposer_country_ids)
        if role == "support_unit":
            return body_accounts(BodyKind.SUPPORT_UNIT)
        return []

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        return {
            "title": obj.title,
            "reference": obj.reference,
            "every": str(obj.report_every_months or ""),
            "link": _url("partnerships.project_detail", project_id=obj.id) + "#reports",
        }

    def owed_by(self, user: User) -> list[Task]:
        from forum.partnerships.models import PartnershipProject, ProjectProposer

        if not user.acts_for_country_id:
            return []
        proposed = sa.select(ProjectProposer.project_id).where(ProjectProposer.country_id == user.acts_for_country_id)
        rows = db.session.scalars(
            self._open_stmt()
            .where(PartnershipProject.id.in_(proposed))
            .order_by(PartnershipProject.next_report_due_on, PartnershipProject.id)
            .limit(100)
        )
        return [
            Task(
                self.label,
                f"Progress report: {p.reference} {p.title}",
                p.next_report_due_on,
                _url("partnerships.project_detail", project_id=p.id) + "#reports",
            )
            for p in rows
        ]
