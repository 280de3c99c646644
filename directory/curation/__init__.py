"""The chamber's admin view: moderation, verification, portfolio and ecosystem numbers.

Every route of this blueprint is for curators only. The guard is a `before_request` on the
blueprint, not a decorator per view, so a route added later cannot forget it:
anonymous users are sent to log in and members get a 403.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from ..extensions import login_manager
from ..permissions import is_curator

bp = Blueprint("curation", __name__, url_prefix="/curation")

# The section navigation: each view module adds its entry with nav_item(), so modules
# never edit a shared template to appear in it.
NAV: list[tuple[int, str, Any]] = []


def nav_item(order: int, endpoint: str, label: Any) -> None:
    """Add a section to the curation navigation (label: a lazy_gettext string)."""
    NAV.append((order, endpoint, label))
    NAV.sort(key=lambda item: item[0])


# Sections are grouped by the tens of their order, so a new section lands in its group
# by choosing its number (40-49: data quality, 60-69: the coalition, ...).
GROUPS: tuple[tuple[int, Any], ...] = (
    (0, _l("Overview")),
    (10, _l("Moderation")),
    (20, _l("Trust and operations")),
    (30, _l("Numbers")),
    (40, _l("Data quality")),
    (50, _l("Privacy")),
    (60, _l("Coalition")),
)


def nav_groups() -> list[tuple[Any, list[tuple[int, str, Any]]]]:
    """The navigation's sections under their group headings, in order, empty groups left out."""
    grouped: list[tuple[Any, list[tuple[int, str, Any]]]] = []
    for i, (start, label) in enumerate(GROUPS):
        end = GROUPS[i + 1][0] if i + 1 < len(GROUPS) else None
        items = [item for item in NAV if item[0] >= start and (end is None or item[0] < end)]
        if items:
            grouped.append((label, items))
    return grouped


@bp.context_processor
def _nav() -> dict[str, Any]:
    return {"curation_nav": NAV, "curation_nav_groups": nav_groups()}


@bp.before_request
def _curators_only() -> WerkzeugResponse | None:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_curator(current_user):
        abort(403)
    return None


# The view modules attach their routes to bp: home (overview), moderation (queue,
# publish/reject, claims, reports), trust (verification, re-confirmation, stories,
# curators, audit log), dashboard (numbers, portfolio, talent gap, CSV exports), hygiene
# (duplicates and merge, free-text skills, CSV import), arco (privacy requests),
# revisions (edits of published records held for review) and jobs (failed background jobs).
from . import arco, dashboard, home, hygiene, jobs, moderation, revisions, trust  # noqa: E402,F401
