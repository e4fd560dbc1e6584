"""Importing a session's outcomes through record_outcome: numbered as the form numbers them, unpublished, audited
and found by the search box; a file with bad lines writes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.extensions import db
from forum.outcomes.models import AddresseeKind, CommitmentStrength, Outcome, OutcomeKind
from tests.imports.helpers import MEXICO, SU, audit_count, confirmation, count, csv_text, upload

URL = "/sessions/2010-RT2.2/outcomes/import"
HEADER = "number,title,text,kind,strength,addressees,themes,source"
VALID = csv_text(
    HEADER,
    ",Registers of ethical recruiters,Governments should license recruiters and publish a register.,"
    "policy_recommendation,recommendation,governments; organisation: IOM,T3; t5,Import test",
    '12,Diaspora bonds,"Governments could issue diaspora bonds, with the help of banks.",Partnership,'
    "Suggestion (could; may),Mexico; civil society; Steering Group,T8,",
)


def _session_outcomes() -> int:
    return count(Outcome, Outcome.reference.like("2010-RT2.2-%"))


def test_the_support_unit_previews_then_writes_exactly_the_rows(client_for):
    client = client_for(SU)
    before, audits = _session_outcomes(), audit_count()
    preview = upload(client, URL, VALID.replace("Suggestion (could; may)", "suggestion"))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert "2010-RT2.2-7 Registers of ethical recruiters" in page  # the next free number, as the form gives
    assert "2010-RT2.2-12 Diaspora bonds" in page
    assert _session_outcomes() == before

    done = client.post(f"{URL}/confirm", data=confirmation(page))
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/sessions/2010-RT2.2#outcomes")
    assert _session_outcomes() == before + 2
    bonds = db.session.scalar(sa.select(Outcome).where(Outcome.reference == "2010-RT2.2-12"))
    assert (bonds.kind, bonds.strength, bonds.is_published) == (
        OutcomeKind.PARTNERSHIP,
        CommitmentStrength.SUGGESTION,
        False,
    )
    assert bonds.text == "Governments could issue diaspora bonds, with the help of banks."
    assert sorted(a.kind for a in bonds.addressees) == sorted(
        [AddresseeKind.GOVERNMENT, AddresseeKind.CIVIL_SOCIETY, AddresseeKind.GFMD_BODY]
    )
    registers = db.session.scalar(sa.select(Outcome).where(Outcome.reference == "2010-RT2.2-7"))
    assert sorted(t.code for t in registers.themes) == ["T3", "T5"]
    assert registers.source == "Import test"
    assert audit_count() == audits + 3
    assert db.session.scalar(
        sa.select(AuditEntry.id).where(AuditEntry.object_type == "Outcome", AuditEntry.object_id == bonds.id)
    )
    # the search index is kept by the same flush hook as for the form (drafts: for the Support Unit)
    assert "Diaspora bonds" in client.get("/search?q=diaspora+bonds").get_data(as_text=True)


def test_a_file_with_bad_lines_writes_nothing_and_names_each_line_and_problem(client_for):
    before, audits = count(Outcome), audit_count()
    bad = csv_text(
        HEADER,
        ",A fine one,Text.,research,commitment,gfmd,,",  # 2: fine
        "1,Numbered like an existing one,Text.,research,commitment,gfmd,,",  # 3: 2010-RT2.2-1 exists
        ",Ratifying the conventions on the rights of the child,Text.,research,commitment,gfmd,,",  # 4: title exists
        ",Unknown kind,Text.,advice,commitment,gfmd,,",  # 5
        ",Unknown addressee,Text.,research,commitment,Atlantis,,",  # 6
        ",Unknown theme,Text.,research,commitment,gfmd,T99,",  # 7
        f",{'x' * 201},Text.,research,commitment,gfmd,,",  # 8: title too long
        ",No text,,research,commitment,gfmd,,",  # 9: text required
        ",A fine one,Other text.,research,commitment,gfmd,,",  # 10: the same title as line 2
        "1000,Number too high,Text.,research,commitment,gfmd,,",  # 11
        ",Nobody addressed,Text.,research,commitment,,,",  # 12
    )
    response = upload(client_for(SU), URL, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "10 lines of 11 have problems." in page
    for line, message in [
        (3, "2010-RT2.2-1 already exists; choose another number."),
        (4, "The session already has an outcome with this title: 2010-RT2.2-3."),
        (5, "Unknown kind: “advice”"),
        (6, "Unknown addressee: “Atlantis”"),
        (7, "Unknown theme: “T99”"),
        (8, "Too long: 201 characters, at most 200."),
        (9, "Required: give a value."),
        (10, "The same as line 2 of this file."),
        (11, "“1000” is not a number from 1 to 999."),
        (12, "Required: give a value."),
    ]:
        item = page[page.index(f'href="#line-{line}">') :].split("</li>")[0]
        assert message in item, (line, item)
    assert count(Outcome) == before
    assert audit_count() == audits


def test_a_focal_point_or_anonymous_user_cannot_import(client_for):
    before = count(Outcome)
    assert client_for(MEXICO).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302
    assert upload(client_for(MEXICO), URL, VALID).status_code == 403
    assert upload(client_for(None), URL, VALID).status_code == 302
    assert count(Outcome) == before


def test_the_session_page_links_to_the_import_for_the_support_unit_only(client_for):
    assert URL in client_for(SU).get("/sessions/2010-RT2.2").get_data(as_text=True)
    assert URL not in client_for(MEXICO).get("/sessions/2010-RT2.2").get_data(as_text=True)
