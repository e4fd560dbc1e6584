"""The shared mechanism: the audit log is append-only, exports are guarded, stale edits are refused."""

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from forum.core.audit import AuditEntry
from forum.core.errors import StaleObject
from forum.core.exports import csv_response, safe_cell, xlsx_response
from forum.core.permissions import SYSTEM
from forum.directory import services as directory
from forum.directory.models import Organisation
from forum.extensions import db


def test_audit_entries_cannot_be_edited_or_deleted(db_session):
    entry = db.session.scalars(sa.select(AuditEntry).limit(1)).one()
    entry.note = "tampered"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(sa.select(AuditEntry).limit(1)).one())
    with pytest.raises(PermissionError):
        db.session.flush()


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x"])
def test_formula_like_cells_are_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_plain_cells_pass_unchanged():
    assert safe_cell("Mexico") == "Mexico"
    assert safe_cell(42) == 42
    assert safe_cell(None) == ""


def test_csv_and_xlsx_exports_carry_the_guard(app):
    rows = [["=HYPERLINK(\"http://x\")", "ok"]]
    with app.test_request_context():
        text = csv_response("t", ["a", "b"], rows).get_data(as_text=True)
        book = load_workbook(io.BytesIO(xlsx_response("t", ["a", "b"], rows).get_data()))
    assert list(csv.reader(io.StringIO(text)))[1][0].startswith("'=")
    assert book.active["A2"].value.startswith("'=")


def test_a_stale_version_is_refused_and_nothing_changes(db_session):
    org = db.session.scalars(sa.select(Organisation).where(Organisation.acronym == "IOM")).one()
    stale = org.version_id
    directory.update_organisation(SYSTEM, org, version_id=stale, name=org.name, acronym="IOM", kind=org.kind,
                                  country_id=None, aliases="UN Migration")
    with pytest.raises(StaleObject):
        directory.update_organisation(SYSTEM, org, version_id=stale, name="Overwritten", acronym="IOM",
                                      kind=org.kind, country_id=None, aliases="")
    db.session.rollback()
    assert db.session.get(Organisation, org.id).name == "International Organization for Migration"


def test_service_commit_is_rolled_back_after_each_test_part_one(db_session):
    directory.create_organisation(SYSTEM, name="Rolled Back Institute", acronym=None, kind="academia",
                                  country_id=None, aliases="")
    assert db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "Rolled Back Institute"))


def test_service_commit_is_rolled_back_after_each_test_part_two(db_session):
    assert db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "Rolled Back Institute")) is None
