"""Merging duplicates: everything moves to the record kept, the old page redirects (301),
the duplicate leaves search and matching, and the merge is audited and atomic."""

from __future__ import annotations

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import (
    AuditEvent,
    Challenge,
    Claim,
    Embedding,
    Membership,
    Opening,
    Organization,
    Proposal,
    SuccessStory,
)
from directory.services import merge

from .. import factories as f
from ..conftest import AuthActions


def _vector(kind: str, record_id: int) -> None:
    vector = np.ones(4, dtype=np.float32) / 2
    db.session.add(Embedding(kind=kind, record_id=record_id, model_name="m", text_hash="h",
                             dim=4, vector=vector.tobytes()))  # fmt: skip


@pytest.fixture
def seeded(app: Flask, make_user) -> dict[str, int]:
    """Two copies of one organisation, each with posts, members, a story and a claim."""
    make_user("curator@example.org", role="curator")
    with app.app_context():
        owner, editor, both = f.user(), f.user(), f.user()
        claimant = f.user()
        keep = f.org(owner, name="Quetzal NLP", website="", city="",
                     skill_slugs=("python",), editors=(both,))  # fmt: skip
        drop = f.org(owner=both, name="Quetzal NLP S.A.P.I. de C.V.",
                     website="https://quetzal.mx", city="Mérida", sectors=["health"],
                     skill_slugs=("computer-vision",), editors=(editor,),
                     chamber_member=True, kind="company")  # fmt: skip
        opening = f.opening(drop)
        challenge = f.challenge(drop)
        story = f.story()
        story.organizations = [drop]
        proposal = Proposal(challenge=challenge, user=editor, organization=drop, message="x")
        db.session.add(proposal)
        db.session.add(Claim(organization=drop, user=claimant, message="mine"))
        _vector("organization", drop.id)
        db.session.commit()
        return {
            "keep": keep.id, "drop": drop.id, "opening": opening.id,
            "challenge": challenge.id, "story": story.id, "proposal": proposal.id,
            "both": both.id, "editor": editor.id, "owner": owner.id,
            "drop_slug": drop.slug, "keep_slug": keep.slug,
        }  # fmt: skip


def _merge(client: FlaskClient, auth: AuthActions, kind: str, keep: int, drop: int):
    auth.login("curator@example.org")
    return client.post("/curation/duplicates/merge",
                       data={"kind": kind, "keep": str(keep), "drop": str(drop)})  # fmt: skip


def test_merge_moves_everything_and_redirects(
    app: Flask, client: FlaskClient, auth: AuthActions, seeded: dict[str, int]
) -> None:
    auth.login("curator@example.org")
    confirm = client.get(
        f"/curation/duplicates/merge?kind=organization&keep={seeded['keep']}&drop={seeded['drop']}"
    )
    assert confirm.status_code == 200
    assert 'data-test="merge-confirm"' in confirm.get_data(as_text=True)
    answer = _merge(client, auth, "organization", seeded["keep"], seeded["drop"])
    assert answer.status_code == 302
    with app.app_context():
        keep = db.session.get(Organization, seeded["keep"])
        drop = db.session.get(Organization, seeded["drop"])
        assert (drop.status, drop.merged_into_id) == ("archived", keep.id)
        assert db.session.get(Opening, seeded["opening"]).organization_id == keep.id
        assert db.session.get(Challenge, seeded["challenge"]).organization_id == keep.id
        assert db.session.get(Proposal, seeded["proposal"]).organization_id == keep.id
        assert [o.id for o in db.session.get(SuccessStory, seeded["story"]).organizations] == [
            keep.id
        ]
        roles = {m.user_id: m.role for m in db.session.scalars(
            select(Membership).where(Membership.organization_id == keep.id))}  # fmt: skip
        # The person in both keeps the higher role, in one row; the other editor moves.
        assert roles == {seeded["owner"]: "owner", seeded["both"]: "owner",
                         seeded["editor"]: "editor"}  # fmt: skip
        assert (
            db.session.scalar(select(Membership.id).where(Membership.organization_id == drop.id))
            is None
        )
        assert db.session.scalar(select(Claim.organization_id)) == keep.id
        assert {s.slug for s in keep.skills} == {"python", "computer-vision"}
        assert "health" in keep.sectors and keep.chamber_member
        assert (keep.website, keep.city) == ("https://quetzal.mx", "Mérida")  # blanks filled
        assert keep.kind == "startup"  # filled fields never overwrite the record kept
        assert (
            db.session.scalar(
                select(Embedding.id).where(
                    Embedding.kind == "organization", Embedding.record_id == drop.id
                )  # fmt: skip
            )
            is None
        )
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.merged")
        )
        assert (event.details["kept_id"], event.details["merged_id"]) == (keep.id, drop.id)
        assert event.details["moved"]["openings"] == [seeded["opening"]]
    old = client.get(f"/organizations/{seeded['drop_slug']}")
    assert old.status_code == 301
    assert old.headers["Location"].endswith(f"/organizations/{seeded['keep_slug']}")
    assert client.get(old.headers["Location"]).status_code == 200
    # The duplicate is gone from the curator's list of pairs and from the directory search.
    listing = client.get("/directory?q=quetzal").get_data(as_text=True)
    assert listing.count(f'/organizations/{seeded["drop_slug"]}"') == 0


