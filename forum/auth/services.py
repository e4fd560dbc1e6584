"""Accounts: creation, invitation, one-time tokens, sign-in with lockout, password changes.

A user's roles are memberships (forum.structure); an invitation records them as memberships starting today,
so what the new user may do is decided by the permission function like everyone else's.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from forum.auth.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from forum.core import audit
from forum.core.audit import AuditVerb
from forum.core.dates import is_valid_timezone, today, utcnow
from forum.core.errors import ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.outbox import queue_mail
from forum.core.pagination import Page, paginate
from forum.core.permissions import Action, forget_principal, require
from forum.directory import services as directory
from forum.directory.models import AccountToken, Country, Organisation, Person, TokenPurpose, User
from forum.extensions import db
from forum.structure import services as structure
from forum.structure.models import Body, MemberKind, Membership, MembershipRole


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _account_errors(
    *,
    person_id: int | None,
    email: str,
    acts_for_country_id: int | None,
    acts_for_organisation_id: int | None,
) -> dict[str, str]:
    """What is wrong with these account details (field -> message); a person_id of None is not checked."""
    errors = {}
    if person_id is not None:
        if db.session.get(Person, person_id) is None:
            errors["person_id"] = _("Choose a person from the directory.")
        elif db.session.scalar(sa.select(User.id).where(User.person_id == person_id)) is not None:
            errors["person_id"] = _("This person already has an account.")
    if not email:
        errors["email"] = _("Give the e-mail address of the account.")
    elif db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email)) is not None:
        errors["email"] = _("Another account already uses this e-mail address.")
    if acts_for_country_id is not None and db.session.get(Country, acts_for_country_id) is None:
        errors["acts_for_country_name"] = _("Unknown country.")
    if acts_for_organisation_id is not None and db.session.get(Organisation, acts_for_organisation_id) is None:
        errors["acts_for_organisation_id"] = _("Choose an organisation from the list.")
    if acts_for_country_id is not None and acts_for_organisation_id is not None:
        errors["acts_for_organisation_id"] = _("Choose a government or an organisation, not both.")
    return errors


def create_account(
    actor: Any,
    *,
    person_id: int,
    email: str,
    password: str | None = None,
    acts_for_country_id: int | None = None,
    acts_for_organisation_id: int | None = None,
) -> User:
    """An account for an existing person; without a password it can only be opened through an invitation.

    Flushes only: the caller commits (the demo loader, or invite_account with the rest of the invitation).
    """
    require(actor, Action.ACCOUNT_INVITE)
    email = _normalise_email(email)
    if person_id is None:
        raise ValidationFailed({"person_id": _("Choose a person from the directory.")})
    errors = _account_errors(
        person_id=person_id,
        email=email,
        acts_for_country_id=acts_for_country_id,
        acts_for_organisation_id=acts_for_organisation_id,
    )
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


# ---------------------------------------------------------------------------------------------- invitations


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _issue_token(user: User, purpose: TokenPurpose, days: int) -> str:
    """A new one-time token; earlier unused tokens of the same purpose stop working."""
    now = utcnow()
    db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id, purpose=purpose, token_hash=_token_hash(raw), expires_at=now + timedelta(days=days)
        )
    )
    return raw


def _link(endpoint_path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + endpoint_path


def _send_invitation(actor: Any, user: User) -> None:
    days = current_app.config["INVITATION_DAYS"]
    raw = _issue_token(user, TokenPurpose.INVITATION, days)
    queue_mail(
        user.email,
        "invitation",
        link=_link(f"/welcome/{raw}"),
        person_name=user.person.name,
        inviter=str(actor),
        days=days,
    )


def _role_rows(
    rows: Sequence[tuple[int | None, str | None]], acts_for_country_id: int | None, errors: dict[str, str]
) -> list[tuple[int, Body, MembershipRole]]:
    """The filled rows of an invitation's roles as (row number, body, role); problems go into `errors`, keyed by
    the row's field so the form shows them beside it. Blank rows are skipped."""
    chosen: list[tuple[int, Body, MembershipRole]] = []
    seen: set[tuple[int, MembershipRole]] = set()
    for index, (body_id, role_value) in enumerate(rows):
        if not body_id and not role_value:
            continue
        body = db.session.get(Body, body_id) if body_id else None
        try:
            role = MembershipRole(role_value) if role_value else None
        except ValueError:
            role = None
            errors[f"roles-{index}-role"] = _("Choose a role from the list.")
        if body is None:
            errors[f"roles-{index}-body_id"] = _("Choose the body in which the person holds this role.")
        if role is None:
            errors.setdefault(f"roles-{index}-role", _("Choose the role this person holds in the body."))
        if body is None or role is None:
            continue
        if (body.id, role) in seen:
            errors[f"roles-{index}-role"] = _("This role in this body is already given above.")
            continue
        seen.add((body.id, role))
        if role == MembershipRole.FOCAL_POINT and acts_for_country_id is None:
            errors.setdefault("acts_for_country_name", _("A focal point acts for a government: name it."))
        chosen.append((index, body, role))
    return chosen


