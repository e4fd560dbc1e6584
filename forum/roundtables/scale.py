"""Generated roundtables for the benchmark's large data set (`flask forum demo --scale large`).

Every cycle gets three roundtables of three sessions (180 sessions at factor 1; the 2010 roundtables, recorded
from the Report of Proceedings, are kept as they are and the demonstration cycle's are completed). Each session
has co-chairs, rapporteurs and note-takers, a team in every state, the template's 20 checklist steps in the
states they would have on today's date (done, set aside, overdue, due soon, not started) and its concept note
and background papers in every workflow state, with their versions, comments and translations.

Rows go in with Core inserts of whole lists; the ids they refer to are given up front, so nothing is read back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from forum.core.dates import today, utcnow
from forum.core.permissions import SYSTEM
from forum.demo.bulk import bulk_insert, first_free_id, sync_id_sequences
from forum.directory.models import User
from forum.extensions import db
from forum.papers.models import (
    DocumentComment,
    DocumentKind,
    DocumentState,
    DocumentVersion,
    Language,
    SessionDocument,
)
from forum.roundtables import services
from forum.roundtables.models import (
    DUE_SOON_DAYS,
    ChecklistItem,
    ChecklistTemplateItem,
    ItemStatus,
    OwnerRole,
    RoleKind,
    Roundtable,
    RoundtableSession,
    SessionRole,
    TeamMember,
    TeamMemberKind,
    TeamStatus,
)
from forum.structure.models import ForumCycle

GENERATED_SOURCE = "Generated for the benchmark: fictional."
SUPPORT_UNIT_EMAIL = "support@example.org"

#: the steps that bring the demo's nine-step template to the twenty of a full preparation
EXTRA_TEMPLATE = [
    # (position, title, owner, days from the session, what it involves)
    (5, "Session announced to the Friends of the Forum", OwnerRole.SUPPORT_UNIT, -126, "The call for team members."),
    (15, "Guiding questions agreed", OwnerRole.CO_CHAIRS, -105, "The questions the session puts to delegations."),
    (25, "First team meeting", OwnerRole.SESSION_TEAM, -91, "The team agrees the outline and who writes what."),
    (35, "Outline of the background paper", OwnerRole.CO_CHAIRS, -84, "Headings and the evidence each relies on."),
    (45, "Second team meeting", OwnerRole.SESSION_TEAM, -56, "The team goes through the first draft together."),
    (55, "Room and interpretation booked", OwnerRole.SUPPORT_UNIT, -42, "A room for the session, booths, equipment."),
    (65, "Background paper posted on the website", OwnerRole.SUPPORT_UNIT, -14, "In all three languages."),
    (75, "Briefing of the chairs and speakers", OwnerRole.COORDINATOR, -7, "Timing, order of speaking, questions."),
    (85, "Session programme printed", OwnerRole.CHAIR_TEAM, -3, "Copies for the delegations in the room."),
    (95, "Outcomes recorded", OwnerRole.SUPPORT_UNIT, 14, "The session's outcomes entered, numbered."),
    (99, "Session report published", OwnerRole.SUPPORT_UNIT, 42, "The report and its outcomes made public."),
]

ZONES = ["Europe/Zurich", "America/New_York", "Africa/Dakar", "Asia/Manila", "America/Mexico_City", "Asia/Dubai"]
SLOTS = [(9, "Room A"), (14, "Room B"), (16, "Room C")]
NA_REASONS = [
    "The session is held in English only.",
    "The co-chairs wrote the paper themselves; no team meeting was needed.",
    "The host government printed the programme.",
    "Merged with the first team meeting.",
    "Not needed for a session without a background paper.",
]
EVIDENCE_NOTES = [
    "Sent to the team by e-mail.",
    "Agreed at the team's call.",
    "Confirmed by the host's protocol office.",
    "Posted on the GFMD website.",
    "Circulated to the Friends of the Forum.",
]


# ---------------------------------------------------------------------------------------------------- bulk helpers


def stamp(day: date, rng, *, now: datetime) -> datetime:
    """A working-hours moment on that day, never later than now."""
    moment = datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(minutes=rng.randint(0, 9 * 60))
    return min(moment, now - timedelta(minutes=rng.randint(1, 600)))


def focal_users_by_country() -> dict[int, list[int]]:
    """The accounts of each government's focal points (the people who report and sign up for it)."""
    from forum.structure.models import Membership, MembershipRole

    rows = db.session.execute(
        sa.select(Membership.on_behalf_of_country_id, User.id)
        .join(User, User.person_id == Membership.person_id)
        .where(Membership.role == MembershipRole.FOCAL_POINT, Membership.on_behalf_of_country_id.is_not(None))
        .order_by(User.id)
    )
    found: dict[int, list[int]] = {}
    for country_id, user_id in rows:
        found.setdefault(country_id, []).append(user_id)
    return found


