"""Meeting services: scheduling, the status workflow, invitees, agendas, replies, attendance and minutes.

Times come in as the venue's wall-clock time plus its IANA zone and are stored in UTC; the zone is kept, so the
meeting reads in local time wherever it is shown, and a moved meeting raises its calendar sequence.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.core.audit import AuditVerb, apply_changes, record, snapshot
from forum.core.dates import in_zone, is_valid_timezone, utcnow
from forum.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.i18n import lazy_gettext as _l
from forum.core.outbox import queue_mail
from forum.core.pagination import Page, paginate
from forum.core.permissions import Action, Principal, principal_of, require
from forum.core.workflow import Transition, Workflow
from forum.directory.models import Country, Organisation, Person, User
from forum.extensions import db
from forum.meetings.models import (
    REPLY_LABELS,
    AgendaItem,
    AgendaStatus,
    CalendarFeed,
    Decision,
    Invitation,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    ProgrammeRole,
    Reply,
)
from forum.structure.models import Body, ForumCycle, MemberKind, Track
from forum.structure.services import members_on

S = MeetingStatus

MEETING_WORKFLOW = Workflow(
    state_field="status",
    transitions={
        "send_invitations": Transition(
            "send_invitations", frozenset({S.PLANNED}), S.INVITATIONS_SENT, Action.MEETING_EDIT, _l("send invitations")
        ),
        "hold": Transition(
            "hold", frozenset({S.PLANNED, S.INVITATIONS_SENT}), S.HELD, Action.MEETING_EDIT, _l("mark held")
        ),
        "postpone": Transition(
            "postpone", frozenset({S.PLANNED, S.INVITATIONS_SENT}), S.POSTPONED, Action.MEETING_EDIT, _l("postpone")
        ),
        "reschedule": Transition(
            "reschedule", frozenset({S.POSTPONED}), S.PLANNED, Action.MEETING_EDIT, _l("reschedule")
        ),
        "cancel": Transition(
            "cancel",
            frozenset({S.PLANNED, S.INVITATIONS_SENT, S.POSTPONED}),
            S.CANCELLED,
            Action.MEETING_EDIT,
            _l("cancel"),
        ),
    },
)

M = MinutesStatus
MINUTES_WORKFLOW = Workflow(
    state_field="minutes_status",
    transitions={
        "circulate": Transition("circulate", frozenset({M.DRAFT}), M.CIRCULATED, Action.MEETING_EDIT, _l("circulate")),
        "revise": Transition("revise", frozenset({M.CIRCULATED}), M.DRAFT, Action.MEETING_EDIT, _l("revise")),
        "finalise": Transition("finalise", frozenset({M.CIRCULATED}), M.FINAL, Action.MEETING_EDIT, _l("finalise")),
    },
)

MEETING_FIELDS = [
    "cycle_id",
    "body_id",
    "title",
    "kind",
    "track",
    "in_programme",
    "is_public",
    "is_date_estimated",
    "starts_at",
    "ends_at",
    "timezone",
    "city",
    "address",
    "room",
    "online_url",
    "description",
    "source",
]
#: a change to any of these moves the meeting in a subscribed calendar
WHEN_AND_WHERE = {"starts_at", "ends_at", "timezone", "city", "address", "room", "online_url", "title"}


# ---------------------------------------------------------------------------------------------------- reads


def is_invitee(p: Principal, meeting: Meeting) -> bool:
    """Whether the principal is invited in person or through the government they are focal point for."""
    if not p.is_authenticated:
        return False
    return db.session.scalar(sa.select(sa.exists().where(Invitation.meeting_id == meeting.id, _invited_clause(p))))


def _invited_clause(p: Principal):
    clauses = [Invitation.person_id == p.person_id]
    if p.focal_country_ids:
        clauses.append(Invitation.country_id.in_(p.focal_country_ids))
    return sa.or_(*clauses)


def _visible_clause(actor: Any):
    p = principal_of(actor)
    if p.is_support_unit:
        return sa.true()
    if not p.is_authenticated:
        return Meeting.is_public.is_(True)
    invited = sa.select(Invitation.meeting_id).where(_invited_clause(p))
    return sa.or_(Meeting.is_public.is_(True), Meeting.body_id.in_(p.body_ids), Meeting.id.in_(invited))


def meeting_list(
    actor: Any, *, cycle: ForumCycle | None = None, body: Body | None = None, page: int = 1
) -> Page:
    """The meetings the actor may see, soonest first, a page at a time."""
    stmt = (
        sa.select(Meeting)
        .options(joinedload(Meeting.body), joinedload(Meeting.cycle).joinedload(ForumCycle.chair_country))
        .where(_visible_clause(actor))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if cycle is not None:
        stmt = stmt.where(Meeting.cycle_id == cycle.id)
    if body is not None:
        stmt = stmt.where(Meeting.body_id == body.id)
    return paginate(stmt, page, 25)


def meeting_detail(actor: Any, meeting_id: int) -> Meeting:
    """One meeting with everything its page shows; 404 where the actor may not know it exists."""
    meeting = db.session.scalar(
        sa.select(Meeting)
        .options(
            joinedload(Meeting.body),
            joinedload(Meeting.cycle).joinedload(ForumCycle.chair_country),
            selectinload(Meeting.invitations).joinedload(Invitation.country),
            selectinload(Meeting.invitations).joinedload(Invitation.organisation),
            selectinload(Meeting.invitations).joinedload(Invitation.person),
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.roles),
            selectinload(Meeting.decisions),
        )
        .where(Meeting.id == meeting_id)
    )
    if meeting is None:
        raise NotFound()
    require(actor, Action.MEETING_VIEW, meeting, hide=True)
    return meeting


def public_calendar(*, cycle: ForumCycle | None = None, body: Body | None = None) -> list[Meeting]:
    """Public meetings for a calendar feed (never an internal one, whoever asks); a feed reads no relation."""
    stmt = sa.select(Meeting).where(Meeting.is_public.is_(True))
    if cycle is not None:
        stmt = stmt.where(Meeting.cycle_id == cycle.id)
    if body is not None:
        stmt = stmt.where(Meeting.body_id == body.id)
    return list(db.session.scalars(stmt.order_by(Meeting.starts_at, Meeting.id)))


@dataclass(frozen=True)
class ProgrammeDay:
    day: date
    sessions: list[Meeting]


def programme(cycle: ForumCycle) -> list[ProgrammeDay]:
    """The summit programme day by day, in the venue's local days; three queries whatever its size."""
    sessions = list(
        db.session.scalars(
            sa.select(Meeting)
            .options(selectinload(Meeting.roles), joinedload(Meeting.body))
            .where(Meeting.cycle_id == cycle.id, Meeting.in_programme.is_(True), Meeting.is_public.is_(True))
            .order_by(Meeting.starts_at, Meeting.track, Meeting.id)
        )
    )
    return [ProgrammeDay(day, list(group)) for day, group in groupby(sessions, key=lambda m: m.on)]


