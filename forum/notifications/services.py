"""Reminders: plan scheduled notifications from rules, sweep the due ones into the outbox exactly once, digests,
preferences, the in-app list, "my tasks", and the Support Unit's rules and outbox controls."""

from __future__ import annotations

import string
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import with_expression

from forum.core import outbox
from forum.core.audit import AuditVerb, apply_changes, record
from forum.core.dates import is_valid_timezone, utcnow
from forum.core.errors import NotFound, StaleObject, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.outbox import MailMessage, MailStatus, queue_mail
from forum.core.pagination import Page, paginate
from forum.core.permissions import Action, require
from forum.core.statements import built_once
from forum.directory.models import User
from forum.extensions import db
from forum.notifications.kinds import KINDS, ReminderKind, Task
from forum.notifications.models import (
    Channel,
    DeliveryMode,
    Digest,
    Notification,
    NotificationPreference,
    PlanStatus,
    ReminderRule,
    ScheduledNotification,
)

#: the local hour at which digests go out (daily, and on Mondays for the weekly one)
DIGEST_HOUR = 8
_FORMATTER = string.Formatter()


# ------------------------------------------------------------------------------------------- templates


def template_error(text: str, allowed: dict[str, Any]) -> str | None:
    """Why a message template is refused, or None. Only plain {name} placeholders of the kind are allowed:
    no attribute or index lookups, no conversions or format specs, so rendering cannot reach beyond the values."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError:
        return _("A brace is not closed. Write {{ and }} for a literal brace.")
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in allowed:
            return _(
                "Unknown placeholder {%(name)s}. Available: %(names)s.",
                name=field,
                names=", ".join("{" + n + "}" for n in allowed),
            )
        if spec or conversion:
            return _("The placeholder {%(name)s} takes no format or conversion.", name=field)
    return None


def render_text(text: str, values: dict[str, str]) -> str:
    """Fill a template already checked by template_error; values are plain strings."""
    return text.format_map(values)


# ----------------------------------------------------------------------------------------- occurrences


def period_for(rule: ReminderRule, due_on: date, local_today: date) -> date | None:
    """The occurrence a recipient whose day is `local_today` is owed: the reminder day, then every repeat day
    after the due date while the object stays open. Missed occurrences collapse into the latest one."""
    first = due_on + timedelta(days=rule.offset_days)
    if local_today < first:
        return None
    latest = first
    if rule.repeat_days and local_today > due_on:
        repeats = (local_today - due_on).days // rule.repeat_days
        if repeats >= 1:
            latest = max(latest, due_on + timedelta(days=repeats * rule.repeat_days))
    return latest


def next_occurrence(rule: ReminderRule, due_on: date, on_or_after: date) -> date | None:
    first = due_on + timedelta(days=rule.offset_days)
    if first >= on_or_after:
        return first
    if not rule.repeat_days:
        return None
    repeats = max(1, -(-(on_or_after - due_on).days // rule.repeat_days))
    candidate = due_on + timedelta(days=repeats * rule.repeat_days)
    while candidate <= first:
        candidate += timedelta(days=rule.repeat_days)
    return candidate


def _first_plan(rule: ReminderRule, due_on: date, day: date, *, reminded: bool) -> date | None:
    """When a newly planned (or re-planned) notification fires next. One whose day passed before it was planned
    still goes out once, now, if the object is not yet due and nobody was reminded of it."""
    upcoming = next_occurrence(rule, due_on, day - timedelta(days=1))
    if upcoming is None and not reminded and day <= due_on:
        return day
    return upcoming


# ------------------------------------------------------------------------------------------------ plan


def plan(now: datetime | None = None) -> int:
    """Create scheduled notifications for newly due objects, re-plan those whose due date moved (only what has
    not been sent: sent periods keep their rows and keys) and close those whose object is done."""
    day = (now or utcnow()).date()
    changed = 0
    rules = db.session.scalars(sa.select(ReminderRule).where(ReminderRule.is_active.is_(True))).all()
    subjects_by_kind: dict[str, dict[int, date]] = {}
    for rule in rules:
        kind = KINDS.get(rule.kind)
        if kind is None:
            continue
        if rule.kind not in subjects_by_kind:
            subjects_by_kind[rule.kind] = dict(kind.open_subjects())
        subjects = subjects_by_kind[rule.kind]
        existing = {
            s.subject_id: s
            for s in db.session.scalars(
                sa.select(ScheduledNotification).where(
                    ScheduledNotification.rule_id == rule.id, ScheduledNotification.subject_type == kind.subject_type
                )
            )
        }
        for subject_id, due_on in subjects.items():
            scheduled = existing.get(subject_id)
            if scheduled is None:
                changed += _plan_new(rule, kind, subject_id, due_on, day)
            elif scheduled.due_on != due_on:
                _replan(scheduled, due_on, day)
                changed += 1
        for subject_id, scheduled in existing.items():
            if subject_id not in subjects and scheduled.status == PlanStatus.PENDING:
                scheduled.status, scheduled.next_on = PlanStatus.FINISHED, None
                changed += 1
    db.session.commit()
    return changed


def _plan_new(rule: ReminderRule, kind: ReminderKind, subject_id: int, due_on: date, day: date) -> int:
    next_on = _first_plan(rule, due_on, day, reminded=False)
    try:
        with db.session.begin_nested():  # a concurrent plan() may insert the same (rule, subject) first
            db.session.add(
                ScheduledNotification(
                    rule_id=rule.id,
                    subject_type=kind.subject_type,
                    subject_id=subject_id,
                    due_on=due_on,
                    next_on=next_on,
                    status=PlanStatus.PENDING if next_on else PlanStatus.FINISHED,
                )
            )
    except IntegrityError:
        return 0
    return 1


def _replan(scheduled: ScheduledNotification, due_on: date, day: date) -> None:
    reminded = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.scheduled_id == scheduled.id)
    )
    scheduled.due_on = due_on
    scheduled.next_on = _first_plan(scheduled.rule, due_on, day, reminded=bool(reminded))
    scheduled.status = PlanStatus.PENDING if scheduled.next_on else PlanStatus.FINISHED


# ----------------------------------------------------------------------------------------------- sweep


@contextmanager
def _link_context():
    """Links in mail are absolute; a Celery worker has no request, so lend it one on the configured base URL."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        yield


