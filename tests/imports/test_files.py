"""What every import shares (forum.core.imports), seen through the memberships and outcomes imports: files that
are not CSV, too big or with the wrong header are refused with what to do instead; the kept upload is confirmed
once, by its own uploader, and only while the data still give the previewed outcome."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from forum.directory.models import Country
from forum.extensions import db
from forum.outcomes import services as outcomes
from forum.outcomes.models import AddresseeKind, CommitmentStrength, Outcome, OutcomeKind
from forum.outcomes.services import AddresseeInput
from forum.roundtables.services import session_by_reference
from forum.structure import services as structure
from forum.structure.models import Body, BodyKind, MemberKind, Membership
from tests.imports.helpers import SU, audit_count, confirmation, count, csv_text, upload
from tests.imports.test_memberships import HEADER, VALID

ONE_LINE = csv_text(HEADER, "government,Iceland,,,,member,2011-01-01,,,,,,")
OUTCOMES = "/sessions/2010-RT2.2/outcomes/import"


@pytest.fixture
def url(db_session) -> str:
    body = db_session.scalar(sa.select(Body).where(Body.kind == BodyKind.STEERING_GROUP))
    return f"/bodies/{body.id}/memberships/import"


def _kept(app) -> list[Path]:
    folder = Path(app.config["INSTANCE_PATH"]) / "imports"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def _refusal(response) -> str:
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'name="fingerprint"' not in page
    return page


def test_a_wrong_header_is_refused_with_the_expected_columns_named(app, client_for, url):
    before = (count(Membership), len(_kept(app)))
    page = _refusal(upload(client_for(SU), url, csv_text("kind,country,start", "government,Iceland,2011-01-01")))
    assert "missing: member_kind, starts_on" in page
    assert "not a column of this import: kind, start" in page
    assert "The columns are: member_kind*, country, organisation, person, on_behalf_of, role, starts_on*" in page
    assert "/memberships/import/template.csv" in page  # the template is offered beside the message
    assert (count(Membership), len(_kept(app))) == before


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, "members.csv", "This is not a CSV file but a binary one"),
        (b"member_kind,country\x00\x01\x02", "members.csv", "This is not a CSV file but a binary one"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "members.csv", "This is not a CSV file but a binary one"),
        (ONE_LINE.replace("Iceland", "Côte d'Ivoire").encode("latin-1"), "members.csv", "not UTF-8 text"),
        (ONE_LINE.encode(), "members.xlsx", "Upload a .csv file"),
        (b"", "members.csv", "The file is empty."),
        (b"  \r\n", "members.csv", "The file is empty."),
        (csv_text(HEADER).encode(), "members.csv", "a header but no lines to import"),
        ((HEADER + '\n"government,Iceland,\n').encode(), "members.csv", "cannot be read as CSV"),
    ],
)
def test_a_file_that_is_not_a_readable_csv_is_refused(app, client_for, url, content, filename, message):
    before = (count(Membership), len(_kept(app)))
    page = _refusal(upload(client_for(SU), url, content, filename))
    assert message in page
    assert (count(Membership), len(_kept(app))) == before


def test_no_file_is_refused(client_for, url):
    assert "Choose a CSV file to preview." in _refusal(client_for(SU).post(url, data={"file": "members.csv"}))


def test_an_oversize_file_is_refused(app, client_for, url, monkeypatch):
    assert "At most 1024 KB" in client_for(SU).get(url).get_data(as_text=True)  # the default limit, as told
    big = HEADER + "\n" + "government,Iceland,,,,member,2011-01-01,,,,,,\n" * 30
    monkeypatch.setitem(app.config, "IMPORT_MAX_KB", 1)  # so the test sends little
    before = (count(Membership), len(_kept(app)))
    page = _refusal(upload(client_for(SU), url, big))
    assert "The file is larger than 1 KB: split it into smaller files." in page
    assert (count(Membership), len(_kept(app))) == before


def test_too_many_lines_are_refused(client_for, url):
    lines = [f"government,Iceland,,,,member,2011-01-{1 + i % 28:02d},,,,,," for i in range(2001)]
    assert "more than 2000 lines" in _refusal(upload(client_for(SU), url, csv_text(HEADER, *lines)))


def test_a_spreadsheet_export_with_bom_semicolons_and_crlf_is_read(client_for, url):
    text = "\ufeff" + ONE_LINE.replace(",", ";").replace("\n", "\r\n")
    response = upload(client_for(SU), url, text.encode("utf-8"))
    assert response.status_code == 200
    assert "Iceland: Member, 1 Jan 2011" in response.get_data(as_text=True)


def test_columns_may_come_in_any_order_and_optional_ones_be_left_out(client_for, url):
    response = upload(client_for(SU), url, csv_text("Starts_On,Country,Member_Kind", "2011-01-01,IS,government"))
    assert response.status_code == 200
    assert "Iceland: Member, 1 Jan 2011" in response.get_data(as_text=True)


def test_a_line_with_more_values_than_columns_is_a_problem_of_that_line(client_for, url):
    page = upload(client_for(SU), url, csv_text(HEADER, ONE_LINE.splitlines()[1] + ",surplus")).get_data(as_text=True)
    assert "Line 2</a>: This line has 14 values but the header names 13 columns." in page


def test_markup_in_a_file_is_shown_as_text(client_for, url):
    hostile = ONE_LINE.replace("Iceland", "<script>alert(1)</script>")
    page = upload(client_for(SU), url, hostile).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_confirming_twice_does_not_duplicate(app, client_for, url):
    client = client_for(SU)
    before = count(Membership)
    fields = confirmation(upload(client, url, VALID).get_data(as_text=True))
    assert client.post(f"{url}/confirm", data=fields).status_code == 302
    assert count(Membership) == before + 4
    assert _kept(app) == [] or all(fields["token"] not in p.name for p in _kept(app))
    audits = audit_count()
    again = client.post(f"{url}/confirm", data=fields)
    assert again.status_code == 410
    assert "no longer waiting" in again.get_data(as_text=True)
    assert (count(Membership), audit_count()) == (before + 4, audits)
    # and the same file uploaded again finds every line already there
    page = upload(client, url, VALID).get_data(as_text=True)
    assert "4 lines of 4 have problems." in page


def test_an_outcome_recorded_since_the_preview_makes_the_confirmation_show_the_new_preview(client_for, demo_user):
    client = client_for(SU)
    text = csv_text(
        "title,text,kind,strength,addressees", "Remittance costs,Should fall.,research,recommendation,governments"
    )
    first = upload(client, OUTCOMES, text).get_data(as_text=True)
    assert "2010-RT2.2-7 Remittance costs" in first
    session = session_by_reference("2010-RT2.2")
    outcomes.record_outcome(
        demo_user(SU),
        cycle=session.roundtable.cycle,
        session=session,
        number=None,
        title="Recorded meanwhile",
        text="By someone else.",
        kind=OutcomeKind.RESEARCH,
        strength=CommitmentStrength.SUGGESTION,
        addressees=[AddresseeInput(AddresseeKind.GFMD)],
        theme_codes=[],
    )
    before = count(Outcome)
    changed = client.post(f"{OUTCOMES}/confirm", data=confirmation(first))
    page = changed.get_data(as_text=True)
    assert changed.status_code == 409
    assert "The data changed since the preview you confirmed, so nothing was written." in page
    assert "2010-RT2.2-8 Remittance costs" in page
    assert count(Outcome) == before
    # the new preview can be confirmed: it is what will be written now
    assert client.post(f"{OUTCOMES}/confirm", data=confirmation(page)).status_code == 302
    assert db.session.scalar(sa.select(Outcome.title).where(Outcome.reference == "2010-RT2.2-8")) == "Remittance costs"


def test_a_line_that_became_invalid_since_the_preview_is_shown_and_nothing_written(client_for, url, demo_user):
    client = client_for(SU)
    page = upload(client, url, VALID).get_data(as_text=True)
    before = count(Membership)
    # someone enters Iceland by hand in the meantime
    iceland = db.session.scalar(sa.select(Country.id).where(Country.iso2 == "IS"))
    structure.create_membership(
        demo_user(SU),
        body_id=int(url.split("/")[2]),
        member_kind=MemberKind.GOVERNMENT,
        country_id=iceland,
        starts_on=date(2011, 1, 1),
    )
    response = client.post(f"{url}/confirm", data=confirmation(page))
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This member already holds this role in this body" in text
    assert count(Membership) == before + 1  # only the one entered by hand


def test_a_made_up_or_tampered_confirmation_writes_nothing(client_for, url):
    client = client_for(SU)
    before, audits = count(Membership), audit_count()
    fields = confirmation(upload(client, url, VALID).get_data(as_text=True))
    assert client.post(f"{url}/confirm", data={**fields, "token": "x" * 32}).status_code == 410
    assert client.post(f"{url}/confirm", data={**fields, "token": "../../etc/passwd"}).status_code == 410
    assert client.post(f"{url}/confirm", data={"token": fields["token"]}).status_code == 422
    tampered = client.post(f"{url}/confirm", data={**fields, "fingerprint": "0" * 64})
    assert tampered.status_code == 409
    assert (count(Membership), audit_count()) == (before, audits)
    # the upload is kept for the preview shown again: its own fingerprint still confirms it
    assert client.post(f"{url}/confirm", data=fields).status_code == 302


def test_an_upload_is_confirmed_only_by_its_uploader_and_only_for_its_target(app, client_for, url, db_session):
    fields = confirmation(upload(client_for(SU), url, VALID).get_data(as_text=True))
    before = count(Membership)
    other = db_session.scalar(sa.select(Body.id).where(Body.kind == BodyKind.FRIENDS_OF_THE_FORUM))
    assert client_for(SU).post(f"/bodies/{other}/memberships/import/confirm", data=fields).status_code == 410
    assert client_for(SU).post(f"{OUTCOMES}/confirm", data=fields).status_code == 410
    assert count(Membership) == before


def test_an_upload_waits_two_hours_for_its_confirmation(app, client_for, url):
    fields = confirmation(upload(client_for(SU), url, VALID).get_data(as_text=True))
    kept = Path(app.config["INSTANCE_PATH"]) / "imports" / f"{fields['token']}.json"
    three_hours_ago = time.time() - 3 * 3600
    os.utime(kept, (three_hours_ago, three_hours_ago))
    before = count(Membership)
    assert client_for(SU).post(f"{url}/confirm", data=fields).status_code == 410
    assert count(Membership) == before
    assert not kept.exists()


def test_a_nameless_empty_column_is_ignored_and_a_value_under_it_is_a_problem(client_for, url):
    ok = upload(client_for(SU), url, csv_text("member_kind,country,starts_on,,", "government,Iceland,2011-01-01,,"))
    assert ok.status_code == 200
    page = upload(
        client_for(SU), url, csv_text("member_kind,country,starts_on,", "government,Iceland,2011-01-01,oops")
    ).get_data(as_text=True)
    assert "Line 2</a>: This line has a value in a column without a name on the first line." in page


@pytest.mark.parametrize("page", ["/cycles/2010/team-matrix/import", OUTCOMES, "memberships"])
def test_each_template_is_read_back_as_a_file_of_its_import(client_for, url, page):
    page = url if page == "memberships" else page
    template = client_for(SU).get(f"{page}/template.csv")
    assert template.status_code == 200
    assert template.data.startswith("\ufeff".encode())
    preview = upload(client_for(SU), page, template.data, "template.csv")
    text = preview.get_data(as_text=True)
    assert "The first line must name the columns" not in text
    assert 'id="line-2"' in text  # its example line, checked like any other
