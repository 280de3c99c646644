"""Tables of figures that a page shows and exports as CSV from the same data.

Every figure on the numbers pages is a `Table`: the template renders it (with a CSV link)
and `csv_response` serves exactly those rows, so the export never disagrees with the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response, abort, render_template, request
from flask_login import current_user

from ..extensions import db
from ..services import audit


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere in the page and exports as its text."""

    text: str
    href: str

    def __str__(self) -> str:
        return self.text


Cell = str | int | float | Link | None

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """Rows of figures with a caption and column headers; `key` names it in ?table=."""

    key: str
    caption: str
    headers: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # Per row: a stable key (data-key in the page, for tests and anchors) and an optional
    # mark (e.g. "target") the template turns into a highlight.
    keys: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)

    def page(self, number: int, size: int) -> Table:
        """The rows of one page (numbered from 1), for a page that shows a long table."""
        start, stop = (number - 1) * size, number * size
        return Table(self.key, self.caption, self.headers, self.rows[start:stop],
                     self.keys[start:stop], self.marks[start:stop])  # fmt: skip

    def add(self, cells: list[Cell], key: str = "", mark: str = "") -> None:
        """Append a row with its key and mark."""
        self.rows.append(cells)
        self.keys.append(key)
        self.marks.append(mark)


def safe_cell(value: Cell) -> str:
    """Text for a CSV cell; text that a spreadsheet would run as a formula gets a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)  # numbers (negatives included) are data, not formulas
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(table: Table) -> str:
    """The table as CSV text: a header row, then the rows, every cell guarded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def wants_csv() -> str | None:
    """The key of the table asked for with ?format=csv&table=KEY, else None."""
    if request.args.get("format") != "csv":
        return None
    return request.args.get("table", "")


def csv_response(tables: Sequence[Table], page: str) -> Response | None:
    """The CSV of the table named in the query string, audited; None when it is unknown."""
    key = wants_csv()
    chosen = next((table for table in tables if table.key == key), None)
    if chosen is None:
        return None
    audit.record(
        "curation.export_csv",
        actor=current_user,
        target_kind="table",
        ip=request.remote_addr or "",
        page=page,
        table=chosen.key,
        filters={k: v for k, v in request.args.items() if k not in ("format", "table")},
    )
    db.session.commit()
    # A BOM lets spreadsheet programs read the accents of Spanish labels as UTF-8.
    response = Response("\ufeff" + to_csv(chosen), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{page}-{chosen.key}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


def export_args(key: str) -> dict[str, Any]:
    """Query arguments of the current page plus those that ask for one table's CSV."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k not in ("page",)}
    args.update({"format": "csv", "table": key})
    return args


def page_or_csv(exports: Sequence[Table], page: str, template: str, **context: Any) -> Any:
    """Render the page, or the CSV of one of its tables when the query string asks (404 for
    a table the page does not have)."""
    if wants_csv() is not None:
        response = csv_response(exports, page)
        if response is None:
            abort(404)
        return response
    return render_template(template, **context)


def register(bp: Any) -> None:
    """Give the blueprint's templates `export_args` for their CSV links."""
    bp.context_processor(lambda: {"export_args": export_args})


def ticked_ids() -> list[int] | None:
    """The rows a form acts on: one row's button ("only") or the ticked boxes ("ids");
    None when any value is not a database id."""
    raw = [request.form["only"]] if request.form.get("only") else request.form.getlist("ids")
    try:
        ids = [int(value) for value in raw]
    except ValueError:
        return None
    return ids if all(0 < i < 2**31 for i in ids) else None
