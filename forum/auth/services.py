"""Accounts: creation, invitation, one-time tokens, sign-in with lockout, password changes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from forum.auth.passwords import hash_password
from forum.core import audit
from forum.core.audit import AuditVerb
from forum.core.errors import ValidationFailed
from forum.core.permissions import Action, require
from forum.directory.models import Person, User
from forum.extensions import db


def create_account(
    actor: Any,
    *,
    person_id: int,
    email: str,
    password: str | None = None,
    acts_for_country_id: int | None = None,
    acts_for_organisation_id: int | None = None,
) -> User:
    """An account for an existing person; without a password it can only be opened through an invitation."""
    require(actor, Action.ACCOUNT_INVITE)
    email = email.strip().lower()
    errors = {}
    if db.session.get(Person, person_id) is None:
        errors["person_id"] = "Choose a person from the directory."
    elif db.session.scalar(sa.select(User.id).where(User.person_id == person_id)) is not None:
        errors["person_id"] = "This person already has an account."
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email)) is not None:
        errors["email"] = "Another account already uses this e-mail address."
    if errors:
        raise ValidationFailed(errors)
    user = User(
        person_id=person_id,
        email=email,
        password_hash=hash_password(password) if password else None,
        acts_for_country_id=acts_for_country_id,
        acts_for_organisation_id=acts_for_organisation_id,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, AuditVerb.CREATE, user, {"email": [None, email]})
    return user
