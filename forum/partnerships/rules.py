"""The permission rules of the Platform for Partnerships, read from the Principal.

forum.core.permissions routes its PfP actions here (partnerships sit above core). The two lines that matter:
the proposers never see an internal review or an unpublished decision, even when their government also sits
on the reviewing body; and only the body decides — its chair, or the Support Unit recording the body's decision.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from forum.core.dates import today
from forum.core.permissions import Principal
from forum.extensions import db
from forum.partnerships.models import EDITABLE_STATES, PartnershipProject, ProjectState
from forum.structure.models import Body, BodyKind, MemberKind, Membership, MembershipRole

REVIEW_STATES = frozenset({ProjectState.UNDER_REVIEW, ProjectState.DECIDED})
CHAIR_ROLES = (MembershipRole.CHAIR, MembershipRole.CO_CHAIR, MembershipRole.CHAIR_IN_OFFICE)


def is_proposer(p: Principal, project: PartnershipProject | None) -> bool:
    return project is not None and bool(project.proposer_country_ids & p.focal_country_ids)


def sits_on_reviewing_body(p: Principal, project: PartnershipProject) -> bool:
    return project.reviewing_body_id is not None and project.reviewing_body_id in p.body_ids


def may_view(p: Principal, project: PartnershipProject | None) -> bool:
    if project is None:
        return False
    if project.is_published or is_proposer(p, project):
        return True
    if project.state == ProjectState.DRAFT:
        return False  # a draft is private to its proposing governments
    return p.is_support_unit or sits_on_reviewing_body(p, project)


def may_edit(p: Principal, project: PartnershipProject | None) -> bool:
    return project is not None and project.state in EDITABLE_STATES and is_proposer(p, project)


def may_confirm(p: Principal, project: PartnershipProject | None) -> bool:
    if project is None or project.state not in EDITABLE_STATES:
        return False
    return any(not pr.is_confirmed and pr.country_id in p.focal_country_ids for pr in project.proposers)


def may_attach(p: Principal, project: PartnershipProject | None) -> bool:
    """The proposers attach documents while they draft and once the project is on the platform."""
    if project is None or not is_proposer(p, project):
        return False
    return project.state in EDITABLE_STATES or project.state == ProjectState.ACCEPTED


def may_offer(p: Principal, project: PartnershipProject | None) -> bool:
    """Anyone signed in who sees the project may try; the service checks that it is published and that the
    offer comes from the actor's own government or organisation (the Support Unit records one for anybody)."""
    return project is not None and p.is_authenticated and may_view(p, project)


def may_decide_offer(p: Principal, offer: Any) -> bool:
    """Only the proposing governments accept or decline an offer made to their project."""
    return offer is not None and is_proposer(p, offer.project)


def may_report(p: Principal, project: PartnershipProject | None) -> bool:
    """The proposers report on their project (the service checks it is accepted and published)."""
    return is_proposer(p, project)


def may_see_review(p: Principal, project: PartnershipProject | None) -> bool:
    """Review comments and the decision before publication: the Support Unit and the body, never the proposers."""
    if project is None or is_proposer(p, project):
        return False
    return p.is_support_unit or sits_on_reviewing_body(p, project)


def may_comment(p: Principal, project: PartnershipProject | None) -> bool:
    if project is None or project.state != ProjectState.UNDER_REVIEW or is_proposer(p, project):
        return False
    return sits_on_reviewing_body(p, project)


def may_decide(p: Principal, project: PartnershipProject | None) -> bool:
    """The Support Unit (recording the body's decision) or whoever chairs the reviewing body, if not a proposer."""
    if project is None or project.reviewing_body_id is None or is_proposer(p, project):
        return False
    return p.is_support_unit or chairs_body(p, project.reviewing_body_id)


def chairs_body(p: Principal, body_id: int) -> bool:
    """Whether the principal chairs the body today.

    The Chair-in-Office is its own chair (its whole team decides); the Chair-in-Office chairs the Steering Group;
    a working group is chaired by its chairs or co-chairs, in person or through the government they are focal
    point for.
    """
    if not p.is_authenticated:
        return False
    body = db.session.get(Body, body_id)
    if body is None:
        return False
    if body.kind == BodyKind.CHAIR_OFFICE:
        return body.id in p.body_ids
    if body.kind == BodyKind.STEERING_GROUP:
        return p.is_chair_team
    holders = [Membership.person_id == p.person_id]
    if p.focal_country_ids:
        holders.append(
            sa.and_(Membership.member_kind == MemberKind.GOVERNMENT, Membership.country_id.in_(p.focal_country_ids))
        )
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    Membership.body_id == body.id,
                    Membership.role.in_(CHAIR_ROLES),
                    Membership.active_on(today()),
                    sa.or_(*holders),
                )
            )
        )
    )


def visible_clause(p: Principal) -> Any:
    """SQL filter matching may_view, so list pages never ask per row."""
    from forum.partnerships.models import ProjectProposer

    published = sa.and_(PartnershipProject.state == ProjectState.ACCEPTED, PartnershipProject.published_at.is_not(None))
    clauses = [published]
    if p.focal_country_ids:
        clauses.append(
            PartnershipProject.id.in_(
                sa.select(ProjectProposer.project_id).where(ProjectProposer.country_id.in_(p.focal_country_ids))
            )
        )
    if p.is_support_unit:
        clauses.append(PartnershipProject.state != ProjectState.DRAFT)
    elif p.body_ids:
        clauses.append(
            sa.and_(
                PartnershipProject.state != ProjectState.DRAFT, PartnershipProject.reviewing_body_id.in_(p.body_ids)
            )
        )
    return sa.or_(*clauses)
