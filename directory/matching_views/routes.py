"""Pages: my matches, an opening's candidates, a challenge's solvers, "more like this",
and semantic search."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions, unified_search
from ..geo import MEXICAN_STATES
from ..i18n import current_locale
from ..matching import service, visibility
from ..models import Challenge, Opening
from ..services import match_feedback
from . import access, bp, mine_page, present, wording
from . import filters as mine_filters

SIMILAR_LIMIT = 6


def viewer() -> Any:
    """The real user object (or the anonymous user), not the context-local proxy."""
    return current_user._get_current_object()


@bp.after_request
def _no_store(response: Response) -> Response:
    """Matches are personal and change as records do: never cache them (SECURITY.md row 21)."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/me/matches")
@login_required
def mine() -> tuple[str, int]:
    """Recommended openings and challenges, filtered and paged, with the saved and hidden
    lists, or why there are none."""
    user = viewer()
    profile = user.profile
    why = access.why_no_matches(profile)
    filters, error = mine_filters.parse(request.args)
    context: dict[str, Any] = {"counts": {}, "sections": {}, "paged": None, "hidden_list": []}
    if why is None:
        # The seeker's own vector comes from its kind's index: bring it up to date first,
        # so an edit made a moment ago already counts.
        service.sync(("profile",))
        context = mine_page.build(profile, user, filters)
    return (
        render_template(
            "matches/mine.html",
            profile=profile,
            why=why,
            why_message=access.why_message(why) if why else "",
            filters=filters,
            error=error,
            back=urlencode(filters.args()),
            undo=_undo(request.args.get("hid", ""), user) if why is None else None,
            states=MEXICAN_STATES,
            fit_options=[(band, wording.fit_label(band)) for band in mine_filters.FITS],
            **context,
        ),
        400 if error else 200,
    )


def _undo(raw: str, user: Any) -> dict[str, Any] | None:
    """The match just set aside (?hid=opening-12), to offer "Undo", if it is still hidden."""
    kind, _sep, number = raw.partition("-")
    record_id = access.parse_id(number)
    if kind not in mine_filters.KINDS or record_id is None:
        return None
    mark = match_feedback.marks_of(user).get((kind, record_id))
    if mark is None or not mark.hidden:
        return None
    record = visibility.load_shown([(kind, record_id)], user, with_skills=False).get(
        (kind, record_id)
    )
    if record is None:
        return None
    return {"kind": kind, "id": record_id, "title": present.title_of(kind, record, "")}


@bp.get("/manage/openings/<int:opening_id>/candidates")
@login_required
def opening_candidates(opening_id: int) -> str:
    """People who fit an opening, for its organisation's editors and curators."""
    opening = access.post_for_matching(Opening, opening_id, viewer())
    service.sync(("opening",))
    matches = present.match_views(
        service.for_opening(opening, viewer()), seeker=("opening", opening)
    )
    return render_template("matches/candidates.html", post=opening, matches=matches)


@bp.get("/manage/challenges/<int:challenge_id>/solvers")
@login_required
def challenge_solvers(challenge_id: int) -> str:
    """Organisations, people and a team that could solve a challenge."""
    challenge = access.post_for_matching(Challenge, challenge_id, viewer())
    service.sync(("challenge",))
    solvers = service.for_challenge(challenge, viewer())
    seeker = ("challenge", challenge)
    return render_template(
        "matches/solvers.html",
        post=challenge,
        organizations=present.match_views(solvers.organizations, seeker=seeker),
        people=present.match_views(solvers.people, seeker=seeker),
        team=present.team_view(solvers.team, solvers.team_records),
        # Only the challenge's own organisation invites (a curator may look, not invite).
        may_invite=permissions.can_edit_post(viewer(), challenge),
        invited=match_feedback.invited(challenge),
        can_contact=lambda profile: permissions.can_contact(viewer(), profile),
    )


@bp.get("/similar/<any(opening,challenge,organization,story):kind>/<int:record_id>")
def similar(kind: str, record_id: int) -> str:
    """Records like this one, for anyone who may see it."""
    record = access.record_for_similar(kind, record_id, viewer())
    service.sync((kind,))
    matches = present.match_views(
        service.more_like_this(kind, record, viewer(), limit=SIMILAR_LIMIT), seeker=(kind, record)
    )
    return render_template(
        "matches/similar.html",
        kind=kind,
        source=record,
        source_title=present.title_of(kind, record, current_locale()),
        source_url=present.url_of(kind, record),
        matches=matches,
    )


@bp.get("/search")
def search() -> tuple[str, int]:
    """One search box: keyword and semantic hits over every kind, in one ranked list."""
    query = request.args.get("q")
    kind = request.args.get("kind", "")
    kinds = access.parse_kinds(kind)
    error = None
    results = None
    status = 200
    if kinds is None:
        error, status = access.kind_error(), 400
    elif query is not None and query.strip():
        error = access.query_error(query)
        if error:
            status = 400
        else:
            page = request.args.get("page", "")
            number = int(page) if page.isascii() and page.isdigit() and len(page) <= 6 else 1
            results = unified_search.run(query, viewer(), kinds, number, current_locale())
    return (
        render_template(
            "matches/search.html",
            query=(query or "")[: access.MAX_QUERY],
            kind=kind if kinds is not None and "," not in kind else "",
            kinds=access.QUERY_KINDS,
            results=results,
            error=error,
        ),
        status,
    )
