"""Read the figure tables of the curation numbers pages (by data-test and data-key, so
tests do not depend on the language) and their CSV exports."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from flask.testing import FlaskClient


class _Tables(HTMLParser):
    """Collect {table key: {row key: [cell texts]}} from tables marked data-test="table-…"."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self._table: str | None = None
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and (a.get("data-test") or "").startswith("table-"):
            self._table = (a["data-test"] or "").removeprefix("table-")
            self.tables[self._table] = {}
        elif tag == "tr" and self._table and a.get("data-key") is not None:
            self._row = a["data-key"] or ""
            self.tables[self._table][self._row] = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table and self._row:
            self.tables[self._table][self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, dict[str, list[str]]]:
    """Every figure table of a page: {table key: {row key: [cells, first is the label]}}."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def numbers(row: list[str]) -> list[int]:
    """The integer cells of a row (the label and text cells skipped)."""
    return [int(cell) for cell in row[1:] if cell.lstrip("-").isdigit()]


def csv_rows(client: FlaskClient, path: str, table: str, **args: str) -> list[list[str]]:
    """A table's CSV export as rows (header first), asserting it is served as CSV."""
    response = client.get(path, query_string={**args, "format": "csv", "table": table})
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))
