"""The Spanish catalogue covers every message the code uses, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "directory"
CATALOGUE = PACKAGE / "translations" / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def test_every_message_in_the_code_has_a_spanish_translation():
    catalogue = _catalogue()
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
    missing = []
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        translated = entry and (
            entry.string[0] if isinstance(entry.string, tuple) else entry.string
        )
        if not translated:
            missing.append(msgid)
    assert not missing, f"{len(missing)} untranslated (run make extract-messages): {missing[:5]}"


def test_placeholders_survive_translation():
    for entry in _catalogue():
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= expected | set(PLACEHOLDER.findall(ids[-1])), (
                entry.id
            )