# ---------------------------------------------------------------------------------------------------- writes



def _to_utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _prepare(values: dict[str, Any]) -> dict[str, Any]:
    """Check what the form cannot and turn local wall-clock times into UTC instants."""
    errors: dict[str, str] = {}
    zone = (values.get("timezone") or "").strip()
    if not is_valid_timezone(zone):
        errors["timezone"] = _("Unknown time zone: give an IANA zone such as Europe/Zurich or America/Mexico_City.")
    if db.session.get(ForumCycle, values.get("cycle_id") or 0) is None:
        errors["cycle_id"] = _("Choose a cycle from the list.")
    if values.get("body_id") is not None and db.session.get(Body, values["body_id"]) is None:
        errors["body_id"] = _("Choose a body from the list.")
    starts, ends = values.pop("starts_local", None), values.pop("ends_local", None)
    if starts is None or ends is None:
        errors["starts_local"] = _("Give the start and the end.")
    elif ends <= starts:
        errors["ends_local"] = _("The meeting cannot end before it starts.")
    url = values.get("online_url") or ""
    if url and not url.startswith(("https://", "http://")):
        errors["online_url"] = _("An online link starts with https://.")
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the meeting a title.")
    if errors:
        raise ValidationFailed(errors)
    values["timezone"] = zone
    values["starts_at"] = _to_utc(starts, zone)
    values["ends_at"] = _to_utc(ends, zone)
    if values["ends_at"] <= values["starts_at"]:  # a local end after a DST jump can still fall before the start
        raise ValidationFailed({"ends_local": _("The meeting cannot end before it starts.")})
    for text in ("city", "address", "room", "online_url", "description", "source"):
        values[text] = (values.get(text) or "").strip()
    values["track"] = values.get("track") or Track.GOVERNMENT
    for flag in ("in_programme", "is_public", "is_date_estimated"):
        values[flag] = bool(values.get(flag))
    return {k: values.get(k) for k in MEETING_FIELDS}


