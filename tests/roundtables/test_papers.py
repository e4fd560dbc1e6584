"""Session documents: who sees them, who moves them along, versions, diffs, comments and translations."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from forum.core.audit import AuditEntry, AuditVerb
from forum.core.dates import today
from forum.extensions import db
from forum.papers.models import DocumentComment, DocumentState, DocumentVersion, SessionDocument

SU = "support@example.org"
CHAIR = "chair@example.org"
MEXICO = "focal.mexico@example.org"
PHILIPPINES = "focal.philippines@example.org"
MOROCCO = "focal.morocco@example.org"
YEAR = today().year
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _document(title_start: str) -> SessionDocument:
    return db.session.scalar(sa.select(SessionDocument).where(SessionDocument.title.startswith(title_start)))


def _draft() -> SessionDocument:
    """The demonstration background paper of RT1.1 (co-chaired by Mexico), in team review with two versions."""
    return _document("Recognising skills across borders")


def _transitions(document: SessionDocument) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "SessionDocument", AuditEntry.object_id == document.id)
            .where(AuditEntry.verb == AuditVerb.TRANSITION)
            .order_by(AuditEntry.id)
        )
    )


def test_anyone_reads_a_published_2010_paper_on_its_session_page(client):
    page = client.get("/sessions/2010-RT3.2").get_data(as_text=True)
    assert "Background paper, session 3.2" in page
    paper = _document("Background paper, session 3.2")
    text = client.get(f"/papers/{paper.id}").get_data(as_text=True)
    assert "Ronald Skeldon" in text
    assert "Published" in text


@pytest.mark.parametrize(("who", "status"), [(None, 404), (PHILIPPINES, 404), (MEXICO, 200), (MOROCCO, 200), (SU, 200)])
def test_an_unpublished_paper_is_seen_only_by_those_who_prepare_the_session(client_for, who, status):
    # the Philippines only asked to join the RT1.1 team; Morocco is in it; Mexico co-chairs it
    assert client_for(who).get(f"/papers/{_draft().id}").status_code == status


def test_the_public_session_page_lists_published_papers_only(client_for):
    assert "Recognising skills across borders: background paper" not in client_for(None).get(
        f"/sessions/{YEAR}-RT1.1"
    ).get_data(as_text=True)
    assert "Recognising skills across borders: background paper" in client_for(MEXICO).get(
        f"/sessions/{YEAR}-RT1.1"
    ).get_data(as_text=True)


def test_only_the_co_chairs_approve_and_only_the_support_unit_publishes(client_for):
    draft = _draft()
    url = f"/papers/{draft.id}/transitions"
    assert client_for(MOROCCO).post(f"{url}/approve").status_code == 403  # in the team, not a co-chair
    assert client_for(CHAIR).post(f"{url}/approve").status_code == 403
    db.session.refresh(draft)
    assert draft.state == DocumentState.IN_TEAM_REVIEW
    assert client_for(MEXICO).post(f"{url}/approve", data={"comment": "Good to go"}).status_code == 302
    assert client_for(MEXICO).post(f"{url}/publish").status_code == 403
    db.session.refresh(draft)
    assert draft.state == DocumentState.APPROVED
    assert client_for(SU).post(f"{url}/publish").status_code == 302
    db.session.refresh(draft)
    assert draft.state == DocumentState.PUBLISHED
    assert draft.published_at is not None
    entries = _transitions(draft)
    assert [e.changes["state"] for e in entries[-2:]] == [
        ["in_team_review", "approved"],
        ["approved", "published"],
    ]
    assert entries[-2].note == "Good to go"
    assert client_for(None).get(f"/papers/{draft.id}").status_code == 200


def test_changes_requested_then_sent_back_for_review(client_for):
    draft = _draft()
    url = f"/papers/{draft.id}/transitions"
    assert client_for(MEXICO).post(f"{url}/request_changes", data={"comment": "Shorter"}).status_code == 302
    db.session.refresh(draft)
    assert draft.state == DocumentState.CHANGES_REQUESTED
    assert client_for(MEXICO).post(f"{url}/publish").status_code == 403
    assert client_for(SU).post(f"{url}/publish").status_code == 409  # not approved yet
    assert client_for(MEXICO).post(f"{url}/submit").status_code == 302
    db.session.refresh(draft)
    assert draft.state == DocumentState.IN_TEAM_REVIEW
    assert client_for(SU).post(f"{url}/no-such-step").status_code == 409


def test_a_version_keeps_the_earlier_ones_and_the_diff_shows_the_change(client_for):
    draft = _draft()
    client_for(MEXICO).post(f"/papers/{draft.id}/transitions/request_changes")
    response = client_for(MEXICO).post(
        f"/papers/{draft.id}/versions",
        data={"text": "<script>alert(1)</script>\nA third draft.", "file": (io.BytesIO(PDF), "draft 3.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    versions = db.session.scalars(
        sa.select(DocumentVersion).where(DocumentVersion.document_id == draft.id).order_by(DocumentVersion.number)
    ).all()
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[2].file_name == "draft_3.pdf"
    page = client_for(MEXICO).get(f"/papers/{draft.id}?old=2&new=3").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "What happens when the migrant returns?" in page
    download = client_for(MOROCCO).get(f"/papers/versions/{versions[2].id}/file")
    body, status = download.data, download.status_code
    download.close()
    assert status == 200
    assert body == PDF
    assert client_for(PHILIPPINES).get(f"/papers/versions/{versions[2].id}/file").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write the text or upload a file"),
        ({"file": (io.BytesIO(b"plain words"), "notes.txt")}, "Upload a file of one of these types"),
        ({"file": (io.BytesIO(b"MZ not a pdf"), "paper.pdf")}, "content is not what its name says"),
    ],
)
def test_a_bad_version_is_refused_and_nothing_is_saved(client_for, data, message):
    draft = _draft()
    client_for(MEXICO).post(f"/papers/{draft.id}/transitions/request_changes")
    response = client_for(MEXICO).post(f"/papers/{draft.id}/versions", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    count = db.session.scalar(
        sa.select(sa.func.count(DocumentVersion.id)).where(DocumentVersion.document_id == draft.id)
    )
    assert count == 2


def test_a_team_member_comments_and_an_outsider_cannot(client_for):
    draft = _draft()
    assert (
        client_for(MOROCCO).post(f"/papers/{draft.id}/comments", data={"text": "Add Morocco's case"}).status_code == 302
    )
    assert client_for(PHILIPPINES).post(f"/papers/{draft.id}/comments", data={"text": "Me too"}).status_code == 404
    texts = db.session.scalars(sa.select(DocumentComment.text).where(DocumentComment.document_id == draft.id)).all()
    assert "Add Morocco's case" in texts
    assert "Me too" not in texts


def test_a_translation_is_linked_and_one_per_language(client_for):
    original = _document("Migration profiles that governments keep up to date")
    french = _document("Des profils migratoires")
    assert french.translation_of_id == original.id
    page = client_for(None).get(f"/papers/{original.id}")
    assert page.status_code == 200
    assert client_for(None).get(f"/papers/{french.id}").status_code == 404  # the translation is still a draft
    before = db.session.scalar(sa.select(sa.func.count(SessionDocument.id)))
    response = client_for(SU).post(
        f"/sessions/{YEAR}-RT3.1/papers/new",
        data={"kind": "concept_note", "title": "Encore", "language": "fr", "translation_of_id": original.id},
    )
    assert response.status_code == 422
    assert "already exists in that language" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(SessionDocument.id))) == before


def test_only_co_chairs_and_the_support_unit_start_a_document(client_for):
    url = f"/sessions/{YEAR}-RT1.1/papers/new"
    assert client_for(PHILIPPINES).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    response = client_for(MEXICO).post(
        url, data={"kind": "session_report", "title": "Session report", "language": "en"}
    )
    assert response.status_code == 302
    created = _document("Session report")
    assert created.state == DocumentState.DRAFT


def test_paper_pages_stay_within_the_query_budget(client_for, count_queries):
    draft = _draft()
    for url in (f"/papers/{draft.id}?old=1&new=2", f"/sessions/{YEAR}-RT1.1", "/sessions/2010-RT3.2"):
        with count_queries() as counter:
            assert client_for(MEXICO).get(url).status_code == 200
        assert len(counter) <= 15, (url, len(counter))
