"""Session documents: versions (a file and/or text), the team's comments, and the review workflow.

draft → in team review → changes requested → (back to review) → approved by the co-chairs → published. Only
published documents are public; the others are for the session's team, its coordinator, the Chair team and the
Support Unit. Every transition is permitted to its role only, recorded with who and when, and may carry a comment.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.core.audit import AuditVerb, record, snapshot
from forum.core.errors import NotFound, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.i18n import lazy_gettext as _l
from forum.core.permissions import Action, can, require
from forum.core.statements import built_once
from forum.core.workflow import Transition, Workflow
from forum.directory.models import Country, Person
from forum.extensions import db
from forum.papers.models import (
    DocumentComment,
    DocumentKind,
    DocumentState,
    DocumentVersion,
    Language,
    SessionDocument,
)
from forum.roundtables import services as roundtables
from forum.roundtables.models import RoundtableSession, TeamMember
from forum.roundtables.services import Upload

S = DocumentState
WORKFLOW = Workflow(
    state_field="state",
    transitions={
        "submit": Transition(
            "submit",
            frozenset({S.DRAFT, S.CHANGES_REQUESTED}),
            S.IN_TEAM_REVIEW,
            Action.PAPER_EDIT,
            _l("send to the team for review"),
        ),
        "request_changes": Transition(
            "request_changes",
            frozenset({S.IN_TEAM_REVIEW}),
            S.CHANGES_REQUESTED,
            Action.PAPER_REVIEW,
            _l("ask for changes"),
        ),
        "approve": Transition(
            "approve",
            frozenset({S.IN_TEAM_REVIEW}),
            S.APPROVED,
            Action.PAPER_REVIEW,
            _l("approve"),
        ),
        "publish": Transition("publish", frozenset({S.APPROVED}), S.PUBLISHED, Action.PAPER_PUBLISH, _l("publish")),
    },
)

#: papers are PDF, Word or OpenDocument text
PAPER_TYPES: dict[str, tuple[bytes, str]] = {e: roundtables.EVIDENCE_TYPES[e] for e in ("pdf", "docx", "odt")}


def _document_query() -> sa.Select:
    return sa.select(SessionDocument).options(
        joinedload(SessionDocument.session).options(
            *roundtables._session_options(), selectinload(RoundtableSession.team).joinedload(TeamMember.country)
        ),
        joinedload(SessionDocument.author_country),
        joinedload(SessionDocument.author_person),
        joinedload(SessionDocument.translation_of),
        selectinload(SessionDocument.versions).joinedload(DocumentVersion.uploaded_by),
        selectinload(SessionDocument.comments).options(
            joinedload(DocumentComment.author), joinedload(DocumentComment.version)
        ),
    )


def document_for(actor: Any, document_id: int) -> SessionDocument:
    """A document the actor may see; an unpublished one is "not found" for everyone else."""
    document = db.session.scalar(_document_query().where(SessionDocument.id == document_id))
    if document is None:
        raise NotFound()
    require(actor, Action.PAPER_VIEW, document, hide=True)
    return document


def session_documents(actor: Any, session: RoundtableSession) -> list[SessionDocument]:
    """The session's documents the actor may see, originals before their translations."""
    documents = db.session.scalars(_session_documents(), {"session_id": session.id})
    visible = []
    for document in documents:
        document.session = session  # already loaded with its roles and team; spares a query per row
        if can(actor, Action.PAPER_VIEW, document):
            visible.append(document)
    return visible


@built_once
def _session_documents() -> sa.Select:
    return (
        sa.select(SessionDocument)
        .where(SessionDocument.session_id == sa.bindparam("session_id", type_=sa.Integer))
        .options(joinedload(SessionDocument.author_country), joinedload(SessionDocument.author_person))
        .order_by(sa.func.coalesce(SessionDocument.translation_of_id, SessionDocument.id), SessionDocument.id)
    )


@dataclass(frozen=True)
class PaperInLanguage:
    """One paper as a reader sees it listed: in the reader's language when a version in it is visible, otherwise
    the original (`original_only` says so), with links to the versions in other languages."""

    shown: SessionDocument
    other_languages: list[SessionDocument]
    original_only: bool


def in_reader_language(documents: list[SessionDocument], locale: str) -> list[PaperInLanguage]:
    """`documents` as session_documents() orders them (each original before its translations), a paper each."""
    families: dict[int, list[SessionDocument]] = {}
    for document in documents:
        families.setdefault(document.translation_of_id or document.id, []).append(document)
    papers = []
    for family in families.values():
        match = next((d for d in family if d.language.value == locale), None)
        shown = match or family[0]
        papers.append(PaperInLanguage(shown, [d for d in family if d is not shown], original_only=match is None))
    return papers


def may_create(actor: Any, session: RoundtableSession) -> bool:
    """Whether the actor may start a document for this session (the Support Unit, the co-chairs)."""
    return can(actor, Action.PAPER_EDIT, SessionDocument(session_id=session.id, session=session))


