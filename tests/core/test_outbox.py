"""The outbox: a message is a row first, delivered after commit, never twice."""

import smtplib

import sqlalchemy as sa

from forum.core import outbox
from forum.core.outbox import MailMessage, MailStatus
from forum.extensions import db


def _queue(app) -> MailMessage:
    with app.test_request_context():
        message = outbox.queue_mail("someone@example.org", "invitation", link="http://127.0.0.1:5000/x",
                                    person_name="Someone", inviter="Support Unit", days=7)
    db.session.commit()
    return message


def test_a_message_is_written_to_the_mail_folder_and_marked_sent_once(app, db_session, tmp_path):
    app.config["MAIL_FOLDER"] = str(tmp_path)
    message = _queue(app)
    assert outbox.deliver(message.id) == MailStatus.SENT
    assert outbox.deliver(message.id) == MailStatus.SENT
    stored = db.session.get(MailMessage, message.id)
    assert stored.attempts == 1
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_a_failed_delivery_is_recorded_and_retried_by_the_sweep(app, db_session, monkeypatch, tmp_path):
    app.config["MAIL_FOLDER"] = str(tmp_path)
    message = _queue(app)

    def refuse(_message):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(outbox, "_send", refuse)
    assert outbox.deliver(message.id) == MailStatus.FAILED
    stored = db.session.get(MailMessage, message.id)
    assert "mail server down" in stored.last_error
    assert message.id in outbox.queued_ids()
    monkeypatch.undo()
    assert outbox.deliver(message.id) == MailStatus.SENT
    assert message.id not in outbox.queued_ids()
    assert db.session.scalar(sa.select(MailMessage.attempts).where(MailMessage.id == message.id)) == 2
