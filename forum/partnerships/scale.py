"""Generated Platform for Partnerships projects for the benchmark's large data set: 2,000 projects (at factor 1)
in every state, most of them published, with themes, proposing governments, partners, offers in every state
and progress reports, bulk-inserted from the context's seeded generator (the same seed gives the same rows)."""

from __future__ import annotations

from datetime import timedelta

from forum.core.dates import today, utcnow
from forum.core.themes import THEMES
from forum.demo.bulk import bulk_insert, first_free_id
from forum.partnerships.models import (
    EventKind,
    OfferKind,
    OfferState,
    PartnerRole,
    PartnershipProject,
    ProgressReport,
    ProjectEvent,
    ProjectOffer,
    ProjectPartner,
    ProjectProposer,
    ProjectStage,
    ProjectState,
    ProjectTheme,
)

#: how the generated projects spread over the workflow (published accepted projects are the bulk)
STATE_WEIGHTS = {
    ProjectState.ACCEPTED: 60,
    ProjectState.DRAFT: 8,
    ProjectState.SUBMITTED: 6,
    ProjectState.IN_SCREENING: 6,
    ProjectState.RETURNED: 4,
    ProjectState.UNDER_REVIEW: 8,
    ProjectState.DECIDED: 2,
    ProjectState.CHANGES_REQUESTED: 3,
    ProjectState.DECLINED: 3,
}
NEEDS = ["training of officials", "technical expertise", "data systems", "partner governments", "co-funding"]
CURRENCIES = ["USD", "EUR", "CHF", "GBP"]


def generate_partnerships(context) -> None:
    rng = context.rng
    now, day = utcnow(), today()
    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    codes = list(THEMES)
    first = first_free_id(PartnershipProject)
    projects, themes, proposers, partners, offers, reports, events = [], [], [], [], [], [], []
    for offset in range(context.count(2000)):
        pid = first + offset
        state = rng.choices(states, weights)[0]
        published = state in (ProjectState.ACCEPTED, ProjectState.CHANGES_REQUESTED, ProjectState.DECLINED)
        submitted_at = now - timedelta(days=rng.randint(1, 900)) if state != ProjectState.DRAFT else None
        routed = state in (ProjectState.UNDER_REVIEW, ProjectState.DECIDED) or published
        lead, co = rng.sample(context.country_ids, 2)
        decision = {
            ProjectState.ACCEPTED: "accepted",
            ProjectState.DECIDED: rng.choice(["accepted", "declined"]),
            ProjectState.CHANGES_REQUESTED: "changes_requested",
            ProjectState.DECLINED: "declined",
        }.get(state)
        every = rng.choice([6, 6, 12, 3]) if decision == "accepted" else None
        needs = rng.sample(NEEDS, 2)
        projects.append(
            dict(
                id=pid,
                title=f"{context.phrase(3, 7)} ({pid})",
                summary=" ".join(context.phrase(8, 16) + "." for _ in range(rng.randint(3, 6))),
                objectives=context.phrase(6, 12),
                outcomes_followed="",
                stage=rng.choice(list(ProjectStage)).value,
                starts_on=day - timedelta(days=rng.randint(0, 1500)),
                ends_on=None,
                needs_partners=f"{needs[0]}; {context.phrase(3, 6).lower()}",
                needs_expertise=needs[1],
                needs_funding="co-funding" if "co-funding" in needs else "",
                funding_amount=rng.randint(1, 500) * 1000 if "co-funding" in needs else None,
                funding_currency=rng.choice(CURRENCIES) if "co-funding" in needs else None,
                offers=context.phrase(3, 8) if rng.random() < 0.4 else "",
                contact_name="Generated contact",
                contact_email=f"pfp{pid}@example.org",
                source="",
                lead_country_id=lead,
                cycle_id=rng.choice(context.cycle_ids),
                created_by_id=None,
                state=state.value,
                submitted_at=submitted_at,
                reviewing_body_id=rng.choice(context.body_ids) if routed else None,
                routed_at=submitted_at + timedelta(days=rng.randint(1, 30)) if routed and submitted_at else None,
                decision=decision,
                decision_note="",
                decided_at=now - timedelta(days=rng.randint(1, 400)) if decision else None,
                decided_by_id=None,
                decision_record="",
                report_every_months=every,
                next_report_due_on=day + timedelta(days=rng.randint(-120, 200)) if published and every else None,
                published_at=now - timedelta(days=rng.randint(1, 800)) if published else None,
                version_id=1,
                created_at=now,
                updated_at=now,
            )
        )
        themes += [dict(project_id=pid, code=code) for code in rng.sample(codes, rng.randint(1, 3))]
        proposers.append(dict(project_id=pid, country_id=lead, is_lead=True, confirmed_at=now))
        if rng.random() < 0.4:
            proposers.append(dict(project_id=pid, country_id=co, is_lead=False, confirmed_at=now))
        for organisation_id in rng.sample(context.organisation_ids, rng.randint(0, 2)):
            partners.append(dict(project_id=pid, country_id=None, organisation_id=organisation_id, role=_role(rng)))
        events.append(dict(project_id=pid, at=now, actor_label="generated", kind=EventKind.CREATED.value, text=""))
        if state != ProjectState.ACCEPTED:
            continue
        for _ in range(rng.randint(0, 3)):
            offer_state = rng.choice(list(OfferState)).value
            by_country = rng.random() < 0.6
            offers.append(
                dict(
                    project_id=pid,
                    country_id=rng.choice([c for c in context.country_ids if c not in (lead, co)])
                    if by_country
                    else None,
                    organisation_id=None if by_country else rng.choice(context.organisation_ids),
                    kind=rng.choice(list(OfferKind)).value,
                    role=_role(rng),
                    what=context.phrase(5, 12),
                    terms="",
                    amount=rng.randint(1, 100) * 1000 if rng.random() < 0.3 else None,
                    currency=None,
                    state=offer_state,
                    reply="",
                    created_at=now,
                    updated_at=now,
                )
            )
            if offers[-1]["amount"]:
                offers[-1]["currency"] = rng.choice(CURRENCIES)
        for n in range(rng.randint(0, 3)):
            end = day - timedelta(days=30 + 180 * n)
            reports.append(
                dict(
                    project_id=pid,
                    period_start=end - timedelta(days=180),
                    period_end=end,
                    progress=context.phrase(10, 20),
                    results=context.phrase(5, 10),
                    next_steps=context.phrase(5, 10),
                    is_final=False,
                    due_on=end + timedelta(days=rng.randint(-10, 20)),
                    submitted_at=now - timedelta(days=20 + 180 * n),
                )
            )
    for model, rows in (
        (PartnershipProject, projects),
        (ProjectTheme, themes),
        (ProjectProposer, proposers),
        (ProjectPartner, partners),
        (ProjectOffer, offers),
        (ProgressReport, reports),
        (ProjectEvent, events),
    ):
        bulk_insert(model, rows)
    context.stats.update(
        pfp_projects=len(projects), pfp_offers=len(offers), pfp_reports=len(reports), pfp_themes=len(themes)
    )


def _role(rng) -> str:
    return rng.choice(list(PartnerRole)).value
