"""The curation landing page: what waits for a curator, in counts."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Challenge, Claim, Opening, Organization, Report, Status, SuccessStory
from ..services import revisions
from . import bp, nav_item

nav_item(0, "curation.index", _l("Overview"))


def _count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@bp.get("/")
def index() -> str:
    """Counts of what waits for a decision, each linking to its queue."""
    waiting = {
        "organizations": _count(Organization, Organization.status == Status.PENDING),
        "openings": _count(Opening, Opening.status == Status.PENDING),
        "challenges": _count(Challenge, Challenge.status == Status.PENDING),
        "stories": _count(SuccessStory, SuccessStory.status == Status.PENDING),
        "claims": _count(Claim, Claim.status == "open"),
        "reports": _count(Report, Report.status == "open"),
        "revisions": revisions.count_waiting(),
    }
    return render_template("curation/index.html", waiting=waiting)
