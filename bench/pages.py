"""The pages the benchmark times: (name, path, signed-in e-mail or None), found from the data, never fixed ids."""

from __future__ import annotations

import sqlalchemy as sa

from forum.extensions import db


def main_pages(app) -> list[tuple[str, str, str | None]]:
    from forum.directory.models import Country
    from forum.structure.models import Body, BodyKind

    steering_group = db.session.scalar(sa.select(Body.id).where(Body.kind == BodyKind.STEERING_GROUP).limit(1))
    morocco = db.session.scalar(sa.select(Country.iso2).where(Country.name == "Morocco"))
    from forum.partnerships.models import PartnershipProject

    pfp_project = db.session.scalar(
        sa.select(PartnershipProject.id).where(PartnershipProject.title == "Developing Migration Profiles")
    )
    from forum.outcomes.models import FollowUpAction
    from forum.structure.models import ForumCycle

    # the cycle with the most follow-up to review (a generated one at the large scale)
    busiest = db.session.scalar(
        sa.select(ForumCycle.year)
        .join(FollowUpAction, FollowUpAction.cycle_id == ForumCycle.id)
        .group_by(ForumCycle.year)
        .order_by(sa.func.count().desc(), ForumCycle.year.desc())
        .limit(1)
    )
    return [
        ("home", "/", None),
        ("cycle 2010", "/cycles/2010", None),
        ("body: Steering Group", f"/bodies/{steering_group}?on=2010-11-09", None),
        ("country: Morocco", f"/countries/{morocco.lower()}", None),
        ("programme 2010", "/cycles/2010/programme", None),
        ("meetings", "/meetings", None),
        ("calendar 2010 (.ics)", "/cycles/2010/calendar.ics", None),
        ("API: organisations", "/api/v1/organisations", None),
        ("API: body members", f"/api/v1/bodies/{steering_group}/members?on=2010-11-09", None),
        ("profile (signed in)", "/profile", "focal.mexico@example.org"),
        ("PfP catalogue, filtered", "/partnerships?theme=T9&need=partners&q=data", None),
        ("PfP project", f"/partnerships/projects/{pfp_project}", None),
        ("session 2010-RT2.1", "/sessions/2010-RT2.1", None),
        ("preparation board", f"/cycles/{busiest}/board", "support@example.org"),
        ("follow-up review", f"/cycles/{busiest}/follow-up/review", "chair@example.org"),
        ("our follow-up", "/follow-up/ours", "focal.mexico@example.org"),
        ("outcomes and follow-up", f"/cycles/{busiest}/outcomes", None),
        ("search", "/search?q=migration+data", "focal.mexico@example.org"),
    ]
