"""The public portfolio, /retos/portafolio: listed challenges only, by agency, unit, stage,
sector, risk level, status and outcome, with proposals and gaps; people never named."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.models import Proposal
from directory.models.procurement import ChallengeOutcome, InnovationUnit
from directory.models.proposals import RiskAssessment

from .. import factories as f
from ..helpers import translated

URL = "/retos/portafolio"


@pytest.fixture
def portfolio(app) -> dict[str, int]:
    """An agency with a unit: an assessed open challenge with proposals, a closed awarded one,
    a pending one and one of an unpublished agency; a person who fits, by name."""
    with app.app_context():
        agency = f.org(f.user("agencia@example.org"), kind="government_agency",
                       name="Secretaría de Movilidad")  # fmt: skip
        unit = InnovationUnit(organization=agency, name="Equipo de Innovación en Movilidad")
        db.session.add(unit)
        db.session.flush()
        open_one = f.challenge(agency, title="Semáforos adaptativos", sector="mobility",
                               stage="pilot", unit_id=unit.id,
                               skill_slugs=("computer-vision", "python"))  # fmt: skip
        closed = f.challenge(agency, title="Rutas de transporte", status="archived",
                             sector="mobility", stage="scale")  # fmt: skip
        f.challenge(agency, title="Reto en revisión", status="pending")
        f.challenge(f.org(kind="government_agency", status="pending"), title="Agencia oculta")
        db.session.add(RiskAssessment(challenge_id=open_one.id, questionnaire_version=1,
                                      answers={}, score=12, level="high"))  # fmt: skip
        db.session.add(ChallengeOutcome(challenge_id=closed.id, kind="awarded"))
        for n in range(3):
            db.session.add(Proposal(challenge=open_one, user=f.user(), message=f"P{n}"))
        db.session.add(Proposal(challenge=open_one, user=f.user(), message="retirada",
                                status="withdrawn"))  # fmt: skip
        f.profile(full_name="Paula Visión Pública", skill_slugs=("computer-vision", "python"))
        db.session.commit()
        return {"open": open_one.id, "closed": closed.id, "unit": unit.id, "agency": agency.id}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_portfolio_shows_listed_challenges_with_their_figures(app, client, portfolio, lang):
    client.set_cookie("lang", lang)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Semáforos adaptativos" in html and "Rutas de transporte" in html
    assert "Reto en revisión" not in html and "Agencia oculta" not in html
    assert html.count('data-test="portfolio-row"') == 2
    row = html[html.index(f'data-challenge="{portfolio["open"]}"') :]
    row = row[: row.index("</tr>")]
    assert translated(app, "High risk", lang) in row
    assert '<td class="num" data-test="row-proposals">3</td>' in row  # withdrawn not counted
    assert "Equipo de Innovación en Movilidad" in row
    closed = html[html.index(f'data-challenge="{portfolio["closed"]}"') :]
    closed = closed[: closed.index("</tr>")]
    assert translated(app, "Awarded", lang) in closed and translated(app, "Closed", lang) in closed
    assert 'data-test="summary-level"' in html and 'data-test="summary-unit"' in html
    assert 'data-test="summary-outcome"' in html
    # People are counted, never named.
    assert "Paula Visión Pública" not in html


def test_filters_narrow_the_portfolio_and_bad_values_are_ignored(app, client, portfolio):
    html = client.get(f"{URL}?level=high").get_data(as_text=True)
    assert "Semáforos adaptativos" in html and "Rutas de transporte" not in html
    html = client.get(f"{URL}?outcome=awarded&status=archived").get_data(as_text=True)
    assert "Rutas de transporte" in html and "Semáforos adaptativos" not in html
    html = client.get(f"{URL}?unit={portfolio['unit']}").get_data(as_text=True)
    assert "Semáforos adaptativos" in html and "Rutas de transporte" not in html
    # A pending status is not something the public portfolio may show.
    for query in ("status=pending", "level=<script>", "agency=abc", "unit=99999999999",
                  "agency=%00", "page=-3", "sector=%ud800"):  # fmt: skip
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, query
        body = response.get_data(as_text=True)
        assert "Reto en revisión" not in body and "<script>" not in body.split("<main")[-1]
    assert 'data-test="filters-ignored"' in client.get(f"{URL}?status=pending").get_data(
        as_text=True
    )


def test_a_challenge_nobody_fits_is_a_coverage_gap(app, client, portfolio):
    with app.app_context():
        f.challenge(f.org(kind="government_agency"), title="Lenguas indígenas en trámites",
                    skill_slugs=("speech-recognition",))  # fmt: skip
    html = client.get(URL).get_data(as_text=True)
    gaps = html[html.index('data-test="portfolio-gaps"') :]
    assert "Lenguas indígenas en trámites" in gaps
    assert "Semáforos adaptativos" not in gaps  # a published person fits it
