"""Server-rendered SVG charts: horizontal bars, a monthly series and a map of Mexico's states.

No JavaScript and no CDN: each function returns an escaped SVG string that the template
places inside a <figure> with a caption and the same figures as a table, so a screen reader
(or a printout) gets every number. Colours use presentation attributes, not style=, so the
strict CSP needs no 'unsafe-inline'.

The map is a *tile grid*: each of the 32 states is one equal square at its approximate
place (north-west to south-east), labelled with its usual abbreviation (Gto., Qro.).
There is no geodata here and no internet to fetch boundaries, and a tile grid is also the
more honest choropleth for counts: Chihuahua's area does not outweigh Mexico City's
records, every state is large enough to read and to hover, and each tile carries a
<title> with the state and its value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil

from markupsafe import Markup, escape

from . import geo

SERIES_COLOURS = ("#0f6b5c", "#b5482a", "#3b5b92", "#c08a1e", "#6b4c9a", "#5b6475")
# A sequential scale (light → dark) and the ink that stays readable on each step.
SCALE = ("#e3f0ed", "#b4d8cf", "#6fb3a3", "#2f8a76", "#0f5044")
SCALE_INK = ("#1d2330", "#1d2330", "#1d2330", "#ffffff", "#ffffff")
EMPTY, EMPTY_INK = "#f3f4f6", "#5b6475"

# (column, row) of each state on the tile grid, roughly where it lies on the map.
TILES: dict[str, tuple[int, int]] = {
    "BCN": (0, 0), "SON": (1, 0), "CHH": (2, 0), "COA": (3, 0), "NLE": (4, 0),
    "BCS": (0, 1), "SIN": (1, 1), "DUR": (2, 1), "ZAC": (3, 1), "SLP": (4, 1), "TAM": (5, 1),
    "NAY": (2, 2), "AGU": (3, 2), "GUA": (4, 2), "QUE": (5, 2), "HID": (6, 2),
    "JAL": (2, 3), "MIC": (3, 3), "MEX": (4, 3), "CMX": (5, 3), "TLA": (6, 3), "VER": (7, 3),
    "YUC": (9, 3),
    "COL": (2, 4), "GRO": (3, 4), "MOR": (4, 4), "PUE": (5, 4), "OAX": (6, 4), "TAB": (7, 4),
    "CAM": (8, 4), "ROO": (9, 4),
    "CHP": (7, 5),
}  # fmt: skip


def _open(key: str, width: int, height: int, title: str, desc: str) -> str:
    """The <svg> opening tag with its accessible name and description."""
    k = escape(key)
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" '
        f'aria-labelledby="{k}-title {k}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'data-test="chart-{k}"><title id="{k}-title">{escape(title)}</title>'
        f'<desc id="{k}-desc">{escape(desc)}</desc>'
    )


def bar_chart(
    key: str,
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str = "",
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
) -> Markup:
    """Horizontal bars, one per (label, value), longest value drawn full width."""
    label_w, bar_w, row_h, pad = 210, 340, 24, 6
    width, height = label_w + bar_w + 70, max(row_h, row_h * len(items)) + pad
    top = max((value for _, value in items), default=0) or 1
    parts = [_open(key, width, height, title, desc)]
    for i, (label, value) in enumerate(items):
        y = pad + i * row_h
        length = bar_w * value / top
        text = escape(label if len(label) <= 28 else label[:27] + "…")
        parts.append(
            f"<g><title>{escape(label)}: {escape(fmt(value))}</title>"
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12">{text}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 8}" '
            f'fill="{SERIES_COLOURS[0]}" rx="2"></rect>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{escape(fmt(value))}</text></g>"
        )
    parts.append("</svg>")
    # Every interpolated text is escaped above; the rest are numbers and our own colours.
    return Markup("".join(parts))  # noqa: S704  # nosec B704


def stacked_columns(
    key: str,
    columns: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    desc: str = "",
) -> Markup:
    """One column per period (e.g. month), stacked by series, with a legend below."""
    left, col_w, gap, plot_h, top_pad = 40, 46, 10, 180, 10
    width = left + len(columns) * (col_w + gap) + gap
    legend_y = top_pad + plot_h + 34
    height = legend_y + 20 * ceil(len(series) / 3) + 6
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    peak = max(totals, default=0) or 1
    parts = [_open(key, width, height, title, desc)]
    base = top_pad + plot_h
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{width - gap}" y2="{base}" stroke="#9aa3b2"></line>'
        f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end" font-size="11">{peak}</text>'
        f'<text x="{left - 6}" y="{base}" text-anchor="end" font-size="11">0</text>'
    )
    for i, column in enumerate(columns):
        x = left + gap + i * (col_w + gap)
        y = float(base)
        for s, (name, values) in enumerate(series):
            h = plot_h * values[i] / peak
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{col_w}" height="{h:.1f}" '
                f'fill="{SERIES_COLOURS[s % len(SERIES_COLOURS)]}">'
                f"<title>{escape(column)} · {escape(name)}: {values[i]}</title></rect>"
            )
        parts.append(
            f'<text x="{x + col_w / 2}" y="{base + 14}" text-anchor="middle" font-size="10">'
            f"{escape(column)}</text>"
        )
        if totals[i]:
            parts.append(
                f'<text x="{x + col_w / 2}" y="{y - 3:.1f}" text-anchor="middle" '
                f'font-size="10">{totals[i]}</text>'
            )
    for s, (name, _values) in enumerate(series):
        lx, ly = left + (s % 3) * 170, legend_y + 20 * (s // 3)
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" '
            f'fill="{SERIES_COLOURS[s % len(SERIES_COLOURS)]}"></rect>'
            f'<text x="{lx + 17}" y="{ly}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    # Every interpolated text is escaped above; the rest are numbers and our own colours.
    return Markup("".join(parts))  # noqa: S704  # nosec B704


def bins(peak: int, steps: int = len(SCALE)) -> list[tuple[int, int]]:
    """Equal-width ranges (low, high) covering 1..peak in at most `steps` steps."""
    if peak <= 0:
        return []
    size = ceil(peak / steps)
    return [(low, min(low + size - 1, peak)) for low in range(1, peak + 1, size)]


def _step(value: int, ranges: Sequence[tuple[int, int]]) -> int | None:
    for i, (low, high) in enumerate(ranges):
        if low <= value <= high:
            return i
    return None


def state_map(
    key: str,
    values: dict[str, int],
    names: dict[str, str],
    *,
    title: str,
    desc: str = "",
    none_label: str = "0",
    hidden: frozenset[str] | set[str] = frozenset(),
    hidden_label: str = "",
) -> Markup:
    """A tile-grid choropleth of the 32 states, coloured by value, with a legend.

    States in `hidden` (a public page's small counts) show `hidden_label`, never a value.
    """
    tile, gap, pad = 46, 4, 4
    cols = 1 + max(c for c, _ in TILES.values())
    rows = 1 + max(r for _, r in TILES.values())
    map_h = pad + rows * (tile + gap)
    width, height = pad + cols * (tile + gap), map_h + 30
    ranges = bins(max(values.values(), default=0))
    parts = [_open(key, width, height, title, desc)]
    for code, (c, r) in TILES.items():
        value = values.get(code, 0)
        step = 0 if code in hidden else _step(value, ranges)
        fill, ink = (EMPTY, EMPTY_INK) if step is None else (SCALE[step], SCALE_INK[step])
        shown = escape(hidden_label) if code in hidden else value
        x, y = pad + c * (tile + gap), pad + r * (tile + gap)
        parts.append(
            f'<g data-state="{escape(code)}"><title>{escape(names.get(code, code))}: {shown}'
            f'</title><rect x="{x}" y="{y}" width="{tile}" height="{tile}" rx="4" fill="{fill}" '
            f'stroke="#9aa3b2" stroke-width="0.5"></rect>'
            f'<text x="{x + tile / 2}" y="{y + 19}" text-anchor="middle" font-size="11" '
            f'font-weight="600" fill="{ink}">{escape(geo.state_abbreviation(code))}</text>'
            f'<text x="{x + tile / 2}" y="{y + 35}" text-anchor="middle" font-size="11" '
            f'fill="{ink}">{shown}</text></g>'
        )
    legend = [(EMPTY, none_label)] + [
        (SCALE[i], f"{low}" if low == high else f"{low}–{high}")
        for i, (low, high) in enumerate(ranges)
    ]
    if hidden:
        legend.append((SCALE[0], hidden_label))
    for i, (fill, text) in enumerate(legend):
        lx = pad + i * 78
        parts.append(
            f'<rect x="{lx}" y="{map_h + 8}" width="14" height="14" fill="{fill}" '
            f'stroke="#9aa3b2" stroke-width="0.5"></rect>'
            f'<text x="{lx + 19}" y="{map_h + 20}" font-size="12">{escape(text)}</text>'
        )
    parts.append("</svg>")
    # Every interpolated text is escaped above; the rest are numbers and our own colours.
    return Markup("".join(parts))  # noqa: S704  # nosec B704
