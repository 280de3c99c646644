"""Likely duplicate organisations and challenges, scored and explained for a curator.

Three signals: names alike once accents, case and legal suffixes ("S.A. de C.V.", "SAPI",
"A.C.") are set aside; the same website domain; and near-equal stored embeddings (see
duplicate_vectors.py). Names are never compared all against all: records are grouped by
blocking keys (the normalised name, the name without spaces, each uncommon name word, the
domain) and only records sharing a key are compared, so 10,000 organisations stay fast.
A curator's "not duplicates" is an audit event; the pair is not shown again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, Challenge, Organization, Status, User
from ..text import fold
from . import audit
from .duplicate_vectors import similar_pairs

KINDS = ("organization", "challenge")
MODELS: dict[str, Any] = {"organization": Organization, "challenge": Challenge}
CANDIDATE_STATUSES = (Status.DRAFT, Status.PENDING, Status.PUBLISHED)
DISMISSED = "duplicates.dismissed"
SHOW_FROM = 0.6  # combined score from which a pair is shown
MAX_BLOCK = 40  # a name word or domain shared by more records than this is too common to tell
SAME_DOMAIN = 0.7  # weight of one shared website domain
SAME_ORG = 0.3  # weight of two challenges posted by the same organisation

# Legal forms, compared on the folded name without dots: "S.A. de C.V." -> "sa de cv".
LEGAL_SUFFIXES = sorted(
    (
        "sa de cv", "sapi de cv", "sab de cv", "s de rl de cv", "s de rl", "sc de rl",
        "spr de rl", "sa", "sapi", "sab", "sc", "ac", "iap", "abp", "de cv", "cv",
        "inc", "llc", "ltd", "corp", "co", "gmbh", "sas", "sl", "srl", "plc",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
STOPWORDS = {"de", "del", "la", "las", "el", "los", "y", "e", "en", "para", "por", "the", "of",
             "and", "for", "a"}  # fmt: skip
# Hosts many unrelated organisations share: the first path segment tells them apart.
SHARED_HOSTS = {"gob.mx", "facebook.com", "linkedin.com", "instagram.com", "x.com",
                "twitter.com", "github.com", "sites.google.com", "about.me"}  # fmt: skip
PLACEHOLDER_HOSTS = {"example.org", "example.com", "example.net", "localhost"}


@lru_cache(maxsize=65_536)
def normalise_name(name: str | None) -> str:
    """Fold accents and case, drop punctuation and a trailing legal form."""
    text = fold(name).replace(".", "").replace("&", " y ")
    words = re.findall(r"[a-z0-9]+", text)
    joined = " ".join(words)
    stripped = True
    while stripped:
        stripped = False
        for suffix in LEGAL_SUFFIXES:
            if joined.endswith(" " + suffix):
                joined = joined[: -len(suffix) - 1].rstrip()
                stripped = True
                break
    return joined


@lru_cache(maxsize=65_536)
def website_domain(url: str | None) -> str | None:
    """The website's host without scheme, www. or port (host/path for shared hosts)."""
    raw = (url or "").strip()
    if not raw:
        return None
    try:
        parts = urlsplit(raw if "//" in raw else "http://" + raw)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    host = host.removeprefix("www.")
    if not host or host in PLACEHOLDER_HOSTS or "." not in host:
        return None
    if host in SHARED_HOSTS:
        segment = next((s for s in parts.path.lower().split("/") if s), "")
        return f"{host}/{segment}" if segment else None
    return host


def name_similarity(a: str, b: str) -> float:
    """Similarity of two normalised names, 0–1 (different numbers make names different)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if set(re.findall(r"\d+", a)) != set(re.findall(r"\d+", b)):
        return 0.0  # "Escuela 21" and "Escuela 22" are two schools
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    words_a, words_b = set(a.split()) - STOPWORDS, set(b.split()) - STOPWORDS
    shorter = min((words_a, words_b), key=len)
    contained = bool(shorter) and (words_a <= words_b or words_b <= words_a)
    if contained and sum(len(w) for w in shorter) >= 5:
        ratio = max(ratio, 0.8)  # "Bimbo" inside "Grupo Bimbo"
    return ratio


@dataclass
class _Entry:
    id: int
    name: str  # normalised
    domain: str | None = None
    org_id: int | None = None


@dataclass
class Pair:
    """Two records that may be the same, with a score and the reasons for it."""

    kind: str
    left_id: int
    right_id: int
    score: float
    reasons: list[LazyString] = field(default_factory=list)
    left: Any = None
    right: Any = None


def _entries(kind: str) -> list[_Entry]:
    model = MODELS[kind]
    where = (model.status.in_(CANDIDATE_STATUSES), model.merged_into_id.is_(None))
    if kind == "organization":
        rows = db.session.execute(select(model.id, model.name, model.website).where(*where))
        return [_Entry(i, normalise_name(n), website_domain(w)) for i, n, w in rows]
    rows = db.session.execute(select(model.id, model.title, model.organization_id).where(*where))
    return [_Entry(i, normalise_name(t), org_id=o) for i, t, o in rows]


@lru_cache(maxsize=65_536)
def _keys(name: str, domain: str | None) -> tuple[str, ...]:
    """Blocking keys of one record: its name, the name without spaces, its words, its site."""
    keys = {"n:" + name, "c:" + name.replace(" ", "")}
    keys |= {"w:" + word for word in name.split() if len(word) >= 3 and word not in STOPWORDS}
    keys -= {"n:", "c:"}
    if domain:
        keys.add("d:" + domain)
    return tuple(keys)


def _blocks(entries: list[_Entry]) -> set[tuple[int, int]]:
    """Pairs of entries sharing a blocking key in a block small enough to compare."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        for key in _keys(entry.name, entry.domain):
            blocks[key].append(entry.id)
    pairs: set[tuple[int, int]] = set()
    for key, ids in blocks.items():
        if len(ids) < 2:
            continue
        # An exact name or domain is always worth comparing; a common word is not.
        if len(ids) > MAX_BLOCK and key[0] == "w":
            continue
        pairs.update(combinations(sorted(ids)[: MAX_BLOCK * 5], 2))
    return pairs


