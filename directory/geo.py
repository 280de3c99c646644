"""Mexico's 32 federal entities and country names, used by forms and facets."""

from __future__ import annotations

from functools import cache

from babel import Locale

# ISO 3166-2:MX codes (without the "MX-" prefix) and official short names.
MEXICAN_STATES: tuple[tuple[str, str], ...] = (
    ("AGU", "Aguascalientes"),
    ("BCN", "Baja California"),
    ("BCS", "Baja California Sur"),
    ("CAM", "Campeche"),
    ("CHP", "Chiapas"),
    ("CHH", "Chihuahua"),
    ("CMX", "Ciudad de México"),
    ("COA", "Coahuila"),
    ("COL", "Colima"),
    ("DUR", "Durango"),
    ("GUA", "Guanajuato"),
    ("GRO", "Guerrero"),
    ("HID", "Hidalgo"),
    ("JAL", "Jalisco"),
    ("MEX", "Estado de México"),
    ("MIC", "Michoacán"),
    ("MOR", "Morelos"),
    ("NAY", "Nayarit"),
    ("NLE", "Nuevo León"),
    ("OAX", "Oaxaca"),
    ("PUE", "Puebla"),
    ("QUE", "Querétaro"),
    ("ROO", "Quintana Roo"),
    ("SLP", "San Luis Potosí"),
    ("SIN", "Sinaloa"),
    ("SON", "Sonora"),
    ("TAB", "Tabasco"),
    ("TAM", "Tamaulipas"),
    ("TLA", "Tlaxcala"),
    ("VER", "Veracruz"),
    ("YUC", "Yucatán"),
    ("ZAC", "Zacatecas"),
)
STATE_NAMES: dict[str, str] = dict(MEXICAN_STATES)
# The abbreviations Mexicans read on maps and forms (the ISO codes stay in data and URLs).
STATE_ABBREVIATIONS: dict[str, str] = {
    "AGU": "Ags.", "BCN": "BC", "BCS": "BCS", "CAM": "Camp.", "CHP": "Chis.", "CHH": "Chih.",
    "CMX": "CDMX", "COA": "Coah.", "COL": "Col.", "DUR": "Dgo.", "GUA": "Gto.", "GRO": "Gro.",
    "HID": "Hgo.", "JAL": "Jal.", "MEX": "Méx.", "MIC": "Mich.", "MOR": "Mor.", "NAY": "Nay.",
    "NLE": "NL", "OAX": "Oax.", "PUE": "Pue.", "QUE": "Qro.", "ROO": "Q. Roo", "SLP": "SLP",
    "SIN": "Sin.", "SON": "Son.", "TAB": "Tab.", "TAM": "Tamps.", "TLA": "Tlax.", "VER": "Ver.",
    "YUC": "Yuc.", "ZAC": "Zac.",
}  # fmt: skip


def state_abbreviation(code: str | None) -> str:
    """A state's usual abbreviation ("Gto." for GUA), or the code itself when unknown."""
    return STATE_ABBREVIATIONS.get(code or "", code or "")


def state_name(code: str | None) -> str:
    """Return a state's name for its code, or an empty string."""
    return STATE_NAMES.get(code or "", "")


@cache
def countries(locale: str) -> tuple[tuple[str, str], ...]:
    """Return (ISO code, name) of every country in the locale's language, sorted by name."""
    names = Locale.parse(locale).territories
    # Two-letter alphabetic codes are countries; numeric ones are regions like "419".
    pairs = [(code, name) for code, name in names.items() if len(code) == 2 and code.isalpha()]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


def country_name(code: str | None, locale: str) -> str:
    """Return a country's name in the locale's language."""
    if not code:
        return ""
    return Locale.parse(locale).territories.get(code, code)


# Regions used for "nearby": a person in Querétaro is near an opening in Guanajuato.
REGIONS: dict[str, tuple[str, ...]] = {
    "northwest": ("BCN", "BCS", "SON", "SIN", "CHH", "DUR"),
    "northeast": ("COA", "NLE", "TAM"),
    "west": ("JAL", "COL", "NAY", "MIC", "AGU", "ZAC"),
    "bajio_centre": ("GUA", "QUE", "SLP", "HID", "MEX", "CMX", "MOR", "TLA", "PUE"),
    "south": ("GRO", "OAX", "CHP", "VER", "TAB"),
    "southeast": ("CAM", "YUC", "ROO"),
}
REGION_OF: dict[str, str] = {code: name for name, codes in REGIONS.items() for code in codes}


def nearby(state_a: str | None, state_b: str | None) -> bool:
    """Whether two different states lie in the same region."""
    if not state_a or not state_b or state_a == state_b:
        return False
    return REGION_OF.get(state_a) == REGION_OF.get(state_b) is not None
