"""tests/security/ROWS.md stays true: rows 1-53 of SECURITY.md are all listed, and
every test it names exists (its module imports and has that function)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = Path(__file__).with_name("ROWS.md")
# Wave 2's rows (SECURITY.md rows 40-53): all built.
WAVE_TWO_ROWS = list(range(40, 54))
NODE = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def _table() -> dict[int, list[tuple[str, str]]]:
    rows: dict[int, list[tuple[str, str]]] = {}
    for line in ROWS.read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].isdigit():
            number = int(cells[0])
            assert number not in rows, f"row {number} listed twice"
            rows[number] = NODE.findall(cells[1])
    return rows


def test_every_row_is_listed_with_at_least_one_test() -> None:
    rows = _table()
    assert sorted(rows) == [*range(1, 40), *WAVE_TWO_ROWS]
    assert not [number for number, nodes in rows.items() if not nodes]


def test_every_named_test_exists() -> None:
    missing = []
    for nodes in _table().values():
        for path, function in nodes:
            assert (ROOT / path).is_file(), path
            module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
            if not callable(getattr(module, function, None)) or not function.startswith("test"):
                missing.append(f"{path}::{function}")
    assert not missing, missing


def test_the_index_parses_what_it_should() -> None:
    """The parser sees a wrong name as wrong (so the check above can fail)."""
    module = importlib.import_module("tests.security.test_rows_index")
    assert callable(getattr(module, "test_every_named_test_exists", None))
    assert getattr(module, "test_no_such_thing", None) is None
    assert NODE.findall("a<br>tests/x/y_z.py::test_a<br>b") == [("tests/x/y_z.py", "test_a")]
