"""My saved searches (/me/alerts): save one from /directory or /search, rename it, change
how often it alerts, pause, resume or delete it, and get or revoke its private feed.

Every change is a POST with a CSRF token. Someone else's saved search is a 404, never a
403: whether it exists is not theirs to learn. The feed itself is served by
public/alert_feed.py (feed readers carry the token, not a session).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from ..extensions import db
from ..forms_common import REQUIRED, length
from ..i18n import current_locale
from ..models import SavedSearch, SearchKind, User
from ..public.alert_feed import search_page_url
from ..services import alerts
from ..web import client_ip
from . import bp
from .forms import ActionForm

PREVIEW_SIZE = 20
MAX_QUERY_STRING = 2000  # characters of a saved search's query string
MAX_QUERY_PAIRS = 30


class SavedSearchForm(FlaskForm):
    """A saved search's name and how often it alerts (also the edit form)."""

    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), length(alerts.MAX_NAME)])
    frequency = StringField(_l("Alert me"))


class SaveSearchForm(SavedSearchForm):
    """Save the search on the page: which search, and its query string."""

    search_kind = HiddenField()
    query = HiddenField()


def _me() -> User:
    return current_user._get_current_object()


def _mine(search_id: int) -> SavedSearch:
    saved = alerts.owned_search(_me(), search_id)
    if saved is None:
        abort(404)
    return saved


def _first_error(form: FlaskForm) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return _("The form could not be read. Please try again.")


def _query_args(raw: str | None) -> MultiDict[str, str]:
    """The saved page's query string, bounded, as the search parsers read it."""
    pairs = parse_qsl((raw or "")[:MAX_QUERY_STRING], keep_blank_values=False)
    return MultiDict(pairs[:MAX_QUERY_PAIRS])


def _search_page(kind: str, args: MultiDict[str, str]) -> str:
    """Back to the search that was being saved, rebuilt from checked values only."""
    try:
        params = alerts.params_for(kind, args)
    except alerts.AlertError:
        params = {}
    endpoint = "matches.search" if kind == SearchKind.SEMANTIC else "public.browse"
    return url_for(endpoint, **params)


@bp.get("/me/alerts")
@login_required
def alerts_page() -> str:
    """My saved searches, with their alert settings and feeds."""
    user = _me()
    searches = alerts.searches_of(user)
    return render_template(
        "me/alerts.html",
        searches=searches,
        describe=lambda saved: alerts.describe(saved, current_locale()),
        search_url=search_page_url,
        action_form=ActionForm(),
        max_searches=alerts.MAX_PER_USER,
    )


@bp.post("/me/alerts")
@login_required
def save_search() -> Response:
    """Save the directory's or semantic search's current query with a name and frequency."""
    form = SaveSearchForm()
    kind = form.search_kind.data if form.search_kind.data in SearchKind.ALL else ""
    args = _query_args(form.query.data)
    back = _search_page(kind or SearchKind.DIRECTORY, args)
    if not kind:
        flash(_("Unknown kind of search."), "error")
        return redirect(back)
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return redirect(back)
    try:
        saved = alerts.save_search(
            _me(), kind=kind, name=form.name.data, frequency=form.frequency.data, args=args
        )
    except alerts.AlertError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Search saved: “%(name)s”.", name=saved.name), "success")
    return redirect(url_for("me.alerts_page"))


def _detail(saved: SavedSearch, feed_url: str | None = None) -> str:
    return render_template(
        "me/alerts_detail.html",
        saved=saved,
        parts=alerts.describe(saved, current_locale()),
        search_url=search_page_url(saved),
        results=alerts.run_saved_search(saved, _me(), PREVIEW_SIZE),
        feed_url=feed_url,
        action_form=ActionForm(),
    )


@bp.get("/me/alerts/<int:search_id>")
@login_required
def alert(search_id: int) -> str:
    """One saved search: what it finds now, and its private feed."""
    return _detail(_mine(search_id))


@bp.post("/me/alerts/<int:search_id>")
@login_required
def update_alert(search_id: int) -> Response:
    """Rename a saved search and change how often it alerts."""
    saved = _mine(search_id)
    form = SavedSearchForm()
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return redirect(url_for("me.alerts_page"))
    try:
        alerts.update_search(saved, name=form.name.data, frequency=form.frequency.data)
    except alerts.AlertError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("me.alerts_page"))
    db.session.commit()
    flash(_("Your changes were saved."), "success")
    return redirect(url_for("me.alerts_page"))


@bp.post("/me/alerts/<int:search_id>/pause", defaults={"paused": True})
@bp.post("/me/alerts/<int:search_id>/resume", defaults={"paused": False})
@login_required
def pause_alert(search_id: int, paused: bool) -> Response:
    """Pause a saved search's alerts, or resume them."""
    saved = _mine(search_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    alerts.set_paused(saved, paused)
    db.session.commit()
    flash(_("Alerts paused.") if paused else _("Alerts resumed."), "success")
    return redirect(url_for("me.alerts_page"))


@bp.post("/me/alerts/<int:search_id>/delete")
@login_required
def delete_alert(search_id: int) -> Response:
    """Delete a saved search and its feed."""
    saved = _mine(search_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    alerts.delete_search(saved)
    db.session.commit()
    flash(_("The saved search was deleted."), "success")
    return redirect(url_for("me.alerts_page"))


@bp.post("/me/alerts/<int:search_id>/feed")
@login_required
def new_alert_feed(search_id: int) -> str:
    """Make a new private feed address (the old one stops working) and show it, once."""
    saved = _mine(search_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = alerts.issue_feed_token(saved, ip=client_ip())
    db.session.commit()
    # Shown in this answer only (never stored, never put in a cookie or a redirect).
    return _detail(saved, feed_url=url_for("public.alert_feed", token=token, _external=True))


@bp.post("/me/alerts/<int:search_id>/feed/revoke")
@login_required
def revoke_alert_feed(search_id: int) -> Response:
    """Turn a saved search's private feed off."""
    saved = _mine(search_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    alerts.revoke_feed_token(saved, ip=client_ip())
    db.session.commit()
    flash(_("The private feed was turned off. Its address no longer works."), "success")
    return redirect(url_for("me.alert", search_id=saved.id))
