"""The risk self-assessment of a challenge, for the posting organisation's editors."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import vocab
from ..extensions import db
from ..models import Challenge
from ..orgs.routes import post_for_editing
from ..services.orgs import InvalidInput
from ..services.procurement import risk
from ..web import client_ip
from . import bp
from .forms import risk_form


@bp.route("/manage/challenges/<int:challenge_id>/risk", methods=["GET", "POST"])
@login_required
def risk_assessment(challenge_id: int) -> str | Response:
    """Answer the questionnaire; see the level and the safeguards proposers must answer."""
    challenge: Challenge = post_for_editing(Challenge, challenge_id)
    assessment = risk.assessment_of(challenge)
    number, content = risk.in_force()
    form = risk_form(content, assessment.answers if assessment is not None else None)
    if form.validate_on_submit():
        try:
            row = risk.assess(challenge, form.answers(), actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            field = getattr(form, exc.field, None)
            if field is not None:
                field.errors = [*field.errors, str(exc.message)]
            else:
                flash(str(exc.message), "error")
        else:
            db.session.commit()
            level = vocab.label("risk_levels", row.level)
            flash(_("Saved. The challenge's risk level is: %(level)s.", level=level), "success")
            return redirect(url_for("proposals.risk_assessment", challenge_id=challenge.id))
    result = risk.result_of(challenge)
    return render_template(
        "proposals/risk.html",
        post=challenge,
        form=form,
        result=result,
        text=risk.text,
        outdated=assessment is not None and assessment.questionnaire_version != number,
        principles=vocab.RISK_PRINCIPLES,
    )
