"""Mexican formats (issue 16): Spanish pages group digits as Mexico does and show times
without seconds; the icon the browser asks for at the root exists."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale, format_decimal


@pytest.mark.parametrize("locale", ["es", "en"])
def test_amounts_are_grouped_with_commas_in_both_languages(app, locale):
    with app.test_request_context(), force_locale(locale):
        assert format_decimal(1500000) == "1,500,000"


def test_times_show_minutes_not_seconds(app):
    moment = datetime(2026, 5, 30, 21, 37, 43, tzinfo=UTC)
    with app.test_request_context(), force_locale("es"):
        shown = render_template_string("{{ moment|date }}", moment=moment)
    assert "2026" in shown and ":37" in shown and ":43" not in shown


def test_the_root_favicon_is_an_icon_and_pages_link_one(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200
        assert icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # the ICO signature
    page = client.get("/").text
    assert 'rel="icon"' in page and "img/favicon.svg" in page
    with client.get("/static/img/logo.svg") as logo:
        assert logo.status_code == 200


def test_state_maps_label_states_as_mexicans_abbreviate_them():
    from directory import charts, geo

    svg = str(charts.state_map("m", {"GUA": 3, "QUE": 1}, geo.STATE_NAMES, title="Mapa"))
    assert ">Gto.<" in svg and ">Qro.<" in svg and ">Ags.<" in svg
    assert ">GUA<" not in svg and 'data-state="GUA"' in svg
    assert len(geo.STATE_ABBREVIATIONS) == 32 == len(geo.STATE_NAMES)
