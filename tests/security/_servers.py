"""Two app servers on one PostgreSQL and one Redis, seen through a load balancer.

Helpers for test_two_servers.py: a throwaway PostgreSQL database, the production
environment both servers share, a gunicorn server that can be stopped and started again,
and a browser (cookies, a client address, any server) that fills forms as people do.

The load balancer is simulated: the browser sends its requests to either server with the
public Host, ``X-Forwarded-Proto: https`` and ``X-Forwarded-For: <its address>``, as one
proxy in front of the app would (the servers trust one hop: ``PROXY_COUNT=1``).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_HOST = "directorio.example.mx"
PUBLIC_URL = f"https://{PUBLIC_HOST}"
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --- the shared database -------------------------------------------------------------------


def postgres_server_url() -> str:
    """The PostgreSQL of this run: DATABASE_URL's server when it is one, else the local one."""
    from sqlalchemy.engine import make_url

    from directory.config import normalise_database_url

    url = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    chosen = make_url(url if url.startswith("postgresql") else LOCAL_POSTGRES)
    return chosen.set(database="postgres").render_as_string(hide_password=False)


class NoPostgres(Exception):
    """PostgreSQL does not answer."""


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """CREATE a database of its own on the server, yield its URL, DROP it afterwards."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    base = make_url(server_url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"directory_two_servers_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        raise NoPostgres(f"PostgreSQL does not answer at {base.host}:{base.port}: {exc}") from exc
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))


def query(database_url: str, statement: str) -> list[tuple]:
    """Rows of one read-only query on the served database (to pick demo accounts)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as conn:
        return list(conn.execute(statement))  # type: ignore[arg-type]


def flask(env: Mapping[str, str], *args: str, timeout: float = 300) -> str:
    """Run `flask --app directory ARGS` in the served environment; its output."""
    command = [sys.executable, "-m", "flask", "--app", "directory", *args]
    result = subprocess.run(
        command, cwd=ROOT, env=dict(env), capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise AssertionError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# --- a gunicorn server ---------------------------------------------------------------------


@dataclass
class Server:
    """One app server: gunicorn with the repository's gunicorn.conf.py on a loopback port."""

    name: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start gunicorn (one worker) and wait until it answers a page."""
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "wsgi:app"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_for(lambda status: status == 200, "/", 60)

    def wait_ready(self, seconds: float = 240) -> None:
        """Wait while /healthz/ready says the worker is warming up (503); 404 means none."""
        self._wait_for(lambda status: status in (200, 404), "/healthz/ready", seconds)

    def _wait_for(self, done: object, path: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise AssertionError(f"server {self.name} stopped:\n{self.tail()}")
            try:
                status = Browser("192.0.2.1").get(self, path, timeout=5).status
            except OSError:
                status = 0
            if done(status):  # type: ignore[operator]
                return
            time.sleep(0.2)
        raise AssertionError(f"server {self.name}: {path} not ready in {seconds} s\n{self.tail()}")

    def stop(self) -> None:
        """SIGTERM, as a deploy does; SIGKILL if it does not stop within 30 s."""
        stop_all([self])

    def tail(self, lines: int = 30) -> str:
        """The end of the server's log, for failure messages."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def stop_all(servers: Sequence[Server]) -> None:
    """Stop servers together: SIGTERM to each, then wait (SIGKILL after 30 s)."""
    running = [s.process for s in servers if s.process is not None and s.process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- a browser -----------------------------------------------------------------------------


@dataclass
class Page:
    """One answer: status, headers and the decoded body."""

    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Browser:
    """One person's browser behind the load balancer: its address and its cookies."""

    ip: str
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, server: Server, path: str, timeout: float = 60) -> Page:
        """GET a path from one server."""
        return self.request(server, "GET", path, timeout=timeout)

    def post(self, server: Server, path: str, fields: list[tuple[str, str]]) -> Page:
        """POST a form to one server (with the Referer a browser on the site sends)."""
        return self.request(server, "POST", path, fields)

    def request(
        self,
        server: Server,
        method: str,
        path: str,
        fields: list[tuple[str, str]] | None = None,
        timeout: float = 60,
    ) -> Page:
        """One request through the simulated load balancer (TLS ends there)."""
        headers = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.ip,
            "Accept-Language": "es",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = PUBLIC_URL
            headers["Referer"] = PUBLIC_URL + path
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for raw in response.headers.get_all("Set-Cookie") or []:
                self._keep(raw)
            return Page(response.status, dict(response.headers.items()), text)
        finally:
            conn.close()

    def _keep(self, raw: str) -> None:
        name, _, rest = raw.partition("=")
        value, *attributes = rest.split(";")
        expired = any(a.strip().lower() == "max-age=0" for a in attributes)
        if expired or not value:
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value.strip()


# --- forms ---------------------------------------------------------------------------------


@dataclass
class Form:
    """A form as a browser would send it: the fields' current values, in order."""

    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def names(self) -> set[str]:
        """The names of the fields the form sends."""
        return {name for name, _ in self.fields}

    def value(self, name: str) -> str:
        """The first value of a field."""
        return next(value for key, value in self.fields if key == name)

    def filled(self, **values: str) -> list[tuple[str, str]]:
        """The fields with some values replaced (or added)."""
        out = [(k, values[k]) if k in values else (k, v) for k, v in self.fields]
        return out + [(k, v) for k, v in values.items() if k not in self.names()]


class _FormParser(HTMLParser):
    """Collect every form with what a browser would submit (checked boxes, selections)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", "")))
            return
        if not self.forms or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.forms[-1].fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.forms[-1].fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[3].append(value)
            if "selected" in a:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            name, multiple, chosen, options = self._select
            if not chosen and not multiple and options:
                chosen = options[:1]  # a single select sends its first option by default
            self.forms[-1].fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # The newline right after <textarea> is not part of the value (HTML spec).
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.forms[-1].fields.append((name, text))
            self._textarea = None


def form_with(html: str, field_name: str, action: str | None = None) -> Form:
    """The page's (first) form that has a field of this name (and sends to `action`)."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if field_name in form.names() and action in (None, form.action):
            return form
    raise AssertionError(f"no form with a {field_name!r} field on the page:\n{html[:2000]}")


# --- what the pages show ---------------------------------------------------------------------


def semantic_hits(html: str) -> list[tuple[str, int]]:
    """(kind, id) of each semantic search result, best first."""
    found = re.findall(r'data-test="search-result" data-kind="(\w+)" data-id="(\d+)"', html)
    return [(kind, int(record_id)) for kind, record_id in found]


def directory_people(html: str) -> list[int]:
    """Profile ids listed by the directory's keyword search."""
    return [int(i) for i in re.findall(r'href="/people/(\d+)" data-test="result-link"', html)]
