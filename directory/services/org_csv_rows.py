"""The rows of an organisations CSV file: its columns and how each cell is checked.

org_csv.py reads the file and imports it; this module turns one row's cells into
Organization values and translated errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from .. import geo, vocab
from ..models import Skill
from ..text import fold, is_http_url
from .skills import _lookup_table

LIMITS = {"name": 200, "website": 300, "city": 120, "description": 10_000}
# Canonical column → header spellings accepted (compared folded, "_" read as a space).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nombre", "razon social", "organizacion", "organization"),
    "kind": ("kind", "type", "tipo"),
    "website": ("website", "web", "url", "sitio web", "sitio", "pagina web"),
    "state": ("state", "estado", "entidad"),
    "city": ("city", "ciudad", "municipio"),
    "sectors": ("sectors", "sector", "sectores"),
    "description": ("description", "descripcion"),
    "size": ("size", "tamano"),
    "skills": ("skills", "habilidades"),
    "chamber_member": ("chamber member", "miembro de la camara", "miembro", "socio"),
}
REQUIRED = ("name", "kind")
YES = {"yes", "y", "si", "s", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
_BARE_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class CsvRow:
    """One spreadsheet row: its number as the spreadsheet shows it, values and errors."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    skills: list[Skill] = field(default_factory=list)
    errors: list[LazyString] = field(default_factory=list)


def _labels(group: str) -> dict[str, str]:
    """Folded key, Spanish label and English label → key."""
    table: dict[str, str] = {}
    for key, label in vocab.GROUPS[group].items():
        table[fold(key)] = key
        for locale in ("es", "en"):
            with force_locale(locale):
                table.setdefault(fold(str(label)), key)
    return table


def header(cells: list[str]) -> tuple[list[str | None], list[LazyString]]:
    names = {spelling: column for column, spellings in COLUMNS.items() for spelling in spellings}
    columns: list[str | None] = []
    errors: list[LazyString] = []
    for cell in cells:
        folded = fold(cell.replace("_", " "))
        column = names.get(folded)
        if column is None and folded:
            errors.append(_l("Unknown column “%(name)s”.", name=cell.strip()[:60]))
        elif column in columns:
            errors.append(_l("The column “%(name)s” appears twice.", name=cell.strip()[:60]))
        columns.append(column)
    for column in REQUIRED:
        if column not in columns:
            errors.append(_l("The column “%(name)s” is missing.", name=column))
    return columns, errors


class RowChecker:
    """Reads one row's cells into Organization values, noting each error."""

    def __init__(self) -> None:
        self.kinds = _labels("org_kinds")
        self.sectors = _labels("sectors")
        self.sizes = _labels("org_sizes")
        self.skills = _lookup_table()
        self.states = {fold(code): code for code, _name in geo.MEXICAN_STATES}
        self.states |= {fold(name): code for code, name in geo.MEXICAN_STATES}
        self.states |= {"cdmx": "CMX", "df": "CMX", "edomex": "MEX"}

    def row(self, number: int, cells: dict[str, str]) -> CsvRow:
        row = CsvRow(number)
        text = {key: _CONTROL.sub("", value).strip() for key, value in cells.items()}
        for key, limit in LIMITS.items():
            if len(text.get(key, "")) > limit:
                row.errors.append(
                    _l("%(column)s: use at most %(max)d characters.", column=key, max=limit)
                )
        name = " ".join(text.get("name", "").split())
        if not name:
            row.errors.append(_l("name: this field is required."))
        kind = self.kinds.get(fold(text.get("kind")))
        if kind is None:
            row.errors.append(_l("kind: “%(value)s” is not a kind of organisation (%(allowed)s).",
                                 value=text.get("kind", "")[:60],
                                 allowed=", ".join(vocab.ORG_KINDS)))  # fmt: skip
        state = None
        if text.get("state"):
            state = self.states.get(fold(text["state"]).removeprefix("mx-"))
            if state is None:
                row.errors.append(_l("state: “%(value)s” is not a Mexican state.",
                                     value=text["state"][:60]))  # fmt: skip
        website = text.get("website", "")
        if _BARE_DOMAIN.fullmatch(website):
            website = "https://" + website  # spreadsheets often drop the scheme
        if website and not is_http_url(website):
            row.errors.append(_l("website: “%(value)s” is not a web address.",
                                 value=text["website"][:80]))  # fmt: skip
        sectors = self._many(row, "sectors", text.get("sectors", ""), self.sectors)
        size = ""
        if text.get("size"):
            size = self.sizes.get(fold(text["size"]), "")
            if not size:
                row.errors.append(_l("size: “%(value)s” is not one of %(allowed)s.",
                                     value=text["size"][:60],
                                     allowed=", ".join(vocab.ORG_SIZES)))  # fmt: skip
        for term in split_cells(text.get("skills", "")):
            skill = self.skills.get(fold(term))
            if skill is None:
                row.errors.append(_l("skills: unknown skill “%(value)s”.", value=term[:60]))
            elif skill not in row.skills:
                row.skills.append(skill)
        member = fold(text.get("chamber_member", ""))
        if member not in YES | NO:
            row.errors.append(_l("chamber_member: write yes or no."))
        row.values = {
            "name": name,
            "kind": kind or "",
            "website": website,
            "state_code": state,
            "city": " ".join(text.get("city", "").split()),
            "sectors": sectors,
            "description": text.get("description", ""),
            "size": size,
            "chamber_member": member in YES,
        }
        return row

    @staticmethod
    def _many(row: CsvRow, column: str, raw: str, table: dict[str, str]) -> list[str]:
        found: list[str] = []
        for term in split_cells(raw):
            key = table.get(fold(term))
            if key is None:
                row.errors.append(_l("%(column)s: unknown value “%(value)s”.",
                                     column=column, value=term[:60]))  # fmt: skip
            elif key not in found:
                found.append(key)
        return found


def split_cells(raw: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", raw or "") if part.strip()]