def sweep(now: datetime | None = None, *, limit: int = 2000) -> int:
    """Plan, then turn every due scheduled notification into one in-app notification and one e-mail (or digest
    entry) per recipient and period. The unique key refuses what a concurrent sweep already wrote."""
    now = now or utcnow()
    plan(now)
    day = now.date()
    rows = db.session.scalars(
        sa.select(ScheduledNotification)
        .join(ReminderRule, ReminderRule.id == ScheduledNotification.rule_id)
        .where(ScheduledNotification.status == PlanStatus.PENDING, ReminderRule.is_active.is_(True))
        # the first zones to reach a day are a day ahead of UTC
        .where(ScheduledNotification.next_on <= day + timedelta(days=1))
        .options(sa.orm.contains_eager(ScheduledNotification.rule))
        .order_by(ScheduledNotification.id)
        .limit(limit)
    ).all()
    by_kind: dict[str, list[ScheduledNotification]] = defaultdict(list)
    for scheduled in rows:
        by_kind[scheduled.rule.kind].append(scheduled)
    created = 0
    modes: dict[tuple[int, str], DeliveryMode] = {}
    with _link_context():
        for kind_key, group in by_kind.items():
            kind = KINDS.get(kind_key)
            if kind is None:  # a kind no longer in the code: its rows wait rather than break the sweep
                continue
            objects = kind.load(s.subject_id for s in group)
            for scheduled in group:
                created += _sweep_one(scheduled, kind, objects.get(scheduled.subject_id), now, modes)
    db.session.commit()
    return created