def invite_account(
    actor: Any,
    *,
    email: str,
    person_id: int | None = None,
    new_person_name: str | None = None,
    new_person_organisation_id: int | None = None,
    new_person_country_id: int | None = None,
    acts_for_country_id: int | None = None,
    acts_for_organisation_id: int | None = None,
    roles: Sequence[tuple[int | None, str | None]] = (),
) -> User:
    """Create an account without a password for a person of the directory (or a new one), record each of their
    roles as a membership from today, and mail a one-time link to choose a password. All of it, or nothing."""
    require(actor, Action.ACCOUNT_INVITE)
    email = _normalise_email(email)
    new_person_name = (new_person_name or "").strip() or None
    errors: dict[str, str] = {}
    if person_id is not None and new_person_name:
        errors["new_person_name"] = _("Choose a person from the list or give a new name, not both.")
    elif person_id is None and not new_person_name:
        errors["person_id"] = _("Choose a person from the directory, or give the name of someone new below.")
    elif new_person_name:
        require(actor, Action.DIRECTORY_EDIT)
        if directory.find_person(new_person_name) is not None:
            errors["new_person_name"] = _("Someone of this name is already in the directory: choose them above.")
        if new_person_organisation_id is not None and db.session.get(Organisation, new_person_organisation_id) is None:
            errors["new_person_organisation_id"] = _("Choose an organisation from the list.")
        if new_person_country_id is not None and db.session.get(Country, new_person_country_id) is None:
            errors["new_person_country_name"] = _("Unknown country.")
    errors.update(
        _account_errors(
            person_id=person_id,
            email=email,
            acts_for_country_id=acts_for_country_id,
            acts_for_organisation_id=acts_for_organisation_id,
        )
    )
    chosen = _role_rows(roles, acts_for_country_id, errors)
    if errors:
        raise ValidationFailed(errors)
    if new_person_name:
        person = Person(
            name=new_person_name, organisation_id=new_person_organisation_id, country_id=new_person_country_id
        )
        db.session.add(person)
        db.session.flush()
        audit.record(
            actor,
            AuditVerb.CREATE,
            person,
            {
                "name": [None, new_person_name],
                "organisation_id": [None, new_person_organisation_id],
                "country_id": [None, new_person_country_id],
            },
            note="added with an account invitation",
        )
        person_id = person.id
    user = create_account(
        actor,
        person_id=person_id,
        email=email,
        acts_for_country_id=acts_for_country_id,
        acts_for_organisation_id=acts_for_organisation_id,
    )
    for index, body, role in chosen:
        try:
            structure.add_membership(
                actor,
                body,
                member_kind=MemberKind.PERSON,
                person_id=person_id,
                on_behalf_of_country_id=acts_for_country_id if role == MembershipRole.FOCAL_POINT else None,
                role=role,
                starts_on=today(),
                note=_("Recorded with the account invitation."),
            )
        except ValidationFailed as refused:  # e.g. the person already holds this role: say so on the row
            raise ValidationFailed({f"roles-{index}-role": " ".join(refused.errors.values())}) from None
    _send_invitation(actor, user)
    audit.record(actor, AuditVerb.ACCOUNT, user, note="invitation sent")
    db.session.commit()
    return user


def resend_invitation(actor: Any, user: User) -> None:
    require(actor, Action.ACCOUNT_INVITE, user)
    if user.password_hash:
        raise ValidationFailed({"": _("This account is already open; the person can reset their password.")})
    _send_invitation(actor, user)
    audit.record(actor, AuditVerb.ACCOUNT, user, note="invitation sent again")
    db.session.commit()


def set_active(actor: Any, user: User, active: bool) -> None:
    """Deactivate (signing the user out everywhere) or reactivate an account."""
    require(actor, Action.ACCOUNT_INVITE, user)
    if getattr(actor, "id", None) == user.id and not active:
        raise ValidationFailed({"": _("You cannot deactivate your own account.")})
    if user.is_active == active:
        return
    user.is_active = active
    user.session_epoch += 1
    audit.record(actor, AuditVerb.ACCOUNT, user, {"is_active": [not active, active]})
    db.session.commit()


@dataclass(frozen=True)
class TokenCheck:
    user: User | None
    problem: str = ""


def check_token(raw: str, purpose: TokenPurpose) -> TokenCheck:
    """Whether a one-time link still works, and for whom; never says more than the link's holder needs."""
    token = db.session.scalar(
        sa.select(AccountToken)
        .options(joinedload(AccountToken.user))
        .where(AccountToken.token_hash == _token_hash(raw or ""), AccountToken.purpose == purpose)
    )
    if token is None:
        return TokenCheck(None, _("This link is not valid. Ask the Support Unit for a new one."))
    if token.used_at is not None:
        return TokenCheck(None, _("This link has already been used. Sign in, or ask for a new link."))
    if token.expires_at <= utcnow():
        return TokenCheck(None, _("This link has expired. Ask the Support Unit for a new one."))
    if not token.user.is_active:
        return TokenCheck(None, _("This account is not active."))
    return TokenCheck(token.user)


