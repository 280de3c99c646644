"""Can this person actually take this post? Place, work modes, openness, requirements.

Pure: the facts arrive in `Evidence`, the answer is a factor that multiplies the match's
score, the reasons a person reads (positive or negative) and the hard requirements left
unmet. A recruiter reads a list top-down: someone who lives abroad and does not want to
come back, or who is open only to advising, must not sit first for an onsite job in
Monterrey, whatever their skills. So these facts multiply the score rather than nudge it,
and an unmet hard requirement (a degree, residence, a language, a work permit) removes the
match from the list instead of ranking it (ranking.rank).

"Not said" never counts against anyone: an empty list of work modes or languages, an
unknown degree or relocation wish leave the factor as it is (or cost a little, with a
reason saying what is not known, where the post makes it a requirement).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..geo import nearby
from .reason import Reason

if TYPE_CHECKING:
    from .ranking import Evidence

DEGREE_ORDER = ("none", "technical", "bachelor", "master", "phd")
# What a person must be open to for each kind of post (an empty open_to is "not said").
OPEN_FOR_JOBS = frozenset({"jobs", "full_return"})
OPEN_FOR_RESEARCH = OPEN_FOR_JOBS | {"research_collaboration", "visiting_stay"}
OPEN_FOR_CHALLENGES = frozenset({"challenges", "research_collaboration", "advising"})
RESEARCH_KINDS = ("fellowship", "research_position")
LATE_START_DAYS, VERY_LATE_START_DAYS = 90, 180


@dataclass
class Feasibility:
    """The verdict on one person/post pair."""

    factor: float = 1.0
    reasons: list[Reason] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)

    def note(self, code: str, factor: float = 1.0, *, positive: bool = True, **params: object):
        """Record a reason and multiply the factor."""
        self.reasons.append(Reason(code, dict(params), positive=positive))
        self.factor *= factor

    def fail(self, code: str, **params: object) -> None:
        """A hard requirement unmet: shown as a reason, and the match leaves the list."""
        self.reasons.append(Reason(code, dict(params), positive=False))
        self.unmet.append(code)


def _place(ev: Evidence, out: Feasibility) -> None:
    mode = ev.remote_policy or "onsite"
    if ev.seeker_work_modes and mode not in ev.seeker_work_modes:
        out.note("work_mode_unwanted", 0.55, positive=False, mode=mode)
    if mode == "remote":
        if not ev.seeker_work_modes or "remote" in ev.seeker_work_modes:
            out.note("remote")
        return
    if ev.seeker_abroad:
        if ev.seeker_open_to_return:
            if ev.relocation_support:
                out.note("relocation_for_return")
            else:
                out.note("open_to_return", 0.85)
        elif ev.seeker_relocate:
            # Someone abroad who is not "returning" (a foreigner, say) but would move.
            out.note("willing_to_move_to_mexico", 1.0 if ev.relocation_support else 0.85)
        else:
            out.note("abroad_not_returning", 0.3, positive=False)
        return
    if not ev.seeker_state or not ev.target_state:
        return
    if ev.seeker_state == ev.target_state:
        out.note("same_state", state=ev.target_state)
    elif nearby(ev.seeker_state, ev.target_state):
        out.note("nearby_state", 0.9, state=ev.target_state)
    elif ev.seeker_relocate is False:
        out.note("other_state_no_relocation", 0.35, positive=False, state=ev.target_state)
    elif ev.relocation_support:
        out.note("relocation", 0.95 if ev.seeker_relocate else 0.85)
    elif ev.seeker_relocate:
        out.note("willing_to_relocate", 0.8, state=ev.target_state)
    else:
        factor = 0.55 if mode == "hybrid" else 0.5
        out.note("other_state", factor, positive=False, state=ev.target_state)


def _openness(ev: Evidence, out: Feasibility) -> None:
    wishes = ev.seeker_open_to
    if not wishes:
        return
    if ev.post_kind == "challenge":
        if not wishes & OPEN_FOR_CHALLENGES:
            out.note("not_open_to_challenges", 0.5, positive=False)
        return
    accepted = OPEN_FOR_RESEARCH if ev.opening_kind in RESEARCH_KINDS else OPEN_FOR_JOBS
    if not wishes & accepted:
        out.note("not_open_to_jobs", 0.3, positive=False, wishes=sorted(wishes))


def _requirements(ev: Evidence, out: Feasibility) -> None:
    if ev.min_degree in DEGREE_ORDER[1:]:
        if ev.seeker_degree not in DEGREE_ORDER:
            out.note("degree_unknown", 0.85, positive=False, degree=ev.min_degree)
        elif DEGREE_ORDER.index(ev.seeker_degree) < DEGREE_ORDER.index(ev.min_degree):
            out.fail("degree_unmet", degree=ev.min_degree)
        else:
            out.note("degree_met", degree=ev.min_degree)
    if ev.residence == "abroad" and not ev.seeker_abroad:
        out.fail("residence_abroad_unmet")
    elif ev.residence == "mexico" and ev.seeker_abroad and not ev.seeker_will_come:
        out.fail("residence_mexico_unmet")
    if ev.required_languages:
        missing = ev.required_languages - ev.seeker_languages
        if not ev.seeker_languages:
            out.note("languages_unknown", 0.9, positive=False, languages=sorted(missing))
        elif missing:
            out.fail("languages_unmet", languages=sorted(missing))
    # A permit to work *in Mexico*: someone abroad working remotely for a post that does
    # not ask them to live in Mexico needs none.
    in_mexico = ev.remote_policy != "remote" or ev.residence == "mexico"
    if ev.seeker_needs_permit and in_mexico:
        if ev.sponsors_work_permit:
            out.note("work_permit_sponsored")
        else:
            out.fail("work_permit_unmet")


def _availability(ev: Evidence, out: Feasibility) -> None:
    days = ev.seeker_available_in_days
    if days is None or days <= LATE_START_DAYS:
        return
    factor = 0.6 if days > VERY_LATE_START_DAYS else 0.8
    out.note("available_later", factor, positive=False, days=days)


def assess(ev: Evidence) -> Feasibility | None:
    """The feasibility of a person for a post, or None when the pair is not person/post."""
    if ev.post_kind not in ("opening", "challenge"):
        return None
    out = Feasibility()
    if not ev.eligible:
        out.fail("not_eligible")
    _openness(ev, out)
    if ev.post_kind == "opening":
        _place(ev, out)
        _requirements(ev, out)
        _availability(ev, out)
    elif ev.seeker_state and ev.target_state:
        # A challenge is mostly remote work: being close helps, being far costs nothing.
        if ev.seeker_state == ev.target_state:
            out.note("same_state", state=ev.target_state)
        elif nearby(ev.seeker_state, ev.target_state):
            out.note("nearby_state", state=ev.target_state)
    return out
