"""The coalition in numbers, for /coalicion: tables in the reader's language and the charts
drawn from them (so each SVG and its table always agree). Public organisations only."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from .. import charts, geo, vocab
from ..curation.tables import Table
from ..models.coalition import CoalitionMember, CoalitionTier
from ..services.coalition import figures
from ..services.coalition.common import today


def _num(value: float) -> str:
    return format_decimal(value)


def _period_label(period: figures.Period) -> str:
    if period.quarter:
        return _("Q%(quarter)d %(year)d", quarter=period.quarter, year=period.year)
    return str(period.year)


def tables(current: list[CoalitionMember], history: list[CoalitionMember]) -> dict[str, Table]:
    """Members by kind, tier and state; joins, ends and totals by quarter and by year."""
    kinds = Table("kinds", _("Members by kind of organisation"), [_("Kind"), _("Members")])
    for kind, n in sorted(figures.by_kind(current).items(), key=lambda kv: (-kv[1], kv[0])):
        kinds.add([vocab.label("org_kinds", kind), n], key=kind)
    tiers = Table("tiers", _("Members by tier"), [_("Tier"), _("Members")])
    counted = figures.by_tier(current)
    for tier in CoalitionTier.ALL:
        tiers.add([vocab.label("coalition_tiers", tier), counted.get(tier, 0)], key=tier)
    states = Table("states", _("Members by Mexican state"), [_("State"), _("Code"), _("Members")])
    per_state = figures.by_state(current)
    for code, name in geo.MEXICAN_STATES:
        if per_state.get(code):
            states.add([name, code, per_state[code]], key=code)
    tier_names = [vocab.label("coalition_tiers", t) for t in CoalitionTier.ALL]
    quarters = Table("quarters", _("Organisations that joined, by quarter"),
                     [_("Quarter"), *tier_names, _("Joined"), _("Left"),
                      _("Members at the end")])  # fmt: skip
    for p in figures.periods(history, today(), by="quarter"):
        quarters.add([_period_label(p), *(p.joined[t] for t in CoalitionTier.ALL),
                      p.joined_total, p.ended, p.total], key=p.key)  # fmt: skip
    years = Table("years", _("Organisations that joined, by year"),
                  [_("Year"), _("Joined"), _("Left"), _("Members at the end")])  # fmt: skip
    for p in figures.periods(history, today(), by="year"):
        years.add([_period_label(p), p.joined_total, p.ended, p.total], key=p.key)
    return {t.key: t for t in (kinds, tiers, states, quarters, years)}


def drawn(t: dict[str, Table]) -> dict[str, Any]:
    """The SVG of each table."""
    tier_count = len(CoalitionTier.ALL)
    quarters = t["quarters"]
    return {
        "kinds": charts.bar_chart("coalition-kinds", [(str(r[0]), r[1]) for r in t["kinds"].rows],
                                  title=t["kinds"].caption, fmt=_num),  # fmt: skip
        "tiers": charts.bar_chart("coalition-tiers", [(str(r[0]), r[1]) for r in t["tiers"].rows],
                                  title=t["tiers"].caption, fmt=_num),  # fmt: skip
        "states": charts.state_map(
            "coalition-states",
            {str(r[1]): int(r[2] or 0) for r in t["states"].rows},
            dict(geo.MEXICAN_STATES),
            title=t["states"].caption,
            desc=_("Current members in each state."),
        ),
        "quarters": charts.stacked_columns(
            "coalition-quarters",
            [str(r[0]) for r in quarters.rows],
            [(str(quarters.headers[1 + i]), [int(r[1 + i] or 0) for r in quarters.rows])
             for i in range(tier_count)],
            title=quarters.caption,
            desc=_("Organisations that joined each quarter, stacked by tier."),
        ),
        "years": charts.bar_chart("coalition-years",
                                  [(str(r[0]), r[3]) for r in t["years"].rows],
                                  title=_("Members at the end of each year"), fmt=_num),
    }  # fmt: skip