def _sweep_one(scheduled: ScheduledNotification, kind: ReminderKind, obj: Any, now: datetime, modes: dict) -> int:
    if obj is None or not kind.is_open(obj):  # done, dropped or deleted: the reminders stop
        scheduled.status, scheduled.next_on = PlanStatus.FINISHED, None
        return 0
    rule, day = scheduled.rule, now.date()
    due_on = kind.due_on(obj)
    if due_on != scheduled.due_on:
        _replan(scheduled, due_on, day)
        if scheduled.next_on is None or scheduled.next_on > day + timedelta(days=1):
            return 0
    already = _already_notified(scheduled.id)
    recipients: dict[int, User] = {}
    for role in rule.roles:
        for user in kind.recipients(obj, role):
            recipients.setdefault(user.id, user)
    created = 0
    for user in recipients.values():
        local_today = now.astimezone(_zone(user.timezone)).date()
        period = period_for(rule, due_on, local_today)
        if period is None or (user.id, period) in already:
            continue
        created += _notify(scheduled, kind, obj, user, period, local_today, modes)
    scheduled.next_on = next_occurrence(rule, due_on, day)
    if scheduled.next_on is None:
        scheduled.status = PlanStatus.FINISHED
    return created


def _already_notified(scheduled_id: int) -> set[tuple[int, date]]:
    """(user, period) pairs this scheduled notification has reached: a cheap pre-check, not the guarantee (a
    concurrent sweep may commit right after this read; the unique key then refuses its twin)."""
    return set(
        db.session.execute(
            sa.select(Notification.user_id, Notification.period).where(
                Notification.scheduled_id == scheduled_id, Notification.channel == Channel.IN_APP
            )
        )
    )


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name if is_valid_timezone(name) else "UTC")


def message_values(kind: ReminderKind, obj: Any, user: User | None, local_today: date) -> dict[str, str]:
    due_on = kind.due_on(obj)
    return {
        **{name: "" for name in kind.placeholders},
        **kind.placeholders_for(obj),
        "recipient_name": user.person.name if user is not None else "",
        "due_date": due_on.isoformat() if due_on else "",
        "days_left": str((due_on - local_today).days) if due_on else "",
        "days_overdue": str(max(0, (local_today - due_on).days)) if due_on else "",
    }


def _notify(
    scheduled: ScheduledNotification,
    kind: ReminderKind,
    obj: Any,
    user: User,
    period: date,
    local_today: date,
    modes: dict,
) -> int:
    rule = scheduled.rule
    values = message_values(kind, obj, user, local_today)
    subject = render_text(rule.subject_template, values)[:300]
    body = render_text(rule.body_template, values)
    mode = _delivery_for(user, kind.key, rule.is_mandatory, modes)
    common = {
        "scheduled_id": scheduled.id,
        "user_id": user.id,
        "period": period,
        "kind": kind.key,
        "subject": subject,
        "body": body,
        "link": values.get("link", "")[:500],
    }
    try:
        with db.session.begin_nested():
            db.session.add(Notification(channel=Channel.IN_APP, **common))
            email = None
            if mode != DeliveryMode.OFF:
                email = Notification(channel=Channel.EMAIL, delivery=mode, **common)
                db.session.add(email)
            db.session.flush()  # the unique key speaks here, before any mail is queued
            if email is not None and mode == DeliveryMode.IMMEDIATE:
                message = queue_mail(
                    user.email,
                    "reminder",
                    subject=subject,
                    body=body,
                    link=common["link"],
                    preferences_url=preferences_url(user),
                )
                email.mail_message_id = message.id
    except IntegrityError:  # another sweep wrote this (scheduled, recipient, channel, period) first
        return 0
    return 1


def _delivery_for(user: User, kind: str, mandatory: bool, modes: dict) -> DeliveryMode:
    key = (user.id, kind)
    if key not in modes:
        modes[key] = (
            db.session.scalar(
                sa.select(NotificationPreference.delivery).where(
                    NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
                )
            )
            or DeliveryMode.IMMEDIATE
        )
    mode = modes[key]
    if mandatory and mode == DeliveryMode.OFF:
        return DeliveryMode.IMMEDIATE
    return mode


# --------------------------------------------------------------------------------------------- digests


def digest_period(mode: DeliveryMode, local: datetime) -> date | None:
    """The day (daily) or the week's Monday (weekly) a digest due at this local time belongs to, or None if
    this user's digest hour has not come yet."""
    if mode == DeliveryMode.DAILY:
        return local.date() if local.hour >= DIGEST_HOUR else None
    monday = local.date() - timedelta(days=local.weekday())
    if local.weekday() == 0 and local.hour < DIGEST_HOUR:
        return None
    return monday


