"""Directory services: countries (from ISO 3166), organisations and people."""

from __future__ import annotations

import unicodedata
from typing import Any

import pycountry
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from forum.core.audit import AuditVerb, apply_changes, record, snapshot
from forum.core.errors import NotFound, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.pagination import Page, paginate
from forum.core.permissions import Action, require
from forum.directory.models import Country, Organisation, OrganisationKind, Person
from forum.extensions import db

#: names the forum's documents use where ISO 3166's short name differs
CANONICAL_NAMES = {
    "KR": "Republic of Korea",
    "MD": "Republic of Moldova",
    "US": "United States of America",
    "GB": "United Kingdom",
    "RU": "Russian Federation",
    "IR": "Iran (Islamic Republic of)",
    "VE": "Venezuela (Bolivarian Republic of)",
    "BO": "Bolivia (Plurinational State of)",
    "TZ": "United Republic of Tanzania",
    "VN": "Viet Nam",
    "SY": "Syrian Arab Republic",
    "LA": "Lao People's Democratic Republic",
    "KP": "Democratic People's Republic of Korea",
    "CD": "Democratic Republic of the Congo",
    "TR": "Türkiye",
    "PS": "State of Palestine",
}

#: other names seen in documents, beyond ISO's own name, official name and common name
EXTRA_ALIASES = {
    "AE": ["UAE", "U.A.E."],
    "US": ["USA", "US", "United States", "U.S."],
    "GB": ["UK", "U.K.", "Great Britain", "Britain"],
    "KR": ["South Korea", "Korea", "Korea, Republic of"],
    "MD": ["Moldova", "Moldova, Republic of"],
    "NL": ["The Netherlands", "Holland"],
    "PH": ["The Philippines"],
    "RU": ["Russia"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
}


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for name lookups."""
    stripped = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in stripped.lower()).split()).removeprefix("the ")


def ensure_countries() -> int:
    """Load ISO 3166 countries that are missing; returns how many were added. Idempotent."""
    existing = set(db.session.scalars(sa.select(Country.iso2)))
    added = 0
    for entry in pycountry.countries:
        if entry.alpha_2 in existing:
            continue
        name = CANONICAL_NAMES.get(entry.alpha_2) or getattr(entry, "common_name", None) or entry.name
        aliases = {entry.name, getattr(entry, "official_name", entry.name), getattr(entry, "common_name", entry.name)}
        aliases.update(EXTRA_ALIASES.get(entry.alpha_2, []))
        aliases.discard(name)
        db.session.add(
            Country(
                iso2=entry.alpha_2,
                iso3=entry.alpha_3,
                name=name,
                official_name=getattr(entry, "official_name", None),
                aliases="\n".join(sorted(aliases)),
            )
        )
        added += 1
    db.session.commit()
    return added


def find_country(name: str) -> Country | None:
    """A country by its name, ISO code or any alias the documents use ("UAE", "Republic of Moldova")."""
    wanted = normalise(name)
    if not wanted:
        return None
    for country in db.session.scalars(sa.select(Country)):
        keys = {normalise(country.name), country.iso2.lower(), country.iso3.lower()}
        keys.update(normalise(a) for a in country.alias_list)
        if country.official_name:
            keys.add(normalise(country.official_name))
        if wanted in keys:
            return country
    return None


def country_choices() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in db.session.scalars(sa.select(Country).order_by(Country.name))]


def organisation_choices() -> list[tuple[int, str]]:
    return [(o.id, str(o)) for o in db.session.scalars(sa.select(Organisation).order_by(Organisation.name))]


def person_choices() -> list[tuple[int, str]]:
    return [(p.id, p.name) for p in db.session.scalars(sa.select(Person).order_by(Person.name))]


def find_organisation(name_or_acronym: str) -> Organisation | None:
    wanted = normalise(name_or_acronym)
    for org in db.session.scalars(sa.select(Organisation)):
        keys = {normalise(org.name)} | {normalise(a) for a in org.alias_list}
        if org.acronym:
            keys.add(normalise(org.acronym))
        if wanted in keys:
            return org
    return None


def find_person(name: str) -> Person | None:
    wanted = normalise(name)
    for person in db.session.scalars(sa.select(Person).where(Person.name.is_not(None))):
        if wanted == normalise(person.name) or wanted in {normalise(a) for a in person.alias_list}:
            return person
    return None


def _check_refs(country_id: int | None = None, organisation_id: int | None = None) -> None:
    errors = {}
    if country_id is not None and db.session.get(Country, country_id) is None:
        errors["country_id"] = _("Choose a country from the list.")
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        errors["organisation_id"] = _("Choose an organisation from the list.")
    if errors:
        raise ValidationFailed(errors)



ORGANISATION_FIELDS = ["name", "acronym", "kind", "country_id", "aliases"]


def create_organisation(
    actor: Any,
    *,
    name: str,
    acronym: str | None,
    kind: OrganisationKind,
    country_id: int | None,
    aliases: str = "",
) -> Organisation:
    """Add an organisation; its name must be new."""
    require(actor, Action.DIRECTORY_EDIT)
    _check_refs(country_id=country_id)
    if db.session.scalar(sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == name.lower())):
        raise ValidationFailed({"name": _("An organisation with this name already exists.")})
    org = Organisation(name=name, acronym=acronym or None, kind=kind, country_id=country_id, aliases=aliases)
    db.session.add(org)
    record(actor, AuditVerb.CREATE, org, snapshot(org, ORGANISATION_FIELDS))
    db.session.commit()
    return org


def update_organisation(actor: Any, org: Organisation, *, version_id: int, **values: Any) -> Organisation:
    """Change an organisation's details; a stale form is refused."""
    require(actor, Action.DIRECTORY_EDIT, org)
    org.check_version(version_id)
    _check_refs(country_id=values.get("country_id"))
    name = values.get("name", org.name)
    clash = db.session.scalar(
        sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == name.lower(), Organisation.id != org.id)
    )
    if clash:
        raise ValidationFailed({"name": _("An organisation with this name already exists.")})
    values["acronym"] = values.get("acronym") or None
    changes = apply_changes(org, {k: v for k, v in values.items() if k in ORGANISATION_FIELDS})
    if changes:
        record(actor, AuditVerb.UPDATE, org, changes)
    db.session.commit()
    return org


