"""Countries from ISO 3166 with the names the documents use; the audit log the Support Unit reads."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.directory import services as directory
from forum.directory.models import Country
from forum.extensions import db


@pytest.mark.parametrize(
    ("written", "iso2"),
    [
        ("UAE", "AE"),
        ("United Arab Emirates", "AE"),
        ("USA", "US"),
        ("UK", "GB"),
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("Moldova", "MD"),
        ("Republic of Moldova", "MD"),
        ("the Netherlands", "NL"),
        ("ma", "MA"),
        ("MAR", "MA"),
    ],
)
def test_a_country_is_found_by_the_names_the_documents_use(db_session, written, iso2):
    assert directory.find_country(written).iso2 == iso2


def test_every_iso_3166_country_is_there(db_session):
    assert db.session.scalar(sa.select(sa.func.count(Country.id))) >= 249


def test_the_audit_log_shows_changes_filtered_by_object_and_by_user(client_for, demo_user):
    client = client_for("support@example.org")
    client.post(
        "/organisations/new",
        data={"name": "Audit Trail Example Centre", "kind": "academia", "country_name": "", "aliases": ""},
    )
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    support = demo_user("support@example.org")
    assert entry.actor_id == support.id
    by_object = client.get(f"/audit?object_type={entry.object_type}&object_id={entry.object_id}")
    assert by_object.status_code == 200
    assert b"Audit Trail Example Centre" in by_object.data
    by_someone_else = client.get(f"/audit?actor_id={demo_user('focal.mexico@example.org').id}")
    assert b"Audit Trail Example Centre" not in by_someone_else.data
    assert client_for("focal.mexico@example.org").get("/audit").status_code == 403
