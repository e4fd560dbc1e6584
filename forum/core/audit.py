"""The append-only audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.core.models import enum_column, intpk, utcnow
from forum.extensions import db


class AuditVerb(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    TRANSITION = "transition"
    SIGN_IN = "sign_in"
    ACCOUNT = "account"


class AuditEntry(db.Model):
    """One change. Rows are only ever added: the flush guard below refuses updates and deletes."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(200), default="system")
    verb: Mapped[AuditVerb] = enum_column(AuditVerb)
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[int | None]
    object_label: Mapped[str] = mapped_column(sa.String(300), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.Text, default="")


class AppendOnly:
    """Marker for models whose rows may never be changed or removed once written."""


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_append_only(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry | AppendOnly) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError(f"{type(obj).__name__} rows are append-only")


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, db.Model):
        return str(value)
    return value


def object_type_of(obj: Any) -> str:
    return type(obj).__name__


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set attributes and return {field: [before, after]} for those that really changed."""
    changes: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = [_jsonable(old), _jsonable(new)]
            setattr(obj, field, new)
    return changes


def snapshot(obj: Any, fields: list[str]) -> dict[str, list[Any]]:
    """The changes dict of a creation: every field from nothing to its value."""
    return {f: [None, _jsonable(getattr(obj, f))] for f in fields}


def record(actor: Any, verb: AuditVerb, obj: Any, changes: dict[str, Any] | None = None, note: str = "") -> AuditEntry:
    """Add an audit entry to the session; the caller's commit makes it permanent with the change itself."""
    db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=str(actor) if actor is not None else "system",
        verb=verb,
        object_type=object_type_of(obj),
        object_id=getattr(obj, "id", None),
        object_label=str(obj)[:300],
        changes=changes or {},
        note=note,
    )
    db.session.add(entry)
    return entry
