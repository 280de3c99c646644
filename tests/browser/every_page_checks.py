"""What the every-page sweep (test_every_page.py) checks on each page it opens.

Each check returns a list of problems (empty when the page passes): sideways scrolling, a
missing or empty <h1>, console errors and failed same-origin requests, English interface
text on a Spanish page, and serious or critical axe-core violations.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from playwright.sync_api import ConsoleMessage, Page, Request, Response

import directory

ES_CATALOGUE = Path(directory.__file__).parent / "translations/es/LC_MESSAGES/messages.po"
AXE_IMPACTS = {"serious", "critical"}
# Placeholders and markup split a msgid into the literal runs a page can show.
_SPLIT = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}|<[^>]+>|\s*\n\s*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# The widest element that sticks out, to point at the culprit in the failure message.
_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const over = document.scrollingElement.scrollWidth - width;
  if (over <= 0) return null;
  let worst = null;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && (!worst || box.right >= worst.right)) {
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      else if (el.classList.length) name += '.' + [...el.classList].join('.');
      worst = {name, right: Math.round(box.right)};
    }
  }
  return {over, worst: worst && worst.name + ' (right edge ' + worst.right + ' px)'};
}"""
# The text a reader sees in Spanish: minus passages marked as another language (a story
# shown in English, the "English" button), which are content, not interface.
_SPANISH_TEXT_JS = """() => {
  let text = document.body.innerText;
  for (const el of document.body.querySelectorAll('[lang]:not([lang^="es"])')) {
    const own = el.innerText;
    if (own) text = text.split(own).join('\\n');
  }
  return text;
}"""


class PageWatch:
    """Console errors, page errors and failed same-origin requests of one page."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.origin = urlsplit(base_url).netloc
        self.problems: list[str] = []
        self.documents: set[str] = set()  # the pages themselves (top frame) opened so far
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def reset(self) -> list[str]:
        """Return the problems gathered so far and start again."""
        problems, self.problems = self.problems, []
        return problems

    def _same_origin(self, url: str) -> bool:
        return urlsplit(url).netloc == self.origin

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs the page's own 403/404 as a failed resource: the sweep opens pages
        # a role may not see on purpose; the status is checked, not this echo.
        location = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and location in self.documents:
            return
        self.problems.append(f"console error: {message.text} ({location})")

    def _failed(self, request: Request) -> None:
        # ERR_ABORTED is the browser itself dropping a request (the favicon, when the sweep
        # moves on to the next page), not a failure of the server.
        if self._same_origin(request.url) and "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame.parent_frame is None:
            self.documents.add(response.url)
            return
        if self._same_origin(response.url) and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")


def overflow(page: Page) -> list[str]:
    """Sideways scrolling: the page is wider than the window."""
    found = page.evaluate(_OVERFLOW_JS)
    if not found:
        return []
    return [f"overflow: {found['over']} px too wide; widest: {found['worst']}"]


def heading(page: Page) -> list[str]:
    """Exactly the rule the brief names: an <h1> exists and none is empty."""
    texts = [text.strip() for text in page.locator("h1").all_inner_texts()]
    if not texts:
        return ["no <h1>"]
    return ["empty <h1>"] if not all(texts) else []


def axe(page: Page, engine: Axe) -> list[str]:
    """Serious and critical axe-core violations, with the elements they concern."""
    results = engine.run(page).response
    problems = []
    for violation in results["violations"]:
        if violation.get("impact") not in AXE_IMPACTS:
            continue
        nodes = [" ".join(node["target"]) for node in violation["nodes"]]
        shown = "; ".join(nodes[:4]) + (f" (+{len(nodes) - 4} more)" if len(nodes) > 4 else "")
        problems.append(f"axe {violation['id']} ({violation['impact']}): {shown}")
    return problems


@cache
def _phrases() -> tuple[str, ...]:
    """English runs of 2+ words from msgids whose Spanish differs, longest first."""
    with ES_CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    found: set[str] = set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not any(strings) or set(strings) <= set(ids):
            continue
        for msgid in ids:
            for run in _SPLIT.split(msgid):
                run = run.strip(" .,:;!?()«»\"'")
                if len(_WORD.findall(run)) >= 2 and not any(run in s for s in strings):
                    found.add(run)
    return tuple(sorted(found, key=len, reverse=True))


@cache
def _pattern(record_text: str) -> re.Pattern[str]:
    # Phrases the seeded records also contain are left out: an English bio that says
    # "machine learning" is a person's words, not a missing translation, and the page text
    # cannot tell the two apart. The rest must never show on a Spanish page.
    kept = [p for p in _phrases() if p.lower() not in record_text]
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, kept)) + r")(?![\w-])")


def untranslated(page: Page, record_text: str) -> list[str]:
    """English interface phrases from the catalogue on a page shown in Spanish."""
    if page.evaluate("document.documentElement.lang") != "es":
        return ["the page is not in Spanish (<html lang>)"]
    text = page.evaluate(_SPANISH_TEXT_JS)
    hits = sorted({match.group(0) for match in _pattern(record_text).finditer(text)})
    return [f"untranslated: {hit!r}" for hit in hits]
