"""How many ballots to print (选票印制数量) and which numbers each polling station receives. Pure: no ORM.

Ballots are printed for every registered voter plus a reserve (备用票) for spoilt ballots replaced at the
station. The law fixes no reserve; ``RESERVE_PERCENT`` is the office's practice, at least
``RESERVE_MINIMUM`` per station, rounded up. Each station gets one run of consecutive numbers, so the
number printed on a ballot tells which station it was issued to, and the runs together cover 1 … total.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

RESERVE_PERCENT = 5
RESERVE_MINIMUM = 5
NUMBERED_BALLOTS_PER_FILE = 500  # one PDF of numbered ballots: a printer's batch, rendered in a few seconds
UNASSIGNED = "未分配到投票站的选民"


@dataclass(frozen=True)
class QuantityRow:
    station: str
    location: str
    registered: int
    reserve: int
    first: int
    last: int

    @property
    def quantity(self) -> int:
        return self.registered + self.reserve


@dataclass(frozen=True)
class QuantitySheet:
    rows: tuple[QuantityRow, ...]
    registered: int  # every registered voter of the election, not only those placed at a station

    @property
    def reserve(self) -> int:
        return sum(r.reserve for r in self.rows)

    @property
    def quantity(self) -> int:
        return sum(r.quantity for r in self.rows)


def reserve_for(registered: int) -> int:
    """5 % of ``registered``, rounded up, at least 5 (none for an empty station)."""
    if registered <= 0:
        return 0
    return max(RESERVE_MINIMUM, math.ceil(registered * RESERVE_PERCENT / 100))


def quantity_sheet(stations: Iterable[tuple[str, str, int]], *, registered: int) -> QuantitySheet:
    """``stations``: (name, location, voters at the station) in printing order. Voters placed at no station
    (``registered`` minus the stations' sum) get a row of their own, so every registered voter has a ballot."""
    rows, next_number = [], 1
    stations = list(stations)
    unassigned = registered - sum(count for _, _, count in stations)
    if unassigned > 0:
        stations.append((UNASSIGNED, "", unassigned))
    for name, location, count in stations:
        reserve = reserve_for(count)
        quantity = count + reserve
        rows.append(QuantityRow(name, location, count, reserve, next_number, next_number + quantity - 1))
        next_number += quantity
    return QuantitySheet(rows=tuple(rows), registered=registered)


def number_batches(total: int, *, size: int = NUMBERED_BALLOTS_PER_FILE) -> list[tuple[int, int]]:
    """1 … total in runs of at most ``size``, one PDF each."""
    return [(first, min(first + size - 1, total)) for first in range(1, total + 1, size)]


def ballot_number(n: int) -> str:
    return f"No.{n:06d}"
