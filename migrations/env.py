"""Alembic environment: the app's metadata, batch mode for SQLite, server defaults compared."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from forum import create_app
from forum.core.models import UTCDateTime
from forum.extensions import db
from forum.search.models import declared_by_models

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _render_item(type_: str, obj, autogen_context):
    """Render our own column types with their import, so generated migrations run as written."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("from forum.core.models import UTCDateTime")
        return "UTCDateTime()"
    return False


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=db.metadata,
        render_item=_render_item,
        render_as_batch=True,
        compare_server_default=True,
        compare_type=True,
        include_object=declared_by_models,
        **kwargs,
    )


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    app = create_app()
    with app.app_context():
        engine = db.engine
        if context.is_offline_mode():
            _configure(url=str(engine.url))
            with context.begin_transaction():
                context.run_migrations()
            return
        with engine.connect() as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()


run_migrations()
