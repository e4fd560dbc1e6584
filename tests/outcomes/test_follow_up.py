"""Outcomes and follow-up as users meet them: who may report, the append-only history, frozen published text,
roll-ups on the review page and in the exports, carry-over at hand-over, the Chair's update request reaching the
owner, hidden drafts, and bounded queries."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

from forum.core.dates import today
from forum.extensions import db
from forum.outcomes.models import FollowUpAction, FollowUpStatus, FollowUpUpdate, Outcome, UpdateRequest

SU, CHAIR = "support@example.org", "chair@example.org"
MEXICO, PHILIPPINES = "focal.mexico@example.org", "focal.philippines@example.org"


def _mexico_action() -> FollowUpAction:
    return db.session.scalar(
        sa.select(FollowUpAction).where(FollowUpAction.description.startswith("Run the child protection training"))
    )


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_focal_point_reports_only_on_its_own_governments_actions(client_for):
    action = _mexico_action()
    before = _count(FollowUpUpdate)
    url = f"/follow-up/actions/{action.id}/updates"
    refused = client_for(PHILIPPINES).post(url, data={"status": "done", "progress": "100"})
    assert refused.status_code == 403
    assert _count(FollowUpUpdate) == before

    answer = client_for(MEXICO).post(url, data={"status": "in_progress", "progress": "80", "note": "Second course"})
    assert answer.status_code == 302
    db.session.refresh(action)
    assert (action.status, action.progress) == (FollowUpStatus.IN_PROGRESS, 80)
    assert _count(FollowUpUpdate) == before + 1
    page = client_for(None).get(f"/follow-up/actions/{action.id}").get_data(as_text=True)
    assert "Second course" in page


def test_progress_out_of_range_is_refused_and_nothing_written(client_for):
    action = _mexico_action()
    before = _count(FollowUpUpdate)
    response = client_for(MEXICO).post(
        f"/follow-up/actions/{action.id}/updates", data={"status": "in_progress", "progress": "140"}
    )
    assert response.status_code == 422
    assert "0 and 100" in response.get_data(as_text=True) or "100" in response.get_data(as_text=True)
    assert _count(FollowUpUpdate) == before


def test_status_updates_can_be_neither_changed_nor_deleted(db_session):
    update = db_session.scalar(sa.select(FollowUpUpdate).limit(1))
    update.note = "rewritten history"
    with pytest.raises(PermissionError):
        db_session.flush()
    db_session.rollback()
    update = db_session.scalar(sa.select(FollowUpUpdate).limit(1))
    db_session.delete(update)
    with pytest.raises(PermissionError):
        db_session.flush()
    db_session.rollback()


def test_published_text_changes_only_as_a_revision_with_a_reason(client_for):
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.reference == "2010-RT2.1-1"))
    original = outcome.text
    form = {
        "version_id": str(outcome.version_id),
        "title": outcome.title,
        "text": original + " Corrected.",
        "kind": outcome.kind.value,
        "strength": outcome.strength.value,
        "addressee_groups": ["governments"],
    }
    refused = client_for(SU).post("/outcomes/2010-RT2.1-1/edit", data=form)
    assert refused.status_code == 422
    db.session.refresh(outcome)
    assert outcome.text == original

    saved = client_for(SU).post("/outcomes/2010-RT2.1-1/edit", data=form | {"reason": "A typo in the report"})
    assert saved.status_code == 302
    db.session.refresh(outcome)
    assert [r.number for r in outcome.revisions] == [1, 2]
    assert outcome.revisions[0].text == original
    assert outcome.revisions[1].reason == "A typo in the report"


def test_the_review_and_the_exports_roll_up_the_2010_follow_up(client_for):
    # 2010 as the demo tells it: the Dubai workshop done (100), the EC study (50) and the Ibero-American
    # agreement (15) in progress, six actions carried over to 2011 at 0, 0, 0, 20, 40 and 60
    page = client_for(CHAIR).get("/cycles/2010/follow-up/review").get_data(as_text=True)
    assert 'data-testid="action-count">9<' in page
    assert 'data-testid="mean-progress">32%<' in page  # 285 / 9
    rows = list(csv.reader(io.StringIO(client_for(None).get("/cycles/2010/follow-up.csv").get_data(as_text=True))))
    assert len(rows) == 1 + 9
    statuses = sorted(r[7] for r in rows[1:])
    assert statuses.count("Carried over") == 6
    assert statuses.count("Done") == 1
    book = openpyxl.load_workbook(io.BytesIO(client_for(None).get("/cycles/2010/follow-up.xlsx").data))
    sheet_rows = list(book.active.iter_rows(values_only=True))
    assert [r[0] for r in sheet_rows[1:]] == [r[0] for r in rows[1:]]


def test_filters_stay_in_the_url_and_narrow_the_review(client_for):
    page = client_for(CHAIR).get("/cycles/2010/follow-up/review?roundtable=1").get_data(as_text=True)
    assert 'data-testid="action-count">2<' in page  # the handbook and the child-protection training of RT1
    assert 'value="1" selected' in page


def test_carried_actions_keep_their_history_and_link_to_their_origin(client_for):
    carried = db.session.scalars(sa.select(FollowUpAction).where(FollowUpAction.carried_from_id.is_not(None))).all()
    assert len([a for a in carried if a.cycle.year == 2011]) == 6
    handbook = next(a for a in carried if a.description.startswith("Handbook on engaging diasporas"))
    assert handbook.carried_from.status == FollowUpStatus.CARRIED_OVER
    page = client_for(None).get(f"/follow-up/actions/{handbook.id}").get_data(as_text=True)
    assert "carried over from" in page
    assert "validation workshop" in page


def test_the_chairs_update_request_reaches_the_owner_and_is_answered_by_a_report(client_for, demo_user):
    action = _mexico_action()
    outcome = action.outcome
    response = client_for(CHAIR).post(
        f"/cycles/{today().year}/follow-up/reviews",
        data={"outcome_id": str(outcome.id), "comment": "Where does the training stand?", "requests_update": "y"},
    )
    assert response.status_code == 302
    request = db.session.scalar(sa.select(UpdateRequest).where(UpdateRequest.action_id == action.id))
    assert request is not None
    assert request.answered_at is None
    assert "Where does the training stand?" in client_for(MEXICO).get("/follow-up/ours").get_data(as_text=True)
    assert outcome.reference in client_for(MEXICO).get("/notifications/tasks").get_data(as_text=True)
    assert "Where does the training stand?" not in client_for(PHILIPPINES).get("/follow-up/ours").get_data(as_text=True)
    client_for(MEXICO).post(f"/follow-up/actions/{action.id}/updates", data={"status": "done", "progress": "100"})
    db.session.refresh(request)
    assert request.answered_at is not None


def test_an_unpublished_outcome_is_hidden_from_the_public(client_for):
    response = client_for(SU).post(
        "/sessions/2010-RT2.1/outcomes/new",
        data={
            "title": "A draft",
            "text": "Not yet agreed.",
            "kind": "research",
            "strength": "suggestion",
            "addressee_groups": ["gfmd"],
        },
    )
    assert response.status_code == 302
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    assert reference == "2010-RT2.1-9"
    assert client_for(None).get(f"/outcomes/{reference}").status_code == 404
    assert client_for(MEXICO).get(f"/outcomes/{reference}").status_code == 404
    assert client_for(SU).get(f"/outcomes/{reference}").status_code == 200
    # the cycle's list is built once per kind of reader: the Support Unit's, which holds the draft, is not the public's
    assert reference in client_for(SU).get("/cycles/2010/outcomes").get_data(as_text=True)
    assert reference not in client_for(None).get("/cycles/2010/outcomes").get_data(as_text=True)
    assert reference not in client_for(MEXICO).get("/cycles/2010/outcomes").get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "path"),
    [
        (CHAIR, "/cycles/2010/follow-up/review"),
        (CHAIR, "/follow-up/review"),
        (MEXICO, "/follow-up/ours"),
        (None, "/cycles/2010/outcomes"),
        (None, "/outcomes/2010-RT2.1-1"),
    ],
)
def test_follow_up_pages_stay_within_their_query_budget(client_for, count_queries, email, path):
    client = client_for(email)
    client.get(path)  # warm the caches a first request fills
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    assert len(counter) <= 15, "\n".join(counter.statements)


# ------------------------------------------------------------------------------------------- reader's language


def _outcome_page(client, reference: str, lang: str) -> str:
    client.set_cookie("lang", lang)
    response = client.get(f"/outcomes/{reference}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_outcome_is_shown_in_the_readers_language_when_translated_else_the_original_with_a_note(client):
    french = _outcome_page(client, "2010-RT2.1-1", "fr")
    assert "Les recruteurs et la protection des travailleurs sous contrat" in french
    assert "outcome-original" in french  # the original stays one click away
    assert "Recruiters and the protection of contract workers" in french
    assert "outcome-original-note" not in french
    english = _outcome_page(client, "2010-RT2.1-1", "en")
    assert "Les recruteurs" not in english
    assert "outcome-original-note" not in english
    russian = _outcome_page(client, "2010-RT2.1-1", "ru")
    assert "Recruiters and the protection of contract workers" in russian
    assert "outcome-original-note" in russian  # no Russian translation: the original, and the reader is told


def test_the_support_unit_adds_and_replaces_a_translation_and_nobody_else_can(client_for, db_session):
    from forum.outcomes.models import Outcome, OutcomeTranslation

    outcome = db_session.scalar(sa.select(Outcome).where(Outcome.reference == "2010-RT3.1-3"))
    url = "/outcomes/2010-RT3.1-3/translations"
    form = {"language": "fr", "title": "Profils migratoires, tenus à jour", "text": "Continuer à les produire."}
    focal = client_for("focal.mexico@example.org")
    assert focal.post(url, data=form).status_code == 403
    support = client_for(SU)
    assert support.post(url, data=form).status_code == 302
    form["text"] = "Continuer à produire et à mettre à jour les profils migratoires."
    assert support.post(url, data=form).status_code == 302  # a second one replaces the first
    t = OutcomeTranslation
    saved = db_session.scalars(sa.select(t).where(t.outcome_id == outcome.id, t.language == "fr")).all()
    assert [t.text for t in saved] == ["Continuer à produire et à mettre à jour les profils migratoires."]
    for bad in ({"language": "en"}, {"language": "xx"}, {"title": ""}, {"text": "x" * 6000}):
        assert support.post(url, data={**form, **bad}).status_code == 422
    assert outcome.text.startswith("They should keep producing")  # the original is untouched


# ------------------------------------------------------------------------------------ the review's arithmetic


def _summary_by_hand(actor, filters) -> dict:
    """The review's numbers worked out one action at a time from the ORM objects: what the database's sums
    must equal. A group is ({status value: count}, mean progress without the dropped actions)."""
    from forum.outcomes import services
    from forum.outcomes.models import CLOSED_STATUSES

    actions = services.follow_up_actions(actor, filters)

    def group(keys_of) -> dict:
        counts, progress = {}, {}
        for a in actions:
            for key in keys_of(a):
                counts.setdefault(key, {}).setdefault(a.status.value, 0)
                counts[key][a.status.value] += 1
                if a.status != FollowUpStatus.DROPPED:
                    progress.setdefault(key, []).append(a.progress)
        return {
            key: (dict(sorted(c.items())), round(sum(progress[key]) / len(progress[key])) if key in progress else None)
            for key, c in counts.items()
        }

    def scope(a) -> list[str]:
        session, year = a.outcome.session, a.outcome.cycle.year
        return [f"{year} RT{session.roundtable.number}" if session else f"{year} {a.outcome.series}"]

    updates = db.session.scalars(
        sa.select(FollowUpUpdate)
        .where(FollowUpUpdate.action_id.in_([a.id for a in actions]))
        .order_by(FollowUpUpdate.created_at, FollowUpUpdate.id)
    ).all()
    latest, series = {}, []
    for i, u in enumerate(updates):
        if u.status != FollowUpStatus.CARRIED_OVER:
            latest[u.action_id] = u.progress
        month = u.created_at.strftime("%Y-%m")
        if i + 1 == len(updates) or updates[i + 1].created_at.strftime("%Y-%m") != month:
            series.append((month, round(sum(latest.values()) / len(actions))))
    return {
        "by_roundtable": group(scope),
        "by_owner": group(lambda a: [(a.owner_country or a.owner_organisation).name]),
        "by_addressee": group(lambda a: {ad.kind for ad in a.outcome.addressees}),
        "by_theme": group(lambda a: [t.code for t in a.outcome.themes]),
        "overdue": sum(1 for a in actions if a.status not in CLOSED_STATUSES and a.due_on and a.due_on < today()),
        "outcomes": len({a.outcome_id for a in actions}),
        "series": series[-36:],
    }


def _shown(groups: dict) -> dict:
    return {
        key: (dict(sorted((s.value, n) for s, n in r.counts.items() if n)), r.progress) for key, r in groups.items()
    }


@pytest.mark.parametrize("public", [False, True])
def test_the_reviews_sums_match_the_actions_one_by_one(db_session, public):
    from forum.core.permissions import SYSTEM
    from forum.outcomes import services
    from forum.outcomes.models import AddresseeKind
    from forum.structure.models import ForumCycle

    actor = None if public else SYSTEM
    narrowed = [
        {},
        {"roundtable": 2},
        {"addressee": AddresseeKind.GOVERNMENTS},
        {"theme": "T3"},
        {"status": FollowUpStatus.IN_PROGRESS},
    ]
    summed = 0
    for cycle_id in [None, *db.session.scalars(sa.select(ForumCycle.id))]:
        for narrower in narrowed:
            filters = services.FollowUpFilters(cycle_id=cycle_id, **narrower)
            summary, expected = services.review_summary(actor, filters), _summary_by_hand(actor, filters)
            assert _shown(summary.by_roundtable) == expected["by_roundtable"], filters
            owners = expected["by_owner"]  # the review lists the owners with the most actions
            assert _shown(summary.by_owner) == {key: owners[key] for key in summary.by_owner}, filters
            assert len(summary.by_owner) == min(len(owners), services.REVIEW_OWNERS)
            assert _shown(summary.by_addressee) == expected["by_addressee"], filters
            assert _shown(summary.by_theme) == expected["by_theme"], filters
            assert (summary.overdue, summary.outcome_count) == (expected["overdue"], expected["outcomes"]), filters
            assert summary.series == expected["series"], filters
            summed += summary.overall.total
    assert summed > 100  # the demo's follow-up was summed, not empty pages
