"""Demo papers: the 2010 background papers the report names (as records; their texts are not in the seeds), and
the demonstration cycle's papers at each stage of the review workflow.

Idempotent: a document is looked up by its session and title first; it is filled only in the run that creates it.
"""

from __future__ import annotations

import sqlalchemy as sa

from forum.core.dates import today
from forum.core.errors import NotFound
from forum.core.permissions import SYSTEM
from forum.directory import services as directory
from forum.extensions import db
from forum.papers import services
from forum.papers.models import DocumentKind, Language, SessionDocument
from forum.roundtables.demo import DEMO_PDF
from forum.roundtables.services import Upload, session_by_reference

SRC = "GFMD 2010 Report of Proceedings"
RECORD = (
    "A record of this paper, kept so the session's history is complete. The Report of Proceedings names it "
    "({line}); its text is not part of the material this demonstration was built from."
)

PAPERS_2010 = [
    # (session, title, author government, author person, line)
    ("2010-RT1.1", "Background paper, Roundtable 1", "Mexico", None, "L311"),
    ("2010-RT2.2", "Background paper, session 2.2: migration, gender and family", None, None, "L530-532"),
    ("2010-RT3.1", "Background paper, session 3.1", None, "Khalid Koser", "L622"),
    ("2010-RT3.2", "Background paper, session 3.2", None, "Ronald Skeldon", "L622"),
    ("2010-RT3.3", "Background paper, session 3.3", None, "Maureen Achieng", "L622"),
]


def load_papers() -> None:
    """Load the 2010 paper records and the demonstration cycle's papers."""
    _load_2010()
    _load_demo_cycle()


def _document(ref: str, title: str, **values) -> tuple[SessionDocument, bool]:
    session = session_by_reference(ref)
    found = db.session.scalar(
        sa.select(SessionDocument).where(SessionDocument.session_id == session.id, SessionDocument.title == title)
    )
    if found is not None:
        return found, False
    return services.create_document(SYSTEM, session, title=title, **values), True


def _person_id(name: str | None) -> int | None:
    if name is None:
        return None
    person = directory.find_person(name) or directory.create_person(SYSTEM, name=name, title="Background paper author")
    return person.id


def _load_2010() -> None:
    for ref, title, government, person, line in PAPERS_2010:
        country = directory.find_country(government) if government else None
        document, is_new = _document(
            ref,
            title,
            kind=DocumentKind.BACKGROUND_PAPER,
            author_country_id=country.id if country else None,
            author_person_id=_person_id(person),
        )
        if not is_new:
            continue
        services.add_version(SYSTEM, document, text=RECORD.format(line=line), note=f"{SRC}, {line}")
        for step in ("submit", "approve", "publish"):
            services.fire(SYSTEM, document, step)


def _load_demo_cycle() -> None:
    year = today().year
    try:
        session_by_reference(f"{year}-RT1.1")
    except NotFound:  # no demonstration roundtables: nothing to attach papers to
        return
    draft, is_new = _document(
        f"{year}-RT1.1",
        "Recognising skills across borders: background paper (demonstration)",
        kind=DocumentKind.BACKGROUND_PAPER,
        author_country_id=directory.find_country("Mexico").id,
    )
    if is_new:
        services.add_version(
            SYSTEM,
            draft,
            text="Skills partnerships pair training in the country of origin with jobs abroad.\n"
            "This draft asks three questions.\nWho pays for the training?\nWho recognises the diploma?",
            note="First draft (demonstration).",
        )
        services.add_version(
            SYSTEM,
            draft,
            text="Skills partnerships pair training in the country of origin with jobs abroad.\n"
            "This draft asks four questions.\nWho pays for the training?\nWho recognises the diploma?\n"
            "What happens when the migrant returns?",
            note="Second draft after the team's first comments (demonstration).",
            upload=Upload("Skills background paper, second draft (demonstration).pdf", DEMO_PDF),
        )
        services.fire(SYSTEM, draft, "submit", comment="Ready for the team (demonstration).")
        services.add_comment(SYSTEM, draft, text="Please add an example from West Africa (demonstration).")
    note, is_new = _document(
        f"{year}-RT3.1",
        "Migration profiles that governments keep up to date: concept note (demonstration)",
        kind=DocumentKind.CONCEPT_NOTE,
    )
    if is_new:
        services.add_version(SYSTEM, note, text="Why profiles go stale, and three ways to keep them current.")
        for step in ("submit", "approve", "publish"):
            services.fire(SYSTEM, note, step)
        french, _created = _document(
            f"{year}-RT3.1",
            "Des profils migratoires tenus à jour : note conceptuelle (démonstration)",
            kind=DocumentKind.CONCEPT_NOTE,
            language=Language.FR,
            translation_of_id=note.id,
        )
        services.add_version(
            SYSTEM, french, text="Pourquoi les profils vieillissent, et trois façons de les tenir à jour."
        )
