"""/ecosistema: the dashboard's charts and state maps for everyone, from published records
only, with nobody named and every count under 5 shown as "fewer than 5"."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from .. import factories as f
from ..helpers import translated


@pytest.fixture
def ecosystem(app: Flask) -> None:
    """Six published organisations in Jalisco, two in Nuevo León, three pending in Mexico
    City; six public people in Jalisco and one private person; one published story."""
    with app.app_context():
        owner = f.user()
        for n in range(6):
            f.org(owner, name=f"Empresa Pública {n}", state_code="JAL")
        for n in range(2):
            f.org(owner, name=f"Empresa Norteña {n}", state_code="NLE")
        for n in range(3):
            f.org(owner, name=f"Empresa Pendiente {n}", state_code="CMX", status="pending")
        for n in range(6):
            f.profile(full_name=f"Persona Visible {n}", state_code="JAL")
        f.profile(full_name="Persona Privada", visibility="private", state_code="CMX")
        f.story(title_es="Historia publicada")


def _row(html: str, table: str, key: str) -> list[str]:
    """The cells of one row of one table."""
    section = html.split(f'data-test="table-{table}"', 1)[1].split("</table>", 1)[0]
    row = section.split(f'data-key="{key}"', 1)[1].split("</tr>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
    ]


@pytest.mark.parametrize("locale", ["es", "en"])
def test_published_records_only_and_small_counts_hidden(
    app: Flask, ecosystem: None, locale: str
) -> None:
    client = app.test_client()
    client.set_cookie("lang", locale)
    response = client.get("/ecosistema")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    fewer = translated(app, "fewer than %(n)d", locale, n=5)
    # Published organisations: 8 (the 3 pending are not counted); people: 6 public.
    assert _row(html, "kinds", "organization")[1:] == ["8"]
    assert _row(html, "kinds", "profile")[1:] == ["6"]
    assert _row(html, "kinds", "story")[1:] == [fewer]  # 1 story: too few to show
    # By state: Jalisco's 6 are shown, Nuevo León's 2 read "fewer than 5", Mexico City's
    # pending organisations and private person count for nothing.
    assert _row(html, "states", "JAL")[2:4] == ["6", "6"]
    assert _row(html, "states", "NLE")[2] == fewer
    assert _row(html, "states", "CMX")[2:4] == ["0", "0"]
    # The map shows "<5" for Nuevo León, never the figure.
    nle = html.split('data-state="NLE"', 1)[1].split("</g>", 1)[0]
    assert "&lt;5" in nle and ">2<" not in nle
    # The kinds chart draws no bar for the hidden figure (a bar at 0 would say "none").
    chart = html.split('data-test="chart-kinds"', 1)[1].split("</svg>", 1)[0]
    assert translated(app, "Success stories", locale) not in chart
    assert translated(app, "Organisations", locale) in chart
    # No total column anywhere (a total minus what is shown would reveal a hidden figure).
    assert translated(app, "Total", locale) not in html.split('data-test="section-kinds"', 1)[1]


def test_nobody_and_no_organisation_is_named(app: Flask, ecosystem: None) -> None:
    html = app.test_client().get("/ecosistema").get_data(as_text=True)
    for name in ("Empresa", "Persona Visible", "Persona Privada", "Historia publicada", "@"):
        assert name not in html, name


def test_each_chart_comes_with_its_table(app: Flask, ecosystem: None) -> None:
    html = app.test_client().get("/ecosistema").get_data(as_text=True)
    figures = re.findall(r'data-test="figure-([a-z_]+)"', html)
    assert set(figures) >= {"kinds", "months", "areas", "diaspora", "countries", "return"}
    for key in figures:
        assert f'data-test="table-{key}"' in html, key
    assert html.count('data-test="chart-map-') == 3 and 'data-test="table-states"' in html
    # Internal workflow figures stay on the curators' dashboard.
    assert "table-moderation" not in html and "table-post_status" not in html


def test_an_empty_directory_still_answers(app: Flask) -> None:
    response = app.test_client().get("/ecosistema")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_the_curators_dashboard_is_unchanged(app: Flask, ecosystem: None, make_user) -> None:
    """The dashboard still counts every status, totals included, and shows small figures."""
    make_user("curator@example.org", role="curator")
    client = app.test_client()
    client.post(
        "/login", data={"email": "curator@example.org", "password": "correct horse battery"}
    )
    html = client.get("/curation/dashboard").get_data(as_text=True)
    cells = _row(html, "kinds", "organization")
    assert cells[1:3] == ["8", "3"] and cells[-1] == "11"  # published, pending, total
    assert _row(html, "states", "NLE")[2] == "2"