PERSON_FIELDS = ["honorific", "name", "title", "organisation_id", "country_id", "email", "aliases"]


def create_person(
    actor: Any,
    *,
    name: str,
    honorific: str | None = None,
    title: str | None = None,
    organisation_id: int | None = None,
    country_id: int | None = None,
    email: str | None = None,
    aliases: str = "",
) -> Person:
    """Add a person to the directory."""
    require(actor, Action.DIRECTORY_EDIT)
    _check_refs(country_id=country_id, organisation_id=organisation_id)
    person = Person(
        name=name,
        honorific=honorific or None,
        title=title or None,
        organisation_id=organisation_id,
        country_id=country_id,
        email=(email or None) and email.lower(),
        aliases=aliases,
    )
    db.session.add(person)
    record(actor, AuditVerb.CREATE, person, snapshot(person, PERSON_FIELDS))
    db.session.commit()
    return person


def update_person(actor: Any, person: Person, *, version_id: int, **values: Any) -> Person:
    """Change a person's details; a stale form is refused."""
    require(actor, Action.DIRECTORY_EDIT, person)
    person.check_version(version_id)
    _check_refs(country_id=values.get("country_id"), organisation_id=values.get("organisation_id"))
    for optional in ("honorific", "title", "email"):
        if optional in values:
            values[optional] = values[optional] or None
    if values.get("email"):
        values["email"] = values["email"].lower()
    changes = apply_changes(person, {k: v for k, v in values.items() if k in PERSON_FIELDS})
    if changes:
        record(actor, AuditVerb.UPDATE, person, changes)
    db.session.commit()
    return person


def _search(stmt: sa.Select, columns: list, search: str | None) -> sa.Select:
    if search:
        like = f"%{search.strip()[:100]}%"
        stmt = stmt.where(sa.or_(*[c.ilike(like) for c in columns]))
    return stmt


def country_page(search: str | None, page: int) -> Page:
    stmt = _search(sa.select(Country).order_by(Country.name), [Country.name, Country.aliases, Country.iso2], search)
    return paginate(stmt, page, 60)


def organisation_page(search: str | None, kind: OrganisationKind | None, page: int) -> Page:
    stmt = sa.select(Organisation).options(joinedload(Organisation.country)).order_by(Organisation.name)
    stmt = _search(stmt, [Organisation.name, Organisation.acronym, Organisation.aliases], search)
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind)
    return paginate(stmt, page, 50)


def person_page(search: str | None, page: int) -> Page:
    stmt = sa.select(Person).options(joinedload(Person.organisation), joinedload(Person.country)).order_by(Person.name)
    stmt = _search(stmt, [Person.name, Person.aliases, Person.title], search)
    return paginate(stmt, page, 50)


def country_id_from_name(name: str | None, field: str) -> int | None:
    """The id of the country a form names (name, ISO code or alias); an unknown name is refused on `field`."""
    if not name or not name.strip():
        return None
    country = find_country(name.strip())
    if country is None:
        raise ValidationFailed(
            {
                field: _(
                    "Unknown country: %(name)s. Use its name, e.g. Morocco, or a usual short form such as UAE.",
                    name=name.strip()[:80],
                )
            }
        )
    return country.id


def country_by_code(iso2: str) -> Country | None:
    return db.session.scalar(sa.select(Country).where(Country.iso2 == iso2.upper()[:2]))


def organisation_with_country(organisation_id: int) -> Organisation:
    organisation = db.session.scalar(
        sa.select(Organisation).options(joinedload(Organisation.country)).where(Organisation.id == organisation_id)
    )
    if organisation is None:
        raise NotFound()
    return organisation


def people_of(organisation: Organisation) -> list[Person]:
    return list(
        db.session.scalars(sa.select(Person).where(Person.organisation_id == organisation.id).order_by(Person.name))
    )


def person_with_links(person_id: int) -> Person:
    person = db.session.scalar(
        sa.select(Person)
        .options(joinedload(Person.organisation), joinedload(Person.country))
        .where(Person.id == person_id)
    )
    if person is None:
        raise NotFound()
    return person
