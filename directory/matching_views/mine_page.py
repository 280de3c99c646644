"""What "My matches" shows: the lists, filtered and paged, with the person's marks.

The recommended lists come from the ranking; the saved list scores each saved post on
its own (questions.pair_for_profile), so a saved match stays even when newer posts push
it out of the top of the list. Nothing the person hid appears anywhere but in the hidden
list, where it can be shown again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..matching import questions, service, visibility
from ..models import Profile, User
from ..services import match_feedback
from . import present
from .filters import KINDS, MineFilters, Paged, keep, page_of

MINE_POOL = 60  # matches ranked per kind before filters and pages
OVERVIEW = 5  # per kind on the unfiltered overview; "see all" pages the rest

Pair = tuple[Any, Any]


def _by_score(pairs: list[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda pair: (-pair[0].score, pair[0].kind, pair[0].record_id))


def _views(pairs: list[Pair], profile: Profile, marks: dict[Any, Any]) -> list[present.MatchView]:
    views = present.match_views(pairs, seeker=("profile", profile))
    out = []
    for view in views:
        mark = marks.get((view.kind, view.id))
        saved = bool(mark is not None and mark.saved)
        out.append(replace(view, saved=saved, hidden=bool(mark is not None and mark.hidden)))
    return out


def _marked(user: User, marks: dict[Any, Any], flag: str) -> dict[tuple[str, int], Any]:
    """The posts the person marked (saved, not hidden; or hidden) that they may still see."""
    keys = [
        key
        for key, mark in marks.items()
        if key[0] in KINDS and getattr(mark, flag) and (flag == "hidden" or not mark.hidden)
    ]
    return visibility.load_shown(keys, user, with_skills=False) if keys else {}


def build(profile: Profile, user: User, filters: MineFilters) -> dict[str, Any]:
    """Everything mine.html needs for these filters."""
    service.sync(("profile",))
    found = service.for_profile_by_kind(profile, user, limit=MINE_POOL)
    marks = match_feedback.marks_of(user)
    hidden = {key for key, mark in marks.items() if mark.hidden}
    ranked = _by_score([pair for kind in KINDS for pair in found.get(kind, [])])
    shown = [pair for pair in ranked if (pair[0].kind, pair[1].id) not in hidden]
    base = [pair for pair in shown if keep(*pair, filters, ignore_kind=True)]
    saved_records = _marked(user, marks, "saved")
    hidden_records = _marked(user, marks, "hidden")
    counts = {
        "all": len(base),
        "opening": sum(1 for m, _ in base if m.kind == "opening"),
        "challenge": sum(1 for m, _ in base if m.kind == "challenge"),
        "saved": len(saved_records),
        "hidden": len(hidden_records),
    }
    context: dict[str, Any] = {"counts": counts, "sections": {}, "paged": None, "hidden_list": []}
    if filters.view == "hidden":
        records = sorted(hidden_records.items(), key=lambda item: (item[0][0], item[0][1]))
        paged = page_of([(kind, record) for (kind, _id), record in records], filters.page)
        context["paged"] = paged
        context["hidden_list"] = [
            {"kind": kind, "id": record.id, "title": present.title_of(kind, record, ""),
             "url": present.url_of(kind, record)}
            for kind, record in paged.items
        ]  # fmt: skip
        return context
    if filters.view == "saved":
        scored = questions.pair_for_profile(
            profile, [(key[0], record) for key, record in saved_records.items()]
        )
        pairs = [(scored[key], record) for key, record in saved_records.items()]
        rows = [pair for pair in _by_score(pairs) if keep(*pair, filters)]
    elif filters.kind:
        rows = [pair for pair in base if pair[0].kind == filters.kind]
    else:
        # The overview: the best few of each kind, so challenges never hide under openings.
        context["sections"] = {
            kind: _views([p for p in base if p[0].kind == kind][:OVERVIEW], profile, marks)
            for kind in KINDS
        }
        return context
    paged = page_of(rows, filters.page)
    context["paged"] = Paged(_views(paged.items, profile, marks), paged.page, paged.pages,
                             paged.total)  # fmt: skip
    return context
