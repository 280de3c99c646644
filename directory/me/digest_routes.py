"""My match alerts (/me/alerts/matches): how often new openings and challenges that fit my
profile reach me by e-mail, from which score, and a switch for every alert e-mail."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from ..extensions import db
from ..forms_common import choices
from ..services.digests import unsubscribe
from . import bp

FREQUENCIES = [
    ("instant", _l("As soon as they are published")),
    ("daily", _l("Once a day")),
    ("weekly", _l("Once a week")),
    ("never", _l("Never")),
]


class MatchAlertsForm(FlaskForm):
    """How match alerts reach me."""

    match_frequency = SelectField(_l("New matches with my profile"), choices=choices(FREQUENCIES))
    match_threshold = IntegerField(
        _l("Only matches scoring at least (0–100)"),
        validators=[
            InputRequired(_l("This field is required.")),
            NumberRange(min=0, max=100, message=_l("Enter a whole number from 0 to 100.")),
        ],
    )
    ways_back_frequency = SelectField(
        _l("Ways back to Mexico (if you live abroad and are open to return)"),
        choices=choices(FREQUENCIES),
        description=_l(
            "Openings with relocation support, remote openings, and fellowships or research"
            " stays, when your profile says you live abroad and are returning or open to a"
            " return or a visiting stay."
        ),
    )
    candidate_frequency = SelectField(
        _l("New candidates for my organisations' openings and challenges"),
        choices=choices(FREQUENCIES),
    )
    all_off = BooleanField(_l("Stop every alert e-mail"))


@bp.route("/me/alerts/matches", methods=["GET", "POST"])
@login_required
def match_alerts() -> str | Response:
    """Change my match-alert settings."""
    user = current_user._get_current_object()
    settings = unsubscribe.settings_for(user)
    form = MatchAlertsForm(obj=settings)
    if form.validate_on_submit():
        form.populate_obj(settings)
        db.session.commit()
        flash(_("Your alert settings were saved."), "success")
        return redirect(url_for("me.match_alerts"))
    db.session.rollback()  # a settings row made only to fill the form is not kept
    return render_template("me/match_alerts.html", form=form)
