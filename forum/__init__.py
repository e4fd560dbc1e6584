"""The GFMD Forum application factory."""

from __future__ import annotations

import importlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from celery import Celery, Task
from flask import Flask, has_request_context, request, session
from werkzeug.routing import IntegerConverter

from config.settings import BaseConfig, config_from_env

ROOT = Path(__file__).resolve().parent.parent

#: every area's views module exposes `bp`; a new area adds one line here
BLUEPRINTS = (
    "forum.core.views",
    "forum.auth.views",
    "forum.directory.views",
    "forum.structure.views",
    "forum.api.views",
    "forum.reports.views",
    "forum.meetings.views",
    "forum.notifications.views",
    "forum.roundtables.views",
    "forum.papers.views",
    "forum.partnerships.views",
    "forum.outcomes.views",
    "forum.search.views",
    "forum.imports.views",
)

#: the interface languages in the switcher's order, each named in itself; a new language also needs its
#: catalogue (`pybabel init -l xx -d forum/translations`) and its translations
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية", "zh": "中文", "ru": "Русский"}
RIGHT_TO_LEFT = frozenset({"ar"})


def create_app(config: BaseConfig | Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=None,
    )
    settings = config if isinstance(config, BaseConfig) else config_from_env()
    settings.validate()
    app.config.from_object(settings)
    if isinstance(config, Mapping):
        app.config.update(config)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _init_celery(app)
    app.url_map.converters["int"] = DatabaseIntConverter
    for module_name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(module_name).bp)

    from forum.core import web

    web.init_app(app)

    from forum.demo.cli import forum_cli

    app.cli.add_command(forum_cli)
    return app


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in every route, bounded to what an id column holds: a larger number is a 404, not an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _select_locale() -> str:
    """The reader's choice (the switcher's cookie), else the browser's preference, else English."""
    if not has_request_context():
        return "en"
    chosen = request.cookies.get("lang") or session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    # the browser's languages best first, by their primary tag: "ar-MA, fr;q=0.5" reads Arabic, "zh-CN" Chinese
    for tag, _quality in request.accept_languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return "en"


def _init_extensions(app: Flask) -> None:
    from forum.core import cache, i18n
    from forum.extensions import babel, csrf, db, limiter, login_manager

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    i18n.install_in_templates(app.jinja_env)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "basic"

    with app.app_context():
        _configure_sqlite(db.engine)
        cache.track_writes(db.engine)
        _ping_when_idle(db.engine)
        _keep_prepared_statements(app, db.engine)

    # Import every model module so the metadata (Alembic, relationships) is complete.
    for module in (
        "forum.core.audit",
        "forum.core.outbox",
        "forum.directory.models",
        "forum.structure.models",
        "forum.api.models",
        "forum.meetings.models",
        "forum.roundtables.models",
        "forum.papers.models",
        "forum.partnerships.models",
        "forum.notifications.models",
        "forum.outcomes.models",
        "forum.search.models",
    ):
        importlib.import_module(module)

    @login_manager.user_loader
    def load_user(identity: str):
        from forum.notifications.services import user_with_unread_count

        user_id, _, epoch = identity.partition(":")
        if not user_id.isdigit() or not epoch.isdigit():
            return None
        # the navigation bar's unread count comes in the same query
        user = db.session.scalar(user_with_unread_count(), {"user_id": int(user_id)})
        if user is None or not user.is_active or user.session_epoch != int(epoch):
            return None
        return user


def _configure_sqlite(engine) -> None:
    """Foreign keys on, WAL for web + worker side by side, and pysqlite's SAVEPOINT fix from the SQLAlchemy docs."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # straight to the driver: a BEGIN is not a write to track (forum.core.cache)
        conn.connection.driver_connection.execute("BEGIN")


#: a pooled connection idle longer than this is checked before it is used again
IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine) -> None:
    """The pool's liveness check, for a connection that sat idle for a while: one that fails it (the database
    restarted, the link dropped) is replaced before the request uses it. SQLAlchemy's pool_pre_ping checks every
    connection on every use, a round trip per request (a fifth of a millisecond on PostgreSQL); a connection lost
    while the app is busy fails one request with the error page, and the pool replaces its connections."""
    from sqlalchemy import event, exc

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        record.info["forum_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, proxy):
        idle_since = record.info.get("forum_idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("the pooled connection failed its liveness check") from error


def _keep_prepared_statements(app: Flask, engine) -> None:
    """A request that only read ends its transaction with COMMIT, not ROLLBACK, on PostgreSQL.

    psycopg prepares a statement the fifth time a connection runs it, so PostgreSQL parses and plans it once, and
    drops every prepared statement on ROLLBACK (a rolled-back transaction may have dropped what they name). The
    session ends each request with a ROLLBACK, so nothing was ever prepared: each of a page's queries was planned
    afresh (the follow-up review's fifteen, 7 ms of its 14 ms of SQL). Committing a transaction that wrote nothing
    changes nothing in the database; a transaction that ran anything but a SELECT, left changes unflushed or ended
    in an error is rolled back as before (what ran is tracked by forum.core.cache.track_writes)."""
    if engine.dialect.name != "postgresql":
        return
    from sqlalchemy.exc import SQLAlchemyError

    from forum.extensions import db

    @app.teardown_request
    def _commit_reads(error):
        session = db.session()
        transaction = session.get_transaction()
        if error is not None or transaction is None or session.new or session.dirty or session.deleted:
            return
        connections = transaction.connections  # reading it never opens a connection
        if not connections or any(conn.info.get("forum_wrote", True) for conn in connections):
            return
        try:
            session.commit()
        except SQLAlchemyError:
            app.logger.warning("COMMIT of a read-only request failed; the session rolls it back", exc_info=True)


def _broker_options(url: str) -> dict:
    """Short timeouts and a single connection attempt for a network broker, so a request never waits on a dead one
    (the outbox sweep sends what could not be handed over); the SQLite broker takes none. The worker and beat
    reconnect by their own settings (broker_connection_retry)."""
    if url.startswith(("redis", "amqp")):
        return {"socket_timeout": 2, "socket_connect_timeout": 2, "max_retries": 0}
    return {}


def _init_celery(app: Flask) -> None:
    """Celery bound to the app as in Flask's celery_init_app: each task runs in an app context."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    from workers.schedule import BEAT_SCHEDULE

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        broker_transport_options=_broker_options(app.config["CELERY_BROKER_URL"]),
        beat_schedule=BEAT_SCHEDULE,
        task_always_eager=app.config.get("CELERY_TASK_ALWAYS_EAGER", False),
        imports=("forum.core.tasks", "forum.notifications.tasks"),
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