def invitations_of(meeting: Meeting) -> list[Invitation]:
    """Read from the database, not the relationship: a service may run right after another one's commit."""
    return list(
        db.session.scalars(sa.select(Invitation).where(Invitation.meeting_id == meeting.id).order_by(Invitation.id))
    )


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
        )
    )


def _count(model: Any, meeting: Meeting) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)).where(model.meeting_id == meeting.id))


def _member_key(kind: MemberKind, ident: int) -> str:
    return f"{kind.value}:{ident}"


def _invite(meeting: Meeting, kind: MemberKind, ident: int, *, guest: bool, known: set[str]) -> Invitation | None:
    key = _member_key(kind, ident)
    if key in known:
        return None
    known.add(key)
    column = {MemberKind.GOVERNMENT: "country_id", MemberKind.ORGANISATION: "organisation_id"}.get(kind, "person_id")
    invitation = Invitation(meeting_id=meeting.id, member_kind=kind, member_key=key, is_guest=guest, **{column: ident})
    db.session.add(invitation)
    return invitation


def _invite_body_members(meeting: Meeting) -> int:
    """Invite whoever sits on the body on the meeting's (local) date: one who left the month before is not."""
    if meeting.body_id is None:
        return 0
    body = db.session.get(Body, meeting.body_id)
    known = {i.member_key for i in invitations_of(meeting)}
    added = 0
    for membership in members_on(body, meeting.on):
        ident = membership.country_id or membership.organisation_id or membership.person_id
        if _invite(meeting, membership.member_kind, ident, guest=False, known=known) is not None:
            added += 1
    db.session.flush()
    return added


def create_meeting(actor: Any, **values: Any) -> Meeting:
    """Schedule a meeting of a body or a summit session; the body's members on that date are invited."""
    require(actor, Action.MEETING_EDIT)
    meeting = Meeting(**_prepare(dict(values)))
    db.session.add(meeting)
    db.session.flush()
    _invite_body_members(meeting)
    record(actor, AuditVerb.CREATE, meeting, snapshot(meeting, MEETING_FIELDS))
    db.session.commit()
    return meeting


def update_meeting(actor: Any, meeting: Meeting, *, version_id: int | None, **values: Any) -> Meeting:
    """Change a meeting; a move in time or place raises its calendar sequence. A stale form is refused."""
    require(actor, Action.MEETING_EDIT, meeting)
    meeting.check_version(version_id)
    if meeting.status in (S.HELD, S.CANCELLED):
        raise InvalidTransition(_("A meeting that was held or cancelled can no longer be changed."))
    prepared = _prepare(dict(values))
    changes = apply_changes(meeting, prepared)
    if WHEN_AND_WHERE & changes.keys():
        meeting.sequence += 1
    if changes:
        record(actor, AuditVerb.UPDATE, meeting, changes)
    db.session.commit()
    return meeting


def change_status(actor: Any, meeting: Meeting, transition: str, *, comment: str = "") -> Meeting:
    """Fire a status transition; postponing keeps the dates (and the audit trail) until it is rescheduled."""
    MEETING_WORKFLOW.fire(actor, meeting, transition, comment=comment)
    if transition in ("postpone", "cancel", "reschedule"):
        meeting.sequence += 1  # subscribed calendars show the new state
    if transition == "send_invitations":
        _invite_body_members(meeting)
    db.session.commit()
    return meeting


def refresh_invitations(actor: Any, meeting: Meeting) -> int:
    """Invite the body's members on the meeting's date who are not invited yet (after a membership change)."""
    require(actor, Action.MEETING_EDIT, meeting)
    added = _invite_body_members(meeting)
    if added:
        record(actor, AuditVerb.UPDATE, meeting, {"invitations_added": [None, added]})
    db.session.commit()
    return added


