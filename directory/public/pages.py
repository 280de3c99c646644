"""Public pages of single records: organisations, people, openings, challenges, stories."""

from __future__ import annotations

from datetime import date

from flask import abort, make_response, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, Status, SuccessStory
from ..procurement import panel as procurement_panel
from ..services import engagement
from ..text import is_http_url
from . import bp

MAX_MERGE_HOPS = 5  # a merge chain longer than this is a data error, not a redirect loop


def money_range(low: int | None, high: int | None, currency: str) -> str:
    """A salary or budget range with the locale's digit grouping, e.g. "30,000 – 50,000 MXN"."""
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        return _(
            "%(min)s – %(max)s %(currency)s",
            min=format_decimal(low),
            max=format_decimal(high),
            currency=currency,
        )
    if high is None or low == high:
        return _("From %(min)s %(currency)s", min=format_decimal(low), currency=currency)
    return _("Up to %(max)s %(currency)s", max=format_decimal(high), currency=currency)


def safe_links(links: list[str] | None) -> list[str]:
    """Only absolute http(s) links: stored data is re-checked before it becomes an href."""
    return [link for link in links or [] if is_http_url(link)]


def _open_posts(model: type[Opening] | type[Challenge], org: Organization) -> list:
    today = date.today()
    return list(
        db.session.scalars(
            select(model)
            .where(
                model.organization_id == org.id,
                permissions.listed_posts_clause(model),
                or_(model.closes_on.is_(None), model.closes_on >= today),
            )
            .order_by(model.published_at.desc(), model.id.desc())
        )
    )


@bp.get("/organizations/<slug>")
def organization(slug: str) -> str | Response:
    """An organisation's public page; merged duplicates redirect to the one kept."""
    org = db.session.scalar(select(Organization).where(Organization.slug == slug[:140]))
    if org is None:
        abort(404)
    kept = org
    for _hop in range(MAX_MERGE_HOPS):
        if kept.merged_into_id is None:
            break
        kept = db.session.get(Organization, kept.merged_into_id) or kept
    if kept is not org:
        return redirect(url_for("public.organization", slug=kept.slug), 301)
    if not permissions.can_view_org(current_user, org):
        abort(404)
    return render_template(
        "public/organization.html",
        org=org,
        website=org.website if is_http_url(org.website or "") else "",
        openings=_open_posts(Opening, org),
        challenges=_open_posts(Challenge, org),
        is_member=permissions.org_role(current_user, org) is not None,
        units=procurement_panel.organization_units(org),
    )


@bp.get("/people/<int:profile_id>")
def profile(profile_id: int) -> Response:
    """A person's profile, if the viewer may see it (otherwise 404: no hint it exists)."""
    person = db.session.get(Profile, profile_id)
    if person is None or not permissions.can_view_profile(current_user, person):
        abort(404)
    html = render_template(
        "public/profile.html",
        person=person,
        links=safe_links(person.links),
        can_contact=permissions.can_contact(current_user, person),
        is_owner=permissions.owns_profile(current_user, person),
    )
    response = make_response(html)
    if person.visibility != "public":
        # Members-only and private pages must not sit in shared caches.
        response.headers["Cache-Control"] = "private, no-store"
    return response


def is_closed(post: Opening | Challenge) -> bool:
    """Archived or past its closing date: shown as closed, with no way to respond."""
    past = post.closes_on is not None and post.closes_on < date.today()
    return post.status == Status.ARCHIVED or past


def _post_or_404(model: type[Opening] | type[Challenge], post_id: int) -> Opening | Challenge:
    post = db.session.get(model, post_id)
    if post is None or not permissions.can_view_post(current_user, post):
        abort(404)
    return post


@bp.get("/openings/<int:opening_id>")
def opening(opening_id: int) -> str:
    """An opening: what, where, pay, closing date, and the way to apply while it is open."""
    post = _post_or_404(Opening, opening_id)
    refusal = None
    applied = None
    if current_user.is_authenticated:
        applied = engagement.my_application(post, current_user)
        refusal = engagement.apply_refusal(post, current_user)
    return render_template(
        "public/opening.html",
        post=post,
        is_open=engagement.is_open(post),
        closed=is_closed(post),
        salary=money_range(post.salary_min, post.salary_max, post.salary_currency),
        applied=applied,
        refusal=refusal,
    )


@bp.get("/challenges/<int:challenge_id>")
def challenge(challenge_id: int) -> str | Response:
    """A challenge: the problem, the data, the budget and stage, and a way to propose."""
    merged = db.session.get(Challenge, challenge_id)
    kept = merged
    for _hop in range(MAX_MERGE_HOPS):
        if kept is None or kept.merged_into_id is None:
            break
        kept = db.session.get(Challenge, kept.merged_into_id) or kept
    if kept is not None and kept is not merged:
        # A merged duplicate answers with a permanent redirect to the challenge kept.
        return redirect(url_for("public.challenge", challenge_id=kept.id), 301)
    post = _post_or_404(Challenge, challenge_id)
    refusal = None
    if current_user.is_authenticated:
        refusal = engagement.propose_refusal(post, current_user)
    return render_template(
        "public/challenge.html",
        post=post,
        is_open=engagement.is_open(post),
        closed=is_closed(post),
        budget=money_range(post.budget_min, post.budget_max, post.budget_currency),
        refusal=refusal,
        procurement=procurement_panel.challenge_context(post),
    )


@bp.get("/stories/<slug>")
def story(slug: str) -> str:
    """A success story in the viewer's language."""
    record = db.session.scalar(select(SuccessStory).where(SuccessStory.slug == slug[:140]))
    if record is None or not permissions.can_view_story(current_user, record):
        abort(404)
    orgs = [org for org in record.organizations if permissions.can_view_org(current_user, org)]
    return render_template(
        "public/story.html",
        story=record,
        orgs=orgs,
        url=record.url if is_http_url(record.url or "") else "",
    )
