"""One-click unsubscribe from alert e-mails (RFC 8058), by the signed link in each mail.

GET shows what the link stops, with a button; POST stops it. Mail clients that honour
`List-Unsubscribe-Post` POST to the same address without a session or a CSRF token: the
signed token, bound to one person and one alert, is the authority here, so the route is
exempt from CSRF (a forged or altered token is refused with 400 and changes nothing).
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..extensions import csrf, db
from ..services.digests import unsubscribe as service
from ..web import client_ip
from . import bp


def _what(alert: str) -> str:
    if alert == service.EVERYTHING:
        return _("every alert e-mail of Directorio IA")
    if alert == "matches":
        return _("e-mails about new matches with your profile")
    if alert == "candidates":
        return _("e-mails about new candidates for your posts")
    if alert == "waysback":
        return _("e-mails about ways back to Mexico")
    return _("e-mails of this saved search")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> str | tuple[str, int] | Response:
    """Confirm (GET) or apply (POST, one click) an unsubscribe link."""
    found = service.read_token(token, current_app.config["SECRET_KEY"])
    if found is None:
        message = _("This unsubscribe link is not valid. Your alerts can be changed at /me/alerts.")
        return render_template("public/unsubscribe.html", invalid=True, message=message), 400
    user, alert = found
    if request.method == "POST":
        service.unsubscribe(user, alert, ip=client_ip())
        db.session.commit()
        return render_template("public/unsubscribe.html", done=True, what=_what(alert))
    return render_template("public/unsubscribe.html", token=token, what=_what(alert))
