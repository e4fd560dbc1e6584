"""Meetings: scheduling, statuses, invitees on the date, agendas and their mail, replies, attendance, minutes,
the programme page and the calendar feeds."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.core.dates import today
from forum.core.errors import InvalidTransition, ValidationFailed
from forum.core.outbox import MailMessage
from forum.core.permissions import SYSTEM
from forum.directory.models import Country
from forum.extensions import db
from forum.meetings import services
from forum.meetings.models import AgendaItem, Invitation, Meeting, MeetingKind, MeetingStatus, MinutesStatus, Reply
from forum.structure.models import Body, BodyKind, ForumCycle, MemberKind

pytestmark = pytest.mark.usefixtures("db_session")

SU = "support@example.org"
MEXICO = "focal.mexico@example.org"
MOROCCO = "focal.morocco@example.org"


def _cycle(year: int | None = None) -> ForumCycle:
    return db.session.scalar(sa.select(ForumCycle).where(ForumCycle.year == (year or today().year)))


def _body(kind: BodyKind, name: str = "") -> Body:
    return db.session.scalars(
        sa.select(Body).where(Body.kind == kind, Body.name.contains(name)).order_by(Body.id)
    ).first()


def _country(name: str) -> Country:
    return db.session.scalar(sa.select(Country).where(Country.name == name))


def _schedule(body: Body | None = None, *, days: int = 20, public: bool = True, **extra) -> Meeting:
    start = datetime.combine(today() + timedelta(days=days), datetime.min.time()).replace(hour=10)
    values = dict(
        cycle_id=_cycle().id,
        body_id=body.id if body else None,
        title=extra.pop("title", "Test meeting"),
        kind=MeetingKind.BODY_MEETING,
        is_public=public,
        starts_local=start,
        ends_local=start + timedelta(hours=3),
        timezone="Europe/Zurich",
        city="Geneva",
    )
    values.update(extra)
    meeting = services.create_meeting(SYSTEM, **values)
    return services.meeting_detail(SYSTEM, meeting.id)


def _form(body: Body, **overrides) -> dict:
    data = {
        "title": "Steering Group extra meeting",
        "cycle_id": str(_cycle().id),
        "body_id": str(body.id),
        "kind": "body_meeting",
        "track": "government",
        "is_public": "y",
        "starts_local": f"{today() + timedelta(days=10)}T10:00",
        "ends_local": f"{today() + timedelta(days=10)}T13:00",
        "timezone": "Europe/Zurich",
        "city": "Geneva",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------------- scheduling


def test_support_unit_can_schedule_a_meeting_and_its_body_members_are_invited(client_for):
    steering = _body(BodyKind.STEERING_GROUP)
    response = client_for(SU).post("/meetings/new", data=_form(steering))
    assert response.status_code == 302
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.title == "Steering Group extra meeting"))
    assert meeting.timezone == "Europe/Zurich"
    local = services.local_times(meeting)[0]
    assert (local.hour, local.minute) == (10, 0)
    invited = {i.country.name for i in services.invitations_of(meeting)}
    assert {"Ghana", "Mexico", "Morocco", "Switzerland"} <= invited
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.object_type == "Meeting", AuditEntry.object_id == meeting.id)
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_local": f"{today()}T09:00", "starts_local": f"{today()}T10:00"}, "cannot end before it starts"),
        ({"timezone": "Mars/Olympus_Mons"}, "Unknown time zone"),
        ({"online_url": "javascript:alert(1)"}, "https://"),
    ],
)
def test_bad_meeting_input_is_refused_and_nothing_is_saved(client_for, overrides, message):
    before = db.session.scalar(sa.select(sa.func.count(Meeting.id)))
    response = client_for(SU).post("/meetings/new", data=_form(_body(BodyKind.STEERING_GROUP), **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == before


@pytest.mark.parametrize("who", [None, MEXICO, "chair@example.org"])
def test_others_cannot_schedule_meetings(client_for, who):
    response = client_for(who).post("/meetings/new", data=_form(_body(BodyKind.STEERING_GROUP)))
    assert response.status_code == (302 if who is None else 403)  # anonymous goes to the sign-in page
    assert db.session.scalar(sa.select(Meeting).where(Meeting.title == "Steering Group extra meeting")) is None


def test_invitees_come_from_memberships_valid_on_the_meeting_date():
    """The 2010 extended Troika: Spain (replaced) and Morocco (withdrew) left in October 2010; Switzerland joined."""
    troika = _body(BodyKind.EXTENDED_TROIKA, "2010")
    start = datetime(2010, 11, 20, 10)
    meeting = services.create_meeting(
        SYSTEM,
        cycle_id=_cycle(2010).id,
        body_id=troika.id,
        title="Troika (test)",
        kind=MeetingKind.BODY_MEETING,
        starts_local=start,
        ends_local=start + timedelta(hours=2),
        timezone="Europe/Zurich",
    )
    invited = {i.country.name for i in services.invitations_of(meeting)}
    assert "Switzerland" in invited
    assert "Sweden" in invited
    assert "Morocco" not in invited
    assert "Spain" not in invited


def test_every_status_transition_and_the_refused_ones():
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    services.change_status(SYSTEM, meeting, "send_invitations")
    assert meeting.status == MeetingStatus.INVITATIONS_SENT
    services.change_status(SYSTEM, meeting, "postpone")
    assert meeting.status == MeetingStatus.POSTPONED
    with pytest.raises(InvalidTransition):
        services.change_status(SYSTEM, meeting, "hold")
    services.change_status(SYSTEM, meeting, "reschedule")
    assert meeting.status == MeetingStatus.PLANNED
    services.change_status(SYSTEM, meeting, "hold")
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(InvalidTransition):
        services.change_status(SYSTEM, meeting, "cancel")
    other = _schedule(title="To cancel")
    services.change_status(SYSTEM, other, "cancel")
    assert other.status == MeetingStatus.CANCELLED
    trail = db.session.scalars(
        sa.select(AuditEntry.changes).where(
            AuditEntry.object_type == "Meeting", AuditEntry.object_id == meeting.id, AuditEntry.verb == "transition"
        )
    ).all()
    assert [c["status"] for c in trail] == [
        ["planned", "invitations_sent"],
        ["invitations_sent", "postponed"],
        ["postponed", "planned"],
        ["planned", "held"],
    ]


def test_moving_a_postponed_meeting_raises_its_sequence_and_keeps_the_old_dates_in_the_audit(client_for):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    services.change_status(SYSTEM, meeting, "postpone")
    before = meeting.sequence
    response = client_for(SU).post(
        f"/meetings/{meeting.id}/edit",
        data=_form(
            _body(BodyKind.STEERING_GROUP),
            title=meeting.title,
            version_id=str(meeting.version_id),
            starts_local=f"{today() + timedelta(days=60)}T10:00",
            ends_local=f"{today() + timedelta(days=60)}T12:00",
        ),
    )
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.sequence == before + 1
    update = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.object_id == meeting.id, AuditEntry.object_type == "Meeting", AuditEntry.verb == "update"
        )
    ).all()[-1]
    assert "starts_at" in update.changes


def test_support_unit_changes_status_through_the_page(client_for):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    response = client_for(SU).post(f"/meetings/{meeting.id}/status/send_invitations", data={"comment": "go"})
    assert response.status_code == 302
    assert client_for(MEXICO).post(f"/meetings/{meeting.id}/status/hold").status_code == 403
    assert client_for(SU).post(f"/meetings/{meeting.id}/status/reschedule").status_code == 409


# ---------------------------------------------------------------------------------------------------- visibility


def test_an_internal_meeting_is_hidden_from_anonymous_and_other_bodies_members(client_for):
    wg = _body(BodyKind.WORKING_GROUP, "Protecting")  # Philippines, UAE, Mexico; not Morocco
    meeting = _schedule(wg, public=False, title="Internal WG meeting")
    services.add_agenda_item(SYSTEM, meeting, title="Secret item")
    assert client_for(None).get(f"/meetings/{meeting.id}").status_code == 404
    assert client_for(MOROCCO).get(f"/meetings/{meeting.id}").status_code == 404
    assert "Internal WG meeting" not in client_for(None).get("/meetings").get_data(as_text=True)
    assert client_for(MEXICO).get(f"/meetings/{meeting.id}").status_code == 200
    assert client_for(SU).get(f"/meetings/{meeting.id}").status_code == 200
    assert "Internal WG meeting" not in client_for(None).get(f"/cycles/{today().year}/calendar.ics").get_data(
        as_text=True
    )


def test_the_public_list_and_page_show_the_2010_geneva_meetings_as_estimated(client):
    text = client.get("/meetings?year=2010").get_data(as_text=True)
    assert text.count("Steering Group meeting") == 5
    assert text.count("Friends of the Forum meeting") == 3
    assert "date estimated" in text


# ---------------------------------------------------------------------------------------------------- agenda


def test_agenda_items_are_numbered_and_reorderable(client_for):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    su = client_for(SU)
    for title in ("Opening", "Budget", "Any other business"):
        assert (
            su.post(f"/meetings/{meeting.id}/agenda", data={"title": title, "minutes_allotted": "10"}).status_code
            == 302
        )
    items = services._agenda(meeting)
    assert [i.title for i in items] == ["Opening", "Budget", "Any other business"]
    assert su.post(f"/agenda-items/{items[2].id}/move/up").status_code == 302
    assert [i.title for i in services._agenda(meeting)] == ["Opening", "Any other business", "Budget"]
    assert su.post(f"/agenda-items/{items[0].id}/move/up").status_code == 409
    assert client_for(MEXICO).post(f"/agenda-items/{items[1].id}/move/down").status_code == 403
    assert su.post(f"/agenda-items/{items[0].id}/delete").status_code == 302
    assert [(i.position, i.title) for i in services._agenda(meeting)] == [(1, "Any other business"), (2, "Budget")]


def test_bad_agenda_input_is_refused(client_for):
    meeting = _schedule()
    su = client_for(SU)
    assert su.post(f"/meetings/{meeting.id}/agenda", data={"title": ""}).status_code == 422
    response = su.post(f"/meetings/{meeting.id}/agenda", data={"title": "x", "document_url": "ftp://x"})
    assert response.status_code == 422
    assert "https://" in response.get_data(as_text=True)
    assert su.post(f"/meetings/{meeting.id}/agenda", data={"title": "x", "minutes_allotted": "-3"}).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id)).where(AgendaItem.meeting_id == meeting.id)) == 0


def test_a_draft_agenda_is_hidden_and_publishing_mails_the_invitees(client_for):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    services.add_agenda_item(SYSTEM, meeting, title="Themes concept paper")
    assert "Themes concept paper" not in client_for(None).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert client_for(MEXICO).post(f"/meetings/{meeting.id}/agenda/publish").status_code == 403
    assert client_for(SU).post(f"/meetings/{meeting.id}/agenda/publish").status_code == 302
    mails = db.session.scalars(sa.select(MailMessage).where(MailMessage.template == "meeting_agenda")).all()
    recipients = {m.recipient for m in mails if "Test meeting" in m.subject}
    assert {"focal.mexico@example.org", "focal.morocco@example.org"} <= recipients
    assert "Themes concept paper" in client_for(None).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    services.add_agenda_item(SYSTEM, services.meeting_detail(SYSTEM, meeting.id), title="Late item")
    changed = db.session.scalars(sa.select(MailMessage).where(MailMessage.subject.startswith("Agenda changed"))).all()
    assert any(m.recipient == "focal.mexico@example.org" and "Late item" in m.body_text for m in changed)


def test_an_empty_agenda_cannot_be_published(client_for):
    meeting = _schedule()
    assert client_for(SU).post(f"/meetings/{meeting.id}/agenda/publish").status_code == 422


# ---------------------------------------------------------------------------------------------------- replies


def _invitation(meeting: Meeting, country: str) -> Invitation:
    return next(i for i in services.invitations_of(meeting) if i.country and i.country.name == country)


def test_a_focal_point_replies_for_its_own_government_only(client_for):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    mexico, morocco = _invitation(meeting, "Mexico"), _invitation(meeting, "Morocco")
    page = client_for(MEXICO).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'action="/invitations/{mexico.id}/reply"' in page
    assert f'action="/invitations/{morocco.id}/reply"' not in page  # no form for another government
    assert '<option value="attending"' in page
    response = client_for(MEXICO).post(
        f"/invitations/{mexico.id}/reply", data={"reply": "represented", "represented_by": "Embassy in Bern"}
    )
    assert response.status_code == 302
    db.session.refresh(mexico)
    assert (mexico.reply, mexico.represented_by) == (Reply.REPRESENTED, "Embassy in Bern")
    assert client_for(MEXICO).post(f"/invitations/{morocco.id}/reply", data={"reply": "attending"}).status_code == 403
    db.session.refresh(morocco)
    assert morocco.reply == Reply.NONE
    missing = client_for(MEXICO).post(f"/invitations/{mexico.id}/reply", data={"reply": "represented"})
    assert missing.status_code == 422
    assert "Say who represents you" in missing.get_data(as_text=True)


def test_a_reply_to_an_internal_meeting_of_another_body_is_not_found(client_for):
    wg = _body(BodyKind.WORKING_GROUP, "Protecting")
    meeting = _schedule(wg, public=False)
    invitation = _invitation(meeting, "Philippines")
    assert (
        client_for(MOROCCO).post(f"/invitations/{invitation.id}/reply", data={"reply": "attending"}).status_code == 404
    )


def test_attendance_and_interventions_are_recorded_once_held(client_for):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    mexico = _invitation(meeting, "Mexico")
    su = client_for(SU)
    assert su.post(f"/meetings/{meeting.id}/attendance", data={f"attended-{mexico.id}": "1"}).status_code == 409
    services.change_status(SYSTEM, meeting, "hold")
    response = su.post(
        f"/meetings/{meeting.id}/attendance", data={f"attended-{mexico.id}": "1", f"interventions-{mexico.id}": "3"}
    )
    assert response.status_code == 302
    db.session.refresh(mexico)
    assert mexico.attended is True
    assert mexico.interventions == 3
    assert client_for(MEXICO).post(f"/meetings/{meeting.id}/attendance", data={}).status_code == 403
    bad = su.post(f"/meetings/{meeting.id}/attendance", data={f"interventions-{mexico.id}": "-1"})
    assert bad.status_code == 422


# ---------------------------------------------------------------------------------------------------- minutes


def test_minutes_go_from_draft_to_circulated_to_final(client_for):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    services.change_status(SYSTEM, meeting, "hold")
    mexico = _invitation(meeting, "Mexico")
    services.record_attendance(SYSTEM, meeting, attended_ids={mexico.id}, interventions={})
    su = client_for(SU)
    assert su.post(f"/meetings/{meeting.id}/minutes", data={"text": "We met."}).status_code == 302
    assert "We met." not in client_for(MEXICO).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert su.post(f"/meetings/{meeting.id}/decisions", data={"text": "Endorse the paper."}).status_code == 302
    assert su.post(f"/meetings/{meeting.id}/minutes/circulate").status_code == 302
    assert db.session.scalar(
        sa.select(MailMessage).where(
            MailMessage.template == "meeting_minutes", MailMessage.recipient == "focal.mexico@example.org"
        )
    )
    assert "We met." in client_for(MEXICO).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "We met." not in client_for(MOROCCO).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert su.post(f"/meetings/{meeting.id}/minutes", data={"text": "Changed"}).status_code == 409
    assert su.post(f"/meetings/{meeting.id}/minutes/finalise").status_code == 302
    db.session.refresh(meeting)
    assert meeting.minutes_status == MinutesStatus.FINAL
    text = client_for(None).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "We met." in text
    assert "Endorse the paper." in text


# ---------------------------------------------------------------------------------------------------- programme


def test_the_2010_programme_shows_the_days_tracks_and_panels(client):
    text = client.get("/cycles/2010/programme").get_data(as_text=True)
    for needle in (
        "Monday 08 November 2010",
        "Thursday 11 November 2010",
        "Common Space panel 1",
        "Sergio Marchi",
        "Roundtable 3.2",
        "Platform for Partnerships",
        "Future of the Forum",
        "17:30–19:00",
    ):
        assert needle in text
    assert text.index("Civil Society Days, day 1") < text.index("Opening ceremony") < text.index("Closing plenary")
    assert "track-civil_society" in text
    assert "track-government" in text


def test_the_programme_page_stays_within_its_query_budget(client, count_queries):
    cycle = _cycle(2010)
    start = datetime(2010, 11, 10, 8)
    for n in range(30):
        m = services.create_meeting(
            SYSTEM,
            cycle_id=cycle.id,
            title=f"Extra session {n}",
            kind=MeetingKind.PANEL,
            in_programme=True,
            starts_local=start + timedelta(hours=n % 10),
            ends_local=start + timedelta(hours=n % 10 + 1),
            timezone="America/Mexico_City",
        )
        services.add_programme_role(
            SYSTEM, m, kind=services.ProgrammeRole.kind.type.enum_class("panellist"), label=f"P{n}"
        )
    with count_queries() as counter:
        assert client.get("/cycles/2010/programme").status_code == 200
    assert len(counter) <= 15


# ---------------------------------------------------------------------------------------------------- calendars


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _components(lines: list[str], name: str) -> list[list[str]]:
    found, current = [], None
    for line in lines:
        if line == f"BEGIN:{name}":
            current = []
        elif line == f"END:{name}":
            found.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return found


def test_the_cycle_calendar_is_valid_icalendar_in_the_venue_zone(client):
    response = client.get("/cycles/2010/calendar.ics")
    assert response.mimetype == "text/calendar"
    raw = response.get_data()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # octets, folded
    lines = _unfold(raw.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    events = _components(lines, "VEVENT")
    assert len(events) >= 8 + 14
    for event in events:
        for prop in ("UID:", "DTSTAMP:", "DTSTART;TZID=", "DTEND;TZID=", "SUMMARY:", "SEQUENCE:"):
            assert sum(line.startswith(prop) for line in event) == 1, (prop, event)
    zones = {c[0].removeprefix("TZID:") for c in _components(lines, "VTIMEZONE")}
    used = {line.split("=", 1)[1].split(":", 1)[0] for e in events for line in e if line.startswith("DTSTART;TZID=")}
    assert used == zones == {"Europe/Zurich", "America/Mexico_City"}
    # the closing plenary: 17.30-19.00 on 11 November (L843), in Puerto Vallarta's zone
    closing = next(e for e in events if "SUMMARY:Closing plenary" in e)
    assert "DTSTART;TZID=America/Mexico_City:20101111T173000" in closing
    assert "DTEND;TZID=America/Mexico_City:20101111T190000" in closing
    mexico = next(c for c in _components(lines, "VTIMEZONE") if c[0] == "TZID:America/Mexico_City")
    assert "DTSTART:20101031T020000" in mexico  # back to CST (-0600) before the summit
    assert any("Common Space panel 2: Migration for human development – enhancing partnerships" in x for x in lines)


def test_ical_text_is_escaped_and_folded_on_character_boundaries():
    from forum.meetings.ical import escape_text, fold

    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence(client):
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))
    first = client.get(f"/meetings/{meeting.id}/calendar.ics").get_data(as_text=True)
    start = datetime.combine(today() + timedelta(days=40), datetime.min.time()).replace(hour=9)
    services.update_meeting(
        SYSTEM,
        meeting,
        version_id=meeting.version_id,
        cycle_id=meeting.cycle_id,
        body_id=meeting.body_id,
        title=meeting.title,
        kind=meeting.kind,
        is_public=True,
        starts_local=start,
        ends_local=start + timedelta(hours=1),
        timezone="Europe/Zurich",
        city="Geneva",
    )
    second = client.get(f"/meetings/{meeting.id}/calendar.ics").get_data(as_text=True)
    uid = f"UID:meeting-{meeting.id}@gfmd-forum"
    assert uid in first
    assert uid in second
    assert "SEQUENCE:0" in first
    assert "SEQUENCE:1" in second


def test_a_body_calendar_lists_public_meetings_only(client):
    steering = _body(BodyKind.STEERING_GROUP)
    _schedule(steering, public=False, title="Closed SG session")
    text = client.get(f"/bodies/{steering.id}/calendar.ics").get_data(as_text=True)
    assert "Steering Group meeting 1 of 5 (2010)" in text
    assert "Closed SG session" not in text


def test_service_refuses_an_unknown_zone_directly():
    with pytest.raises(ValidationFailed) as refused:
        _schedule(timezone="Nowhere/Else")
    assert "timezone" in refused.value.errors


def test_a_guest_can_be_invited_once(client_for):
    meeting = _schedule()
    ghana = _country("Ghana")
    su = client_for(SU)
    assert (
        su.post(
            f"/meetings/{meeting.id}/guests", data={"member_kind": "government", "member_id": str(ghana.id)}
        ).status_code
        == 302
    )
    again = su.post(f"/meetings/{meeting.id}/guests", data={"member_kind": "government", "member_id": str(ghana.id)})
    assert again.status_code == 422
    assert "already invited" in again.get_data(as_text=True)
    assert (
        su.post(f"/meetings/{meeting.id}/guests", data={"member_kind": "government", "member_id": "999999"}).status_code
        == 422
    )
    assert [i.member_kind for i in services.invitations_of(meeting)] == [MemberKind.GOVERNMENT]


def test_a_signed_in_user_also_sees_the_time_in_their_own_zone(client_for, demo_user):
    user = demo_user(MEXICO)
    user.timezone = "America/Mexico_City"
    db.session.flush()
    meeting = _schedule(_body(BodyKind.STEERING_GROUP))  # 10:00 in Geneva
    text = client_for(MEXICO).get(f"/meetings/{meeting.id}").get_data(as_text=True)
    local = services.local_times(meeting, "America/Mexico_City")[0]
    assert "Your time:" in text
    assert local.strftime("%H:%M") in text
    assert "Your time:" not in client_for(None).get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_the_demo_meetings_load_twice_without_duplicates():
    from forum.meetings.demo import load_meetings

    before = db.session.scalar(sa.select(sa.func.count(Meeting.id)))
    load_meetings()
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == before
    statuses = set(db.session.scalars(sa.select(Meeting.status).where(Meeting.cycle_id == _cycle().id)))
    assert statuses == set(MeetingStatus)


def test_support_unit_can_schedule_a_summit_session_without_a_body(client_for):
    data = _form(_body(BodyKind.STEERING_GROUP), body_id="0", title="Common Space test panel", kind="panel")
    data.update(track="common_space", in_programme="y", timezone="Africa/Accra", city="Accra")
    assert client_for(SU).post("/meetings/new", data=data).status_code == 302
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.title == "Common Space test panel"))
    assert meeting.body_id is None
    assert services.invitations_of(meeting) == []
    assert "Common Space test panel" in client_for(None).get(f"/cycles/{today().year}/programme").get_data(as_text=True)


def test_a_personal_feed_lists_the_users_meetings_at_a_secret_address_that_can_be_reset(client_for):
    wg = _body(BodyKind.WORKING_GROUP, "Protecting")  # Mexico is a member
    _schedule(wg, public=False, title="Internal meeting for the feed")
    mexico = client_for(MEXICO)
    page = mexico.post("/meetings/my-calendar").get_data(as_text=True)
    url = page[page.index("http://localhost/calendar/") : page.index(".ics") + 4]
    path = url.removeprefix("http://localhost")
    feed = client_for(None).get(path)
    assert feed.status_code == 200
    assert "Internal meeting for the feed" in feed.get_data(as_text=True)
    assert "no-store" in feed.headers["Cache-Control"]
    assert "Internal meeting for the feed" not in client_for(None).get(f"/cycles/{today().year}/calendar.ics").get_data(
        as_text=True
    )
    mexico.post("/meetings/my-calendar")
    assert client_for(None).get(path).status_code == 404
    assert client_for(None).post("/meetings/my-calendar").status_code == 302  # to sign in


@pytest.mark.parametrize("who", [None, SU, MEXICO])
def test_a_meeting_page_with_35_invitees_stays_within_its_query_budget(client_for, count_queries, who):
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.title == "Steering Group meeting 1 of 5 (2010)"))
    client = client_for(who)
    with count_queries() as counter:
        response = client.get(f"/meetings/{meeting.id}")
    assert response.status_code == 200
    assert "Preliminary Draft Budget" in response.get_data(as_text=True)
    assert len(counter) <= 15


def test_the_calendar_parses_with_icalendar_and_with_vobject_in_the_venue_zone(client):
    import icalendar
    import vobject

    raw = client.get("/cycles/2010/calendar.ics").get_data(as_text=True)
    parsed = icalendar.Calendar.from_ical(raw)
    events = [c for c in parsed.walk("VEVENT")]
    closing = next(e for e in events if str(e["SUMMARY"]).startswith("Closing plenary"))
    start = closing.decoded("DTSTART")
    assert (start.hour, start.minute) == (17, 30)
    assert str(start.tzinfo) in ("America/Mexico_City", "CST")
    assert start.utcoffset().total_seconds() == -6 * 3600
    other = vobject.readOne(raw)
    assert len(other.vevent_list) == len(events)
    assert {str(e.uid.value) for e in other.vevent_list} == {str(e["UID"]) for e in events}
