"""Pages: my matches, an opening's candidates, a challenge's solvers, "more like this",
and semantic search."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..i18n import current_locale
from ..matching import service
from ..models import Challenge, Opening
from . import access, bp, present

SIMILAR_LIMIT = 6
MINE_LIMIT = 20  # per kind: openings and challenges are listed apart


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
def mine() -> str:
    """Openings and challenges that fit my profile, best first, or why there are none."""
    profile = viewer().profile
    why = access.why_no_matches(profile)
    lists: dict[str, list[present.MatchView]] = {"opening": [], "challenge": []}
    if why is None:
        # The seeker's own vector comes from its kind's index: bring it up to date first,
        # so an edit made a moment ago already counts.
        service.sync(("profile",))
        found = service.for_profile_by_kind(profile, viewer(), limit=MINE_LIMIT)
        lists = {kind: present.match_views(pairs) for kind, pairs in found.items()}
    return render_template(
        "matches/mine.html",
        profile=profile,
        why=why,
        why_message=access.why_message(why) if why else "",
        openings=lists["opening"],
        challenges=lists["challenge"],
    )


@bp.get("/manage/openings/<int:opening_id>/candidates")
@login_required
def opening_candidates(opening_id: int) -> str:
    """People who fit an opening, for its organisation's editors and curators."""
    opening = access.post_for_matching(Opening, opening_id, viewer())
    service.sync(("opening",))
    matches = present.match_views(service.for_opening(opening, viewer()))
    return render_template("matches/candidates.html", post=opening, matches=matches)


@bp.get("/manage/challenges/<int:challenge_id>/solvers")
@login_required
def challenge_solvers(challenge_id: int) -> str:
    """Organisations, people and a team that could solve a challenge."""
    challenge = access.post_for_matching(Challenge, challenge_id, viewer())
    service.sync(("challenge",))
    solvers = service.for_challenge(challenge, viewer())
    return render_template(
        "matches/solvers.html",
        post=challenge,
        organizations=present.match_views(solvers.organizations),
        people=present.match_views(solvers.people),
        team=present.team_view(solvers.team, solvers.team_records),
    )


@bp.get("/similar/<any(opening,challenge,organization,story):kind>/<int:record_id>")
def similar(kind: str, record_id: int) -> str:
    """Records like this one, for anyone who may see it."""
    record = access.record_for_similar(kind, record_id, viewer())
    service.sync((kind,))
    matches = present.match_views(
        service.more_like_this(kind, record, viewer(), limit=SIMILAR_LIMIT)
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
    """Semantic search over openings, challenges, organisations, people and stories."""
    query = request.args.get("q")
    kind = request.args.get("kind", "")
    kinds = access.parse_kinds(kind)
    error = None
    hits: list[service.Hit] = []
    status = 200
    if kinds is None:
        error, status = access.kind_error(), 400
    elif query is not None and query.strip():
        error = access.query_error(query)
        if error:
            status = 400
        else:
            hits = service.search(query, viewer(), kinds)
    return (
        render_template(
            "matches/search.html",
            query=(query or "")[: access.MAX_QUERY],
            kind=kind if kinds is not None and "," not in kind else "",
            kinds=access.QUERY_KINDS,
            hits=[present.hit_json(hit, current_locale(), external=False) for hit in hits],
            error=error,
        ),
        status,
    )
