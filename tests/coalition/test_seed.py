"""The demo coalition (directory/seed/coalition.py) builds on the demo organisations and
people: members over time, two working groups, one open consultation with results."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models.coalition import Consultation, WorkingGroup
from directory.seed import seed_demo


def test_the_demo_coalition_shows_on_every_public_page(app: Flask) -> None:
    with app.app_context():
        # `make db`'s seed-demo adds the coalition with the rest of the demo data.
        seeded = seed_demo()
        db.session.commit()
        # Ids, not 1: PostgreSQL's sequences go on across the suite's tests.
        group_id = db.session.scalar(select(WorkingGroup.id).order_by(WorkingGroup.id))
        consultation_id = db.session.scalar(select(Consultation.id).order_by(Consultation.id))
    counts = {key: seeded[key] for key in ("coalition members", "working groups",
                                            "consultation answers")}  # fmt: skip
    assert counts == {"coalition members": 8, "working groups": 2, "consultation answers": 12}
    client = app.test_client()
    client.set_cookie("lang", "en")
    coalition = client.get("/coalicion").get_data(as_text=True)
    assert "8 member organisations" in coalition
    groups = client.get("/grupos").get_data(as_text=True)
    assert "Ethics and responsible AI" in groups and "Open data for AI" in groups
    group = client.get(f"/grupos/{group_id}").get_data(as_text=True)
    assert 'data-test="meetings-upcoming"' in group and 'data-test="meetings-past"' in group
    assert 'data-test="group-output"' in group
    results = client.get(f"/consultas/{consultation_id}/resultados").get_data(as_text=True)
    assert "12 people answered." in results
