"""Applications to openings and proposals for challenges, as the posting organisation sees
them: each sender's shared profile and skills, an applicant's match score with its reasons,
sorted by match or date and filtered by status."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..matching import evidence, ranking, store
from ..matching import service as matching
from ..matching.documents import document_text
from ..matching_views import present
from ..models import Application, Challenge, Opening, Profile, Proposal
from ..services import responses
from ..services.orgs import InvalidInput
from ..services.procurement import consortium
from ..services.procurement.comparison import money
from ..text import is_http_url
from ..web import client_ip
from . import bp
from .post_forms import ResponseForm
from .routes import load_or_404, post_for_editing

Answer = Application | Proposal
SORTS = ("date", "match")


def _form_for(record: Answer) -> ResponseForm:
    # One form per row: the prefix keeps field ids unique on the page.
    return ResponseForm(prefix=f"r{record.id}")


def _fits(opening: Opening, profiles: list[Profile]) -> dict[int, present.MatchView]:
    """Match scores and reasons of the applicants who agreed to matching, by profile id.

    The candidates page's recipe (matching/questions.py people_for_post): the same
    semantic scorer, evidence and explanation, asked for these people only. Someone who
    did not consent is never scored (SECURITY.md row 32: opposition to automated
    processing); a profile outside the opening's nearest neighbours scores on skills and
    context alone.
    """
    scorable = [p for p in profiles if store.is_indexable("profile", p)]
    if not scorable:
        return {}
    try:
        matching.sync(("opening", "profile"))
        # The two scorer steps people_for_post runs; matching exposes no public name for
        # them yet (if it gains one, call that instead).
        vectors = matching._record_vectors("opening", opening)
        semantic = matching._semantic("profile", vectors, document_text("opening", opening))
        space = matching.skill_space()
        pairs = [
            (ranking.score(evidence.for_post(p, opening, "profile", semantic.get(p.id, 0.0),
                                             space=space)), p)
            for p in scorable
        ]  # fmt: skip
        return {view.id: view for view in present.match_views(pairs)}
    except Exception:  # the list must show even when matching cannot answer
        current_app.logger.exception("match scores of applicants to opening %s", opening.id)
        return {}


def _rows(records: list[Answer], fits: dict[int, present.MatchView]) -> list[dict[str, Any]]:
    viewer = current_user._get_current_object()
    rows = []
    for record in records:
        profile = responses.shared_profile(record.user)
        skills = list(profile.skills) if profile is not None else []
        rows.append(
            {
                "record": record,
                "name": responses.applicant_name(record.user),
                "next": responses.next_statuses(record.status),
                "form": _form_for(record),
                "profile": profile,
                # A link only where the viewer could open the page anyway.
                "profile_url": url_for("public.profile", profile_id=profile.id)
                if profile is not None and permissions.can_view_profile(viewer, profile)
                else "",
                "areas": [s for s in skills if s.category == "area"],
                "skills": [s for s in skills if s.category != "area"],
                "links": [u for u in (profile.links or []) if is_http_url(u)] if profile else [],
                "fit": fits.get(profile.id) if profile is not None else None,
            }
        )
    return rows


def _choices() -> tuple[str, str]:
    """The list's sort and status filter from the query string; unknown values fall back."""
    sort = request.args.get("sort", "date")
    status = request.args.get("status", "")
    return (sort if sort in SORTS else "date", status if status in responses.FILTERS else "")


@bp.route("/manage/openings/<int:opening_id>/applications")
@login_required
def responses_opening(opening_id: int) -> str:
    """An opening's applications, for its organisation's owners and editors."""
    opening = post_for_editing(Opening, opening_id)
    sort, status = _choices()
    records = responses.applications_for(opening, status or None)
    profiles = [p for p in (responses.shared_profile(r.user) for r in records) if p is not None]
    rows = _rows(records, _fits(opening, profiles))
    if sort == "match":  # scored first, best first; the rest stay newest first
        rows.sort(key=lambda row: -row["fit"].score if row["fit"] else 1)
    return render_template(
        "orgs/responses.html", post=opening, kind="opening", rows=rows, sort=sort,
        status=status, counts=responses.status_counts(opening), filters=responses.FILTERS,
    )  # fmt: skip


@bp.route("/manage/challenges/<int:challenge_id>/proposals")
@login_required
def responses_challenge(challenge_id: int) -> str:
    """A challenge's proposals, for its organisation's owners and editors."""
    challenge = post_for_editing(Challenge, challenge_id)
    _sort, status = _choices()
    return render_template(
        "orgs/responses.html", post=challenge, kind="challenge",
        rows=_rows(responses.proposals_for(challenge, status or None), {}), sort="date",
        status=status, counts=responses.status_counts(challenge), filters=responses.FILTERS,
        money=money, standing=consortium.standing, member_name=consortium.member_name,
    )  # fmt: skip


def _answer(record: Answer, back: str, public_url: str) -> Response:
    form = _form_for(record)
    if form.validate_on_submit():
        try:
            responses.respond(
                record,
                form.status.data or "",
                form.message.data or "",
                actor=current_user,
                ip=client_ip(),
            )
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            # Before the commit: the applicant's notification is part of the answer.
            responses.notify_applicant(record, link=public_url)
            db.session.commit()
            flash(_("Saved. We told the applicant."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(back)


@bp.route("/manage/applications/<int:application_id>", methods=["POST"])
@login_required
def respond_application(application_id: int) -> Response:
    """Move an application on (received → shortlisted → accepted or declined)."""
    application = load_or_404(Application, application_id)
    post_for_editing(Opening, application.opening_id)
    back = url_for("orgs.responses_opening", opening_id=application.opening_id)
    return _answer(
        application,
        back,
        url_for("public.opening", opening_id=application.opening_id, _external=True),
    )


@bp.route("/manage/proposals/<int:proposal_id>", methods=["POST"])
@login_required
def respond_proposal(proposal_id: int) -> Response:
    """Move a proposal on (received → shortlisted → accepted or declined)."""
    proposal = load_or_404(Proposal, proposal_id)
    post_for_editing(Challenge, proposal.challenge_id)
    back = url_for("orgs.responses_challenge", challenge_id=proposal.challenge_id)
    if request.form.get("return_to") == "compare":  # sent from the side-by-side view
        back = url_for("proposals.compare", challenge_id=proposal.challenge_id)
    return _answer(
        proposal,
        back,
        url_for("public.challenge", challenge_id=proposal.challenge_id, _external=True),
    )