def create_document(
    actor: Any,
    session: RoundtableSession,
    *,
    kind: DocumentKind,
    title: str,
    language: Language = Language.EN,
    author_country_id: int | None = None,
    author_person_id: int | None = None,
    translation_of_id: int | None = None,
) -> SessionDocument:
    """Start a document of a session (a draft), or a translation of one."""
    document = SessionDocument(
        session=session,
        kind=kind,
        title=(title or "").strip(),
        language=language,
        author_country_id=author_country_id,
        author_person_id=author_person_id,
        translation_of_id=translation_of_id,
    )
    require(actor, Action.PAPER_EDIT, document)
    errors: dict[str, str] = {}
    if not document.title:
        errors["title"] = _("Give the document a title.")
    if author_country_id and author_person_id:
        errors["author_person_id"] = _("An author is a government or a person, not both.")
    if author_country_id and db.session.get(Country, author_country_id) is None:
        errors["author_country_name"] = _("Unknown country.")
    if author_person_id and db.session.get(Person, author_person_id) is None:
        errors["author_person_id"] = _("Choose the author from the list.")
    if translation_of_id:
        original = db.session.get(SessionDocument, translation_of_id)
        if original is None or original.session_id != session.id:
            errors["translation_of_id"] = _("A translation belongs to a document of the same session.")
        elif original.language == language or any(
            t.language == language
            for t in db.session.scalars(
                sa.select(SessionDocument).where(SessionDocument.translation_of_id == translation_of_id)
            )
        ):
            errors["language"] = _("This document already exists in that language.")
    if errors:
        raise ValidationFailed(errors)
    db.session.add(document)
    db.session.flush()
    record(actor, AuditVerb.CREATE, document, snapshot(document, ["kind", "title", "language", "state"]))
    db.session.commit()
    return document


def add_version(
    actor: Any, document: SessionDocument, *, text: str = "", upload: Upload | None = None, note: str = ""
) -> DocumentVersion:
    """Keep a new version: a file, text written in the page, or both. Earlier versions stay as they were."""
    require(actor, Action.PAPER_EDIT, document)
    if document.state in (S.APPROVED, S.PUBLISHED):
        raise ValidationFailed({"": _("An approved or published document cannot change; start a new document.")})
    text = sanitise_text(text)
    if upload is not None and not upload.filename and not upload.data:
        upload = None
    if not text and upload is None:
        raise ValidationFailed({"text": _("Write the text or upload a file (PDF, DOCX or ODT).")})
    name = key = ""
    stored: Path | None = None
    if upload is not None:
        name, key, stored = roundtables.save_upload(upload, "papers", PAPER_TYPES, "file")
    version = DocumentVersion(
        document_id=document.id,
        number=len(document.versions) + 1,
        text=text,
        file_name=name,
        file_key=key,
        file_size=len(upload.data) if upload else 0,
        note=(note or "").strip()[:500],
        uploaded_by_id=getattr(actor, "id", None),
    )
    try:
        db.session.add(version)
        record(actor, AuditVerb.CREATE, document, {"version": [None, version.number]}, note=version.note)
        db.session.commit()
    except Exception:
        if stored is not None:
            stored.unlink(missing_ok=True)
        raise
    return version


def sanitise_text(text: str | None) -> str:
    """Text written in the page is kept as plain text (no markup at all), with tidy line ends and no NULs."""
    cleaned = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return cleaned.strip()[:200_000]


def fire(actor: Any, document: SessionDocument, name: str, *, comment: str = "") -> SessionDocument:
    """Move a document along its workflow; publishing needs at least one version."""
    if name == "submit" and not document.versions:
        raise ValidationFailed({"": _("Add a first version before sending the document for review.")})
    WORKFLOW.fire(actor, document, name, comment=(comment or "").strip()[:500])
    if document.state == S.PUBLISHED:
        from forum.core.dates import utcnow

        document.published_at = utcnow()
    db.session.commit()
    return document


def add_comment(actor: Any, document: SessionDocument, *, text: str) -> DocumentComment:
    """A team member comments on the latest version."""
    require(actor, Action.PAPER_COMMENT, document, hide=True)
    text = sanitise_text(text)
    if not text:
        raise ValidationFailed({"text": _("Write your comment.")})
    latest = document.versions[-1] if document.versions else None
    comment = DocumentComment(
        document_id=document.id,
        version_id=latest.id if latest else None,
        author_id=getattr(actor, "id", None),
        text=text[:10_000],
    )
    db.session.add(comment)
    record(actor, AuditVerb.CREATE, document, {"comment": [None, text[:200]]})
    db.session.commit()
    return comment


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same", "hunk"
    text: str


def diff(document: SessionDocument, old_number: int, new_number: int) -> list[DiffLine]:
    """The line-by-line difference of the text of two versions (escaped by the template like any text)."""
    by_number = {v.number: v for v in document.versions}
    if old_number not in by_number or new_number not in by_number:
        raise NotFound()
    old, new = by_number[old_number].text.splitlines(), by_number[new_number].text.splitlines()
    lines = []
    for line in difflib.unified_diff(old, new, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "remove", "@": "hunk"}.get(line[:1], "same")
        lines.append(DiffLine(kind, line[1:] if kind in ("add", "remove", "same") else line))
    return lines


def version_file(actor: Any, version_id: int) -> tuple[Path, str, str]:
    version = db.session.get(DocumentVersion, version_id)
    if version is None or not version.file_key:
        raise NotFound()
    document_for(actor, version.document_id)
    extension = version.file_name.rsplit(".", 1)[-1].lower()
    return roundtables.upload_folder("papers") / version.file_key, version.file_name, PAPER_TYPES[extension][1]
