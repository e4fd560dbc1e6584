"""Personal API tokens: a user creates, names and revokes their own; the API finds the user from one."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.api.models import ApiToken
from forum.core import audit
from forum.core.audit import AuditVerb
from forum.core.dates import utcnow
from forum.core.errors import NotFound, ValidationFailed
from forum.core.i18n import gettext as _
from forum.directory.models import User
from forum.extensions import db

MAX_ACTIVE_TOKENS = 10


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc()))
    )


def create_token(user: User, name: str) -> str:
    """A new token for the user; the raw value is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed({"name": _("Give the token a name of up to 80 characters.")})
    active = db.session.scalar(
        sa.select(sa.func.count(ApiToken.id)).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationFailed({"name": _("You have %(n)d active tokens; revoke one first.", n=MAX_ACTIVE_TOKENS)})
    raw = "gfmd_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=raw[5:13], token_hash=_hash(raw))
    db.session.add(token)
    audit.record(user, AuditVerb.CREATE, token, {"name": [None, name]})
    db.session.commit()
    return raw


def revoke_token(user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens; another user's token does not exist for them."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(user, AuditVerb.UPDATE, token, {"revoked_at": [None, token.revoked_at.isoformat()]})
        db.session.commit()


def user_for_bearer(header: str | None) -> User | None:
    """The active user an `Authorization: Bearer …` header names, or None."""
    if not header or not header.startswith("Bearer "):
        return None
    token = db.session.scalar(
        sa.select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == _hash(header.removeprefix("Bearer ").strip()), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    return token.user