def add_guest(actor: Any, meeting: Meeting, *, member_kind: MemberKind, member_id: int) -> Invitation:
    """Invite a government, organisation or person who is not a member of the body."""
    require(actor, Action.MEETING_EDIT, meeting)
    model = {MemberKind.GOVERNMENT: Country, MemberKind.ORGANISATION: Organisation, MemberKind.PERSON: Person}[
        member_kind
    ]
    if db.session.get(model, member_id) is None:
        raise ValidationFailed({"member_id": _("Choose an invitee from the list.")})
    known = {i.member_key for i in invitations_of(meeting)}
    invitation = _invite(meeting, member_kind, member_id, guest=True, known=known)
    if invitation is None:
        raise ValidationFailed({"member_id": _("This invitee is already invited.")})
    db.session.flush()
    record(actor, AuditVerb.CREATE, invitation, {"guest": [None, str(invitation.invitee)]})
    db.session.commit()
    return invitation


def reply_to_invitation(actor: Any, invitation: Invitation, *, reply: Reply, represented_by: str = "") -> Invitation:
    """An invitee answers: attending, not attending, or represented by someone named."""
    require(actor, Action.MEETING_VIEW, invitation.meeting, hide=True)
    require(actor, Action.MEETING_REPLY, invitation)
    if invitation.meeting.status in (S.HELD, S.CANCELLED):
        raise InvalidTransition(_("This meeting no longer takes replies."))
    represented_by = (represented_by or "").strip()
    if reply == Reply.REPRESENTED and not represented_by:
        raise ValidationFailed({"represented_by": _("Say who represents you.")})
    if reply != Reply.REPRESENTED:
        represented_by = ""
    changes = apply_changes(invitation, {"reply": reply, "represented_by": represented_by})
    if changes:
        record(actor, AuditVerb.UPDATE, invitation, changes)
    db.session.commit()
    return invitation


def record_attendance(
    actor: Any, meeting: Meeting, *, attended_ids: set[int], interventions: dict[int, int | None]
) -> Meeting:
    """The Support Unit records who actually attended and, for a session, each invitee's interventions."""
    require(actor, Action.MEETING_EDIT, meeting)
    if meeting.status != S.HELD:
        raise InvalidTransition(_("Attendance is recorded once the meeting is held."))
    if any(n is not None and n < 0 for n in interventions.values()):
        raise ValidationFailed({"": _("A number of interventions cannot be negative.")})
    changes: dict[str, list] = {}
    for invitation in invitations_of(meeting):
        count = interventions.get(invitation.id)
        diff = apply_changes(invitation, {"attended": invitation.id in attended_ids, "interventions": count})
        if diff:
            changes[str(invitation.invitee)] = diff
    total = sum(n for n in interventions.values() if n) or None
    changes.update(apply_changes(meeting, {"interventions": total}))
    if changes:
        record(actor, AuditVerb.UPDATE, meeting, changes, note="attendance")
    db.session.commit()
    return meeting


def attendance_export(actor: Any, meeting: Meeting) -> tuple[list[str], list[tuple]]:
    """The invitees table of the meeting page as rows: replies only for those signed in, attendance once held
    (the same columns the page shows this actor)."""
    signed_in = principal_of(actor).is_authenticated
    held = meeting.status == MeetingStatus.HELD
    header = ["invitee", "kind", "guest"]
    header += ["reply", "represented by"] if signed_in else []
    header += ["attended", "interventions"] if held else []
    rows = []
    for invitation in meeting.invitations:
        row: list[object] = [str(invitation.invitee), invitation.member_kind.value, invitation.is_guest]
        if signed_in:
            row += [str(REPLY_LABELS[invitation.reply]), invitation.represented_by]
        if held:
            row += [invitation.attended, invitation.interventions]
        rows.append(tuple(row))
    return header, rows


# ---------------------------------------------------------------------------------------------------- agenda


def _invitee_accounts(meeting: Meeting, *, attended_only: bool = False) -> list[User]:
    """The accounts reached by the meeting's invitations: the person, or whoever acts for the government or body."""
    invitations = [i for i in invitations_of(meeting) if not attended_only or i.attended]
    countries = {i.country_id for i in invitations if i.country_id}
    organisations = {i.organisation_id for i in invitations if i.organisation_id}
    people = {i.person_id for i in invitations if i.person_id}
    if not (countries or organisations or people):
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.is_active.is_(True))
            .where(
                sa.or_(
                    User.acts_for_country_id.in_(countries),
                    User.acts_for_organisation_id.in_(organisations),
                    User.person_id.in_(people),
                )
            )
            .order_by(User.id)
        )
    )