def dismissed_pairs(kind: str) -> set[tuple[int, int]]:
    """Pairs a curator marked as not duplicates."""
    out: set[tuple[int, int]] = set()
    for details in db.session.scalars(
        select(AuditEvent.details).where(AuditEvent.action == DISMISSED)
    ):
        ids = (details or {}).get("ids") or []
        if (details or {}).get("kind") == kind and len(ids) == 2:
            a, b = sorted(int(i) for i in ids)
            out.add((a, b))
    return out


def _score(kind: str, a: _Entry, b: _Entry, cosine: float | None) -> Pair:
    pair = Pair(kind, a.id, b.id, 0.0)
    keep = 1.0
    similarity = name_similarity(a.name, b.name)
    name_weight = max(0.0, min(1.0, (similarity - 0.6) / 0.4))
    if name_weight > 0:
        keep *= 1 - name_weight
        pair.reasons.append(_l("Similar names (%(pct)d%%)", pct=round(similarity * 100)))
    if a.domain and a.domain == b.domain:
        keep *= 1 - SAME_DOMAIN
        pair.reasons.append(_l("Same website: %(domain)s", domain=a.domain))
    if a.org_id is not None and a.org_id == b.org_id:
        keep *= 1 - SAME_ORG
        pair.reasons.append(_l("Posted by the same organisation"))
    if cosine is not None:
        keep *= 1 - 0.9 * max(0.0, min(1.0, (cosine - 0.9) / 0.1))
        pair.reasons.append(_l("Similar descriptions (%(pct)d%%)", pct=round(cosine * 100)))
    pair.score = 1 - keep
    return pair


def find_pairs(kind: str) -> list[Pair]:
    """Every likely duplicate pair of a kind not yet dismissed, best first."""
    entries = {entry.id: entry for entry in _entries(kind)}
    vectors = {
        pair: cos
        for pair, cos in similar_pairs(kind).items()
        if pair[0] in entries and pair[1] in entries
    }
    candidates = (_blocks(list(entries.values())) | set(vectors)) - dismissed_pairs(kind)
    pairs = [_score(kind, entries[a], entries[b], vectors.get((a, b))) for a, b in candidates]
    shown = [pair for pair in pairs if pair.score >= SHOW_FROM]
    shown.sort(key=lambda pair: (-pair.score, pair.left_id, pair.right_id))
    return shown


def attach_records(pairs: Iterable[Pair]) -> list[Pair]:
    """Load the records of the pairs that will be shown (one query per kind)."""
    pairs = list(pairs)
    by_kind: dict[str, set[int]] = defaultdict(set)
    for pair in pairs:
        by_kind[pair.kind] |= {pair.left_id, pair.right_id}
    loaded: dict[tuple[str, int], Any] = {}
    for kind, ids in by_kind.items():
        model = MODELS[kind]
        for record in db.session.scalars(select(model).where(model.id.in_(sorted(ids)))):
            loaded[(kind, record.id)] = record
    for pair in pairs:
        pair.left = loaded.get((pair.kind, pair.left_id))
        pair.right = loaded.get((pair.kind, pair.right_id))
    return [pair for pair in pairs if pair.left is not None and pair.right is not None]


def dismiss(kind: str, left: Any, right: Any, *, actor: User, ip: str = "") -> None:
    """Remember that two records are not duplicates (the audit event is the record)."""
    a, b = sorted((left.id, right.id))
    audit.record(
        DISMISSED, actor=actor, target_kind=kind, target_id=a, ip=ip, kind=kind, ids=[a, b]
    )
