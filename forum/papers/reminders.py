"""The reminder of the review: a paper waiting in team review, to the session's co-chairs (who approve it or ask for
changes) and the Support Unit. Papers keep no "entered review at" column: the audit log has it, in the workflow
transition that sent the paper to the team (its latest transition while it waits). Imported by forum.papers.views,
which every process that sends reminders loads through create_app()."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.core.audit import AuditEntry, AuditVerb
from forum.core.i18n import lazy_gettext as _l
from forum.core.permissions import principal_of
from forum.directory.models import User
from forum.extensions import db
from forum.notifications.kinds import (
    DefaultRule,
    ReminderKind,
    Task,
    _url,
    body_accounts,
    government_accounts,
    register,
)
from forum.papers.models import DOCUMENT_KIND_LABELS, DocumentState, SessionDocument
from forum.roundtables.models import RoleKind, RoundtableSession, SessionRole
from forum.structure.models import BodyKind


@dataclass(frozen=True)
class WaitingPaper:
    """A document with the day it was last sent to the team for review."""

    document: SessionDocument
    since: date


def _waiting(documents: sa.Select) -> sa.Select:
    """(document, last transition) for the documents of `documents` (a select of SessionDocument); a document whose
    state was set without the workflow (none is, in the services) counts from its last change."""
    last = (
        sa.select(AuditEntry.object_id, sa.func.max(AuditEntry.at).label("at"))
        .where(AuditEntry.object_type == SessionDocument.__name__, AuditEntry.verb == AuditVerb.TRANSITION)
        .where(AuditEntry.object_id.in_(documents.with_only_columns(SessionDocument.id)))
        .group_by(AuditEntry.object_id)
        .subquery()
    )
    return documents.outerjoin(last, last.c.object_id == SessionDocument.id).add_columns(
        sa.func.coalesce(last.c.at, SessionDocument.updated_at)
    )


def _in_review() -> sa.Select:
    return sa.select(SessionDocument).where(SessionDocument.state == DocumentState.IN_TEAM_REVIEW)


def _link(document: SessionDocument) -> str:
    return _url("papers.document_detail", document_id=document.id)


@register
class PaperReviewKind(ReminderKind):
    """A paper in team review; the due date is the day it was sent to the team, so "+7 days" means waiting a week."""

    key = "paper_review"
    label = _l("Papers waiting in team review")
    subject_type = "session_document"
    roles: ClassVar[dict[str, Any]] = {
        "co_chairs": _l("The session's co-chairs (they approve or ask for changes)"),
        "support_unit": _l("The Support Unit"),
    }
    extra_placeholders: ClassVar[dict[str, Any]] = {
        "session": _l("the session's reference, e.g. 2010-RT2.1"),
        "document_kind": _l("the kind of document, e.g. Background paper"),
    }
    defaults = (
        DefaultRule(
            name="Paper in team review: waiting a week, then weekly",
            offset_days=7,
            repeat_days=7,
            roles="co_chairs",
            subject="{session}: {title} has waited {days_overdue} days for review",
            body=(
                'Dear {recipient_name},\n\nThe {document_kind} "{title}" of session {session} was sent to the team '
                "for review on {due_date} and has waited {days_overdue} days for the co-chairs to approve it or ask "
                "for changes.\n\n{link}"
            ),
        ),
    )

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        return [(document.id, at.date()) for document, at in db.session.execute(_waiting(_in_review()))]

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        stmt = _waiting(
            sa.select(SessionDocument)
            .where(SessionDocument.id.in_(set(ids)))
            .options(joinedload(SessionDocument.session).selectinload(RoundtableSession.roles))
        )
        return {document.id: WaitingPaper(document, at.date()) for document, at in db.session.execute(stmt)}

    def is_open(self, obj: Any) -> bool:
        return obj.document.state == DocumentState.IN_TEAM_REVIEW

    def due_on(self, obj: Any) -> date | None:
        return obj.since

    def recipients(self, obj: Any, role: str) -> list[User]:
        if role == "co_chairs":
            return government_accounts(obj.document.session.co_chair_country_ids)
        if role == "support_unit":
            return body_accounts(BodyKind.SUPPORT_UNIT)
        return []

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        document = obj.document
        return {
            "title": document.title,
            "session": document.session.reference,
            "document_kind": str(DOCUMENT_KIND_LABELS[document.kind]).lower(),
            "link": _link(document),
        }

    def owed_by(self, user: User) -> list[Task]:
        principal = principal_of(user)
        stmt = _in_review()
        if not principal.is_support_unit:
            if not principal.focal_country_ids:
                return []
            co_chaired = sa.select(SessionRole.session_id).where(
                SessionRole.kind == RoleKind.CO_CHAIR, SessionRole.country_id.in_(principal.focal_country_ids)
            )
            stmt = stmt.where(SessionDocument.session_id.in_(co_chaired))
        stmt = stmt.options(joinedload(SessionDocument.session)).order_by(SessionDocument.id).limit(200)
        return [
            Task(self.label, f"{document.session.reference}: {document.title}", at.date(), _link(document))
            for document, at in db.session.execute(_waiting(stmt))
        ]