def support_unit_user_id() -> int | None:
    return db.session.scalar(sa.select(User.id).where(User.email == SUPPORT_UNIT_EMAIL))


# ---------------------------------------------------------------------------------------------------- generator


def generate_roundtables(context) -> None:
    """Complete the template to twenty steps, then add sessions newest cycle first up to 180 (at factor 1)."""
    gen = _Generator(context)
    gen.run(context.count(180))
    context.stats.update(gen.counts())


class _Generator:
    def __init__(self, context) -> None:
        self.c = context
        self.rng = context.rng
        self.now = utcnow()
        self.day = today()
        self.support = support_unit_user_id()
        self.focal = focal_users_by_country()
        self.roundtables: list[dict] = []
        self.sessions: list[dict] = []
        self.roles: list[dict] = []
        self.team: list[dict] = []
        self.items: list[dict] = []
        self.documents: list[dict] = []
        self.versions: list[dict] = []
        self.comments: list[dict] = []
        self.next_rt = first_free_id(Roundtable)
        self.next_session = first_free_id(RoundtableSession)
        self.next_document = first_free_id(SessionDocument)
        self.next_version = first_free_id(DocumentVersion)

    def counts(self) -> dict[str, int]:
        return {
            "generated roundtable sessions": len(self.sessions),
            "generated checklist items": len(self.items),
            "generated session documents": len(self.documents),
        }

    def run(self, wanted: int) -> None:
        templates = _complete_template()
        cycles = list(db.session.scalars(sa.select(ForumCycle).order_by(ForumCycle.year.desc())))
        existing = _existing_sessions()
        for cycle in cycles:
            if len(self.sessions) >= wanted:
                break
            have = existing.get(cycle.id, {})
            if have and not cycle.is_fictional:
                continue  # a recorded history (2010): never mixed with fiction
            self._fill_cycle(cycle, have, templates, wanted)
        for model, rows in (
            (Roundtable, self.roundtables),
            (RoundtableSession, self.sessions),
            (SessionRole, self.roles),
            (TeamMember, self.team),
            (ChecklistItem, self.items),
            (SessionDocument, self.documents),
            (DocumentVersion, self.versions),
            (DocumentComment, self.comments),
        ):
            bulk_insert(model, rows)
        sync_id_sequences(Roundtable, RoundtableSession, SessionDocument, DocumentVersion)

    def _fill_cycle(self, cycle: ForumCycle, have: dict, templates: list[ChecklistTemplateItem], wanted: int) -> None:
        rng = self.rng
        summit = cycle.summit_starts_on or date(cycle.year, 11, 10)
        zone = have.get("timezone") or rng.choice(ZONES)
        for rt_number in range(1, 4):
            rt_id = have.get(("rt", rt_number))
            if rt_id is None:
                rt_id = self._roundtable(cycle, rt_number, summit)
            for number in range(1, 4):
                if len(self.sessions) >= wanted:
                    return
                if (rt_number, number) in have:
                    continue
                hour, room = SLOTS[number - 1]
                local = datetime.combine(summit + timedelta(days=rt_number - 1), time(hour, 0), tzinfo=ZoneInfo(zone))
                self._session(
                    rt_id,
                    number,
                    local,
                    room,
                    estimated=cycle.summit_starts_on is None,
                    templates=templates,
                )

    def _created(self, day: date) -> datetime:
        return stamp(day, self.rng, now=self.now)

    def _roundtable(self, cycle: ForumCycle, number: int, summit: date) -> int:
        rng = self.rng
        rt_id = self.next_rt
        self.next_rt += 1
        by_country = rng.random() < 0.1
        created = self._created(summit - timedelta(days=200))
        self.roundtables.append(
            dict(
                id=rt_id,
                cycle_id=cycle.id,
                number=number,
                title=self.c.phrase(4, 9),
                coordinator_person_id=None if by_country else rng.choice(self.c.person_ids),
                coordinator_country_id=rng.choice(self.c.country_ids) if by_country else None,
                description=self.c.phrase(10, 20) + ".",
                source=GENERATED_SOURCE,
                version_id=1,
                created_at=created,
                updated_at=created,
            )
        )
        position = 100
        for kind, chance in ((RoleKind.GENERAL_RAPPORTEUR, 0.5), (RoleKind.PLENARY_REPORTER, 1.0)):
            if rng.random() < chance:
                self.roles.append(self._role(rt_id, None, kind, person_id=rng.choice(self.c.person_ids), pos=position))
                position += 1
        return rt_id

    def _role(self, rt_id, session_id, kind, *, country_id=None, person_id=None, pos=0, note="") -> dict:
        return dict(
            roundtable_id=rt_id,
            session_id=session_id,
            kind=kind.value,
            country_id=country_id,
            organisation_id=None,
            person_id=person_id,
            note=note,
            position=pos,
            source=GENERATED_SOURCE,
            created_at=self.now,
            updated_at=self.now,
        )

    def _session(self, rt_id, number, local: datetime, room, *, estimated, templates) -> None:
        rng = self.rng
        session_id = self.next_session
        self.next_session += 1
        session_day = local.date()
        is_past = session_day < self.day
        created = self._created(session_day - timedelta(days=140))
        self.sessions.append(
            dict(
                id=session_id,
                roundtable_id=rt_id,
                number=number,
                title=self.c.phrase(4, 10),
                guiding_questions="\n".join(self.c.phrase(6, 12) + "?" for _ in range(rng.randint(0, 4))),
                starts_at=local.astimezone(UTC),
                timezone=str(local.tzinfo),
                is_date_estimated=estimated,
                room=room,
                is_team_closed=is_past or rng.random() < 0.2,
                source=GENERATED_SOURCE,
                version_id=1,
                created_at=created,
                updated_at=created,
            )
        )
        chairs = rng.sample(self.c.country_ids, rng.choices([1, 2, 3], weights=[15, 60, 25])[0])
        for position, country_id in enumerate(chairs):
            self.roles.append(self._role(rt_id, session_id, RoleKind.CO_CHAIR, country_id=country_id, pos=position))
        people = rng.sample(self.c.person_ids, 4)
        if rng.random() < 0.85:
            self.roles.append(self._role(rt_id, session_id, RoleKind.SESSION_RAPPORTEUR, person_id=people[0], pos=10))
        for k in range(rng.choice([0, 1, 1, 2])):
            self.roles.append(self._role(rt_id, session_id, RoleKind.NOTE_TAKER, person_id=people[1 + k], pos=20 + k))
        if rng.random() < 0.15:
            self.roles.append(
                self._role(
                    rt_id, session_id, RoleKind.SECTION_FACILITATOR, person_id=people[3], pos=30, note="Section (a)"
                )
            )
        self._team(session_id, set(chairs), is_past, session_day)
        self._checklist(session_id, session_day, is_past, templates)
        self._papers(session_id, chairs, session_day, is_past)

    def _team(self, session_id: int, chairs: set[int], is_past: bool, session_day: date) -> None:
        rng = self.rng
        statuses = [TeamStatus.ACCEPTED, TeamStatus.REQUESTED, TeamStatus.DECLINED, TeamStatus.WITHDRAWN]
        weights = [88, 0, 5, 7] if is_past else [60, 28, 5, 7]
        free = [c for c in self.c.country_ids if c not in chairs]
        members = [(TeamMemberKind.GOVERNMENT, "country_id", c) for c in rng.sample(free, rng.randint(4, 14))]
        organisations = rng.sample(self.c.organisation_ids, rng.randint(1, 5))
        members += [(TeamMemberKind.INTERNATIONAL_ORGANISATION, "organisation_id", o) for o in organisations[:-1]]
        if rng.random() < 0.3:
            members.append((TeamMemberKind.CIVIL_SOCIETY, "organisation_id", organisations[-1]))
        if rng.random() < 0.25:
            members.append((TeamMemberKind.EXPERT, "person_id", rng.choice(self.c.person_ids)))
        for kind, column, member_id in members:
            status = rng.choices(statuses, weights=weights)[0]
            asked = self._created(session_day - timedelta(days=rng.randint(95, 130)))
            decided = status in (TeamStatus.ACCEPTED, TeamStatus.DECLINED)
            focal = self.focal.get(member_id) if kind == TeamMemberKind.GOVERNMENT else None
            row = dict(
                session_id=session_id,
                kind=kind.value,
                country_id=None,
                organisation_id=None,
                person_id=None,
                status=status.value,
                requested_by_id=rng.choice(focal) if focal else self.support,
                decided_by_id=self.support if decided else None,
                decided_at=asked + timedelta(days=rng.randint(1, 12)) if decided else None,
                note="",
                source=GENERATED_SOURCE,
                version_id=1,
                created_at=asked,
                updated_at=asked,
            )
            row[column] = member_id
            if row["decided_at"] is not None:
                row["decided_at"] = min(row["decided_at"], self.now)
            self.team.append(row)

    def _checklist(self, session_id: int, session_day: date, is_past: bool, templates) -> None:
        rng = self.rng
        age_years = (self.day - session_day).days / 365
        for t in templates:
            due = session_day + timedelta(days=t.due_offset_days)
            if due < self.day:  # due already: mostly done, older sessions more so
                weights = [90, 8, 2] if age_years > 1 else [72, 6, 22]
            elif due <= self.day + timedelta(days=DUE_SOON_DAYS):
                weights = [35, 3, 62]
            else:
                weights = [6, 2, 92]
            status = rng.choices([ItemStatus.DONE, ItemStatus.NOT_APPLICABLE, ItemStatus.OPEN], weights=weights)[0]
            done = status == ItemStatus.DONE
            done_at = self._created(min(due, self.day) - timedelta(days=rng.randint(0, 10))) if done else None
            self.items.append(
                dict(
                    session_id=session_id,
                    template_item_id=t.id,
                    position=t.position,
                    title=t.title,
                    owner_role=t.owner_role.value,
                    due_offset_days=t.due_offset_days,
                    due_on=due,
                    status=status.value,
                    done_at=done_at,
                    done_by_id=self.support if done else None,
                    evidence_url=f"https://example.org/generated/{session_id}/{t.id}"
                    if done and rng.random() < 0.4
                    else "",
                    evidence_note=rng.choice(EVIDENCE_NOTES) if done and rng.random() < 0.7 else "",
                    evidence_file_name="",
                    evidence_file_key="",
                    evidence_file_size=0,
                    na_reason=rng.choice(NA_REASONS) if status == ItemStatus.NOT_APPLICABLE else "",
                    version_id=1,
                    created_at=self.now,
                    updated_at=done_at or self.now,
                )
            )

    def _papers(self, session_id: int, chairs: list[int], session_day: date, is_past: bool) -> None:
        rng = self.rng
        states = list(DocumentState)  # draft, in team review, changes requested, approved, published
        weights = [3, 4, 4, 8, 81] if is_past else [30, 28, 17, 15, 10]
        papers = [DocumentKind.CONCEPT_NOTE] + [DocumentKind.BACKGROUND_PAPER] * rng.choice([1, 1, 2])
        for kind in papers:
            state = rng.choices(states, weights=weights)[0]
            by_person = kind == DocumentKind.BACKGROUND_PAPER and rng.random() < 0.25
            document_id = self._document(
                session_id,
                kind,
                state,
                Language.EN,
                None,
                author_country_id=None if by_person else rng.choice(chairs),
                author_person_id=rng.choice(self.c.person_ids) if by_person else None,
                session_day=session_day,
            )
            if state == DocumentState.PUBLISHED and kind == DocumentKind.BACKGROUND_PAPER:
                for language, chance in ((Language.FR, 0.35), (Language.ES, 0.3)):
                    if rng.random() < chance:
                        self._document(
                            session_id,
                            kind,
                            state,
                            language,
                            document_id,
                            author_country_id=None,
                            author_person_id=None,
                            session_day=session_day,
                        )

    def _document(
        self, session_id, kind, state, language, original_id, *, author_country_id, author_person_id, session_day: date
    ) -> int:
        rng = self.rng
        document_id = self.next_document
        self.next_document += 1
        started = session_day - timedelta(days=rng.randint(80, 120))
        title = self.c.phrase(4, 9) if original_id is None else f"{self.c.phrase(3, 6)} ({language.value})"
        number_of_versions = {
            DocumentState.DRAFT: rng.randint(1, 2),
            DocumentState.IN_TEAM_REVIEW: rng.randint(1, 2),
            DocumentState.CHANGES_REQUESTED: rng.randint(1, 3),
            DocumentState.APPROVED: rng.randint(2, 3),
            DocumentState.PUBLISHED: rng.randint(2, 4),
        }[state]
        if original_id is not None:
            number_of_versions = 1
        moments = sorted(self._created(started + timedelta(days=rng.randint(0, 70))) for _ in range(number_of_versions))
        version_ids = []
        for number, moment in enumerate(moments, start=1):
            version_ids.append(self.next_version)
            self.versions.append(
                dict(
                    id=self.next_version,
                    document_id=document_id,
                    number=number,
                    text="\n\n".join(self.c.phrase(12, 30) + "." for _ in range(rng.randint(2, 5))),
                    file_name="",
                    file_key="",
                    file_size=0,
                    note="First draft" if number == 1 else "Revised after the team's comments",
                    uploaded_by_id=self.support,
                    created_at=moment,
                )
            )
            self.next_version += 1
        if state != DocumentState.DRAFT and original_id is None:
            for _ in range(rng.randint(0, 4)):
                user_id = rng.choice(self.c.user_ids)
                self.comments.append(
                    dict(
                        document_id=document_id,
                        version_id=rng.choice(version_ids),
                        author_id=user_id,
                        text=self.c.phrase(6, 20) + ".",
                        created_at=moments[-1] + timedelta(hours=rng.randint(1, 200)),
                    )
                )
        published = moments[-1] + timedelta(days=rng.randint(1, 5)) if state == DocumentState.PUBLISHED else None
        self.documents.append(
            dict(
                id=document_id,
                session_id=session_id,
                kind=kind.value,
                title=title,
                language=language.value,
                translation_of_id=original_id,
                author_country_id=author_country_id,
                author_person_id=author_person_id,
                state=state.value,
                published_at=min(published, self.now) if published else None,
                source=GENERATED_SOURCE,
                version_id=1,
                created_at=moments[0],
                updated_at=moments[-1],
            )
        )
        return document_id


