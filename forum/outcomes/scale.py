"""Generated outcomes and follow-up for the benchmark's large data set (`flask forum demo --scale large`).

At factor 1: 1,800 outcomes (about ten per session; published once the session is past, drafts before), with
addressees, themes, revisions and links across the years; 5,400 follow-up actions (three per outcome; owned by
governments mostly, by organisations sometimes, with co-owners and due dates of every precision), some carried
over to the next cycle; 60,000 status updates, spread by how long each action has been followed; and a few Chair
reviews with their requests for an update, answered or not.

The status history is append-only and the action's `status`, `progress` and `last_update_at` are its latest
update's, as forum.outcomes.services keeps them. The governments of the demo focal points (Mexico, the
Philippines) own about 1-2 % of the actions each, so "our follow-up" is exercised at scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.core.dates import period_end, today, utcnow
from forum.core.models import DatePrecision
from forum.core.themes import THEMES
from forum.demo.bulk import bulk_insert, first_free_id, sync_id_sequences
from forum.directory.models import Country, User
from forum.extensions import db
from forum.meetings.models import Meeting
from forum.outcomes.models import (
    CLOSED_STATUSES,
    AddresseeKind,
    ChairReview,
    CommitmentStrength,
    FollowUpAction,
    FollowUpCoOwner,
    FollowUpStatus,
    FollowUpUpdate,
    Outcome,
    OutcomeAddressee,
    OutcomeKind,
    OutcomeLink,
    OutcomeRevision,
    OutcomeTheme,
    SessionStatement,
    StatementKind,
    UpdateRequest,
)
from forum.roundtables.models import Roundtable, RoundtableSession
from forum.roundtables.scale import GENERATED_SOURCE, focal_users_by_country, stamp, support_unit_user_id
from forum.structure.models import Body, ForumCycle

FOCAL_GOVERNMENTS = ("Mexico", "Philippines")
#: the share of all actions each focal government owns (co-ownership adds a little)
FOCAL_SHARE = 0.012
CARRY_OVER_SHARE = 0.15
S = FollowUpStatus

ADDRESSEE_WEIGHTS = {
    AddresseeKind.GOVERNMENTS: 40,
    AddresseeKind.GOVERNMENT: 18,
    AddresseeKind.GFMD: 10,
    AddresseeKind.GFMD_BODY: 8,
    AddresseeKind.ORGANISATION: 8,
    AddresseeKind.INTERNATIONAL_ORGANISATIONS: 8,
    AddresseeKind.CIVIL_SOCIETY: 5,
    AddresseeKind.PRIVATE_SECTOR: 3,
}
KIND_WEIGHTS = {
    OutcomeKind.POLICY: 55,
    OutcomeKind.INSTITUTIONAL: 15,
    OutcomeKind.RESEARCH: 15,
    OutcomeKind.PARTNERSHIP: 15,
}
STRENGTH_WEIGHTS = {
    CommitmentStrength.RECOMMENDATION: 45,
    CommitmentStrength.SUGGESTION: 25,
    CommitmentStrength.COMMITMENT: 15,
    CommitmentStrength.OBLIGATION: 15,
}
PRECISION_WEIGHTS = {
    DatePrecision.DAY: 30,
    DatePrecision.MONTH: 25,
    DatePrecision.QUARTER: 20,
    DatePrecision.HALF_YEAR: 15,
    DatePrecision.YEAR: 10,
}
#: how an action followed for so many years stands now: older ones are more often finished
FINAL_STATUS_WEIGHTS = [
    # (followed for at least, {status: weight})
    (3.0, {S.DONE: 55, S.DROPPED: 12, S.STALLED: 12, S.IN_PROGRESS: 16, S.NOT_STARTED: 5}),
    (1.0, {S.DONE: 35, S.DROPPED: 6, S.STALLED: 12, S.IN_PROGRESS: 40, S.NOT_STARTED: 7}),
    (0.0, {S.DONE: 12, S.DROPPED: 3, S.STALLED: 8, S.IN_PROGRESS: 60, S.NOT_STARTED: 17}),
]
CORRECTIONS = [
    "Corrected the name of an addressee.",
    "Aligned the wording with the session report.",
    "A figure was misquoted in the first version.",
]


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _open_at(plan: _Plan, at: datetime) -> bool:
    """Whether the action existed and was still open at that moment."""
    if plan.row["created_at"] > at:
        return False
    before = [u for u in plan.updates if u["created_at"] <= at]
    return not before or FollowUpStatus(before[-1]["status"]) not in CLOSED_STATUSES


def _inherit(plan: _Plan) -> None:
    """A carried-over action starts where its origin stood before the hand-over (what carry_over copies)."""
    before = plan.origin.updates[-2] if len(plan.origin.updates) > 1 else None
    if before is not None:
        plan.row.update(status=before["status"], progress=before["progress"], last_update_at=before["created_at"])


@dataclass
class _Plan:
    """One action's follow-up: the window its updates fall in and how it ends up."""

    row: dict
    start: datetime | None = None
    end: datetime | None = None
    final: FollowUpStatus = S.NOT_STARTED
    weight: float = 0.0
    origin: _Plan | None = None
    #: the year an action carried over went to
    carried_to: int | None = None
    updates: list[dict] = field(default_factory=list)


