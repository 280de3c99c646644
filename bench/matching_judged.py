"""Matching quality on our own hand-judged, bilingual set, through the product's import and API.

bench/data/records.jsonl (invented organisations, people, openings and challenges, half in
Spanish and half in English) is imported with the product's importer (`import_lines`, with
embedding) into a fresh SQLite database; then every query of bench/data/judgments.tsv is
asked through the JSON API with the Flask test client, as a user allowed to ask it:

- opening_people: `GET /api/v1/matches/opening/<id>` as a curator, the people returned;
- challenge_people: `GET /api/v1/matches/challenge/<id>` as a curator, the people returned;
- person_openings: `GET /api/v1/matches/profile/<id>` as the profile's owner, the openings.

Each asks for the API's largest `limit` when its OpenAPI document declares one. Printed:
nDCG@10 (graded gains 0–3, ideal from every judged target) and MRR (first result graded 2
or more) per direction and their mean, then the cross-language split: queries whose good
answers (grade ≥ 2) are all in the other language, all in the same language, or mixed,
and the share of good pairs of each kind found in the top 10. A record's language is the
product's own guess (`matching.language.guess_language`); bench/data/languages.tsv holds
the language each record was written in, and any disagreement is printed.

Fields the importer does not know yet (the feasibility fields being added to the format)
are dropped with one printed line, and so are skill terms outside the vocabulary on
records that cannot hold free-text skills; a profile's go to its `free_skills`. Queries
without any good answer count in no mean (as trec_eval drops queries without relevant
documents). The set is for tuning; the held-out set stays held out.

    .venv/bin/python bench/matching_judged.py [--dump rankings.tsv]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from directory import create_app  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
DIRECTIONS = ("opening_people", "challenge_people", "person_openings")
GOOD = 2  # a grade from which an answer counts as good (MRR, the language split)
CUTOFF = 10
SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 (a throwaway app)


@dataclass
class Judged:
    """The judgments of one direction: query → target → grade."""

    grades: dict[str, dict[str, int]] = field(default_factory=dict)

    def good(self, query: str) -> set[str]:
        """The targets graded good for a query."""
        return {t for t, g in self.grades[query].items() if g >= GOOD}


def read_judgments(path: Path) -> dict[str, Judged]:
    """judgments.tsv by direction."""
    judged = {direction: Judged() for direction in DIRECTIONS}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            grades = judged[row["direction"]].grades.setdefault(row["query"], {})
            grades[row["target"]] = int(row["grade"])
    return judged


# --- preparing the records for the importer of today ---------------------------------------


def prepare(records: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """JSON lines the importer accepts, and what had to be left out, for people."""
    from directory.services.import_format import SPECS
    from directory.services.skills import resolve_skills

    dropped: Counter[str] = Counter()
    moved = lost = 0
    lines = []
    for record in records:
        kind = record["type"]
        spec = SPECS[kind]
        clean = {"type": kind}
        for name, value in record.items():
            if name == "type":
                continue
            if name in spec:
                clean[name] = value
            else:
                dropped[f"{kind}.{name}"] += 1
        terms = clean.get("skills") or []
        if terms:
            assert all("," not in term for term in terms), terms
            found, unknown = resolve_skills(", ".join(terms))
            clean["skills"] = [t for t in terms if t not in unknown]
            if unknown and "free_skills" in spec:
                free = list(dict.fromkeys([*clean.get("free_skills", []), *unknown]))
                clean["free_skills"] = free
                moved += len(unknown)
            else:
                lost += len(unknown)
        lines.append(json.dumps(clean, ensure_ascii=False))
    notes = []
    if dropped:
        listed = ", ".join(f"{name} ({n})" for name, n in sorted(dropped.items()))
        notes.append(f"dropped fields the importer does not know yet: {listed}")
    if moved or lost:
        notes.append(
            f"skill terms outside the vocabulary: {moved} moved to free_skills, "
            f"{lost} dropped (records without free_skills)"
        )
    if not notes:
        notes.append("every field and skill term of the set is accepted by the importer")
    return lines, notes


# --- asking the API ------------------------------------------------------------------------


@dataclass
class Ids:
    """Database ids of the set's records, and their owners' login cookies."""

    openings: dict[str, int]
    challenges: dict[str, int]
    profiles: dict[str, int]
    sessions: dict[str, str]  # email (or "curator") → flask-login's "_user_id"
    titles: dict[tuple[str, int], str]  # (kind, id) → judged id (title or email)


def load_ids() -> Ids:
    """Ids by title or email, one login session per profile owner and one for a curator."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Challenge, Opening, Profile, Role, User
    from directory.services.accounts import start_session
    from directory.services.importer import unusable_password_hash

    openings = {title: i for title, i in db.session.execute(select(Opening.title, Opening.id))}
    challenges = {t: i for t, i in db.session.execute(select(Challenge.title, Challenge.id))}
    sessions: dict[str, str] = {}
    profiles: dict[str, int] = {}
    lifetime = timedelta(hours=12)
    for profile in db.session.scalars(select(Profile)):
        profiles[profile.user.email] = profile.id
        login = start_session(profile.user, lifetime=lifetime)
        sessions[profile.user.email] = f"{profile.user.id}:{login.token}"
    curator = User(email="bench-curator@example.org", password_hash=unusable_password_hash())
    curator.role = Role.CURATOR
    db.session.add(curator)
    db.session.flush()
    login = start_session(curator, lifetime=lifetime)
    sessions["curator"] = f"{curator.id}:{login.token}"
    db.session.commit()
    titles = {("opening", i): t for t, i in openings.items()}
    titles |= {("challenge", i): t for t, i in challenges.items()}
    titles |= {("profile", i): e for e, i in profiles.items()}
    return Ids(openings, challenges, profiles, sessions, titles)


