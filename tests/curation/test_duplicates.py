"""Duplicate detection: seeded duplicates are found with their reasons, unrelated records
are not, dismissed pairs stay dismissed, and stored vectors add a signal without a model."""

from __future__ import annotations

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Embedding
from directory.services import duplicates

from .. import factories as f
from ..conftest import AuthActions


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Visión Artificial del Bajío, S.A. de C.V.", "vision artificial del bajio"),
        ("QUETZAL NLP SAPI de CV", "quetzal nlp"),
        ("Fundación Datos A.C.", "fundacion datos"),
        ("Robótica S. de R.L. de C.V.", "robotica"),
        ("Acme Inc.", "acme"),
    ],
)
def test_names_lose_accents_case_and_legal_forms(raw: str, normalised: str) -> None:
    assert duplicates.normalise_name(raw) == normalised


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Vision-Bajio.mx/contacto", "vision-bajio.mx"),
        ("vision-bajio.mx", "vision-bajio.mx"),
        ("http://vision-bajio.mx:8080", "vision-bajio.mx"),
        ("https://www.gob.mx/salud", "gob.mx/salud"),
        ("https://www.gob.mx/", None),
        ("https://example.org", None),
        ("", None),
        ("http://[::1", None),
    ],
)
def test_website_domains_are_normalised(url: str, domain: str | None) -> None:
    assert duplicates.website_domain(url) == domain


def test_different_numbers_make_different_names() -> None:
    assert duplicates.name_similarity("escuela 21", "escuela 22") == 0.0
    assert duplicates.name_similarity("quetzal nlp", "quetzalnlp") > 0.9


def _pair_ids(kind: str = "organization") -> set[frozenset[int]]:
    return {frozenset((p.left_id, p.right_id)) for p in duplicates.find_pairs(kind)}


def test_seeded_duplicates_are_found_and_unrelated_pairs_are_not(app_ctx: Flask) -> None:
    a = f.org(name="Visión Artificial del Bajío", website="https://vision-bajio.mx")
    b = f.org(name="VISION ARTIFICIAL DEL BAJIO S.A. de C.V.", status="pending",
              website="https://www.otro-sitio.mx")  # fmt: skip
    c = f.org(name="Datalab Norte", website="https://datalab-norte.mx")
    d = f.org(name="Laboratorio de Datos del Norte", website="http://www.datalab-norte.mx/")
    f.org(name="Quetzal NLP", website="https://quetzal.mx")
    f.org(name="Ballena Robotics", website="https://ballena.mx")
    pairs = _pair_ids()
    assert frozenset((a.id, b.id)) in pairs  # same name once the legal form is dropped
    assert frozenset((c.id, d.id)) in pairs  # same website
    assert len(pairs) == 2
    found = {frozenset((p.left_id, p.right_id)): p for p in duplicates.find_pairs("organization")}
    assert len(found[frozenset((c.id, d.id))].reasons) == 1


def test_archived_and_merged_records_are_not_candidates(app_ctx: Flask) -> None:
    kept = f.org(name="Quetzal NLP", website="https://quetzal.mx")
    f.org(name="Quetzal NLP", status="archived", merged_into_id=kept.id)
    f.org(name="Quetzal NLP", status="rejected")
    assert _pair_ids() == set()


def test_challenges_with_the_same_title_are_found(app_ctx: Flask) -> None:
    agency = f.org(kind="government_agency", name="Secretaría del Agua",
                   website="https://agua.example.mx")  # fmt: skip
    one = f.challenge(agency, title="Detección temprana de fugas de agua")
    two = f.challenge(agency, title="Deteccion temprana de fugas de agua", status="pending")
    f.challenge(agency, title="Clasificación de residuos sólidos")
    pairs = duplicates.find_pairs("challenge")
    assert [(p.left_id, p.right_id) for p in pairs] == [(one.id, two.id)]
    assert len(pairs[0].reasons) == 2  # the title and the organisation


def _store_vector(
    kind: str, record_id: int, vector: list[float], model: str = "test-model"
) -> None:
    v = np.asarray(vector, dtype=np.float32)
    v /= np.linalg.norm(v)
    db.session.add(Embedding(kind=kind, record_id=record_id, model_name=model,
                             text_hash=f"h{record_id}-{vector}", dim=len(v),
                             vector=v.tobytes()))  # fmt: skip
    db.session.commit()


def test_stored_vectors_find_pairs_the_names_miss(app_ctx: Flask) -> None:
    a = f.org(name="Centro de Innovación Jalisciense", website="https://cij.mx")
    b = f.org(name="CIJ Tecnologías", website="https://cijtec.mx")
    c = f.org(name="Agro Sensores", website="https://agrosensores.mx")
    _store_vector("organization", a.id, [1.0, 0.02, 0.0])
    _store_vector("organization", b.id, [1.0, 0.0, 0.01])
    _store_vector("organization", c.id, [0.0, 1.0, 0.0])
    assert _pair_ids() == {frozenset((a.id, b.id))}
    # A changed vector is compared again: the pair goes away when the texts drift apart.
    db.session.execute(Embedding.__table__.delete().where(Embedding.record_id == b.id))
    db.session.commit()
    _store_vector("organization", b.id, [0.0, 0.0, 1.0])
    assert _pair_ids() == set()


def test_the_page_works_without_any_stored_vector(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user("curator@example.org", role="curator")
    with app.app_context():
        f.org(name="Quetzal NLP", website="https://quetzal.mx")
        f.org(name="Quetzal NLP S.A.P.I. de C.V.", status="pending")
        assert db.session.scalar(select(Embedding.id)) is None
    auth.login("curator@example.org")
    for kind in ("organization", "challenge", "nonsense"):
        page = client.get(f"/curation/duplicates?kind={kind}")
        assert page.status_code == 200
    html = client.get("/curation/duplicates").get_data(as_text=True)
    assert html.count('data-test="dup-pair"') == 1
    assert html.count('data-test="dup-keep"') == 2


def test_not_duplicates_is_remembered_and_audited(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user("curator@example.org", role="curator")
    with app.app_context():
        a = f.org(name="Quetzal NLP", website="https://quetzal.mx").id
        b = f.org(name="Quetzal NLP", website="https://quetzal-nlp.mx").id
    auth.login("curator@example.org")
    data = {"kind": "organization", "left": str(b), "right": str(a)}
    answer = client.post("/curation/duplicates/dismiss", data=data)
    assert answer.status_code == 302
    html = client.get("/curation/duplicates").get_data(as_text=True)
    assert 'data-test="dup-pair"' not in html
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "duplicates.dismissed")
        )
        assert event is not None and event.details["ids"] == [min(a, b), max(a, b)]


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "organization", "left": "x", "right": "1"},
        {"kind": "organization", "left": "99999", "right": "1"},
        {"kind": "organization", "left": "\x00", "right": ""},
        {},
    ],
)
def test_bad_dismissals_change_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user, data: dict[str, str]
) -> None:
    make_user("curator@example.org", role="curator")
    auth.login("curator@example.org")
    answer = client.post("/curation/duplicates/dismiss", data=data)
    assert answer.status_code in (400, 404)
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEvent.id).where(AuditEvent.action == "duplicates.dismissed")
            )
            is None
        )
