"""Screenshots of the main pages for the README, in Spanish and English.

    .venv/bin/python docs/screenshots/make_screenshots.py [--only NAME ...]

Starts its own app on a throw-away SQLite database with the demo data (`flask seed-demo`)
and real matching (the models ship in the installed packages: nothing is downloaded), then
drives Debian's Chromium and writes docs/screenshots/<page>-<lang>-<width>.png. The
first run embeds the demo records once (a minute or two on a laptop).
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from sqlalchemy import select, update  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from directory import create_app  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.models import Membership, Opening, Organization, User  # noqa: E402
from directory.seed import DEMO_CURATOR, DEMO_PASSWORD, seed_demo  # noqa: E402
from directory.services import skills  # noqa: E402

OUT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SEARCH = "visión por computadora para salud"


def build_app(tmp: str) -> Flask:
    """The app on a fresh SQLite file with the vocabulary and the demo data."""
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/screens.sqlite3",
            "PUBLIC_URL": "http://127.0.0.1",
            "JOBS_BACKEND": "immediate",
            "MATCHING_INDEX_DIR": f"{tmp}/matching",
            "OPENDATA_DIR": f"{tmp}/opendata",
            "UPLOAD_DIR": f"{tmp}/uploads",
            "MATCHING_EMBED_SERVICE": False,
            "MATCHING_WARMUP": False,
        }
    )
    with app.app_context():
        db.create_all()
        skills.load_vocabulary()
        seed_demo()
        db.session.commit()
    print("Embedding the demo records (once)...", flush=True)
    result = app.test_cli_runner().invoke(args=["matching", "rebuild"])
    print(result.output, flush=True)
    return app


def pick_records(app: Flask) -> dict[str, object]:
    """An owner of a firm with openings (a person with a profile), an opening, a challenge."""
    from directory.models import Challenge

    with app.app_context():
        opening = db.session.scalars(
            select(Opening).where(Opening.status == "published").order_by(Opening.id)
        ).first()
        challenge = db.session.scalars(
            select(Challenge).where(Challenge.status == "published").order_by(Challenge.id)
        ).first()
        assert opening is not None and challenge is not None
        owner = db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Membership.role == "owner", User.profile.has())
            .where(Organization.openings.any(Opening.status == "published"))
            .order_by(User.id)
        ).first()
        assert owner is not None, "the demo seed has no owner with a profile"
        org = next(m.organization for m in owner.memberships if m.role == "owner")
        return {
            "owner": owner.email,
            "org_slug": org.slug,
            "org_id": org.id,
            "opening": opening.id,
            "challenge": challenge.id,
        }


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve the app on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def set_language(app: Flask, lang: str) -> None:
    """Every account reads in `lang` (a member's saved choice beats the cookie)."""
    with app.app_context():
        db.session.execute(update(User).values(locale=lang))
        db.session.commit()


def log_in(page: Page, base: str, email: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("[data-test=login-form] button[type=submit]")
    page.wait_for_selector("[data-test=nav-account]", state="attached")


def shoot(browser: Browser, base: str, lang: str, shots: list[tuple], viewport: dict) -> list[str]:
    """Take (name, path, email or None) shots in one language at one size."""
    written = []
    contexts: dict[str | None, Page] = {}
    for name, path, email in shots:
        if email not in contexts:
            context = browser.new_context(viewport=viewport, locale=f"{lang}-MX")
            context.add_cookies([{"name": "lang", "value": lang, "url": base}])
            contexts[email] = context.new_page()
            if email:
                log_in(contexts[email], base, email)
        page = contexts[email]
        page.goto(base + path)
        target = OUT / f"{name}-{lang}-{viewport['width']}.png"
        page.screenshot(path=str(target))
        written.append(target.name)
        print(f"  {target.relative_to(ROOT)}", flush=True)
    for page in contexts.values():
        page.context.close()
    return written


def main() -> None:
    """Build, serve, shoot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="page names to take (default: all)")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with tempfile.TemporaryDirectory(prefix="screens-") as tmp:
        app = build_app(tmp)
        ids = pick_records(app)
        owner = str(ids["owner"])
        laptop = [
            ("home", "/", None),
            ("directory", "/directory", None),
            ("search", f"/search?q={SEARCH}", None),
            ("organization", f"/organizations/{ids['org_slug']}", None),
            ("opening", f"/openings/{ids['opening']}", None),
            ("challenge", f"/challenges/{ids['challenge']}", None),
            ("my-matches", "/me/matches", owner),
            ("manage", f"/manage/organizations/{ids['org_id']}", owner),
            ("curation", "/curation/dashboard", DEMO_CURATOR),
        ]
        phone = [s for s in laptop if s[0] in {"home", "opening", "my-matches", "directory"}]
        if args.only:
            laptop = [s for s in laptop if s[0] in args.only]
            phone = [s for s in phone if s[0] in args.only]
        with serve(app) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for lang in ("es", "en"):
                set_language(app, lang)
                shoot(browser, base, lang, laptop, LAPTOP)
                if lang == "es":
                    shoot(browser, base, lang, phone, PHONE)
            browser.close()


if __name__ == "__main__":
    main()
