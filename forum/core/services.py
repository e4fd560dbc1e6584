"""Read services for the shared pages."""

from __future__ import annotations

import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.core.pagination import Page, paginate
from forum.core.permissions import Action, require
from forum.extensions import db


def audit_page(
    actor, *, object_type: str | None, object_id: int | None, actor_id: int | None, page: int
) -> Page:
    """The audit log, newest first, filtered by object and by user."""
    require(actor, Action.AUDIT_VIEW)
    stmt = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    return paginate(stmt, page, 50)


def audited_types() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)))

