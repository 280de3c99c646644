"""Derived data never outlives consent (SECURITY rows 2, 30, 31, 32).

A profile's vectors leave the embeddings table in the very transaction that hides the
profile, and hidden records never reach a search or a match even from a stale index.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from flask import Flask
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from directory.extensions import db
from directory.matching import service, store
from directory.matching.engine import Engine
from directory.models import AuditEvent, Embedding, Profile, Status, User
from directory.services import profiles
from tests import factories

from .conftest import FAKE_MODEL, FakeEmbedder

OTHER_MODEL = "another-model"


def seed_vectors(kind: str, record_id: int) -> None:
    """Vectors of a record under two models, as a two-model recipe would store them."""
    for model in (FAKE_MODEL, OTHER_MODEL):
        db.session.add(
            Embedding(
                kind=kind,
                record_id=record_id,
                model_name=model,
                text_hash="0" * 64,
                dim=4,
                vector=np.ones(4, dtype=np.float32).tobytes(),
            )
        )
    db.session.commit()


def vectors_of(kind: str, record_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Embedding.id)).where(
                Embedding.kind == kind, Embedding.record_id == record_id
            )
        )
        or 0
    )


def committed_vectors_of(app: Flask, kind: str, record_id: int) -> int:
    """Count through another connection: what other workers see."""
    with db.engine.connect() as conn:
        return conn.execute(
            select(func.count(Embedding.id)).where(
                Embedding.kind == kind, Embedding.record_id == record_id
            )
        ).scalar_one()


def profile_input(profile: Profile, **changes: Any) -> profiles.ProfileInput:
    values: dict[str, Any] = {
        "full_name": profile.full_name,
        "headline": profile.headline,
        "bio": profile.bio,
        "skills": "python",
        "state_code": profile.state_code,
        "city": profile.city,
        "visibility": profile.visibility,
        "contact_consent": profile.contact_consent,
        "matching_consent": profile.matching_consent,
    }
    values.update(changes)
    return profiles.ProfileInput(**values)


def _unpublish(p: Profile) -> None:
    profiles.unpublish_profile(p, actor=p.user)


def _withdraw(p: Profile) -> None:
    profiles.save_profile(p.user, profile_input(p, matching_consent=False))


def _deactivate(p: Profile) -> None:
    p.user.active = False


def _delete_profile(p: Profile) -> None:
    db.session.delete(p)


def _delete_account(p: Profile) -> None:
    db.session.delete(p.user)


HIDE: dict[str, Callable[[Profile], None]] = {
    "made-private": _unpublish,
    "matching-consent-withdrawn": _withdraw,
    "account-deactivated": _deactivate,
    "profile-deleted": _delete_profile,
    "account-deleted": _delete_account,
}


@pytest.mark.parametrize("how", list(HIDE))
def test_vectors_leave_in_the_same_transaction_that_hides_the_profile(
    app_ctx: Flask, how: str
) -> None:
    person, bystander = factories.profile(), factories.profile()
    person_id = person.id
    seed_vectors("profile", person_id)
    seed_vectors("profile", bystander.id)
    assert vectors_of("profile", person_id) == 2

    # Inside the transaction: gone as soon as the change is flushed...
    HIDE[how](person)
    db.session.flush()
    assert vectors_of("profile", person_id) == 0
    # ...and back if the change is rolled back: both belong to one transaction.
    db.session.rollback()
    assert vectors_of("profile", person_id) == 2
    assert committed_vectors_of(app_ctx, "profile", person_id) == 2

    person = db.session.get(Profile, person_id)
    assert person is not None
    HIDE[how](person)
    db.session.commit()
    assert committed_vectors_of(app_ctx, "profile", person_id) == 0
    assert vectors_of("profile", bystander.id) == 2
    assert person_id not in store.indexable_ids("profile")


def test_withdrawing_matching_consent_is_logged(app_ctx: Flask) -> None:
    person = factories.profile()
    _withdraw(person)
    db.session.commit()
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "consent.matching", AuditEvent.target_id == person.id
        )
    ).all()
    assert [event.details.get("granted") for event in events] == [False]


def test_an_edit_that_keeps_the_profile_visible_keeps_its_vectors(app_ctx: Flask) -> None:
    person = factories.profile()
    seed_vectors("profile", person.id)
    person.city = "Zapopan"
    person.user.last_login_at = person.created_at
    db.session.commit()
    assert vectors_of("profile", person.id) == 2


def test_a_new_profile_is_private_and_not_indexable(app_ctx: Flask) -> None:
    owner = factories.user()
    person = profiles.save_profile(
        owner, profiles.ProfileInput(full_name="Ana Nueva", state_code="JAL")
    )
    db.session.commit()
    assert person.visibility == "private"
    assert not store.is_indexable("profile", person)
    assert person.id not in store.indexable_ids("profile")


# --- what may be indexed at all --------------------------------------------------------


def _indexable(kind: str, record: Any) -> bool:
    """Both twins must agree: the SQL clause and the Python predicate."""
    in_sql = record.id in store.indexable_ids(kind)
    assert store.is_indexable(kind, record) == in_sql, (kind, record.id)
    return in_sql


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED,
                                    Status.ARCHIVED])  # fmt: skip
def test_unpublished_posts_are_not_indexable(app_ctx: Flask, status: str) -> None:
    org = factories.org()
    assert _indexable("opening", factories.opening(org))
    assert not _indexable("opening", factories.opening(org, status=status))
    assert not _indexable("challenge", factories.challenge(org, status=status))
    assert not _indexable("organization", factories.org(status=status))
    assert not _indexable("story", factories.story(status=status))


def test_closed_posts_are_not_indexable(app_ctx: Flask) -> None:
    org = factories.org()
    yesterday = date.today() - timedelta(days=1)
    assert not _indexable("opening", factories.opening(org, closes_on=yesterday))
    assert not _indexable("challenge", factories.challenge(org, closes_on=yesterday))
    assert _indexable("opening", factories.opening(org, closes_on=date.today()))
    assert _indexable("opening", factories.opening(org, closes_on=None))


def test_posts_of_an_unpublished_organisation_are_not_indexable(app_ctx: Flask) -> None:
    org = factories.org(status=Status.PENDING)
    assert not _indexable("opening", factories.opening(org))
    assert not _indexable("challenge", factories.challenge(org))


def test_profiles_indexable_only_when_published_consenting_and_active(app_ctx: Flask) -> None:
    assert _indexable("profile", factories.profile())
    assert _indexable("profile", factories.profile(visibility="members"))
    assert not _indexable("profile", factories.profile(visibility="private"))
    assert not _indexable("profile", factories.profile(matching_consent=False))
    inactive = factories.user()
    inactive.active = False
    db.session.commit()
    assert not _indexable("profile", factories.profile(inactive))


def test_engine_indexes_only_what_may_be_matched(app_ctx: Flask) -> None:
    org = factories.org()
    shown = factories.opening(org)
    for status in (Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED):
        factories.opening(org, status=status)
    factories.opening(org, closes_on=date.today() - timedelta(days=1))
    person = factories.profile()
    factories.profile(visibility="private")
    factories.profile(matching_consent=False)
    engine = Engine({FAKE_MODEL: FakeEmbedder()})
    engine.sync("opening")
    engine.sync("profile")
    assert set(engine.kinds["opening"].hashes) == {shown.id}
    assert set(engine.kinds["profile"].hashes) == {person.id}
    rows = db.session.execute(select(Embedding.kind, Embedding.record_id)).all()
    assert sorted(tuple(row) for row in rows) == [("opening", shown.id), ("profile", person.id)]


# --- answers re-checked against the database ------------------------------------------


def found(results: list[Any]) -> set[int]:
    """Record ids of search hits or (match, record) pairs."""
    return {r.record.id if isinstance(r, service.Hit) else r[1].id for r in results}


def test_hidden_profiles_never_reach_search_or_matches_even_from_a_stale_index(
    fake_service: Engine, app_ctx: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    headline = "Ingeniera de visión por computadora"
    shown = factories.profile(headline=headline)
    members_only = factories.profile(headline=headline, visibility="members")
    hidden = factories.profile(headline=headline)
    opening = factories.opening(title="Ingeniería de visión por computadora")
    viewer = factories.user()
    anonymous = AnonymousUserMixin()
    service.sync(("profile",))
    assert hidden.id in fake_service.kinds["profile"].hashes

    # Hidden after this worker synced; its index is stale and will stay so.
    hidden.visibility = "private"
    db.session.commit()
    monkeypatch.setattr(fake_service, "sync", lambda kind, progress=None: 0)
    assert hidden.id in fake_service.kinds["profile"].hashes

    as_member = found(service.search("visión por computadora", viewer, kinds=("profile",)))
    assert as_member == {shown.id, members_only.id}
    as_anonymous = found(service.search("visión por computadora", anonymous, ("profile",)))
    assert as_anonymous == {shown.id}
    assert found(service.for_opening(opening, viewer)) == {shown.id, members_only.id}
    assert found(service.for_opening(opening, anonymous)) == {shown.id}
    assert hidden.id not in found(service.more_like_this("profile", shown, viewer))
    # People never see themselves.
    assert shown.id not in found(service.for_opening(opening, shown.user))


def test_deleted_account_is_gone_from_matches(fake_service: Engine, app_ctx: Flask) -> None:
    person = factories.profile(headline="Científica de datos")
    opening = factories.opening(title="Científica de datos")
    viewer = factories.user()
    assert {m[1].id for m in service.for_opening(opening, viewer)} == {person.id}
    person_id = person.id
    db.session.delete(person.user)
    db.session.commit()
    assert db.session.get(User, viewer.id) is not None
    assert service.for_opening(opening, viewer) == []
    assert service.search("Científica de datos", viewer, ("profile",)) == []
    assert vectors_of("profile", person_id) == 0
