"""The large data set for the benchmark: `flask --app wsgi forum demo --scale large` (or `small` for CI).

It loads the demo data first, then bulk-inserts generated rows with Core inserts (no ORM overhead) from a
seeded random generator, so the same seed gives the same data. Each feature area adds its rows through a
generator function listed in AREA_GENERATORS.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from forum.auth.passwords import hash_password
from forum.core.audit import AuditEntry, AuditVerb
from forum.core.dates import today, utcnow
from forum.demo import loader
from forum.demo.bulk import bulk_insert, first_free_id
from forum.directory.models import Country, Organisation, OrganisationKind, Person, User
from forum.extensions import db
from forum.meetings.scale import generate_meetings
from forum.outcomes.scale import generate_outcomes
from forum.partnerships.scale import generate_partnerships
from forum.roundtables.scale import generate_roundtables
from forum.structure.models import (
    Body,
    BodyKind,
    CycleStatus,
    ForumCycle,
    MemberKind,
    Membership,
    MembershipRole,
    MembershipStatus,
)

SIZES = {
    "large": dict(cycles=20, organisations=1000, people=5000, audit_entries=100_000, factor=1.0),
    "small": dict(cycles=20, organisations=100, people=300, audit_entries=5_000, factor=0.1),
}

WORDS = [
    "migration",
    "development",
    "labour",
    "mobility",
    "diaspora",
    "remittances",
    "skills",
    "partnership",
    "protection",
    "children",
    "health",
    "gender",
    "climate",
    "data",
    "profiles",
    "coherence",
    "recruitment",
    "circular",
    "return",
    "integration",
    "rights",
    "youth",
    "employment",
    "education",
    "finance",
    "cooperation",
    "regional",
    "dialogue",
    "policy",
    "research",
    "capacity",
    "women",
    "families",
]


@dataclass
class ScaleContext:
    """What area generators receive: the random generator, the ids they may refer to, and the size factor."""

    rng: random.Random
    factor: float
    cycle_ids: list[int]
    country_ids: list[int]
    organisation_ids: list[int]
    person_ids: list[int]
    user_ids: list[int]
    body_ids: list[int]
    stats: dict[str, int] = field(default_factory=dict)

    def phrase(self, low: int = 3, high: int = 8) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high))).capitalize()

    def count(self, n: int) -> int:
        return max(1, int(n * self.factor))


#: area generators, called in order with the context; each bulk-inserts its own rows
AREA_GENERATORS: list[Callable[[ScaleContext], None]] = [
    generate_meetings,
    generate_roundtables,
    generate_outcomes,
    generate_partnerships,
]


def _ids(model: type) -> list[int]:
    return list(db.session.scalars(sa.select(model.id).order_by(model.id)))


def _refresh_planner_statistics() -> None:
    """After a bulk load the query planner still believes the tables are empty; tell it what is there."""
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("ANALYZE")


def generate(scale: str, *, seed: int = 2010) -> list[str]:
    """Load the demo, then add the generated rows. Refuses to run twice on the same database."""
    started = time.monotonic()
    loader.load_demo()
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.name.like("Generated %")).limit(1)):
        return ["The scale data is already in this database; nothing added."]
    size = SIZES[scale]
    rng = random.Random(seed)
    now = utcnow()
    _ensure_cycles(rng, size["cycles"])
    country_ids = _ids(Country)
    bulk_insert(
        Organisation,
        [
            dict(
                name=f"Generated {loader_word(rng)} organisation {i:04d}",
                acronym=f"GO{i:04d}",
                kind=rng.choice(list(OrganisationKind)).value,
                country_id=rng.choice(country_ids),
                aliases="",
                version_id=1,
                created_at=now,
                updated_at=now,
            )
            for i in range(size["organisations"])
        ],
    )
    organisation_ids = _ids(Organisation)
    first_person = first_free_id(Person)
    bulk_insert(
        Person,
        [
            dict(
                name=f"Generated Person {i:05d}",
                honorific=rng.choice(["Mr.", "Ms.", "Dr.", None]),
                title=rng.choice(["Officer", "Adviser", "Director", "Attaché"]),
                organisation_id=rng.choice(organisation_ids) if rng.random() < 0.6 else None,
                country_id=rng.choice(country_ids),
                email=f"person{i:05d}@example.org",
                aliases="",
                version_id=1,
                created_at=now,
                updated_at=now,
            )
            for i in range(size["people"])
        ],
    )
    person_ids = [pid for pid in _ids(Person) if pid >= first_person]
    shared_hash = hash_password(f"generated-{seed}-not-a-demo-password")
    bulk_insert(
        User,
        [
            dict(
                person_id=pid,
                email=f"person{i:05d}@example.org",
                password_hash=shared_hash,
                is_active=True,
                acts_for_country_id=rng.choice(country_ids),
                session_epoch=0,
                failed_sign_ins=0,
                timezone="UTC",
                created_at=now,
                updated_at=now,
            )
            for i, pid in enumerate(person_ids)
        ],
    )
    cycle_ids = _ids(ForumCycle)
    _generate_memberships(rng, cycle_ids, country_ids, person_ids, now)
    context = ScaleContext(
        rng=rng,
        factor=size["factor"],
        cycle_ids=cycle_ids,
        country_ids=country_ids,
        organisation_ids=organisation_ids,
        person_ids=person_ids,
        user_ids=_ids(User),
        body_ids=_ids(Body),
    )
    for generator in AREA_GENERATORS:
        generator(context)
    _generate_audit(rng, size["audit_entries"], context.user_ids, now)
    db.session.commit()
    from forum.search.index import rebuild as rebuild_search  # the bulk inserts above bypass the index's hook

    indexed = rebuild_search()
    _refresh_planner_statistics()
    elapsed = time.monotonic() - started
    counts = {
        m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Country, Organisation, Person, User, ForumCycle, Body, Membership, AuditEntry)
    }
    counts.update(context.stats)
    counts.update({f"search entries ({kind})": n for kind, n in sorted(indexed.items())})
    return [f"Scale '{scale}' generated in {elapsed:.1f} s (seed {seed})."] + [f"  {k}: {v}" for k, v in counts.items()]


def loader_word(rng: random.Random) -> str:
    return rng.choice(WORDS).capitalize()


def _ensure_cycles(rng: random.Random, wanted: int) -> None:
    taken = set(db.session.scalars(sa.select(ForumCycle.year)))
    country_ids = _ids(Country)
    year = 2012
    rows = []
    while len(taken) + len(rows) < wanted:
        if year not in taken:
            rows.append(
                dict(
                    year=year,
                    chair_country_id=rng.choice(country_ids),
                    theme=f"Generated theme {year}",
                    summit_city=None,
                    meeting_number=None,
                    starts_on=date(year, 1, 1),
                    ends_on=date(year, 12, 31),
                    summit_starts_on=date(year, 11, 10),
                    summit_ends_on=date(year, 11, 12),
                    status=CycleStatus.CONCLUDED.value,
                    is_fictional=True,
                    notes=loader.DEMO_NOTE,
                    version_id=1,
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
        year += 1
    bulk_insert(ForumCycle, rows)


def _generate_memberships(rng, cycle_ids, country_ids, person_ids, now) -> None:
    steering = db.session.scalar(sa.select(Body.id).where(Body.kind == BodyKind.STEERING_GROUP))
    rows = []
    for cycle in db.session.scalars(sa.select(ForumCycle).where(ForumCycle.id.in_(cycle_ids))):
        if cycle.year in (2010,) or not cycle.is_fictional or cycle.year >= today().year:
            continue
        for country_id in rng.sample(country_ids, 35):
            rows.append(
                _membership_row(
                    steering,
                    MemberKind.GOVERNMENT,
                    country_id,
                    None,
                    MembershipRole.MEMBER,
                    date(cycle.year, 1, 1),
                    date(cycle.year, 12, 31),
                    now,
                )
            )
    friends = db.session.scalar(sa.select(Body.id).where(Body.kind == BodyKind.FRIENDS_OF_THE_FORUM))
    for person_id in rng.sample(person_ids, min(len(person_ids), 800)):
        row = _membership_row(
            friends, MemberKind.PERSON, None, person_id, MembershipRole.FOCAL_POINT, date(2020, 1, 1), None, now
        )
        row["on_behalf_of_country_id"] = rng.choice(country_ids)
        rows.append(row)
    bulk_insert(Membership, rows)


def _membership_row(body_id, kind, country_id, person_id, role, starts, ends, now) -> dict:
    return dict(
        body_id=body_id,
        member_kind=kind.value,
        country_id=country_id,
        organisation_id=None,
        person_id=person_id,
        on_behalf_of_country_id=None,
        role=role.value,
        starts_on=starts,
        starts_precision="day",
        ends_on=ends,
        ends_precision="day",
        status=(MembershipStatus.ENDED if ends else MembershipStatus.ACTIVE).value,
        replaces_id=None,
        note=loader.DEMO_NOTE,
        source="",
        version_id=1,
        created_at=now,
        updated_at=now,
    )


def _generate_audit(rng, total: int, user_ids: list[int], now: datetime) -> None:
    verbs = [v.value for v in AuditVerb]
    types = ["Membership", "ForumCycle", "Organisation", "Person", "Body"]
    rows = [
        dict(
            at=now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60)),
            actor_id=rng.choice(user_ids),
            actor_label="generated",
            verb=rng.choice(verbs),
            object_type=rng.choice(types),
            object_id=rng.randint(1, 5000),
            object_label="generated",
            changes={},
            note="",
        )
        for _ in range(total)
    ]
    bulk_insert(AuditEntry, rows)
