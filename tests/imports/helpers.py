"""Helpers for the import tests: upload a file as the browser does, and confirm the preview it answered with."""

from __future__ import annotations

import io
import re
from html import unescape

import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.extensions import db

SU = "support@example.org"
MEXICO = "focal.mexico@example.org"


def csv_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def upload(client, url: str, content: str | bytes, filename: str = "rows.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(url, data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def confirmation(page: str) -> dict[str, str]:
    """The hidden fields of the preview's Confirm form, as the browser would send them back."""
    fields = dict(re.findall(r'<input id="(token|fingerprint)" name="\1" type="hidden" value="([^"]*)"', page))
    assert set(fields) == {"token", "fingerprint"}, "the preview offers no Confirm button"
    return {name: unescape(value) for name, value in fields.items()}


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit_count() -> int:
    return count(AuditEntry)
