"""Faults: the database going away mid-request, a worker killed mid-task."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from forum.core import outbox
from forum.core.outbox import MailMessage, MailStatus
from forum.extensions import db
from forum.structure import services as structure


def _connection_lost(*_args, **_kwargs):
    raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


def test_the_database_going_away_mid_request_shows_a_clean_page_and_the_next_request_works(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(structure, "cycles_overview", _connection_lost)
    response = client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"OperationalError" not in response.data
    assert b"server closed" not in response.data
    monkeypatch.undo()
    assert client.get("/").status_code == 200


def test_a_worker_killed_while_sending_leaves_the_message_queued_and_it_is_sent_once(
    app, db_session, tmp_path, monkeypatch
):
    app.config["MAIL_FOLDER"] = str(tmp_path)
    with app.test_request_context():
        message = outbox.queue_mail(
            "someone@example.org", "invitation", link="http://x/y", person_name="Someone", inviter="SU", days=7
        )
    db.session.commit()

    class Killed(BaseException):
        """What SIGKILL looks like from inside: nothing after this line runs, no commit."""

    def killed(_message):
        raise Killed

    monkeypatch.setattr(outbox, "_send", killed)
    with pytest.raises(Killed):
        outbox.deliver(message.id)
    db.session.rollback()  # the worker's transaction dies with it
    monkeypatch.undo()

    stored = db.session.get(MailMessage, message.id)
    assert stored.status == MailStatus.QUEUED
    assert message.id in outbox.queued_ids()
    assert outbox.deliver(message.id) == MailStatus.SENT
    assert outbox.deliver(message.id) == MailStatus.SENT
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_a_write_whose_commit_fails_leaves_nothing_half_written(app, client_for, monkeypatch):
    from forum.core.audit import AuditEntry
    from forum.directory.models import Organisation

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    audit_before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    real_commit = db.session.commit

    def connection_lost_at_commit():
        db.session.rollback()  # what the database does to a transaction whose connection went away
        _connection_lost()

    monkeypatch.setattr(db.session, "commit", connection_lost_at_commit)
    response = client_for("support@example.org").post(
        "/organisations/new", data={"name": "Half-written Example Office", "kind": "other", "country_name": ""}
    )
    monkeypatch.setattr(db.session, "commit", real_commit)
    assert response.status_code == 500
    assert b"Nothing you entered was half-saved" in response.data
    assert (
        db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "Half-written Example Office")) is None
    )
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == audit_before
    again = client_for("support@example.org").post(
        "/organisations/new", data={"name": "Half-written Example Office", "kind": "other", "country_name": ""}
    )
    assert again.status_code == 302


postgresql_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="how a request's transaction ends matters to PostgreSQL's prepared statements only",
)


@contextmanager
def transaction_ends(engine) -> Iterator[list[str]]:
    ends: list[str] = []

    def committed(_conn):
        ends.append("commit")

    def rolled_back(_conn):
        ends.append("rollback")

    sa.event.listen(engine, "commit", committed)
    sa.event.listen(engine, "rollback", rolled_back)
    try:
        yield ends
    finally:
        sa.event.remove(engine, "commit", committed)
        sa.event.remove(engine, "rollback", rolled_back)


@postgresql_only
def test_a_page_that_only_read_commits_so_the_connection_keeps_its_prepared_statements(app):
    with app.app_context():
        engine = db.engine
    with transaction_ends(engine) as ends:
        assert app.test_client().get("/").status_code == 200
    assert ends == ["commit"]


@postgresql_only
def test_a_page_that_wrote_without_committing_is_rolled_back_not_committed(app, monkeypatch):
    from forum.directory.models import Organisation, OrganisationKind

    real_overview = structure.cycles_overview

    def overview_that_writes():
        db.session.add(Organisation(name="Written by a page that reads", kind=OrganisationKind.OTHER))
        db.session.flush()
        return real_overview()

    monkeypatch.setattr(structure, "cycles_overview", overview_that_writes)
    with app.app_context():
        engine = db.engine
    with transaction_ends(engine) as ends:
        assert app.test_client().get("/").status_code == 200
    assert ends == ["rollback"]
    with app.app_context():
        assert db.session.scalar(sa.select(Organisation.id).where(Organisation.name.like("Written by a page%"))) is None


def test_a_pooled_connection_that_died_while_idle_is_replaced_before_a_request_uses_it(app):
    import time

    with app.app_context():
        engine = db.engine
        engine.pool.dispose()  # the pool now holds only the connection made below
        pooled = engine.raw_connection()
        record = pooled._connection_record
        dead = pooled.driver_connection
        pooled.close()  # back to the pool
        dead.close()  # the database side of it is gone
        record.info["forum_idle_since"] = time.monotonic() - 3600
    assert app.test_client().get("/").status_code == 200
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
