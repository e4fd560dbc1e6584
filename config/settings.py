"""Settings classes. Every value comes from the environment; nothing is read at import time."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - production refuses to start with it
DEFAULT_DEMO_PASSWORD = "demo-password"  # noqa: S105 - accepted only outside production


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


#: PostgreSQL settings for each connection the app opens. The pages' queries join a handful of tables each, in
#: the order they are written (the filtered table first, then what each row names); searching every join order
#: cost PostgreSQL more time than running the query (the follow-up review's fifteen queries: 14 ms of planning,
#: 4 ms in the written order), so the planner keeps the written order. The database fits in memory, so an index
#: lookup costs little more than a sequential read (PostgreSQL's documentation advises a lower random_page_cost
#: then): with the default, the review's progress chart read all 60,000 status updates (11 ms) rather than its
#: cycle's few through their index (1 ms).
POSTGRESQL_OPTIONS = "-c join_collapse_limit=1 -c random_page_cost=1.1"


def engine_options(database_url: str) -> dict:
    """The pool checks a connection's liveness only after it sat idle (forum._ping_when_idle), not on every use."""
    options: dict = {}
    if database_url.startswith("postgresql"):
        options["connect_args"] = {"options": POSTGRESQL_OPTIONS}
    return options


class BaseConfig:
    """What every environment shares; subclasses change only what differs."""

    ENV_NAME = "base"

    def __init__(self) -> None:
        instance = Path(_env("FORUM_INSTANCE_PATH", str(ROOT / "instance")))
        self.INSTANCE_PATH = str(instance)
        self.SECRET_KEY = _env("SECRET_KEY", DEFAULT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{instance / 'forum.sqlite'}")
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.CELERY_BROKER_URL = _env("CELERY_BROKER_URL", f"sqla+sqlite:///{instance / 'celery-broker.sqlite'}")
        self.MAIL_URL = _env("MAIL_URL")
        self.MAIL_SENDER = _env("MAIL_SENDER", "GFMD Forum <no-reply@example.org>")
        self.MAIL_FOLDER = _env("MAIL_FOLDER", str(instance / "mail"))
        self.UPLOAD_FOLDER = _env("UPLOAD_FOLDER", str(instance / "uploads"))
        self.MAX_UPLOAD_MB = int(_env("FORUM_MAX_UPLOAD_MB", "20"))
        self.MAX_CONTENT_LENGTH = (self.MAX_UPLOAD_MB + 1) * 1024 * 1024
        self.DEMO_PASSWORD = _env("FORUM_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
        self.SIGN_IN_RATE_LIMIT = _env("FORUM_SIGN_IN_RATE_LIMIT", "10 per minute")
        self.LOCKOUT_THRESHOLD = int(_env("FORUM_LOCKOUT_THRESHOLD", "5"))
        self.LOCKOUT_MINUTES = int(_env("FORUM_LOCKOUT_MINUTES", "15"))
        self.INVITATION_DAYS = int(_env("FORUM_INVITATION_DAYS", "7"))
        self.BASE_URL = _env("FORUM_BASE_URL", "http://127.0.0.1:5000")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = False
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.WTF_CSRF_TIME_LIMIT = None
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_DEFAULT_TIMEZONE = "UTC"
        self.TESTING = False

    def validate(self) -> None:
        """Raise if the configuration would be unsafe; only production checks anything."""


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"


class TestConfig(BaseConfig):
    ENV_NAME = "test"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.RATELIMIT_ENABLED = True
        self.CELERY_TASK_ALWAYS_EAGER = False


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.DEMO_PASSWORD = None

    def validate(self) -> None:
        if not self.SECRET_KEY or self.SECRET_KEY == DEFAULT_SECRET_KEY or len(self.SECRET_KEY) < 32:
            raise RuntimeError("Refusing to start: set SECRET_KEY to a random value of at least 32 characters.")
        if _env("FORUM_DEMO_PASSWORD"):
            raise RuntimeError("Refusing to start: FORUM_DEMO_PASSWORD must not be set in production.")
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            raise RuntimeError("Refusing to start: set DATABASE_URL to a PostgreSQL database.")


CONFIGS = {c.ENV_NAME: c for c in (DevelopmentConfig, TestConfig, ProductionConfig)}


def config_from_env() -> BaseConfig:
    name = _env("FORUM_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"FORUM_ENV must be one of {sorted(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]()
