"""SECURITY.md row 23, "limits shared across workers": two apps (two gunicorn workers, in
effect) on one Redis count against one budget, for page limits and for the per-account
log-in throttle. Runs against a throwaway redis-server; skipped only without one."""

from __future__ import annotations

import uuid

from flask import Flask

from directory import ratelimits

from ..conftest import PASSWORD
from .conftest import free_port


def _workers(make_app, redis_url: str, **config: str) -> tuple[Flask, Flask]:
    prefix = "w" + uuid.uuid4().hex[:8]  # both workers share it, as one deployment does
    return tuple(  # type: ignore[return-value]
        make_app(RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX=prefix, **config)
        for _ in range(2)
    )


def test_page_limits_are_shared_between_workers(make_app, redis_url: str) -> None:
    one, two = _workers(make_app, redis_url, RATELIMIT_SEARCH="3 per minute")
    assert "Redis" in type(ratelimits.limiter_of(one).storage).__name__
    a, b = one.test_client(), two.test_client()
    statuses = [a.get("/directory").status_code, b.get("/directory").status_code]
    statuses += [a.get("/directory").status_code, b.get("/directory").status_code]
    assert statuses == [200, 200, 200, 429]
    assert int(b.get("/directory").headers["Retry-After"]) > 0


def test_failed_logins_count_across_workers(make_app, make_user, redis_url: str) -> None:
    make_user("ana@example.org")
    one, two = _workers(make_app, redis_url, RATELIMIT_LOGIN_ACCOUNT="2 per 15 minutes")
    wrong = {"email": "ana@example.org", "password": "not it"}
    assert one.test_client().post("/login", data=wrong).status_code == 200
    assert two.test_client().post("/login", data=wrong).status_code == 200
    right = {"email": "ana@example.org", "password": PASSWORD}
    assert one.test_client().post("/login", data=right).status_code == 429
    assert two.test_client().post("/login", data=right).status_code == 429


def test_with_redis_down_each_worker_still_counts(make_app, make_user) -> None:
    """No 500 and no free pass: the limiter falls back to counting in memory."""
    make_user("ana@example.org")
    down = f"redis://127.0.0.1:{free_port()}/0"
    app = make_app(
        RATELIMIT_STORAGE_URI=down,
        RATELIMIT_SEARCH="2 per minute",
        RATELIMIT_LOGIN_ACCOUNT="1 per 15 minutes",
    )
    client = app.test_client()
    assert [client.get("/directory").status_code for _ in range(3)] == [200, 200, 429]
    wrong = {"email": "ana@example.org", "password": "not it"}
    assert [client.post("/login", data=wrong).status_code for _ in range(2)] == [200, 429]