def send_digests(now: datetime | None = None) -> int:
    """Group each user's waiting e-mail notifications into one digest mail, at most one per day or week."""
    now = now or utcnow()
    waiting = db.session.execute(
        sa.select(Notification.user_id, Notification.delivery)
        .where(
            Notification.channel == Channel.EMAIL,
            Notification.delivery.in_([DeliveryMode.DAILY, DeliveryMode.WEEKLY]),
            Notification.digest_id.is_(None),
        )
        .distinct()
    ).all()
    sent = 0
    with _link_context():
        for user_id, mode in waiting:
            user = db.session.get(User, user_id)
            period = digest_period(mode, now.astimezone(_zone(user.timezone)))
            if period is not None and user.is_active:
                sent += _send_digest(user, mode, period)
    db.session.commit()
    return sent


def _send_digest(user: User, mode: DeliveryMode, period: date) -> int:
    try:
        with db.session.begin_nested():
            digest = Digest(user_id=user.id, frequency=mode, period=period)
            db.session.add(digest)
            db.session.flush()
    except IntegrityError:  # this period's digest went out already (or a concurrent run is sending it)
        return 0
    db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.channel == Channel.EMAIL,
            Notification.delivery == mode,
            Notification.digest_id.is_(None),
        )
        .values(digest_id=digest.id)
    )
    items = db.session.scalars(
        sa.select(Notification).where(Notification.digest_id == digest.id).order_by(Notification.created_at)
    ).all()
    if not items:
        db.session.delete(digest)
        return 0
    message = queue_mail(
        user.email,
        "reminder_digest",
        user=user,
        items=items,
        weekly=mode == DeliveryMode.WEEKLY,
        period=period,
        preferences_url=preferences_url(user),
    )
    digest.mail_message_id = message.id
    return 1


# ----------------------------------------------------------------------------------------- preferences


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notification-preferences")


def preferences_url(user: User) -> str:
    """A link that opens this user's settings without signing in; it names the user, so it opens no one else's."""
    return url_for("notifications.preferences_by_token", token=_serializer().dumps(user.id), _external=True)


def user_from_token(token: str) -> User:
    try:
        user_id = _serializer().loads(token)
    except BadSignature as exc:
        raise NotFound() from exc
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active:
        raise NotFound()
    return user


def mandatory_kinds() -> set[str]:
    return set(
        db.session.scalars(
            sa.select(ReminderRule.kind)
            .where(ReminderRule.is_mandatory.is_(True), ReminderRule.is_active.is_(True))
            .distinct()
        )
    )


def preferences_of(actor: Any, user: User) -> dict[str, DeliveryMode]:
    require(actor, Action.NOTIFICATION_PREFERENCES_EDIT, user, hide=True)
    chosen = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {key: chosen.get(key, DeliveryMode.IMMEDIATE) for key in KINDS}


def save_preferences(actor: Any, user: User, *, choices: dict[str, DeliveryMode], timezone: str) -> None:
    """Save how `user` wants each kind of reminder and their time zone; mandatory kinds cannot be off."""
    require(actor, Action.NOTIFICATION_PREFERENCES_EDIT, user, hide=True)
    errors = {}
    if not is_valid_timezone(timezone):
        errors["timezone"] = _("Choose a time zone from the list, such as Europe/Geneva.")
    mandatory = mandatory_kinds()
    for key, mode in choices.items():
        if key not in KINDS:
            errors[""] = _("Unknown kind of reminder.")
        elif mode == DeliveryMode.OFF and key in mandatory:
            errors[f"kind_{key}"] = _("The Support Unit has made these reminders mandatory; they cannot be turned off.")
    if errors:
        raise ValidationFailed(errors)
    existing = {
        p.kind: p
        for p in db.session.scalars(sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    before = {k: p.delivery.value for k, p in existing.items()}
    for key, mode in choices.items():
        if key in existing:
            existing[key].delivery = mode
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=key, delivery=mode))
    changes = {k: [before.get(k), m.value] for k, m in choices.items() if before.get(k, "immediate") != m.value}
    if user.timezone != timezone:
        changes["timezone"] = [user.timezone, timezone]
        user.timezone = timezone
    if changes:
        record(actor, AuditVerb.UPDATE, user, changes, note="notification preferences")
    db.session.commit()


