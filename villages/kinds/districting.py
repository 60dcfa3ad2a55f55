"""选区 arithmetic (Election Law Arts. 25–26, LAW.md §3.3): population per deputy, the office's
deviation check, a largest-remainder draft, and whether every village lies in exactly one district.

The law asks for population per deputy to be roughly equal (大体相等) and prescribes no method. The
deviation flag is therefore an office check with a preset share (``district_deviation_percent``), not
a legal limit, and the largest-remainder allocation is a drafting aid (参考方案，非法定方法) that the
committee is free to change. Integer and Fraction arithmetic only (LAW.md §0.1).

Pure: plain values in, dataclasses out; never imports the ORM.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

DRAFT_LABEL = "参考方案，非法定方法"
DEVIATION_LABEL = "办公室核对提示，非法定界限"


@dataclass(frozen=True)
class DistrictFigures:
    key: object
    population: int
    seats: int


@dataclass(frozen=True)
class DistrictRatio:
    key: object
    population: int
    seats: int
    per_deputy: Fraction | None  # population / seats (None without seats)
    deviation: Fraction | None  # (per_deputy - mean) / mean, e.g. Fraction(1, 5) = +20 %
    flagged: bool


@dataclass(frozen=True)
class RatioSummary:
    rows: list[DistrictRatio]
    population: int
    seats: int
    mean: Fraction | None  # jurisdiction population per deputy
    largest: DistrictRatio | None  # most population per deputy
    smallest: DistrictRatio | None  # least population per deputy
    threshold_percent: int


def ratios(districts: Sequence[DistrictFigures], *, threshold_percent: int) -> RatioSummary:
    """Population per deputy of each district against the mean of all of them (Art. 26).

    A district is flagged when its figure lies *beyond* ``threshold_percent`` of the mean (exactly at
    the threshold is not flagged): ``|pop/seats − P/S| > t/100 · P/S``.
    """
    population = sum(d.population for d in districts)
    seats = sum(d.seats for d in districts)
    mean = Fraction(population, seats) if seats else None
    rows = []
    for d in districts:
        if d.seats <= 0 or mean is None or mean == 0:
            rows.append(DistrictRatio(d.key, d.population, d.seats, None, None, d.seats <= 0))
            continue
        per_deputy = Fraction(d.population, d.seats)
        deviation = (per_deputy - mean) / mean
        rows.append(DistrictRatio(d.key, d.population, d.seats, per_deputy, deviation, abs(deviation) * 100 > threshold_percent))
    with_ratio = [r for r in rows if r.per_deputy is not None]
    return RatioSummary(
        rows=rows,
        population=population,
        seats=seats,
        mean=mean,
        largest=max(with_ratio, key=lambda r: r.per_deputy, default=None),
        smallest=min(with_ratio, key=lambda r: r.per_deputy, default=None),
        threshold_percent=threshold_percent,
    )


@dataclass(frozen=True)
class DraftAllocation:
    seats: dict  # key -> seats
    tied: list  # keys whose equal remainders straddle the last seat: the committee decides
    out_of_range: list  # keys whose draft falls outside the per-district range (1–3)
    label: str = DRAFT_LABEL


def largest_remainder(
    districts: Sequence[tuple[object, int]], *, total_seats: int, seats_min: int = 1, seats_max: int = 3
) -> DraftAllocation:
    """Hamilton's method: each district gets ``floor(pop · S / P)``; the seats left go to the largest
    remainders. A drafting aid only (LAW.md §3.3: "never the legal method").

    Where equal remainders compete for the last seats, the first in the given order gets the seat
    and all of the tied districts are reported, so the committee makes that choice itself.
    """
    if total_seats < 0:
        raise ValueError("代表名额不能为负数")
    population = sum(pop for _, pop in districts)
    if not districts or population == 0:
        return DraftAllocation({key: 0 for key, _ in districts}, [], [key for key, _ in districts])
    floors, remainders = {}, {}
    for key, pop in districts:
        floors[key], remainders[key] = divmod(pop * total_seats, population)
    left = total_seats - sum(floors.values())
    order = sorted(range(len(districts)), key=lambda i: -remainders[districts[i][0]])
    winners = [districts[i][0] for i in order[:left]]
    tied = []
    if 0 < left < len(order):
        cut = remainders[districts[order[left - 1]][0]]
        if remainders[districts[order[left]][0]] == cut:
            tied = [districts[i][0] for i in order if remainders[districts[i][0]] == cut]
    seats = {key: floors[key] + (1 if key in winners else 0) for key, _ in districts}
    out = [key for key, n in seats.items() if not seats_min <= n <= seats_max]
    return DraftAllocation(seats, tied, out)


@dataclass(frozen=True)
class Membership:
    """One district's villages: whole villages, and villager groups of a village it takes in part."""

    district: object
    villages: frozenset = frozenset()
    groups: frozenset = frozenset()  # (village, group) pairs


@dataclass(frozen=True)
class Coverage:
    not_covered: list = field(default_factory=list)  # villages in no district
    covered_twice: dict = field(default_factory=dict)  # village -> districts
    split: dict = field(default_factory=dict)  # village -> districts sharing its groups
    split_not_allowed: list = field(default_factory=list)
    groups_missing: dict = field(default_factory=dict)  # village -> groups in no district

    @property
    def ok(self) -> bool:
        return not (self.not_covered or self.covered_twice or self.split_not_allowed or self.groups_missing)


def coverage(
    villages: Iterable[object],
    groups_of: dict,
    memberships: Iterable[Membership],
    *,
    allow_split: bool,
) -> Coverage:
    """Whether each village of the jurisdiction lies in exactly one district of one level.

    A village is covered once when one district takes it whole, or — where splitting is allowed (a
    large village in township districts, ZJ NPC Arts. 20–24) — when its villager groups are shared
    among districts, each group in exactly one. ``groups_of`` maps a village to all its groups.
    """
    memberships = list(memberships)
    order = {m.district: i for i, m in reversed(list(enumerate(memberships)))}  # districts in the order given
    whole = defaultdict(list)
    by_group = defaultdict(list)
    for m in memberships:
        for village in m.villages:
            whole[village].append(m.district)
        for village, group in m.groups:
            by_group[(village, group)].append(m.district)
    result = Coverage()
    for village in villages:
        group_districts = {g: by_group.get((village, g), []) for g in groups_of.get(village, ())}
        part_districts = sorted({d for ds in group_districts.values() for d in ds}, key=order.get)
        owners = list(whole.get(village, [])) + part_districts
        if not owners:
            result.not_covered.append(village)
            continue
        counts = Counter(d for ds in group_districts.values() for d in ds if len(ds) > 1)
        if len(whole.get(village, [])) > 1 or (whole.get(village) and part_districts) or counts:
            result.covered_twice[village] = sorted(set(owners), key=order.get)
            continue
        if part_districts:
            missing = [g for g, ds in group_districts.items() if not ds]
            if missing:
                result.groups_missing[village] = missing
            if len(part_districts) > 1:
                result.split[village] = part_districts
                if not allow_split:
                    result.split_not_allowed.append(village)
    return result