def _complete_template() -> list[ChecklistTemplateItem]:
    """Add the steps the demo template lacks, through the service (so sessions still to come get them too)."""
    have = set(db.session.scalars(sa.select(ChecklistTemplateItem.title)))
    for position, title, owner, offset, description in EXTRA_TEMPLATE:
        if title not in have:
            services.create_template_item(
                SYSTEM,
                position=position,
                title=title,
                owner_role=owner,
                due_offset_days=offset,
                description=description,
                is_active=True,
            )
    return [t for t in services.template_items() if t.is_active]


def _existing_sessions() -> dict[int, dict]:
    """Per cycle: its roundtables by number, its sessions by (roundtable, number) and the zone they are held in."""
    found: dict[int, dict] = {}
    for rt_id, cycle_id, rt_number in db.session.execute(
        sa.select(Roundtable.id, Roundtable.cycle_id, Roundtable.number)
    ):
        found.setdefault(cycle_id, {})[("rt", rt_number)] = rt_id
    rows = db.session.execute(
        sa.select(Roundtable.cycle_id, Roundtable.number, RoundtableSession.number, RoundtableSession.timezone).join(
            Roundtable, Roundtable.id == RoundtableSession.roundtable_id
        )
    )
    for cycle_id, rt_number, number, zone in rows:
        found[cycle_id][(rt_number, number)] = True
        found[cycle_id]["timezone"] = zone
    return found
