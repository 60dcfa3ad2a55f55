"""Deputy totals of a county or township people's congress (Election Law Art. 12, LAW.md §3.2).

The law gives a ceiling, not a figure: ``base + 1 per increment`` (每…人可以增加一名), capped for large
populations, lower than the base only for small ones, plus 5 % where the provincial standing
committee decides (Art. 12 ¶3). The figure a round adopts is a decision of the standing committee
(Art. 13) recorded with its document number; this module says what range that decision may take.
Whole increments only (floor) and the 5 % rounded down are interpretations [U, LAW.md §3.2].

Pure: plain integers in, a dataclass out; never imports the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import COUNTY, TOWNSHIP
from .deputies import DeputyRuleParameters


@dataclass(frozen=True)
class SeatCeiling:
    level: str
    population: int
    base: int
    per: int
    formula: int  # base + population // per, before the cap
    cap: int | None  # the cap that applies to this population, if any
    extra: int  # seats added by the 5 % decision (0 without it)
    ceiling: int  # the most seats the adopted figure may have
    floor: int  # the fewest: the base, or 1 for a small population
    may_be_below_base: bool

    def allows(self, seats: int) -> bool:
        return self.floor <= seats <= self.ceiling

    @property
    def explanation(self) -> str:
        text = f"基数{self.base}名，人口{self.population:,}人，每{self.per:,}人增加一名，计{self.formula}名"
        if self.cap is not None and self.formula > self.cap:
            text += f"，总名额不得超过{self.cap}名"
        if self.extra:
            text += f"，经省级人大常委会决定另加5%即{self.extra}名"
        if self.may_be_below_base:
            text += f"；人口较少，总名额可以少于{self.base}名"
        return text + f"：上限{self.ceiling}名。"


def seat_ceiling(*, level: str, population: int, params: DeputyRuleParameters, extra: bool = False) -> SeatCeiling:
    """The Art. 12 range for a congress of ``level`` (county or township) with ``population``.

    County: 140 + 1 per 5,000; at most 450 when the population exceeds 1.55 million; may be below
    140 when it is under 50,000. Township: 45 + 1 per 1,500; at most 160; may be below 45 under
    2,000. ``extra``: the provincial standing committee's +5 % (Art. 12 ¶3).
    """
    if population < 0:
        raise ValueError("人口数不能为负数")
    if level == COUNTY:
        base, per = params.county_base, params.county_per
        cap = params.county_cap if population > params.county_cap_above_population else None
        small = population < params.county_small_below_population
    elif level == TOWNSHIP:
        base, per, cap = params.township_base, params.township_per, params.township_cap
        small = population < params.township_small_below_population
    else:
        raise ValueError(f"未知的层级：{level}")
    formula = base + population // per
    capped = min(formula, cap) if cap is not None else formula
    added = capped * params.extra_percent // 100 if extra else 0
    return SeatCeiling(
        level=level,
        population=population,
        base=base,
        per=per,
        formula=formula,
        cap=cap,
        extra=added,
        ceiling=capped + added,
        floor=1 if small else base,
        may_be_below_base=small,
    )