# --------------------------------------------------------------------------------- in-app list and tasks


def inbox_page(actor: Any, *, page: int, unread_only: bool = False) -> Page:
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == actor.id, Notification.channel == Channel.IN_APP)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return paginate(stmt, page, 30)


def _unread(user_id: Any) -> sa.Select:
    return sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.channel == Channel.IN_APP, Notification.read_at.is_(None)
    )


@built_once
def user_with_unread_count() -> sa.Select:
    """The signed-in user (by the `user_id` parameter) with the unread count in the same query, built once."""
    return (
        sa.select(User)
        .options(with_expression(User.unread_notifications, _unread(User.id).scalar_subquery()))
        .where(User.id == sa.bindparam("user_id", type_=sa.Integer))
    )


def unread_count(user: Any) -> int:
    """The badge in the navigation bar: read with the signed-in user, else one query."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "id", None) is None:
        return 0
    loaded = getattr(user, "unread_notifications", None)
    if loaded is not None:
        return loaded
    return db.session.scalar(_unread(user.id)) or 0


def mark_read(actor: Any, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.channel != Channel.IN_APP:
        raise NotFound()
    require(actor, Action.NOTIFICATION_READ, notification, hide=True)
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.commit()
    return notification


def mark_all_read(actor: Any) -> int:
    done = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == actor.id, Notification.channel == Channel.IN_APP, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    ).rowcount
    db.session.commit()
    return done


def my_tasks(actor: Any) -> list[Task]:
    """Everything the user owes, from the same kinds the reminders come from, earliest due first."""
    with _link_context():
        tasks = [task for kind in KINDS.values() for task in kind.owed_by(actor)]
    return sorted(tasks, key=lambda t: (t.due_on or date.max, t.title))


# --------------------------------------------------------------------------------------- reminder rules


def rule_list(actor: Any) -> list[ReminderRule]:
    require(actor, Action.REMINDER_RULE_EDIT)
    return list(db.session.scalars(sa.select(ReminderRule).order_by(ReminderRule.kind, ReminderRule.offset_days)))


def get_rule(actor: Any, rule_id: int) -> ReminderRule:
    require(actor, Action.REMINDER_RULE_EDIT)
    rule = db.session.get(ReminderRule, rule_id)
    if rule is None:
        raise NotFound()
    return rule


RULE_FIELDS = (
    "kind",
    "name",
    "offset_days",
    "repeat_days",
    "recipient_roles",
    "subject_template",
    "body_template",
    "is_mandatory",
    "is_active",
)


def _check_rule(values: dict[str, Any]) -> ReminderKind:
    kind = KINDS.get(values["kind"])
    if kind is None:
        raise ValidationFailed({"kind": _("Choose a kind of reminder from the list.")})
    errors = {}
    roles = values["recipient_roles"].split()
    if not roles:
        errors["recipient_roles"] = _("Choose at least one group of recipients.")
    elif set(roles) - set(kind.roles):
        errors["recipient_roles"] = _(
            "These recipients do not exist for this kind: %(roles)s.",
            roles=", ".join(sorted(set(roles) - set(kind.roles))),
        )
    for field in ("subject_template", "body_template"):
        problem = template_error(values[field], kind.placeholders)
        if problem:
            errors[field] = problem
    if errors:
        raise ValidationFailed(errors)
    return kind


@dataclass
class Preview:
    subject: str
    body: str
    example: str
    recipients: list[str]


def preview_rule(actor: Any, **values: Any) -> Preview:
    """Render the rule's message with a real open object of its kind (or say there is none), saving nothing."""
    require(actor, Action.REMINDER_RULE_EDIT)
    kind = _check_rule(values)
    subjects = list(kind.open_subjects())[:1]
    with _link_context():
        obj = kind.load([subjects[0][0]]).get(subjects[0][0]) if subjects else None
        if obj is None:
            return Preview("", "", _("There is no open item of this kind to preview with."), [])
        people = {u.id: u for role in values["recipient_roles"].split() for u in kind.recipients(obj, role)}
        first = next(iter(people.values()), None)
        local_today = utcnow().astimezone(_zone(first.timezone if first else "UTC")).date()
        data = message_values(kind, obj, first or actor, local_today)
    return Preview(
        subject=render_text(values["subject_template"], data),
        body=render_text(values["body_template"], data),
        example=str(obj),
        recipients=[f"{u.person.name} <{u.email}>" for u in people.values()],
    )


