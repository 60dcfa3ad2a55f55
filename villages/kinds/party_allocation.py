"""The allocation of a township Party congress's delegates to its 选举单位 by their full members (LAW.md §4.5).

The township committee fixes the delegate total (``party_rules.delegate_total_check``: usually 100–200, at most
300) and shares it out by members: each unit's quota is ``total × its full members ÷ all full members``. Every
unit first gets one delegate (breadth of representation: a unit that elects nobody would not be a unit), then
the whole part of its quota beyond that one where the quota exceeds it; the seats left go one each to the
largest remainders (最大余数法), ties to the unit with more members, then to the earlier unit. Integers
only (LAW.md §0.1): a quota is kept as a fraction, and its remainder compared exactly.

Pure module, no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .party_rules import Share, require_counts

MESSAGES = {
    "no_units": "还没有选举单位，不能分配代表名额",
    "no_members": "{names}的名册中没有正式党员，请先导入党员名册",
    "too_few": "代表名额{total}名少于选举单位{units}个，每个选举单位至少应有1名代表",
    "allocated": "代表名额{total}名，按{units}个选举单位的正式党员共{members}名分配：按比例取整{whole}名，按余数大小再分配{extra}名，合计{total}名",
}


@dataclass(frozen=True)
class UnitAllocation:
    key: object
    name: str
    members: int
    quota: Fraction  # total × members ÷ all members
    whole: int  # the seats before the remainders: max(1, ⌊quota⌋)
    remainder: Fraction  # quota − whole (negative for a unit raised to its one delegate)
    extra: int  # 1 when a largest remainder gave it one more seat
    seats: int

    @property
    def quota_text(self) -> str:
        """The quota to two decimals, for the page (the allocation itself never rounds it)."""
        value = self.quota.numerator * 100 // self.quota.denominator
        rest = self.quota * 100 - value
        if rest * 2 >= 1:
            value += 1
        return f"{value // 100}.{value % 100:02d}"


@dataclass(frozen=True)
class Allocation:
    total: int
    members: int
    rows: tuple[UnitAllocation, ...]
    message: str

    @property
    def seats(self) -> int:
        return sum(row.seats for row in self.rows)

    def share_of(self, row: UnitAllocation) -> Share:
        return Share(row.members, self.members)


class AllocationError(ValueError):
    pass


def allocate(total: int, units: list[tuple[object, str, int]]) -> Allocation:
    """``units``: ``(key, name, full members)`` in the order of the units. Raises ``AllocationError`` with a
    Chinese message when the allocation cannot be made."""
    require_counts(total, *(members for _key, _name, members in units))
    if not units:
        raise AllocationError(MESSAGES["no_units"])
    empty = [name for _key, name, members in units if members == 0]
    if empty:
        raise AllocationError(MESSAGES["no_members"].format(names="、".join(empty)))
    if total < len(units):
        raise AllocationError(MESSAGES["too_few"].format(total=total, units=len(units)))
    everyone = sum(members for _key, _name, members in units)
    quotas = [Fraction(total * members, everyone) for _key, _name, members in units]
    whole = [max(1, int(quota)) for quota in quotas]
    left = total - sum(whole)
    # More seats given by the floor of one than the total: take back from the smallest remainders (a unit keeps 1).
    order = sorted(range(len(units)), key=lambda i: (-(quotas[i] - whole[i]), -units[i][2], i))
    extra = [0] * len(units)
    for i in order[:max(left, 0)]:
        extra[i] = 1
    if left < 0:
        for i in reversed(order):
            if left == 0:
                break
            if whole[i] > 1:
                whole[i] -= 1
                left += 1
    rows = tuple(
        UnitAllocation(key=key, name=name, members=members, quota=quotas[i], whole=whole[i],
                       remainder=quotas[i] - whole[i], extra=extra[i], seats=whole[i] + extra[i])
        for i, (key, name, members) in enumerate(units)
    )
    message = MESSAGES["allocated"].format(total=total, units=len(units), members=everyone,
                                           whole=sum(whole), extra=sum(extra))
    return Allocation(total=total, members=everyone, rows=rows, message=message)