def _notify_agenda(meeting: Meeting, *, changed: bool) -> int:
    users = _invitee_accounts(meeting)
    items = _agenda(meeting)
    for user in users:
        queue_mail(user.email, "meeting_agenda", meeting=meeting, user=user, changed=changed, items=items)
    return len(users)


def _agenda_changed(actor: Any, meeting: Meeting, changes: dict[str, Any]) -> None:
    record(actor, AuditVerb.UPDATE, meeting, changes, note="agenda")
    if meeting.agenda_status == AgendaStatus.PUBLISHED:
        _notify_agenda(meeting, changed=True)


def _renumber(meeting: Meeting) -> None:
    for number, item in enumerate(_agenda(meeting), start=1):
        item.position = number


def add_agenda_item(actor: Any, meeting: Meeting, **values: Any) -> AgendaItem:
    """Append an item; the invitees hear of it if the agenda is already published."""
    require(actor, Action.MEETING_EDIT, meeting)
    title = (values.get("title") or "").strip()
    if not title:
        raise ValidationFailed({"title": _("Give the item a title.")})
    url = (values.get("document_url") or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise ValidationFailed({"document_url": _("A document link starts with https://.")})
    minutes = values.get("minutes_allotted")
    if minutes is not None and minutes <= 0:
        raise ValidationFailed({"minutes_allotted": _("Give the time in minutes, more than zero.")})
    item = AgendaItem(
        meeting_id=meeting.id,
        position=_count(AgendaItem, meeting) + 1,
        title=title,
        presenter=(values.get("presenter") or "").strip(),
        minutes_allotted=minutes,
        document_title=(values.get("document_title") or "").strip(),
        document_url=url,
    )
    db.session.add(item)
    db.session.flush()
    _agenda_changed(actor, meeting, {"added": [None, str(item)]})
    db.session.commit()
    return item


def move_agenda_item(actor: Any, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    meeting = item.meeting
    require(actor, Action.MEETING_EDIT, meeting)
    items = _agenda(meeting)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        raise InvalidTransition(_("This item cannot move further."))
    items[index], items[other] = items[other], items[index]
    for number, each in enumerate(items, start=1):
        each.position = number
    _agenda_changed(actor, meeting, {"moved": [index + 1, other + 1], "item": [None, item.title]})
    db.session.commit()
    return item


def remove_agenda_item(actor: Any, item: AgendaItem) -> None:
    meeting = item.meeting
    require(actor, Action.MEETING_EDIT, meeting)
    title = item.title
    db.session.delete(item)
    db.session.flush()
    _renumber(meeting)
    _agenda_changed(actor, meeting, {"removed": [title, None]})
    db.session.commit()


def publish_agenda(actor: Any, meeting: Meeting) -> int:
    """Publish the draft agenda: the invitees' accounts get it by mail. Returns how many mails were queued."""
    require(actor, Action.MEETING_EDIT, meeting)
    if meeting.agenda_status == AgendaStatus.PUBLISHED:
        raise InvalidTransition(_("The agenda is already published."))
    if not _count(AgendaItem, meeting):
        raise ValidationFailed({"": _("An empty agenda cannot be published.")})
    meeting.agenda_status = AgendaStatus.PUBLISHED
    record(actor, AuditVerb.TRANSITION, meeting, {"agenda_status": ["draft", "published"]})
    sent = _notify_agenda(meeting, changed=False)
    db.session.commit()
    return sent


# ---------------------------------------------------------------------------------------------------- minutes


def save_minutes(actor: Any, meeting: Meeting, *, text: str) -> Meeting:
    """Write or revise the minutes while they are a draft."""
    require(actor, Action.MEETING_EDIT, meeting)
    if meeting.minutes_status in (M.CIRCULATED, M.FINAL):
        raise InvalidTransition(_("Circulated or final minutes cannot be edited; revise them first."))
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"text": _("The minutes are empty.")})
    changes = apply_changes(meeting, {"minutes_text": text, "minutes_status": M.DRAFT})
    if changes:
        record(actor, AuditVerb.UPDATE, meeting, {"minutes_status": changes.get("minutes_status")}, note="minutes")
    db.session.commit()
    return meeting


