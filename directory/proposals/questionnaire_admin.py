"""The risk questionnaire for curators: read the version in force, revise it (audited).

Two ways to revise: the numbers (each option's points, where each level starts, from which
level each safeguard is required) in a plain form, or the whole document as JSON (texts,
new questions or safeguards). Either way the service checks the result and saves it as a
new version. Attached to the curation blueprint, so its guard (curators only) and its
navigation hold it like any other curation page; it lives here, beside the assessment it
configures.
"""

from __future__ import annotations

import json
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import vocab
from ..curation import bp as curation_bp
from ..curation import nav_item
from ..extensions import db
from ..models.proposals import RiskQuestionnaire
from ..services.orgs import InvalidInput
from ..services.procurement import risk
from ..services.procurement.risk import safeguards_for
from ..web import client_ip
from .forms import QuestionnaireForm, weights_form

nav_item(33, "curation.risk_questionnaire", _l("Risk questionnaire"))
HISTORY = 20


def _save(document: Any, note: str, form: FlaskForm, field: Any) -> Response | None:
    """Save a revision; on a refusal put the reasons on `field` and return None."""
    try:
        row = risk.save(document, actor=current_user, note=note, ip=client_ip())
    except InvalidInput as exc:
        db.session.rollback()
        field.errors = [str(exc.message)]
        return None
    db.session.commit()
    flash(_("Saved as version %(version)d. New assessments use it from now on.",
            version=row.version), "success")  # fmt: skip
    return redirect(url_for("curation.risk_questionnaire"))


@curation_bp.route("/risk-questionnaire", methods=["GET", "POST"])
def risk_questionnaire() -> str | Response:
    """The questions, points, level thresholds and safeguards, and the forms to revise them."""
    number, content = risk.in_force()
    weights = weights_form(content)
    form = QuestionnaireForm()
    if request.method == "POST" and "w-note" in request.form:
        form.content.data = json.dumps(content, ensure_ascii=False, indent=2)
        if weights.validate():
            done = _save(weights.revised(content), weights.note.data or "", weights, weights.note)
            if done is not None:
                return done
    elif not form.is_submitted():
        form.content.data = json.dumps(content, ensure_ascii=False, indent=2)
    elif form.validate():
        try:
            document = json.loads(form.content.data or "")
        except ValueError as exc:
            form.content.errors = [_("This is not valid JSON: %(error)s", error=str(exc)[:200])]
        else:
            done = _save(document, form.note.data or "", form, form.content)
            if done is not None:
                return done
    history = db.session.scalars(
        select(RiskQuestionnaire).order_by(RiskQuestionnaire.version.desc()).limit(HISTORY)
    )
    return render_template(
        "proposals/questionnaire.html",
        form=form,
        weights=weights,
        content=content,
        version=number,
        history=list(history),
        text=risk.text,
        levels={code: safeguards_for(content, code) for code in vocab.RISK_LEVELS},
    )
