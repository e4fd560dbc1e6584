"""Generated meetings for the benchmark's large data set: 2,000 meetings (at factor 1) across the cycles and
bodies, each with a short agenda and a dozen invited governments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from forum.core.dates import utcnow
from forum.demo.bulk import bulk_insert, first_free_id
from forum.extensions import db
from forum.meetings.models import AgendaItem, AgendaStatus, Invitation, Meeting, MeetingKind, MeetingStatus
from forum.structure.models import ForumCycle, MemberKind, Track

CITIES = [
    ("Geneva", "Europe/Zurich"),
    ("New York", "America/New_York"),
    ("Dakar", "Africa/Dakar"),
    ("Manila", "Asia/Manila"),
    ("Mexico City", "America/Mexico_City"),
    ("Brussels", "Europe/Brussels"),
]


def generate_meetings(context) -> None:
    rng = context.rng
    years = dict(db.session.execute(sa.select(ForumCycle.id, ForumCycle.year)).all())
    stamp = utcnow()
    first_id = first_free_id(Meeting)
    meetings, items, invitations = [], [], []
    for offset in range(context.count(2000)):
        cycle_id = rng.choice(context.cycle_ids)
        city, zone = rng.choice(CITIES)
        starts = datetime(years[cycle_id], rng.randint(1, 12), rng.randint(1, 28), rng.randint(7, 15), tzinfo=UTC)
        meeting_id = first_id + offset
        meetings.append(
            dict(
                id=meeting_id,
                cycle_id=cycle_id,
                body_id=rng.choice(context.body_ids),
                title=context.phrase(3, 7),
                kind=MeetingKind.BODY_MEETING.value,
                track=Track.GOVERNMENT.value,
                in_programme=False,
                is_public=rng.random() < 0.8,
                is_date_estimated=False,
                starts_at=starts,
                ends_at=starts + timedelta(hours=rng.randint(2, 6)),
                timezone=zone,
                city=city,
                address="",
                room="",
                online_url="",
                status=rng.choice(list(MeetingStatus)).value,
                sequence=0,
                description="",
                source="",
                agenda_status=rng.choice(list(AgendaStatus)).value,
                minutes_status="none",
                minutes_text="",
                version_id=1,
                created_at=stamp,
                updated_at=stamp,
            )
        )
        for position in range(1, 4):
            items.append(
                dict(
                    meeting_id=meeting_id,
                    position=position,
                    title=context.phrase(2, 6),
                    presenter="",
                    minutes_allotted=rng.choice([15, 30, 45]),
                    document_title="",
                    document_url="",
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
        for country_id in rng.sample(context.country_ids, 12):
            invitations.append(
                dict(
                    meeting_id=meeting_id,
                    member_kind=MemberKind.GOVERNMENT.value,
                    country_id=country_id,
                    member_key=f"government:{country_id}",
                    is_guest=False,
                    reply=rng.choice(["none", "attending", "not_attending"]),
                    represented_by="",
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
    for model, rows in ((Meeting, meetings), (AgendaItem, items), (Invitation, invitations)):
        bulk_insert(model, rows)
    context.stats["meetings"] = len(meetings)