def change_minutes(actor: Any, meeting: Meeting, transition: str) -> Meeting:
    """Circulate the minutes to the attendees for comments, take them back, or make them final."""
    MINUTES_WORKFLOW.fire(actor, meeting, transition)
    if transition == "circulate":
        for user in _invitee_accounts(meeting, attended_only=True):
            queue_mail(user.email, "meeting_minutes", meeting=meeting, user=user)
    db.session.commit()
    return meeting


def can_read_minutes(actor: Any, meeting: Meeting) -> bool:
    """Final minutes for whoever sees the meeting; circulated ones for the attendees and the Support Unit."""
    p = principal_of(actor)
    if p.is_support_unit:
        return meeting.minutes_status != M.NONE
    if meeting.minutes_status == M.FINAL:
        return True
    if meeting.minutes_status == M.CIRCULATED and p.is_authenticated:
        return any(
            i.attended and (i.person_id == p.person_id or i.country_id in p.focal_country_ids)
            for i in meeting.invitations
        )
    return False


def add_decision(actor: Any, meeting: Meeting, *, text: str, link_title: str = "", link_url: str = "") -> Decision:
    """List a decision of the meeting on its own, optionally linked to what it decided."""
    require(actor, Action.MEETING_EDIT, meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"text": _("Write the decision.")})
    if link_url and not link_url.startswith(("https://", "http://", "/")):
        raise ValidationFailed({"link_url": _("A link starts with https:// or /.")})
    decision = Decision(
        meeting_id=meeting.id,
        position=_count(Decision, meeting) + 1,
        text=text,
        link_title=link_title,
        link_url=link_url,
    )
    db.session.add(decision)
    db.session.flush()
    record(actor, AuditVerb.CREATE, decision, {"text": [None, text]})
    db.session.commit()
    return decision


def add_programme_role(actor: Any, meeting: Meeting, *, kind: Any, label: str) -> ProgrammeRole:
    """Name a chair, moderator, panellist… of a programme session."""
    require(actor, Action.MEETING_EDIT, meeting)
    label = (label or "").strip()
    if not label:
        raise ValidationFailed({"label": _("Give the name as the programme prints it.")})
    role = ProgrammeRole(meeting_id=meeting.id, kind=kind, label=label, position=_count(ProgrammeRole, meeting) + 1)
    db.session.add(role)
    db.session.flush()
    record(actor, AuditVerb.UPDATE, meeting, {"programme_role": [None, f"{kind.value}: {label}"]})
    db.session.commit()
    return role


def local_times(meeting: Meeting, zone: str | None = None) -> tuple[datetime, datetime]:
    zone = zone or meeting.timezone
    return in_zone(meeting.starts_at, zone), in_zone(meeting.ends_at, zone)


# ---------------------------------------------------------------------------------------------------- personal feed


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_personal_feed(actor: Any) -> str:
    """Give the user a new secret feed address (the old one stops working); returns the token, shown once."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) is None:
        raise PermissionDenied()
    token = secrets.token_urlsafe(32)
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == actor.id))
    if feed is None:
        feed = CalendarFeed(user_id=actor.id, token_hash=_hash(token))
        db.session.add(feed)
    else:
        feed.token_hash = _hash(token)
        feed.created_at = utcnow()
    record(actor, AuditVerb.UPDATE, actor, {"calendar_feed": [None, "reset"]})
    db.session.commit()
    return token


def has_personal_feed(actor: Any) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(CalendarFeed.user_id == actor.id)))


def personal_feed(token: str) -> tuple[User, list[Meeting]]:
    """The meetings the feed's owner is invited to (internal ones included: the address is theirs alone)."""
    user = db.session.scalar(
        sa.select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == _hash(token))
    )
    if user is None or not user.is_active:
        raise NotFound()
    p = principal_of(user)
    clauses = [_invited_clause(p)] if p.is_authenticated else []
    if user.acts_for_country_id:
        clauses.append(Invitation.country_id == user.acts_for_country_id)
    invited = sa.select(Invitation.meeting_id).where(sa.or_(Invitation.person_id == user.person_id, *clauses))
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.id.in_(invited)).order_by(Meeting.starts_at, Meeting.id)
    )
    return user, list(meetings)
