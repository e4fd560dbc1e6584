"""Reminders end to end with the real components, as production runs them: a Celery worker process on a Redis
broker, the web application under gunicorn, mail over SMTP to a local aiosmtpd sink, all on 127.0.0.1.

The test starts its own redis-server (so it can stop and restart it), its own SMTP sink and its own database
(the other tests' rolled-back transaction is invisible to a worker process). The sweeps are sent through the
broker as beat sends them. `make test-delivery` runs it; CI runs that on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from celery import Celery
from sqlalchemy.orm import Session

from config.settings import ROOT
from forum.core.dates import utcnow
from forum.core.outbox import MailMessage, MailStatus
from forum.directory.models import Country
from forum.notifications.models import ReminderRule
from forum.roundtables.models import ChecklistItem, ItemStatus, OwnerRole, RoleKind, SessionRole
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.delivery

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
MEXICO = "focal.mexico@example.org"
TITLE_A = "Delivery check A: concept note circulated"
TITLE_B = "Delivery check B: speakers confirmed"
#: a page must answer within this while Redis is down (the issue's figure)
PAGE_SECONDS = 2.0


# ------------------------------------------------------------------------------------------------ helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return f"({path.name}: nothing written)"
    return f"--- last lines of {path.name} ---\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_until(check: Callable[[], object], timeout: float, what: str, logs: tuple[Path, ...] = ()) -> object:
    """Poll `check` until it returns something truthy; fail with the logs after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\n" + "\n".join(tail(p) for p in logs))


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def redis_server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (Debian package redis-server; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: the end-to-end delivery check cannot run.", pytrace=False)
        pytest.skip(message)
    return binary


class RedisProcess:
    """A redis-server of our own on a free loopback port, without persistence, that we can stop and restart."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary, self.workdir, self.port = binary, workdir, free_port()
        self.log = workdir / "redis.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host=HOST, port=self.port, socket_timeout=1, socket_connect_timeout=1)

    def answers(self) -> bool:
        try:
            with self.client() as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed command line of our own
                [self.binary, "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no"],
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(self.answers, 15, f"redis-server on port {self.port}", (self.log,))

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
        assert not self.answers()

    def backlog(self) -> int:
        """Tasks not yet finished: waiting in the queue, or delivered to the worker and not yet acknowledged."""
        with self.client() as client:
            return client.llen("celery") + client.hlen("unacked")


class Sink:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def about(self, text: str) -> list[email.message.EmailMessage]:
        return [m for m in list(self.messages) if text in m["Subject"]]


def send_task(broker_url: str, name: str) -> None:
    """What beat does every few minutes: put the periodic task on the broker for the worker."""
    with Celery("delivery-probe", broker=broker_url, set_as_current=False) as probe:
        probe.conf.broker_connection_timeout = 2
        probe.send_task(name)


# ----------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisProcess]:
    server = RedisProcess(redis_server_binary(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            stop(server.process)


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    controller = Controller(sink, hostname=HOST, port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


@pytest.fixture
def stack(tmp_path, redis_server, smtp_sink):
    """A fresh migrated database with the demo data, then gunicorn and a Celery worker on it."""
    sink, smtp_port = smtp_sink
    web_port = free_port()
    database_url = fresh_database_url(tmp_path, "delivery")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORUM_", "CELERY_", "MAIL_"))}
    env.update(
        FORUM_ENV="development",
        FORUM_INSTANCE_PATH=str(tmp_path / "instance"),
        DATABASE_URL=database_url,
        MAIL_URL=f"smtp://{HOST}:{smtp_port}",
        FORUM_BASE_URL=f"http://{HOST}:{web_port}",
        PYTHONUNBUFFERED="1",
    )
    setup_log = tmp_path / "setup.log"
    with setup_log.open("ab") as log:
        for command in (["alembic", "upgrade", "heads"], ["flask", "--app", "wsgi", "forum", "demo"]):
            # the demo's own mail is not this test's business: a broker that keeps nothing
            done = subprocess.run(  # noqa: S603 - fixed command lines of our own
                [str(BIN / command[0]), *command[1:]],
                cwd=ROOT,
                env=env | {"CELERY_BROKER_URL": "memory://"},
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=180,
                check=False,
            )
            assert done.returncode == 0, f"{' '.join(command)} failed\n{tail(setup_log)}"
    engine = sa.create_engine(database_url)
    items = _prepare_scenario(engine)

    env["CELERY_BROKER_URL"] = redis_server.url
    processes: list[subprocess.Popen] = []
    logs = {name: tmp_path / f"{name}.log" for name in ("worker", "web")}
    worker = ["--pool", "solo", "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    commands = {
        "worker": ["celery", "-A", "workers.celery_app", "worker", *worker, "-n", f"delivery{web_port}@%h"],
        "web": ["gunicorn", "--workers", "1", "--bind", f"{HOST}:{web_port}", "wsgi:app"],
    }
    try:
        for name, command in commands.items():
            with logs[name].open("ab") as log:
                processes.append(
                    subprocess.Popen(  # noqa: S603 - fixed command lines of our own
                        [str(BIN / command[0]), *command[1:]], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                )
        base = f"http://{HOST}:{web_port}"
        wait_until(lambda: "ready." in logs["worker"].read_text(errors="replace"), 60, "the worker", (logs["worker"],))
        wait_until(lambda: _answers(f"{base}/hello"), 60, "gunicorn", (logs["web"],))
        yield {
            "engine": engine,
            "env": env,
            "base": base,
            "items": items,
            "sink": sink,
            "redis": redis_server,
            "worker": processes[0],
            "logs": tuple(logs.values()) + (redis_server.log,),
        }
    finally:
        for process in processes:
            stop(process)
        engine.dispose()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def _prepare_scenario(engine: sa.Engine) -> dict[str, int]:
    """One rule of our own (the demo's switched off); item A due in two days, reminded three days before, so it
    is due now in every recipient's time zone; item B without a date until Redis is down. The demo's queued
    mail is marked sent so the sink receives only this test's messages."""
    with Session(engine) as session:
        session.execute(sa.update(ReminderRule).values(is_active=False))
        session.execute(
            sa.update(MailMessage).where(MailMessage.status != MailStatus.SENT).values(status=MailStatus.SENT)
        )
        session.add(
            ReminderRule(
                kind="checklist_item",
                name="Delivery check",
                offset_days=-3,
                repeat_days=None,
                recipient_roles="owner",
                subject_template="Reminder: {title} is due on {due_date}",
                body_template="Dear {recipient_name},\n\n{title} ({session}) is due on {due_date}.\n\n{link}",
                is_mandatory=False,
                is_active=True,
            )
        )
        a, b = session.scalars(
            sa.select(ChecklistItem)
            .join(
                SessionRole,
                sa.and_(SessionRole.session_id == ChecklistItem.session_id, SessionRole.kind == RoleKind.CO_CHAIR),
            )
            .join(Country, Country.id == SessionRole.country_id)
            .where(Country.name == "Mexico", ChecklistItem.owner_role == OwnerRole.CO_CHAIRS)
            .order_by(ChecklistItem.id)
            .limit(2)
        ).all()
        # everything else in the checklists is done, so this rule reminds of A and B only
        session.execute(sa.update(ChecklistItem).values(status=ItemStatus.DONE))
        a.status, a.na_reason, a.title, a.due_on = ItemStatus.OPEN, "", TITLE_A, utcnow().date() + timedelta(days=2)
        b.status, b.na_reason, b.title, b.due_on = ItemStatus.OPEN, "", TITLE_B, None
        session.commit()
        return {"a": a.id, "b": b.id}


def _mail(engine: sa.Engine, subject_contains: str) -> list[MailMessage]:
    with Session(engine) as session:
        return list(
            session.scalars(
                sa.select(MailMessage).where(MailMessage.subject.contains(subject_contains)).order_by(MailMessage.id)
            )
        )


def _timed(call: Callable[[], requests.Response]) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# ---------------------------------------------------------------------------------------------------- test


def test_a_due_reminder_reaches_the_mail_server_and_survives_redis_going_down_exactly_once(stack):
    engine, sink, broker, logs = stack["engine"], stack["sink"], stack["redis"], stack["logs"]

    # 1. Redis up: the sweep (sent through Redis as beat sends it) finds A due; the worker delivers it over SMTP
    send_task(broker.url, "notifications.sweep_due")
    delivered = wait_until(lambda: sink.about(TITLE_A), 60, "reminder A at the SMTP sink", logs)
    assert MEXICO in {m["To"] for m in delivered}
    body = delivered[0].get_content()
    assert f"{stack['base']}/checklist-items/{stack['items']['a']}" in body, "the link leads to the item's page"
    assert "/notifications/preferences/" in body, "every reminder carries the link to change the settings"
    assert {m.status for m in _mail(engine, TITLE_A)} == {MailStatus.SENT}

    # 2. Redis stopped: pages answer promptly, even one whose commit queues mail and then tries the broker
    broker.stop()
    web = requests.Session()
    home, seconds = _timed(lambda: web.get(f"{stack['base']}/", timeout=10))
    assert home.status_code == 200
    assert seconds < PAGE_SECONDS, f"the home page took {seconds:.2f} s with Redis down"
    form = web.get(f"{stack['base']}/password/forgot", timeout=10)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text).group(1)
    forgot, seconds = _timed(
        lambda: web.post(
            f"{stack['base']}/password/forgot",
            data={"csrf_token": token, "email": MEXICO},
            allow_redirects=False,
            timeout=10,
        )
    )
    assert forgot.status_code == 302, forgot.text[:500]
    assert seconds < PAGE_SECONDS, f"a form that queues mail took {seconds:.2f} s with Redis down"

    # B falls due while Redis is down; a sweep run directly (beat cannot reach the worker) queues its reminder
    with Session(engine) as session:
        session.get(ChecklistItem, stack["items"]["b"]).due_on = utcnow().date() + timedelta(days=2)
        session.commit()
    direct = subprocess.run(  # noqa: S603 - a fixed command line of our own
        [
            sys.executable,
            "-c",
            "from workers.celery_app import flask_app\nfrom forum.notifications import services\n"
            "with flask_app.app_context():\n    print('swept', services.sweep())",
        ],
        cwd=ROOT,
        env=stack["env"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert direct.returncode == 0, direct.stderr
    assert "swept 1" in direct.stdout
    assert "broker unavailable" in direct.stderr, "the sweep tried the broker after its commit and carried on"
    reset = _mail(engine, "new password")
    queued = _mail(engine, TITLE_B) + reset
    assert len(queued) == 2
    assert {m.status for m in queued} == {MailStatus.QUEUED}
    time.sleep(1)
    assert sink.about(TITLE_B) == []
    assert len(sink.messages) == len(delivered), "nothing else left while Redis was down"
    assert stack["worker"].poll() is None, "the worker survives the broker going away"

    # 3. Redis back on the same port: the worker reconnects, the mail sweep sends what waited, each exactly once
    broker.start()
    send_task(broker.url, "mail.sweep")
    wait_until(lambda: sink.about(TITLE_B) and sink.about(reset[0].subject), 90, "the queued mail at the sink", logs)
    for name in ("notifications.sweep_due", "mail.sweep", "notifications.sweep_due"):  # beat comes round again
        send_task(broker.url, name)
    wait_until(lambda: broker.backlog() == 0, 60, "the worker to finish every task", logs)

    received = [(m["To"], m["Subject"]) for m in sink.messages]
    assert len(received) == len(set(received)), f"a message arrived twice: {received}"
    assert (MEXICO, reset[0].subject) in received
    assert any(to == MEXICO and TITLE_B in subject for to, subject in received)
    mine = _mail(engine, TITLE_A) + _mail(engine, TITLE_B) + _mail(engine, "new password")
    assert {(m.status, m.attempts) for m in mine} == {(MailStatus.SENT, 1)}
    assert len(sink.messages) == len(mine)