def generate_outcomes(context) -> None:
    gen = _Generator(context)
    gen.run()
    context.stats.update(gen.counts())


class _Generator:
    def __init__(self, context) -> None:
        self.c = context
        self.rng = context.rng
        self.now = utcnow()
        self.day = today()
        self.support = support_unit_user_id()
        self.chair = db.session.scalar(sa.select(User.id).where(User.email == "chair@example.org"))
        self.focal = focal_users_by_country()
        found = (db.session.scalar(sa.select(Country.id).where(Country.name == name)) for name in FOCAL_GOVERNMENTS)
        self.focal_ids = [country_id for country_id in found if country_id is not None]
        pool = [c for c in context.country_ids if c not in self.focal_ids]
        self.rng.shuffle(pool)
        self.countries = pool
        self.country_weights = [1 / (rank + 8) for rank in range(len(pool))]  # a few governments do most
        self.body_ids = list(db.session.scalars(sa.select(Body.id).order_by(Body.id)))
        self.outcomes: list[dict] = []
        self.addressees: list[dict] = []
        self.themes: list[dict] = []
        self.revisions: list[dict] = []
        self.links: list[dict] = []
        self.statements: list[dict] = []
        self.plans: list[_Plan] = []
        self.co_owners: list[dict] = []
        self.co_owners_of: dict[int, list[dict]] = {}
        self.reviews: list[dict] = []
        self.requests: list[dict] = []
        self.next_outcome = first_free_id(Outcome)
        self.next_action = first_free_id(FollowUpAction)
        self.next_update = first_free_id(FollowUpUpdate)
        self.next_review = first_free_id(ChairReview)

    def counts(self) -> dict[str, int]:
        actions = [p.row for p in self.plans]
        focal = {
            name: sum(1 for a in actions if a["owner_country_id"] == cid)
            for name, cid in zip(FOCAL_GOVERNMENTS, self.focal_ids, strict=False)
        }
        return {
            "generated outcomes": len(self.outcomes),
            "generated follow-up actions": len(actions),
            "  carried over": sum(1 for a in actions if a["carried_from_id"]),
            **{f"  owned by {name}": n for name, n in focal.items()},
            "generated status updates": sum(len(p.updates) for p in self.plans),
            "generated chair reviews": len(self.reviews),
            "generated update requests": len(self.requests),
        }

    # ------------------------------------------------------------------------------------------------ the run

    def run(self) -> None:
        sessions = self._sessions()
        if not sessions:
            return
        cycles = list(
            db.session.execute(sa.select(ForumCycle.id, ForumCycle.year, ForumCycle.ends_on).order_by(ForumCycle.year))
        )
        self.next_cycle = {a.id: b for a, b in zip(cycles, cycles[1:], strict=False)}
        self.cycle_end = {c.id: c.ends_on for c in cycles}
        self.cycle_year = {c.id: c.year for c in cycles}
        total = self.c.count(1800)
        extra = set(self.rng.sample(range(len(sessions)), total % len(sessions)))
        by_cycle: dict[int, list[int]] = {}
        for index, session in enumerate(sessions):
            for number in range(1, total // len(sessions) + (index in extra) + 1):
                by_cycle.setdefault(session["cycle_id"], []).append(self._outcome(session, number))
        self._links(by_cycle, sessions)
        self._histories()
        self._reviews()
        for model, rows in (
            (Outcome, self.outcomes),
            (OutcomeAddressee, self.addressees),
            (OutcomeTheme, self.themes),
            (OutcomeRevision, self.revisions),
            (OutcomeLink, self.links),
            (SessionStatement, self.statements),
            (FollowUpAction, [p.row for p in self.plans]),
            (FollowUpCoOwner, self.co_owners),
            (FollowUpUpdate, [u for p in self.plans for u in p.updates]),
            (ChairReview, self.reviews),
            (UpdateRequest, self.requests),
        ):
            bulk_insert(model, rows)
        sync_id_sequences(Outcome, FollowUpAction, FollowUpUpdate, ChairReview)

    def _sessions(self) -> list[dict]:
        """Sessions without outcomes yet: the generated ones and the demonstration cycle's (not the 2010 history)."""
        has_outcomes = sa.exists().where(Outcome.session_id == RoundtableSession.id)
        rows = db.session.execute(
            sa.select(
                RoundtableSession.id,
                RoundtableSession.number,
                RoundtableSession.starts_at,
                RoundtableSession.timezone,
                RoundtableSession.source,
                Roundtable.number.label("rt_number"),
                ForumCycle.id.label("cycle_id"),
                ForumCycle.year,
            )
            .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
            .join(ForumCycle, ForumCycle.id == Roundtable.cycle_id)
            .where(sa.or_(RoundtableSession.source == GENERATED_SOURCE, ForumCycle.is_fictional))
            .where(RoundtableSession.starts_at.is_not(None), ~has_outcomes)
            .order_by(ForumCycle.year, Roundtable.number, RoundtableSession.number)
        )
        return [
            dict(
                r._mapping,
                day=r.starts_at.astimezone(ZoneInfo(r.timezone)).date(),
                generated=r.source == GENERATED_SOURCE,
            )
            for r in rows
        ]

    # ------------------------------------------------------------------------------------------------ outcomes

    def _outcome(self, session: dict, number: int) -> int:
        rng = self.rng
        outcome_id = self.next_outcome
        self.next_outcome += 1
        day = session["day"]
        past = day < self.day
        if past:
            created = stamp(min(day + timedelta(days=rng.randint(1, 20)), self.day), rng, now=self.now)
            published = stamp(min(day + timedelta(days=rng.randint(30, 75)), self.day), rng, now=self.now)
            published = max(created, published)
        else:
            created, published = stamp(self.day - timedelta(days=rng.randint(0, 60)), rng, now=self.now), None
        text = " ".join(self.c.phrase(10, 24) + "." for _ in range(rng.randint(1, 4)))
        if published:
            self.revisions.append(self._revision(outcome_id, 1, text, "", published))
            if rng.random() < 0.04:
                text = text + " " + self.c.phrase(4, 10) + "."
                corrected = min(published + timedelta(days=rng.randint(5, 200)), self.now)
                self.revisions.append(self._revision(outcome_id, 2, text, rng.choice(CORRECTIONS), corrected))
        self.outcomes.append(
            dict(
                id=outcome_id,
                reference=f"{session['year']}-RT{session['rt_number']}.{session['number']}-{number}",
                cycle_id=session["cycle_id"],
                session_id=session["id"],
                series="",
                number=number,
                title=self.c.phrase(4, 10)[:200],
                text=text,
                kind=_pick(rng, KIND_WEIGHTS).value,
                strength=_pick(rng, STRENGTH_WEIGHTS).value,
                published_at=published,
                source=GENERATED_SOURCE,
                version_id=1,
                created_at=created,
                updated_at=published or created,
            )
        )
        kinds = set()
        while len(kinds) < rng.choices([1, 2, 3], weights=[45, 40, 15])[0]:
            kinds.add(_pick(rng, ADDRESSEE_WEIGHTS))
        for kind in sorted(kinds):
            self.addressees.append(
                dict(
                    outcome_id=outcome_id,
                    kind=kind.value,
                    country_id=self._country() if kind == AddresseeKind.GOVERNMENT else None,
                    body_id=rng.choice(self.body_ids) if kind == AddresseeKind.GFMD_BODY else None,
                    organisation_id=rng.choice(self.c.organisation_ids) if kind == AddresseeKind.ORGANISATION else None,
                )
            )
        for code in rng.sample(sorted(THEMES), rng.choices([1, 2, 3], weights=[50, 35, 15])[0]):
            self.themes.append(dict(outcome_id=outcome_id, code=code))
        if number == 1 and past:
            for kind in rng.sample(list(StatementKind), rng.randint(0, 2)):
                self.statements.append(
                    dict(
                        session_id=session["id"],
                        kind=kind.value,
                        text=self.c.phrase(10, 24) + ".",
                        source=GENERATED_SOURCE,
                        created_at=created,
                        updated_at=created,
                    )
                )
        self._actions(outcome_id, session, published)
        return outcome_id

    def _revision(self, outcome_id: int, number: int, text: str, reason: str, at: datetime) -> dict:
        return dict(
            outcome_id=outcome_id, number=number, text=text, reason=reason, created_at=at, created_by_id=self.support
        )

    def _links(self, by_cycle: dict[int, list[int]], sessions: list[dict]) -> None:
        """Some outcomes continue an earlier one, lead to a later session or to a public meeting of their cycle."""
        rng = self.rng
        order = list(by_cycle)
        sessions_by_cycle: dict[int, list[int]] = {}
        for s in sessions:
            sessions_by_cycle.setdefault(s["cycle_id"], []).append(s["id"])
        meetings: dict[int, list[int]] = {}
        for meeting_id, cycle_id in db.session.execute(
            sa.select(Meeting.id, Meeting.cycle_id).where(Meeting.is_public).order_by(Meeting.id)
        ):
            meetings.setdefault(cycle_id, []).append(meeting_id)
        for position, cycle_id in enumerate(order):
            earlier = [o for c in order[:position] for o in by_cycle[c]]
            later = [s for c in order[position + 1 :] for s in sessions_by_cycle.get(c, [])]
            for outcome_id in by_cycle[cycle_id]:
                target = None
                roll = rng.random()
                if roll < 0.08 and earlier:
                    target = dict(earlier_outcome_id=rng.choice(earlier), note="Continues the earlier outcome.")
                elif roll < 0.12 and later:
                    target = dict(session_id=rng.choice(later), note="Taken up by a later session.")
                elif roll < 0.15 and meetings.get(cycle_id):
                    target = dict(meeting_id=rng.choice(meetings[cycle_id]), note="Discussed at this meeting.")
                if target:
                    row = dict(
                        outcome_id=outcome_id,
                        earlier_outcome_id=None,
                        session_id=None,
                        project_id=None,
                        meeting_id=None,
                        created_at=self.now,
                    )
                    row.update(target)
                    self.links.append(row)

    # ------------------------------------------------------------------------------------------------ actions

    def _country(self) -> int:
        return self.rng.choices(self.countries, weights=self.country_weights)[0]

    def _owner(self) -> tuple[int | None, int | None]:
        roll = self.rng.random()
        for index, country_id in enumerate(self.focal_ids):
            if roll < FOCAL_SHARE * (index + 1):
                return country_id, None
        if roll < 0.85:
            return self._country(), None
        return None, self.rng.choice(self.c.organisation_ids)

    def _due(self, start: date) -> tuple[date | None, DatePrecision]:
        if self.rng.random() < 0.05:
            return None, DatePrecision.DAY
        precision = _pick(self.rng, PRECISION_WEIGHTS)
        return period_end(start + timedelta(days=self.rng.randint(90, 900)), precision), precision

    def _actions(self, outcome_id: int, session: dict, published: datetime | None) -> None:
        rng = self.rng
        cycle_id = session["cycle_id"]
        nxt = self.next_cycle.get(cycle_id)
        carry_at = datetime.combine(self.cycle_end[cycle_id], datetime.min.time(), tzinfo=UTC) + timedelta(hours=16)
        carry = (
            published is not None
            and nxt is not None
            and carry_at < self.now
            and carry_at > published + timedelta(days=3)
            and rng.random() < CARRY_OVER_SHARE
        )
        first = None
        for slot in range(3):
            if slot == 2 and carry:
                self.plans.append(self._carried(first, nxt, carry_at))
                continue
            plan = self._action(outcome_id, cycle_id, session["day"], published)
            if slot == 0:
                first = plan
                if carry:
                    plan.start = published + timedelta(days=1)
                    plan.end, plan.final, plan.carried_to = carry_at, S.CARRIED_OVER, nxt.year
            self.plans.append(plan)

    def _action(self, outcome_id: int, cycle_id: int, session_day: date, published: datetime | None) -> _Plan:
        rng = self.rng
        owner_country_id, owner_organisation_id = self._owner()
        due_on, precision = self._due(session_day)
        created = published or stamp(self.day - timedelta(days=rng.randint(0, 30)), rng, now=self.now)
        plan = _Plan(
            row=self._action_row(
                outcome_id, cycle_id, owner_country_id, owner_organisation_id, due_on, precision, created, None
            )
        )
        self._co_owners(plan.row)
        if published is not None:
            plan.start = published + timedelta(days=rng.randint(7, 60))
            plan.end = min(self.now - timedelta(hours=1), plan.start + timedelta(days=rng.randint(200, 1100)))
            years = (self.now - plan.start).days / 365
            weights = next(w for threshold, w in FINAL_STATUS_WEIGHTS if years >= threshold)
            plan.final = _pick(rng, weights)
        return plan

    def _carried(self, origin: _Plan, cycle, carry_at: datetime) -> _Plan:
        """The same action in the next cycle, linked to the one it continues, owners and all (as
        forum.outcomes.services.carry_over makes it)."""
        rng = self.rng
        source = origin.row
        row = self._action_row(
            source["outcome_id"],
            cycle.id,
            source["owner_country_id"],
            source["owner_organisation_id"],
            source["due_on"],
            DatePrecision(source["due_precision"]),
            carry_at,
            source["id"],
        )
        row.update({k: source[k] for k in ("description", "indicator", "target")})
        plan = _Plan(row=row, origin=origin)
        for co in self.co_owners_of.get(source["id"], []):
            self._add_co_owner(plan.row["id"], co["country_id"], co["organisation_id"])
        plan.start = carry_at + timedelta(days=rng.randint(1, 45))
        plan.end = min(self.now - timedelta(hours=1), plan.start + timedelta(days=rng.randint(200, 1000)))
        years = (self.now - plan.start).days / 365
        weights = next(w for threshold, w in FINAL_STATUS_WEIGHTS if years >= threshold)
        plan.final = _pick(rng, {status: w for status, w in weights.items() if status != S.NOT_STARTED})
        return plan

    def _action_row(
        self, outcome_id, cycle_id, country_id, organisation_id, due_on, precision, created, carried_from_id
    ) -> dict:
        rng = self.rng
        action_id = self.next_action
        self.next_action += 1
        measured = rng.random() < 0.4
        return dict(
            id=action_id,
            outcome_id=outcome_id,
            cycle_id=cycle_id,
            description=self.c.phrase(6, 16) + ".",
            owner_country_id=country_id,
            owner_organisation_id=organisation_id,
            due_on=due_on,
            due_precision=precision.value,
            indicator=f"Number of {self.c.phrase(2, 4).lower()}" if measured else "",
            target=f"{rng.randint(2, 40)} by {due_on.year if due_on else 'the next summit'}" if measured else "",
            carried_from_id=carried_from_id,
            status=S.NOT_STARTED.value,
            progress=0,
            last_update_at=None,
            source=GENERATED_SOURCE,
            version_id=1,
            created_at=created,
            updated_at=created,
        )

    def _co_owners(self, action: dict) -> None:
        rng = self.rng
        taken = {("c", action["owner_country_id"]), ("o", action["owner_organisation_id"])}
        for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]):
            if rng.random() < 0.75:
                key = ("c", rng.choice(self.focal_ids) if rng.random() < 0.01 else self._country())
            else:
                key = ("o", rng.choice(self.c.organisation_ids))
            if key in taken:
                continue
            taken.add(key)
            self._add_co_owner(action["id"], key[1] if key[0] == "c" else None, key[1] if key[0] == "o" else None)

    def _add_co_owner(self, action_id: int, country_id: int | None, organisation_id: int | None) -> None:
        row = dict(action_id=action_id, country_id=country_id, organisation_id=organisation_id)
        self.co_owners.append(row)
        self.co_owners_of.setdefault(action_id, []).append(row)

    # ------------------------------------------------------------------------------------------------ histories

    def _histories(self) -> None:
        """Share the updates out by how long each action has been followed, then write each one's history."""
        followed = [p for p in self.plans if p.start is not None and p.end is not None and p.end > p.start]
        for plan in followed:
            days = max((plan.end - plan.start).days, 1)
            plan.weight = days**0.7 * (0.15 if plan.final == S.NOT_STARTED else 1.0)
        total = self.c.count(60_000)
        spare = max(total - len(followed), 0)
        weight_sum = sum(p.weight for p in followed) or 1.0
        shares = [spare * p.weight / weight_sum for p in followed]
        counts = [1 + int(s) for s in shares]
        short = total - sum(counts)
        by_remainder = sorted(range(len(followed)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
        for i in by_remainder[: max(short, 0)]:
            counts[i] += 1
        count_of = {id(plan): count for plan, count in zip(followed, counts, strict=True)}
        for plan in self.plans:  # an origin comes before the action it was carried over to
            if plan.origin is not None:
                _inherit(plan)
            if id(plan) in count_of:
                self._history(plan, count_of[id(plan)])

    def _history(self, plan: _Plan, count: int) -> None:
        """Reports in time order: often "not started" first, progress that rises and sometimes stalls, and the
        final state last (a carried-over action's last update is the hand-over)."""
        rng = self.rng
        span = (plan.end - plan.start).total_seconds()
        moments = sorted(plan.start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
        if plan.final == S.CARRIED_OVER:
            moments[-1] = plan.end
        moments = [m + timedelta(seconds=i) for i, m in enumerate(moments)]  # strictly increasing
        progress = plan.row["progress"]  # a carried-over action goes on from where its origin stood
        for i, moment in enumerate(moments):
            last = i == count - 1
            if plan.final == S.NOT_STARTED or (i == 0 and progress == 0 and not last and rng.random() < 0.35):
                status = S.NOT_STARTED
            elif last:
                status = plan.final
                if status == S.IN_PROGRESS:
                    progress = min(95, progress + rng.randint(1, 15))
                elif status == S.STALLED:
                    progress = max(progress, rng.randint(5, 40))
            elif progress > 0 and rng.random() < 0.12:
                status = S.STALLED
            else:
                status = S.IN_PROGRESS
                progress = min(95, progress + rng.randint(1, 15))
            progress = {S.NOT_STARTED: 0, S.DONE: 100}.get(status, progress)  # as report_progress stores them
            plan.updates.append(self._update(plan, status, progress, moment))
        latest = plan.updates[-1]
        plan.row.update(
            status=latest["status"],
            progress=latest["progress"],
            last_update_at=latest["created_at"],
            updated_at=latest["created_at"],
        )

    def _update(self, plan: _Plan, status: FollowUpStatus, progress: int, moment: datetime) -> dict:
        rng = self.rng
        update_id = self.next_update
        self.next_update += 1
        country_id = plan.row["owner_country_id"]
        reporters = self.focal.get(country_id) if country_id else None
        reporter = rng.choice(reporters) if reporters and rng.random() < 0.8 else self.support
        handed_over = status == S.CARRIED_OVER  # the Support Unit's hand-over, on no government's behalf
        return dict(
            id=update_id,
            action_id=plan.row["id"],
            status=status.value,
            progress=progress,
            note=f"Carried over to {plan.carried_to}." if handed_over else self.c.phrase(5, 18) + ".",
            is_public=handed_over or rng.random() < 0.8,
            evidence_url=""
            if handed_over or rng.random() >= 0.15
            else f"https://example.org/generated/follow-up/{update_id}",
            evidence_file_name="",
            evidence_file_key="",
            evidence_file_size=0,
            reported_by_id=self.support if handed_over else reporter,
            on_behalf_of_country_id=None if handed_over else country_id,
            created_at=moment,
        )

    # ------------------------------------------------------------------------------------------------ reviews

    def _reviews(self) -> None:
        """Per followed cycle: a review of the whole cycle and a few of single outcomes. One that asks for an
        update asks it of every action then open under it (as record_review does); the latest cycle's review
        is recent and by the demo Chair team, so its requests are still waiting in the owners' tasks."""
        rng = self.rng
        by_cycle: dict[int, list[_Plan]] = {}
        for plan in self.plans:
            if plan.start is not None:
                by_cycle.setdefault(plan.row["cycle_id"], []).append(plan)
        # the latest cycle whose own outcomes are followed (the one before the current, usually)
        latest = max(
            (c for c, plans in by_cycle.items() if any(p.origin is None for p in plans)),
            key=self.cycle_year.get,
            default=None,
        )
        for cycle_id, plans in by_cycle.items():
            first = min(p.start for p in plans)
            window = (self.now - first).days - 90
            if window <= 0:
                continue
            outcomes: dict[int, list[_Plan]] = {}
            for plan in plans:  # an outcome is reviewed in its own cycle, not in the one its actions went on to
                if plan.origin is None:
                    outcomes.setdefault(plan.row["outcome_id"], []).append(plan)
            chosen = rng.sample(sorted(outcomes), min(len(outcomes), self.c.count(4)))
            for outcome_id in [None, *chosen]:
                if cycle_id == latest and outcome_id is None:
                    reviewer, at, asks = self.chair, self.now - timedelta(days=rng.randint(2, 20)), True
                else:
                    reviewer = rng.choice(self.c.user_ids)
                    at = first + timedelta(days=90 + rng.randint(0, min(window, 600)), minutes=rng.randint(0, 600))
                    asks = rng.random() < (0.5 if outcome_id is None else 0.6)
                open_then = [p for p in outcomes.get(outcome_id, plans) if _open_at(p, at)] if asks else []
                review_id = self._review(cycle_id, outcome_id, reviewer, min(at, self.now), bool(open_then))
                for plan in open_then:
                    answer = next((u for u in plan.updates if u["created_at"] > at), None)
                    self.requests.append(
                        dict(
                            review_id=review_id,
                            action_id=plan.row["id"],
                            answered_at=answer["created_at"] if answer else None,
                            answered_by_update_id=answer["id"] if answer else None,
                        )
                    )

    def _review(self, cycle_id, outcome_id, reviewer, at: datetime, asks: bool) -> int:
        review_id = self.next_review
        self.next_review += 1
        self.reviews.append(
            dict(
                id=review_id,
                cycle_id=cycle_id,
                outcome_id=outcome_id,
                reviewed_on=at.date(),
                reviewer_id=reviewer,
                comment=self.c.phrase(8, 20) + ".",
                requests_update=asks,
                update_due_on=at.date() + timedelta(days=30) if asks else None,
                created_at=at,
            )
        )
        return review_id
