"""How fast the curation pages answer with 10,000 records in the database.

Builds a fresh SQLite database in a temporary directory, times every curation page that
takes no URL parameter (a page that wants query arguments may answer 404 here; only a
5xx counts as a failure) (dashboard, portfolio, talent gap, the overview and whatever queue
exists) and the CSV exports of the big tables, first on the empty database (the baseline:
the cost of the framework, the login and the template) and then after bulk-inserting
organisations, people, openings, challenges, their skills and proposals. Each page is
requested by a logged-in curator through the Flask test client; p50 and max are printed
per page and any page over one second is flagged.

No embeddings are created: the portfolio counts fits with SQL over the skills (see
directory/services/portfolio.py), so it needs no model.

    .venv/bin/python bench/curation_speed.py [--records 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from directory import create_app, geo, vocab  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.models import (  # noqa: E402
    Challenge,
    Opening,
    Organization,
    Profile,
    Proposal,
    Role,
    Skill,
    User,
)
from directory.models.skills import (  # noqa: E402
    challenge_skills,
    opening_skills,
    organization_skills,
    profile_skills,
)
from directory.services import accounts, skills  # noqa: E402

PASSWORD = "bench curator password"  # noqa: S105 - a throwaway local database
LIMIT_SECONDS = 1.0
# Share of the records of each kind (sums to 1).
MIX = {"organization": 0.25, "profile": 0.40, "opening": 0.25, "challenge": 0.10}
STATUSES = ["published"] * 7 + ["pending", "rejected", "archived"]
COUNTRIES = ["US", "ES", "CA", "DE", "GB", "FR", "NL", "CH", "BR", "CL"]


def make_app(directory: str) -> Flask:
    """A fresh app on its own SQLite file, with the vocabulary and a curator."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite3",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        skills.load_vocabulary()
        curator = accounts.register("curator@example.org", PASSWORD)
        curator.role = Role.CURATOR
        db.session.commit()
    return app


def _moment(rng: random.Random, now: datetime) -> datetime:
    return now - timedelta(days=rng.uniform(0, 540), seconds=rng.randint(0, 86_399))


def _decided(rng: random.Random, created: datetime, status: str) -> dict[str, Any]:
    if status == "pending":
        return {"published_at": None, "moderated_at": None}
    decided = created + timedelta(days=rng.uniform(0.1, 12))
    return {
        "published_at": decided if status != "rejected" else None,
        "moderated_at": decided,
    }


def _links(rng: random.Random, table: Any, column: str, ids: list[int], pool: list[int]) -> int:
    rows = [
        {column: owner, "skill_id": skill}
        for owner in ids
        for skill in rng.sample(pool, rng.randint(2, 6))
    ]
    db.session.execute(insert(table), rows)
    return len(rows)


