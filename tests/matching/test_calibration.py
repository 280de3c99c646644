"""The displayed fit keeps its meaning: hand-judged pairs (judged.py) land in the band a
person would give them, with the real models, and the calibration is a fixed monotonic map."""

from __future__ import annotations

import pytest
from flask import Flask

from directory.extensions import db
from directory.matching import service  # noqa: F401  (imports questions; see below)
from directory.matching.ranking import FIT_ANCHORS, calibrated_fit, fit_band

from .. import factories as f
from .judged import PAIRS

# A judged pair may sit one band off at most, never two (strong is never read as partial).
BANDS = ("weak", "partial", "good", "strong")
JUDGED_AS = {"poor": "weak", "partial": "partial", "good": "good", "strong": "strong"}


def test_the_map_is_fixed_monotonic_and_ends_at_100() -> None:
    fits = [calibrated_fit(raw) for raw in range(0, 101)]
    assert fits == sorted(fits) and fits[0] == 0 and fits[-1] == 100
    assert all(calibrated_fit(raw) == fit for raw, fit in FIT_ANCHORS)
    assert fit_band(calibrated_fit(47)) == "partial"  # the old "Good" at 47
    assert calibrated_fit(-5) == 0 and calibrated_fit(150) == 100


def test_judged_pairs_fall_in_their_band(app: Flask) -> None:
    from directory.matching import questions  # after service, which imports it

    landed = []
    with app.app_context(), app.test_request_context():
        for judged, person, post in PAIRS:
            profile = f.profile(f.user(), **person)
            opening = f.opening(**post)
            match = questions.pair_for_profile(profile, [("opening", opening)])
            band = fit_band(calibrated_fit(match[("opening", opening.id)].score))
            landed.append((judged, band))
            db.session.delete(opening)
            db.session.commit()
    exact = sum(JUDGED_AS[judged] == band for judged, band in landed)
    assert exact >= len(PAIRS) - 2, landed
    for judged, band in landed:
        assert abs(BANDS.index(JUDGED_AS[judged]) - BANDS.index(band)) <= 1, landed


@pytest.mark.parametrize("raw", [92, 100])
def test_strong_starts_where_the_judged_strong_pairs_are(raw: int) -> None:
    assert fit_band(calibrated_fit(raw)) == "strong"
