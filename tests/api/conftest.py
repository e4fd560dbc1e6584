"""What the API tests share: a personal token for a demo account, sent as the Authorization header, and the demo
data the tests read through the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.api.services import create_token
from forum.core.permissions import SYSTEM
from forum.extensions import db
from forum.outcomes import services as outcomes
from forum.outcomes.models import AddresseeKind, CommitmentStrength, FollowUpAction, OutcomeKind
from forum.partnerships.models import PartnershipProject
from forum.roundtables.services import session_by_reference

SU, CHAIR = "support@example.org", "chair@example.org"
MEXICO, PHILIPPINES, MOROCCO = "focal.mexico@example.org", "focal.philippines@example.org", "focal.morocco@example.org"


@pytest.fixture
def bearer(demo_user):
    """bearer("focal.mexico@example.org") -> the headers of a request with a new personal token of that account."""

    def headers(email: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_token(demo_user(email), 'API tests')}"}

    return headers


def project(title: str) -> PartnershipProject:
    return db.session.scalars(sa.select(PartnershipProject).where(PartnershipProject.title == title)).one()


def action(description_start: str) -> FollowUpAction:
    return db.session.scalars(
        sa.select(FollowUpAction).where(FollowUpAction.description.startswith(description_start))
    ).one()


#: the demo's projects: the Philippines' draft (Mexico asked to co-propose it), the Philippines' project whose
#: decision (by a working group Mexico sits on) is not published yet, and Mexico's published one
DRAFT = "Recruitment cost calculator for migrant workers"
DECIDED = "Pre-departure orientation in three languages"
PUBLISHED = "Protecting Unaccompanied Migrant Children"
#: the demonstration cycle's action Mexico owns with Morocco, and one the Philippines owns
MEXICO_ACTION = "Run the child protection training"
PHILIPPINES_ACTION = "Open a one-stop shop"


@pytest.fixture
def unpublished_outcome(db_session):
    """A 2010-RT2.1 outcome the Support Unit recorded and has not published, with an action Mexico owns."""
    session = session_by_reference("2010-RT2.1")
    outcome = outcomes.record_outcome(
        SYSTEM,
        cycle=session.roundtable.cycle,
        session=session,
        number=None,
        title="A draft outcome",
        text="Not agreed yet.",
        kind=OutcomeKind.RESEARCH,
        strength=CommitmentStrength.SUGGESTION,
        addressees=[outcomes.AddresseeInput(AddresseeKind.GFMD)],
        theme_codes=["T3"],
    )
    mexico = action(MEXICO_ACTION).owner_country_id
    outcomes.add_action(
        SYSTEM,
        outcome,
        description="Draft action of an unpublished outcome",
        owner=outcomes.PartyInput(country_id=mexico),
        co_owners=[],
        due_on=None,
    )
    return outcome