def populate(app: Flask, total: int, seed: int = 2026) -> dict[str, int]:
    """Bulk-insert `total` records in the MIX proportions, with skills and proposals."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    n = {kind: int(total * share) for kind, share in MIX.items()}
    states = [code for code, _ in geo.MEXICAN_STATES]
    with app.app_context():
        pool = list(db.session.scalars(select(Skill.id)))
        orgs = []
        for i in range(n["organization"]):
            created, status = _moment(rng, now), rng.choice(STATUSES[:-1])
            kind = "government_agency" if i % 5 == 0 else rng.choice(list(vocab.ORG_KINDS))
            orgs.append({"slug": f"org-{i}", "name": f"Organización {i}", "kind": kind,
                         "sectors": rng.sample(list(vocab.SECTORS), 2),
                         "state_code": rng.choice(states), "status": status,
                         "created_at": created, "updated_at": created, "confirmed_at": created,
                         **_decided(rng, created, status)})  # fmt: skip
        db.session.execute(insert(Organization), orgs)
        org_ids = list(db.session.scalars(select(Organization.id)))
        users, people = [], []
        for i in range(n["profile"]):
            created = _moment(rng, now)
            users.append({"email": f"p{i}@example.org", "password_hash": "x", "role": "member",
                          "active": True, "created_at": created})  # fmt: skip
        db.session.execute(insert(User), users)
        user_ids = list(db.session.scalars(select(User.id).where(User.role == "member")))
        for i, user_id in enumerate(user_ids):
            abroad = rng.random() < 0.3
            created = _moment(rng, now)
            people.append({
                "user_id": user_id, "full_name": f"Persona {i}",
                "country_code": rng.choice(COUNTRIES) if abroad else "MX",
                "state_code": None if abroad else rng.choice(states),
                "diaspora_status": "abroad" if abroad else rng.choice(["local", "returned"]),
                "open_to": rng.sample(list(vocab.OPEN_TO), 2),
                "visibility": rng.choice(["public", "members", "private"]),
                "matching_consent": rng.random() < 0.8, "created_at": created,
                "updated_at": created, "confirmed_at": created,
            })  # fmt: skip
        db.session.execute(insert(Profile), people)
        posts: dict[str, list[dict[str, Any]]] = {"opening": [], "challenge": []}
        for kind in posts:
            for i in range(n[kind]):
                created, status = _moment(rng, now), rng.choice(STATUSES)
                row = {"organization_id": rng.choice(org_ids), "title": f"{kind} {i}",
                       "state_code": rng.choice(states), "status": status,
                       "closes_on": date.today() + timedelta(days=rng.randint(-30, 120)),
                       "created_at": created, "updated_at": created,
                       **_decided(rng, created, status)}  # fmt: skip
                if kind == "challenge":
                    row |= {"stage": rng.choice(list(vocab.STAGES)),
                            "sector": rng.choice(list(vocab.SECTORS))}  # fmt: skip
                posts[kind].append(row)
        db.session.execute(insert(Opening), posts["opening"])
        db.session.execute(insert(Challenge), posts["challenge"])
        ids = {
            "organization": org_ids,
            "profile": list(db.session.scalars(select(Profile.id))),
            "opening": list(db.session.scalars(select(Opening.id))),
            "challenge": list(db.session.scalars(select(Challenge.id))),
        }
        links = sum(
            _links(rng, table, column, ids[kind], pool)
            for kind, table, column in (
                ("organization", organization_skills, "organization_id"),
                ("profile", profile_skills, "profile_id"),
                ("opening", opening_skills, "opening_id"),
                ("challenge", challenge_skills, "challenge_id"),
            )
        )
        proposals = [
            {
                "challenge_id": rng.choice(ids["challenge"]),
                "user_id": rng.choice(user_ids),
                "message": "Propuesta",
                "created_at": now,
                "updated_at": now,
            }  # fmt: skip
            for _ in range(n["challenge"] * 2)
        ]
        db.session.execute(insert(Proposal), proposals)
        db.session.commit()
        counts = {kind: len(values) for kind, values in ids.items()}
        counts["skill links"] = links
        counts["proposals"] = db.session.scalar(select(func.count(Proposal.id))) or 0
    return counts


def pages(app: Flask) -> list[str]:
    """Every curation GET route without URL parameters, plus the big CSV exports."""
    urls = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("curation.") and "GET" in rule.methods and not rule.arguments
    )
    return urls + [
        "/curation/portfolio?format=csv&table=challenges",
        "/curation/gaps?format=csv&table=talent",
    ]


def logged_in(app: Flask) -> FlaskClient:
    """A test client logged in as the curator."""
    client = app.test_client()
    response = client.post("/login", data={"email": "curator@example.org", "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"curator login failed: {response.status_code}")
    return client


def time_pages(client: FlaskClient, urls: list[str], runs: int) -> dict[str, tuple[float, ...]]:
    """(p50, max, status) in seconds for each URL over `runs` requests after one warm-up."""
    out: dict[str, tuple[float, ...]] = {}
    for url in urls:
        status = client.get(url).status_code  # warm-up: template compile, caches
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            status = client.get(url).status_code
            times.append(time.perf_counter() - start)
        out[url] = (statistics.median(times), max(times), status)
    return out


def main() -> None:
    """Time the curation pages on an empty database, fill it, and time them again."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app = make_app(directory)
        urls = pages(app)
        baseline = time_pages(logged_in(app), urls, args.runs)
        start = time.perf_counter()
        counts = populate(app, args.records)
        print(f"inserted in {time.perf_counter() - start:.1f} s: "
              + ", ".join(f"{n} {kind}" for kind, n in counts.items()))  # fmt: skip
        loaded = time_pages(logged_in(app), urls, args.runs)
    print(f"\n{'page':<52} {'empty p50':>10} {'p50':>8} {'max':>8}  status")
    slow = []
    for url in urls:
        p50, worst, status = loaded[url]
        flag = "  SLOW (> 1 s)" if worst > LIMIT_SECONDS else ""
        if flag or status >= 500:
            slow.append(url)
        print(f"{url:<52} {baseline[url][0] * 1000:>8.0f}ms {p50 * 1000:>6.0f}ms "
              f"{worst * 1000:>6.0f}ms  {int(status)}{flag}")  # fmt: skip
    total = sum(v for k, v in counts.items() if k in MIX)
    print(f"\n{total} records; {len(urls)} pages; {len(slow)} over {LIMIT_SECONDS:g} s or failing")
    if slow:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