def _validate_new_password(password: str, confirm: str, field: str = "password") -> None:
    if len(password or "") < MIN_LENGTH:
        raise ValidationFailed({field: _("Use at least %(n)d characters.", n=MIN_LENGTH)})
    if len(password) > 256:
        raise ValidationFailed({field: _("Use at most 256 characters.")})
    if password != confirm:
        raise ValidationFailed({"confirm": _("The two passwords are not the same.")})


def redeem_token(raw: str, purpose: TokenPurpose, password: str, confirm: str) -> User:
    """Set the password through a one-time link; the link then stops working."""
    check = check_token(raw, purpose)
    if check.user is None:
        raise ValidationFailed({"": check.problem})
    _validate_new_password(password, confirm)
    user = check.user
    claimed = db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.token_hash == _token_hash(raw), AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if not claimed:
        raise ValidationFailed({"": _("This link has already been used. Sign in, or ask for a new link.")})
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    user.failed_sign_ins = 0
    user.locked_until = None
    audit.record(user, AuditVerb.ACCOUNT, user, note=f"password set through {purpose.value} link")
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this address; the caller answers the same either way."""
    user = db.session.scalar(sa.select(User).where(User.email == _normalise_email(email), User.is_active.is_(True)))
    if user is None or not user.password_hash:
        return
    raw = _issue_token(user, TokenPurpose.PASSWORD_RESET, 1)
    queue_mail(user.email, "password_reset", link=_link(f"/password/reset/{raw}"), person_name=user.person.name)
    db.session.commit()


# ------------------------------------------------------------------------------------------------ sign-in


def authenticate(email: str, password: str) -> User:
    """The user these credentials open, or ValidationFailed with one message that says nothing about which part
    was wrong. Consecutive failures lock the account for a while."""
    refused = ValidationFailed({"": _("The e-mail address or the password is not right.")})
    user = db.session.scalar(sa.select(User).where(User.email == _normalise_email(email)))
    if user is None:
        verify_password(None, password)
        raise refused
    now = utcnow()
    if user.is_locked(now):
        raise ValidationFailed(
            {"": _("Too many failed attempts: this account is locked for a while. Try again later.")}
        )
    if not user.is_active or not verify_password(user.password_hash, password):
        user.failed_sign_ins += 1
        config = current_app.config
        if user.failed_sign_ins >= config["LOCKOUT_THRESHOLD"]:
            user.locked_until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
            user.failed_sign_ins = 0
            audit.record(user, AuditVerb.ACCOUNT, user, note="locked after repeated failed sign-ins")
        db.session.commit()
        raise refused
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    audit.record(user, AuditVerb.SIGN_IN, user)
    db.session.commit()
    return user


def change_password(user: User, *, current: str, new: str, confirm: str) -> User:
    """Change one's own password; every other session of this user ends (the session epoch moves)."""
    if not verify_password(user.password_hash, current):
        raise ValidationFailed({"current": _("This is not your current password.")})
    _validate_new_password(new, confirm, "new")
    if new == current:
        raise ValidationFailed({"new": _("Choose a password different from the current one.")})
    user.password_hash = hash_password(new)
    user.session_epoch += 1
    audit.record(user, AuditVerb.ACCOUNT, user, note="password changed")
    db.session.commit()
    return user


def roles_of_user(user: User) -> tuple[list[Membership], list[Membership]]:
    """The memberships of the user's person for the profile: (held today, held at other times)."""
    roles = structure.roles_of(MemberKind.PERSON, user.person_id)
    day = today()
    return [m for m in roles if m.active_on(day)], [m for m in roles if not m.active_on(day)]


def set_timezone(user: User, zone: str) -> None:
    if not is_valid_timezone(zone):
        raise ValidationFailed({"timezone": _("Choose a time zone from the list.")})
    user.timezone = zone
    db.session.commit()
    forget_principal(user)


# ------------------------------------------------------------------------------------------------- pages


def account_page(actor: Any, *, search: str | None, page: int) -> Page:
    require(actor, Action.ACCOUNT_INVITE)
    stmt = (
        sa.select(User)
        .join(Person, Person.id == User.person_id)
        .options(
            joinedload(User.acts_for_country),
            joinedload(User.acts_for_organisation),
            selectinload(User.tokens),
        )
        .order_by(Person.name)
    )
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Person.name).like(like), sa.func.lower(User.email).like(like)))
    return paginate(stmt, page)


def invitation_state(user: User) -> str:
    """'open' once a password is set, else 'pending' or 'expired' from the newest invitation."""
    if user.password_hash:
        return "open"
    invitations = [t for t in user.tokens if t.purpose == TokenPurpose.INVITATION]
    newest = max(invitations, key=lambda t: t.created_at, default=None)
    if newest is None or newest.used_at is not None or newest.expires_at <= utcnow():
        return "expired"
    return "pending"