def test_chains_of_merges_redirect_to_the_last_record(
    app: Flask, client: FlaskClient, auth: AuthActions, seeded: dict[str, int]
) -> None:
    with app.app_context():
        third = f.org(name="Quetzal Lenguaje").id
    assert _merge(client, auth, "organization", seeded["keep"], seeded["drop"]).status_code == 302
    assert _merge(client, auth, "organization", third, seeded["keep"]).status_code == 302
    old = client.get(f"/organizations/{seeded['drop_slug']}")
    assert old.status_code == 301
    with app.app_context():
        assert old.headers["Location"].endswith(db.session.get(Organization, third).slug)
        assert db.session.get(Organization, seeded["drop"]).merged_into_id == third


def test_a_published_duplicate_keeps_the_merged_record_public(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user("curator@example.org", role="curator")
    with app.app_context():
        keep = f.org(name="Ballena Robotics", status="pending").id
        drop = f.org(name="Ballena Robotics SA", status="published").id
    assert _merge(client, auth, "organization", keep, drop).status_code == 302
    with app.app_context():
        assert db.session.get(Organization, keep).status == "published"


def test_merging_challenges_moves_proposals_and_redirects(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user("curator@example.org", role="curator")
    with app.app_context():
        agency = f.org(kind="government_agency")
        keep = f.challenge(agency, title="Fugas de agua")
        drop = f.challenge(agency, title="Fugas de agua (copia)", skill_slugs=("python",))
        proposal = Proposal(challenge=drop, user=f.user(), message="Podemos ayudar")
        db.session.add(proposal)
        _vector("challenge", drop.id)
        db.session.commit()
        ids = (keep.id, drop.id, proposal.id)
    assert _merge(client, auth, "challenge", ids[0], ids[1]).status_code == 302
    with app.app_context():
        assert db.session.get(Proposal, ids[2]).challenge_id == ids[0]
        dropped = db.session.get(Challenge, ids[1])
        assert (dropped.status, dropped.merged_into_id) == ("archived", ids[0])
        assert {s.slug for s in db.session.get(Challenge, ids[0]).skills} == {
            "computer-vision", "python"}  # fmt: skip
        assert db.session.scalar(select(Embedding.id).where(Embedding.kind == "challenge")) is None
        assert (
            db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "challenge.merged"))
            is not None
        )
    old = client.get(f"/challenges/{ids[1]}")
    assert old.status_code == 301
    assert old.headers["Location"].endswith(f"/challenges/{ids[0]}")


@pytest.mark.parametrize("which", ["self", "merged", "missing", "garbage", "huge", "kind"])
def test_refused_merges_change_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, seeded: dict[str, int], which: str
) -> None:
    keep, drop, kind = str(seeded["keep"]), str(seeded["drop"]), "organization"
    if which == "self":
        drop = keep
    elif which == "merged":
        assert _merge(client, auth, kind, seeded["keep"], seeded["drop"]).status_code == 302
    elif which == "missing":
        drop = "999999"
    elif which == "garbage":
        drop = "1; DROP TABLE organizations"
    elif which == "huge":
        drop = "9" * 40
    else:
        kind = "challenge"  # ids of organisations read as challenges: no such challenge
    auth.login("curator@example.org")
    with app.app_context():
        events = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    answer = client.post("/curation/duplicates/merge",
                         data={"kind": kind, "keep": keep, "drop": drop})  # fmt: skip
    assert answer.status_code in (404, 409)
    with app.app_context():
        after = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
        assert after == events
        assert db.session.get(Opening, seeded["opening"]).organization_id == (
            seeded["keep"] if which == "merged" else seeded["drop"]
        )
    assert client.get("/curation/duplicates/merge").status_code == 404


def test_a_failure_midway_leaves_both_records_untouched(
    app: Flask, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    with app.app_context():
        keep = db.session.get(Organization, seeded["keep"])
        drop = db.session.get(Organization, seeded["drop"])
        monkeypatch.setattr(merge, "_archive", boom)
        with pytest.raises(RuntimeError):
            merge.merge_organizations(keep, drop, actor=f.user())
        db.session.rollback()
        assert db.session.get(Opening, seeded["opening"]).organization_id == seeded["drop"]
        assert db.session.get(Organization, seeded["drop"]).status == "published"
        assert len(db.session.get(Organization, seeded["drop"]).memberships) == 2
