"""gunicorn settings for Directorio IA: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be changed through the environment (GUNICORN_*), so the same file serves a
2-core VM and a bigger one. Behind a reverse proxy, also set DIRECTORY_PROXY_COUNT (see the
README, "Deploying").

Preload or lazy loading: lazy (preload_app = False), on purpose.
- The embedding models are loaded lazily, once per process, on the first request that
  matches or searches (directory/matching/embedder.py); pages that do not match never pay
  for them. Preloading the app in the master would not share the models anyway: they are
  not loaded at import time.
- Loading torch in the master and forking afterwards is unsafe (its OpenMP thread pool does
  not survive fork) and the copy-on-write saving fades as reference counts touch the pages.
- Each worker opens its own database connections and builds its own FAISS index from the
  database (a worker notices newer vectors with a cheap version check), so nothing needs
  to be created before the fork.
The price is the first matching request in each worker (4-8 s to import torch and load a
model): the timeout below covers it, and it is paid once per worker, not per request.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Each worker may hold the models (about 0.5-0.8 GB): two per core would exhaust memory
# before it used the CPU, so one worker per core, at least two.
workers = _int("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count()))
# Threads let a worker serve cheap pages while another thread waits on the database or
# encodes a query; torch and FAISS release the GIL while they compute.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# Long enough for a worker's first model load; a request stuck longer is killed.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
preload_app = False
# Recycling a worker costs a model reload on its next matching request: off by default,
# set GUNICORN_MAX_REQUESTS to bound slow memory growth if it is ever seen.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max(0, max_requests // 10)
# Requests are too large past this size anyway (the app answers 413 beyond 2 MB).
limit_request_line = 8190
limit_request_fields = 100
# X-Forwarded-For and -Proto: the app's ProxyFix (DIRECTORY_PROXY_COUNT) decides how many
# hops to trust; gunicorn keeps its default of trusting them only from 127.0.0.1.

# Logs: the app writes one JSON line per request (with its request id) to stderr, so
# gunicorn's own access log stays off and its error log uses the same JSON format.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
_JSON_TO_STDERR = {
    "class": "logging.StreamHandler",
    "formatter": "json",
    "stream": "ext://sys.stderr",
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "directory.request_log.JsonFormatter"}},
    "handlers": {"console": _JSON_TO_STDERR, "error_console": _JSON_TO_STDERR},
    # Libraries (SQLAlchemy, Flask-Limiter, ...) log through the root logger, as JSON too.
    "root": {"level": "WARNING", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        # Off: the app's own line per request has the request id and no query string.
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        # The app adds its own JSON handler (directory/request_log.py): no second copy.
        "directory": {"level": "INFO", "propagate": False},
    },
}