def _as(client: Any, cookie: str) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = cookie
        session["_fresh"] = True


def _listed(body: dict[str, Any], kind: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The matches of one kind, from a dedicated list if the API has one, else `matches`."""
    for key in keys:
        if isinstance(body.get(key), list):
            return [m for m in body[key] if m.get("kind", kind) == kind]
    return [m for m in body.get("matches", []) if m.get("kind") == kind]


def match_parameters(client: Any) -> dict[str, str]:
    """The query string to send: the API's largest `limit` and `lang=en`, each only if the
    OpenAPI document declares it for the matches operation (undeclared ones are a 400)."""
    response = client.get("/api/v1/openapi.json")
    if response.status_code != 200:
        return {}
    doc = response.get_json()
    declared: dict[str, dict[str, Any]] = {}
    for operations in doc.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or operation.get("operationId") != "matches":
                continue
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:  # "#/components/parameters/Name"
                    parameter = doc["components"]["parameters"][parameter["$ref"].split("/")[-1]]
                if parameter.get("in") == "query":
                    declared[parameter["name"]] = parameter.get("schema", {})
    chosen = {}
    if "limit" in declared:
        chosen["limit"] = str(declared["limit"].get("maximum", 50))
    if "lang" in declared:
        chosen["lang"] = "en"
    return chosen


def ask(
    client: Any, ids: Ids, direction: str, query: str, params: dict[str, str]
) -> list[tuple[str, int]]:
    """The product's answer to one query: (judged id, score) best first."""
    if direction == "person_openings":
        _as(client, ids.sessions[query])
        path, kind, keys = f"profile/{ids.profiles[query]}", "opening", ("openings",)
    else:
        _as(client, ids.sessions["curator"])
        if direction == "opening_people":
            path, kind, keys = f"opening/{ids.openings[query]}", "profile", ("people",)
        else:
            path, kind, keys = f"challenge/{ids.challenges[query]}", "profile", ("people",)
    response = client.get(f"/api/v1/matches/{path}", query_string=params)
    if response.status_code != 200:
        raise SystemExit(f"{direction} {query!r}: HTTP {response.status_code} {response.text}")
    matches = _listed(response.get_json(), kind, keys)
    return [(ids.titles[(kind, m["id"])], m.get("score", 0)) for m in matches]


# --- metrics -------------------------------------------------------------------------------


def ndcg(ranking: list[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    """nDCG@k with linear gains (trec_eval's), the ideal from every judged grade."""
    dcg = sum(grades.get(t, 0) / math.log2(i + 2) for i, t in enumerate(ranking[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def reciprocal_rank(ranking: list[str], good: set[str]) -> float:
    """1 / rank of the first good answer, 0 when none is returned."""
    for position, target in enumerate(ranking, start=1):
        if target in good:
            return 1.0 / position
    return 0.0


def mean(values: list[float]) -> float:
    """The mean, 0 for nothing."""
    return sum(values) / len(values) if values else 0.0


# --- languages -----------------------------------------------------------------------------


def languages(records: list[dict[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """Each judged id's language by the product's guess, and disagreements with the file."""
    from directory.matching.language import guess_language

    guessed: dict[str, str] = {}
    for record in records:
        if record["type"] == "profile":
            key, parts = record["email"], ("headline", "bio")
        elif record["type"] == "opening":
            key, parts = record["title"], ("title", "description")
        elif record["type"] == "challenge":
            key, parts = record["title"], ("title", "problem", "desired_outcome")
        else:
            continue
        guessed[key] = guess_language("\n".join(record.get(p) or "" for p in parts))
    written = {}
    path = DATA / "languages.tsv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            written = {r["id"]: r["lang"] for r in csv.DictReader(handle, delimiter="\t")}
    disagree = [
        f"{key}: written {lang}, guessed {guessed[key]}"
        for key, lang in written.items()
        if key in guessed and guessed[key] != lang
    ]
    return guessed, disagree


def split(query: str, good: set[str], lang: dict[str, str]) -> str:
    """ "cross" when every good answer is in the other language, "same", or "mixed"."""
    cross = {lang[t] != lang[query] for t in good}
    if cross == {True}:
        return "cross"
    return "same" if cross == {False} else "mixed"


def cross_share(judged: dict[str, Judged], lang: dict[str, str]) -> tuple[int, int]:
    """(cross-language, all) good pairs, each pair once (a person–opening pair is judged
    in both directions)."""
    pairs = set()
    for direction, table in judged.items():
        for query in table.grades:
            for target in table.good(query):
                pair = (target, query) if direction == "person_openings" else (query, target)
                pairs.add(pair)
    return sum(lang[a] != lang[b] for a, b in pairs), len(pairs)


# --- the run -------------------------------------------------------------------------------


def _app(tmp: str) -> Any:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(tmp, "judged.sqlite3"),
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MATCHING_INDEX_DIR": os.path.join(tmp, "matching"),
        }
    )
    logging.getLogger("directory.request").setLevel(logging.WARNING)  # one line per request
    return app


def run(records: list[dict[str, Any]], judged: dict[str, Judged]) -> dict[str, Any]:
    """Import the set into a fresh database and ask every query; the rankings by direction."""
    from directory.extensions import db
    from directory.services import importer, skills

    rankings: dict[str, dict[str, list[tuple[str, int]]]] = {d: {} for d in DIRECTIONS}
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(tmp)
        with app.app_context():
            db.create_all()
            skills.load_vocabulary()
            db.session.commit()
            lines, notes = prepare(records)
            for note in notes:
                print(note)
            started = time.monotonic()
            try:
                report = importer.import_lines(lines, embed=True)
            except importer.InvalidImport as exc:
                raise SystemExit("import refused:\n" + "\n".join(exc.errors)) from None
            print(f"{report.summary()}; {report.indexed} embedded in "
                  f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
            ids = load_ids()
        client = app.test_client()
        params = match_parameters(client)
        started = time.monotonic()
        asked = 0
        for direction in DIRECTIONS:
            for query in judged[direction].grades:
                rankings[direction][query] = ask(client, ids, direction, query, params)
                asked += 1
        shown = "&".join(f"{k}={v}" for k, v in params.items()) or "no parameters"
        print(f"{asked} queries through /api/v1/matches ({shown}) in "
              f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return rankings


def report(
    rankings: dict[str, dict[str, list[tuple[str, int]]]],
    judged: dict[str, Judged],
    lang: dict[str, str],
) -> None:
    """Print the compact table."""
    print(f"\n{'direction':<18} {'queries':>7} {'scored':>6} {'nDCG@10':>8} {'MRR':>6} "
          f"{'returned':>8}")  # fmt: skip
    per_split: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    found: Counter[str] = Counter()
    wanted: Counter[str] = Counter()
    means = []
    for direction in DIRECTIONS:
        table = judged[direction]
        scores = []
        lengths = []
        for query, grades in table.grades.items():
            ranking = [target for target, _ in rankings[direction][query]]
            lengths.append(len(ranking))
            good = table.good(query)
            top = set(ranking[:CUTOFF])
            for target in good:
                kind = "cross" if lang[target] != lang[query] else "same"
                wanted[kind] += 1
                found[kind] += target in top
            if not good:
                continue
            pair = (ndcg(ranking, grades), reciprocal_rank(ranking, good))
            scores.append(pair)
            per_split[(direction, split(query, good, lang))].append(pair)
        n, r = mean([s[0] for s in scores]), mean([s[1] for s in scores])
        means.append((n, r))
        print(f"{direction:<18} {len(table.grades):>7} {len(scores):>6} {n:>8.3f} {r:>6.3f} "
              f"{mean(lengths):>8.1f}")  # fmt: skip
    print(f"{'mean of directions':<18} {'':>7} {'':>6} {mean([m[0] for m in means]):>8.3f} "
          f"{mean([m[1] for m in means]):>6.3f}")  # fmt: skip
    print("\nlanguage split (queries whose good answers are all in the other language, all in "
          "the same one, or both)")  # fmt: skip
    print(f"{'direction':<18} {'cross: n nDCG MRR':>22} {'same: n nDCG MRR':>22} "
          f"{'mixed: n nDCG MRR':>22}")  # fmt: skip
    total: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for direction in DIRECTIONS:
        cells = []
        for name in ("cross", "same", "mixed"):
            pairs = per_split[(direction, name)]
            total[name] += pairs
            cells.append(_cell(pairs))
        print(f"{direction:<18} " + " ".join(f"{c:>22}" for c in cells))
    print(f"{'all directions':<18} " + " ".join(f"{_cell(total[k]):>22}" for k in total))
    for direction in DIRECTIONS:
        table = judged[direction]
        empty = [q for q in table.grades if not table.good(q)]
        if empty:
            firsts = [(q, rankings[direction][q][0][0]) for q in empty if rankings[direction][q]]
            wrong = sum(table.grades[q].get(first, 0) == 0 for q, first in firsts)
            print(f"{direction}: {len(empty)} queries without a good answer (in no mean); "
                  f"{len(firsts)} got answers, the first graded 0 in {wrong}")  # fmt: skip
    print(
        f"good pairs in the top {CUTOFF}: same-language {found['same']}/{wanted['same']} "
        f"({found['same'] / max(1, wanted['same']):.0%}), cross-language "
        f"{found['cross']}/{wanted['cross']} ({found['cross'] / max(1, wanted['cross']):.0%})"
    )


def _cell(pairs: list[tuple[float, float]]) -> str:
    if not pairs:
        return "0     -     -"
    return f"{len(pairs)} {mean([p[0] for p in pairs]):.3f} {mean([p[1] for p in pairs]):.3f}"


def dump(path: Path, rankings: dict[str, Any], judged: dict[str, Judged]) -> None:
    """Write every ranking with its grades, for reading what went wrong."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(("direction", "query", "rank", "target", "grade", "score"))
        for direction in DIRECTIONS:
            for query, ranking in rankings[direction].items():
                grades = judged[direction].grades[query]
                for rank, (target, score) in enumerate(ranking, start=1):
                    writer.writerow((direction, query, rank, target, grades.get(target, 0), score))


def main() -> None:
    """Import, ask, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, default=DATA / "records.jsonl")
    parser.add_argument("--judgments", type=Path, default=DATA / "judgments.tsv")
    parser.add_argument("--dump", type=Path, help="write every ranking with grades (TSV)")
    args = parser.parse_args()
    with args.records.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    judged = read_judgments(args.judgments)
    closing = sorted(r["closes_on"] for r in records if r.get("closes_on"))
    if closing and date.fromisoformat(closing[0]) < date.today():
        print(f"warning: some posts closed on {closing[0]}; closed posts are not matched, "
              "so move the set's closes_on dates forward", file=sys.stderr)  # fmt: skip
    lang, disagree = languages(records)
    for line in disagree:
        print(f"language guess differs from languages.tsv: {line}")
    counts = Counter(r["type"] for r in records)
    cross, pairs = cross_share(judged, lang)
    sizes = ", ".join(f"{d} {sum(map(len, judged[d].grades.values()))}" for d in DIRECTIONS)
    print(f"set: {dict(counts)}; judged pairs: {sizes}; good pairs {pairs}, "
          f"cross-language {cross} ({cross / max(1, pairs):.0%})")  # fmt: skip
    rankings = run(records, judged)
    report(rankings, judged, lang)
    if args.dump:
        dump(args.dump, rankings, judged)
        print(f"rankings written to {args.dump}")


if __name__ == "__main__":
    main()
