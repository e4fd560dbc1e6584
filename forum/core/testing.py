"""A test client for in-process requests made while an app context stays pushed (the tests, the benchmark)."""

from __future__ import annotations

from flask import g, has_app_context
from flask_login import FlaskLoginClient


class ForumTestClient(FlaskLoginClient):
    """Each request starts with an empty `g`.

    Flask reuses a pushed app context for requests, so without this `g` (the signed-in user, a bound form)
    would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)