def create_rule(actor: Any, **values: Any) -> ReminderRule:
    require(actor, Action.REMINDER_RULE_EDIT)
    _check_rule(values)
    rule = ReminderRule(**{k: values[k] for k in RULE_FIELDS})
    db.session.add(rule)
    db.session.flush()
    record(actor, AuditVerb.CREATE, rule, {k: [None, values[k]] for k in RULE_FIELDS})
    db.session.commit()
    return rule


def update_rule(actor: Any, rule: ReminderRule, *, version_id: int | None, **values: Any) -> ReminderRule:
    """Change a rule; what it has not sent yet follows the new timing at the next sweep."""
    require(actor, Action.REMINDER_RULE_EDIT)
    if version_id is not None and version_id != rule.version_id:
        raise StaleObject()
    _check_rule(values)
    timing_before = (rule.offset_days, rule.repeat_days)
    changes = apply_changes(rule, {k: values[k] for k in RULE_FIELDS})
    if changes:
        record(actor, AuditVerb.UPDATE, rule, changes)
    if (rule.offset_days, rule.repeat_days) != timing_before:
        day = utcnow().date()
        for scheduled in db.session.scalars(
            sa.select(ScheduledNotification).where(
                ScheduledNotification.rule_id == rule.id, ScheduledNotification.status == PlanStatus.PENDING
            )
        ):
            _replan(scheduled, scheduled.due_on, day)
    db.session.commit()
    return rule


def ensure_default_rules() -> int:
    """The kinds' default rules, added once (by name); the Support Unit edits them afterwards."""
    names = set(db.session.scalars(sa.select(ReminderRule.name)))
    added = 0
    for key, kind in KINDS.items():
        for default in kind.defaults:
            if default.name in names:
                continue
            db.session.add(
                ReminderRule(
                    kind=key,
                    name=default.name,
                    offset_days=default.offset_days,
                    repeat_days=default.repeat_days,
                    recipient_roles=default.roles,
                    subject_template=default.subject,
                    body_template=default.body,
                    is_mandatory=default.is_mandatory,
                )
            )
            added += 1
    db.session.commit()
    return added


# -------------------------------------------------------------------------------------------- the outbox


def outbox_page(actor: Any, *, status: MailStatus | None, page: int) -> Page:
    require(actor, Action.OUTBOX_VIEW)
    stmt = sa.select(MailMessage).order_by(MailMessage.id.desc())
    if status is not None:
        stmt = stmt.where(MailMessage.status == status)
    return paginate(stmt, page, 50)


def outbox_counts(actor: Any) -> dict[str, int]:
    require(actor, Action.OUTBOX_VIEW)
    rows = db.session.execute(sa.select(MailMessage.status, sa.func.count()).group_by(MailMessage.status))
    return {status.value: count for status, count in rows}


def sending_paused() -> bool:
    return outbox.is_paused()


def resend_message(actor: Any, message_id: int) -> MailMessage:
    """Queue a failed message again; it goes out after commit (or with the next sweep)."""
    require(actor, Action.OUTBOX_MANAGE)
    message = db.session.get(MailMessage, message_id)
    if message is None:
        raise NotFound()
    if message.status != MailStatus.FAILED:
        raise ValidationFailed({"": _("Only a failed message can be sent again.")})
    outbox.requeue(message)
    record(actor, AuditVerb.UPDATE, message, {"status": ["failed", "queued"]}, note="resend")
    db.session.commit()
    return message


def set_sending_paused(actor: Any, paused: bool) -> None:
    require(actor, Action.OUTBOX_MANAGE)
    outbox.set_paused(paused, by_user_id=getattr(actor, "id", None))
    record(actor, AuditVerb.UPDATE, db.session.get(outbox.OutboxState, 1), {"is_paused": [not paused, paused]})
    db.session.commit()
