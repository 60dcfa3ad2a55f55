"""Report figures: turnout and the composition of who was elected (DOMAIN.md "What reports show").

Counts are ints; every share keeps its numerator and denominator (``Share``) and is rounded once,
at display (``Share.percent``, the ``percent`` template filter). Average ages are Fractions. The
same figures object feeds the page, the workbook and the PDF.

Pure module: callers pass plain values (``MemberFacts``, ``TurnoutCounts``); the queries that
gather them live in ``reports/queries.py``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from voters.codes import education_bucket, is_minority, is_party_member
from voters.eligibility import age_on

AGE_BANDS = (("≤35岁", 0, 35), ("36–45岁", 36, 45), ("46–55岁", 46, 55), ("≥56岁", 56, 200))
EDUCATION_BUCKETS = ("初中及以下", "高中/中专", "大专及以上")
HIGH_SCHOOL_OR_MORE = ("高中/中专", "大专及以上")  # "高中以上学历" of the reference reports
POSTS = (("chair", "主任"), ("vice_chair", "副主任"), ("member", "委员"), ("woman_member", "妇女委员"))


@dataclass(frozen=True)
class Share:
    """A count out of a stated base, e.g. 9700 of 12670."""

    numerator: int
    denominator: int

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def percent(self, places: int = 1) -> Decimal | None:
        """The percentage rounded half up to ``places`` decimals; None for a zero base."""
        if not self.denominator:
            return None
        value = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        pct = self.percent()
        return "—" if pct is None else f"{pct}%"


@dataclass(frozen=True)
class TurnoutCounts:
    """One village's turnout facts. ``has_voted`` is False until a tally of its first ballot is
    confirmed: such a village is "尚未投票", not a village with 0% turnout."""

    registered: int
    voted: int
    has_voted: bool = True
    by_proxy: int = 0
    by_mobile_box: int = 0
    away: int = 0
    valid_first_attempt: bool = False
    full_committee_first_round: bool = False


@dataclass(frozen=True)
class TurnoutFigures:
    """Turnout of a scope. ``registered`` counts every village; the turnout and the first-round
    figures count only the villages that have voted (``villages_voted``, ``registered_voted``), so a
    village that has not voted yet is left out of their bases rather than shown as 0%."""

    villages: int
    registered: int
    voted: int
    voted_in_person: int
    by_proxy: int
    by_mobile_box: int
    away: int
    turnout: Share
    valid_first_attempt: Share
    first_round_success: Share
    villages_voted: int = 0
    registered_voted: int = 0

    @property
    def villages_not_voted(self) -> int:
        return self.villages - self.villages_voted

    @property
    def registered_not_voted(self) -> int:
        return self.registered - self.registered_voted


@dataclass(frozen=True)
class MemberFacts:
    """One elected committee member, as the reports need them."""

    village: str
    post: str
    sex: str
    birth_date: date
    election_day: date
    ethnicity: str = "01"
    education: str = ""
    education_edition: str = "2006"
    political_status: str = "13"
    re_elected: bool | None = None  # None: last term's committee unknown
    # Against the village's Party branch committee (``reports.branch_committees``: the result of the Party branch
    # election of the same 两委 round, else the imported roster); None: neither is known for the village (未录入).
    cross_appointed: bool | None = False  # also on the branch committee (交叉任职)
    one_shoulder: bool | None = False  # branch secretary and committee chair (一肩挑)

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.election_day)


@dataclass(frozen=True)
class CompositionFigures:
    total: int
    villages: int
    women: Share
    party_members: Share
    minority: Share
    under_50: Share
    age_bands: dict[str, Share]
    average_age: Fraction | None
    education: dict[str, Share]
    education_unknown: int
    by_post: dict[str, int]
    re_elected: Share
    new: Share
    re_election_known: int
    villages_with_woman: Share
    cross_appointed: Share  # base: members of villages whose branch committee is known
    one_shoulder: Share  # base: villages with an elected chair and a known branch committee
    men: Share = Share(0, 0)
    high_school_or_more: Share = Share(0, 0)
    branch_known: int = 0  # members of villages whose Party branch committee is known (election or roster)

    @property
    def branch_unknown(self) -> bool:
        """交叉任职 and 一肩挑 cannot be stated: no elected member's village has its branch committee known."""
        return self.total > 0 and self.branch_known == 0

    @property
    def average_age_display(self) -> str:
        if self.average_age is None:
            return "—"
        value = Decimal(self.average_age.numerator) / Decimal(self.average_age.denominator)
        return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def turnout_figures(villages: list[TurnoutCounts]) -> TurnoutFigures:
    """Sum the villages' turnout; turnout = voted ÷ registered (DOMAIN.md "Turnout")."""
    registered = sum(v.registered for v in villages)
    voted_villages = [v for v in villages if v.has_voted]
    registered_voted = sum(v.registered for v in voted_villages)
    voted = sum(v.voted for v in villages)
    by_proxy = sum(v.by_proxy for v in villages)
    by_mobile = sum(v.by_mobile_box for v in villages)
    return TurnoutFigures(
        villages=len(villages),
        registered=registered,
        voted=voted,
        voted_in_person=voted - by_proxy - by_mobile,
        by_proxy=by_proxy,
        by_mobile_box=by_mobile,
        away=sum(v.away for v in villages),
        turnout=Share(voted, registered_voted),
        valid_first_attempt=Share(sum(v.valid_first_attempt for v in voted_villages), len(voted_villages)),
        first_round_success=Share(sum(v.full_committee_first_round for v in voted_villages), len(voted_villages)),
        villages_voted=len(voted_villages),
        registered_voted=registered_voted,
    )


@dataclass(frozen=True)
class CompositionCounts:
    """The additive counts behind ``CompositionFigures``: a scope's counts are the sum of its
    elections' (``+``), which is what the per-election aggregates (``reports.aggregates``) store, so a
    city's figures come from its elections' rows and never from its voters'. Each village appears in
    one election of a scope, so the per-village counts (villages with a woman, with a chair on the
    branch roster) add up as well."""

    total: int = 0
    women: int = 0
    men: int = 0
    party_members: int = 0
    minority: int = 0
    under_50: int = 0
    age_sum: int = 0
    age_bands: tuple[int, ...] = (0,) * len(AGE_BANDS)
    education: tuple[int, ...] = (0,) * len(EDUCATION_BUCKETS)
    education_unknown: int = 0
    by_post: tuple[int, ...] = (0,) * len(POSTS)
    re_elected: int = 0
    new: int = 0
    re_election_known: int = 0
    villages_with_woman: int = 0
    cross_appointed: int = 0
    branch_known: int = 0
    one_shoulder: int = 0
    branch_chair_villages: int = 0

    def __add__(self, other: CompositionCounts) -> CompositionCounts:
        values = {}
        for name in self.__dataclass_fields__:
            a, b = getattr(self, name), getattr(other, name)
            values[name] = tuple(x + y for x, y in zip(a, b, strict=True)) if isinstance(a, tuple) else a + b
        return CompositionCounts(**values)

    @classmethod
    def total_of(cls, items) -> CompositionCounts:
        """The sum of many counts at once (a city's thousands of elections): field by field, which is
        what adding them one by one gives, in a tenth of the time."""
        items = list(items)
        if not items:
            return cls()
        values = {}
        for name, value in vars(items[0]).items():
            if isinstance(value, tuple):
                values[name] = tuple(map(sum, zip(*(getattr(c, name) for c in items), strict=True)))
            else:
                values[name] = sum(getattr(c, name) for c in items)
        return cls(**values)

    def as_json(self) -> dict:
        return {name: list(v) if isinstance(v := getattr(self, name), tuple) else v for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: dict | None) -> CompositionCounts:
        if not data:
            return cls()
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in cls.__dataclass_fields__})

    @property
    def high_school_or_more(self) -> int:
        return sum(n for label, n in zip(EDUCATION_BUCKETS, self.education, strict=True) if label in HIGH_SCHOOL_OR_MORE)


def composition_counts(members) -> CompositionCounts:
    """The counts of ``members`` (one election's, or a scope's)."""
    members = list(members)
    ages = [m.age for m in members]
    buckets = Counter(education_bucket(m.education, m.education_edition) if m.education else None for m in members)
    known = [m for m in members if m.re_elected is not None]
    branch = [m for m in members if m.cross_appointed is not None]
    branch_chairs = [m for m in branch if m.post == "chair"]
    return CompositionCounts(
        total=len(members),
        women=sum(m.sex == "F" for m in members),
        men=sum(m.sex == "M" for m in members),
        party_members=sum(is_party_member(m.political_status) for m in members),
        minority=sum(is_minority(m.ethnicity) for m in members),
        under_50=sum(age < 50 for age in ages),
        age_sum=sum(ages),
        age_bands=tuple(sum(low <= a <= high for a in ages) for _label, low, high in AGE_BANDS),
        education=tuple(buckets.get(label, 0) for label in EDUCATION_BUCKETS),
        education_unknown=buckets.get(None, 0),
        by_post=tuple(sum(m.post == code for m in members) for code, _label in POSTS),
        re_elected=sum(bool(m.re_elected) for m in known),
        new=sum(m.re_elected is False for m in known),
        re_election_known=len(known),
        villages_with_woman=len({m.village for m in members if m.sex == "F"}),
        cross_appointed=sum(bool(m.cross_appointed) for m in branch),
        branch_known=len(branch),
        one_shoulder=sum(bool(m.one_shoulder) for m in branch_chairs),
        branch_chair_villages=len({m.village for m in branch_chairs}),
    )


def composition_figures(members: list[MemberFacts], *, villages: int) -> CompositionFigures:
    """Who was elected: counts and shares, each over all elected members unless it says otherwise."""
    return figures_of_counts(composition_counts(members), villages=villages)


def figures_of_counts(c: CompositionCounts, *, villages: int) -> CompositionFigures:
    """The figures of summed counts (a village's, a county's or a city's)."""
    total = c.total
    return CompositionFigures(
        total=total,
        villages=villages,
        women=Share(c.women, total),
        party_members=Share(c.party_members, total),
        minority=Share(c.minority, total),
        under_50=Share(c.under_50, total),
        age_bands={label: Share(n, total) for (label, *_), n in zip(AGE_BANDS, c.age_bands, strict=True)},
        average_age=Fraction(c.age_sum, total) if total else None,
        education={label: Share(n, total) for label, n in zip(EDUCATION_BUCKETS, c.education, strict=True)},
        education_unknown=c.education_unknown,
        by_post={label: n for (_code, label), n in zip(POSTS, c.by_post, strict=True)},
        re_elected=Share(c.re_elected, c.re_election_known),
        new=Share(c.new, c.re_election_known),
        re_election_known=c.re_election_known,
        villages_with_woman=Share(c.villages_with_woman, villages),
        cross_appointed=Share(c.cross_appointed, c.branch_known),
        one_shoulder=Share(c.one_shoulder, c.branch_chair_villages),
        men=Share(c.men, total),
        high_school_or_more=Share(c.high_school_or_more, total),
        branch_known=c.branch_known,
    )


@dataclass(frozen=True)
class Change:
    """A figure against last term, worded as the reference reports word it."""

    label: str
    current: str
    previous: str
    wording: str


def count_change(current: int, previous: int, unit: str = "人") -> str:
    """比上届增加10人 / 减少3人 / 与上届持平."""
    if current == previous:
        return "与上届持平"
    verb = "增加" if current > previous else "减少"
    return f"比上届{verb}{abs(current - previous)}{unit}"


def age_change(current: Fraction | None, previous: Fraction | None) -> str:
    """降低0.7岁 / 提高0.7岁 — the difference of the averages, rounded once."""
    if current is None or previous is None:
        return "—"
    diff = Decimal(current.numerator) / current.denominator - Decimal(previous.numerator) / previous.denominator
    diff = diff.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if diff == 0:
        return "与上届持平"
    return f"比上届{'提高' if diff > 0 else '降低'}{abs(diff)}岁"


def share_change(current: Share, previous: Share) -> str:
    """提高1.6个百分点 — the difference of the exact ratios, rounded once to 0.1 point."""
    if current.ratio is None or previous.ratio is None:
        return "—"
    diff = (current.ratio - previous.ratio) * 100
    points = (Decimal(diff.numerator) / Decimal(diff.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if points == 0:
        return "与上届持平"
    return f"比上届{'提高' if points > 0 else '降低'}{abs(points)}个百分点"


def compare_terms(current: CompositionFigures, previous: CompositionFigures) -> list[Change]:
    rows = [
        Change("当选总人数", f"{current.total}人", f"{previous.total}人", count_change(current.total, previous.total)),
        Change(
            "女性成员",
            f"{current.women.numerator}人（{current.women}）",
            f"{previous.women.numerator}人（{previous.women}）",
            share_change(current.women, previous.women),
        ),
        Change(
            "中共党员",
            f"{current.party_members.numerator}人（{current.party_members}）",
            f"{previous.party_members.numerator}人（{previous.party_members}）",
            share_change(current.party_members, previous.party_members),
        ),
        Change(
            "平均年龄",
            f"{current.average_age_display}岁",
            f"{previous.average_age_display}岁",
            age_change(current.average_age, previous.average_age),
        ),
        Change(
            "大专及以上学历",
            f"{current.education['大专及以上'].numerator}人（{current.education['大专及以上']}）",
            f"{previous.education['大专及以上'].numerator}人（{previous.education['大专及以上']}）",
            share_change(current.education["大专及以上"], previous.education["大专及以上"]),
        ),
    ]
    return rows


@dataclass(frozen=True)
class VillageFacts:
    """One village's election as the per-village table needs it (``key``: the village code)."""

    key: str
    name: str
    township: str
    seats: int
    certified: bool
    turnout: TurnoutCounts
    previous_known: bool = False  # last term's committee is known (system or roster)
    branch_roster: bool = False  # the Party branch roster is imported
    county: str = ""  # the county's name, in a city's or a province's table


@dataclass(frozen=True)
class VillageRow:
    """One row of the per-village table: counts, with the turnout share keeping its base."""

    key: str
    name: str
    township: str
    registered: int
    voted: int | None  # None: 尚未投票 (no confirmed tally of the first ballot yet)
    by_proxy: int
    by_mobile_box: int
    away: int
    turnout: Share | None  # None: 尚未投票
    seats: int
    elected: int
    women: int
    party_members: int
    re_elected: int | None  # None: last term's committee unknown
    one_shoulder: bool | None  # None: the branch roster is not imported (未录入)
    first_round_success: bool | None  # None: 尚未投票
    certified: bool
    men: int = 0
    high_school_or_more: int = 0
    county: str = ""  # in a city's or a province's table

    @property
    def has_voted(self) -> bool:
        return self.turnout is not None


def village_rows(villages: list[VillageFacts], members: list[MemberFacts]) -> list[VillageRow]:
    """The per-village table: each village's turnout and the make-up of its elected members."""
    by_village: dict[str, list[MemberFacts]] = {}
    for m in members:
        by_village.setdefault(m.village, []).append(m)
    return [village_row(v, composition_counts(by_village.get(v.key, []))) for v in villages]


def village_row(v: VillageFacts, c: CompositionCounts) -> VillageRow:
    """One village's row from its turnout and the counts of its elected members."""
    t = v.turnout
    return VillageRow(
        key=v.key,
        name=v.name,
        township=v.township,
        registered=t.registered,
        voted=t.voted if t.has_voted else None,
        by_proxy=t.by_proxy,
        by_mobile_box=t.by_mobile_box,
        away=t.away,
        turnout=Share(t.voted, t.registered) if t.has_voted else None,
        seats=v.seats,
        elected=c.total,
        women=c.women,
        party_members=c.party_members,
        re_elected=c.re_elected if v.previous_known else None,
        one_shoulder=c.one_shoulder > 0 if v.branch_roster else None,
        first_round_success=t.full_committee_first_round if t.has_voted else None,
        certified=v.certified,
        men=c.men,
        high_school_or_more=c.high_school_or_more,
        county=v.county,
    )


@dataclass(frozen=True)
class ReportFigures:
    scope_label: str
    turnout: TurnoutFigures
    composition: CompositionFigures
    changes: list[Change] = field(default_factory=list)
    complaints_received: int | None = None
    complaints_resolved: int | None = None
    complaints_in_progress: int | None = None
    # Filled by ``reports.queries.build_report``; defaults keep hand-built figures short.
    scope_kind: str = ""  # village / township / county
    scope_key: str = ""  # e.g. "township:330199101"
    campaigns: tuple[str, ...] = ()  # e.g. ("第12届村民委员会选举",)
    villages: tuple[VillageRow, ...] = ()
    certified: Share = Share(0, 0)  # elections whose results are certified, of all in scope
    previous: CompositionFigures | None = None  # last term, over the villages where it is known
    compared: CompositionFigures | None = None  # this term, over those same villages
    changes_basis: Share | None = None  # villages compared with last term, of all in scope
    branch_rosters: Share | None = None  # villages whose Party branch committee is known (election or roster)
    branch_elected: int = 0  # of those, villages whose branch committee is the Party branch election's result
    generated_at: datetime | None = None

    @property
    def is_certified(self) -> bool:
        """已认定 only when every election in scope is certified."""
        return bool(self.certified.denominator) and self.certified.numerator == self.certified.denominator

    @property
    def has_work_figures(self) -> bool:
        return self.complaints_received is not None


def narrative(figures: ReportFigures) -> str:
    """One paragraph in the style of the reference reports, every number from ``figures``."""
    t, c = figures.turnout, figures.composition
    if figures.scope_kind == "village":
        if not t.villages_voted:
            opening = f"{figures.scope_label}参加本届村民委员会换届选举，尚未投票"
        else:
            opening = (
                f"{figures.scope_label}参加本届村民委员会换届选举，"
                + ("一次选举成功" if t.first_round_success.numerator else "未能一次选举成功")
            )
    elif t.villages_not_voted:
        opening = (
            f"{figures.scope_label}{t.villages}个村（社区）参加本届村民委员会换届选举，"
            f"已投票{t.villages_voted}个、尚未投票{t.villages_not_voted}个；已投票的村中一次选举成功"
            f"{t.first_round_success.numerator}个，一次选举成功率{t.first_round_success}"
        )
    else:
        opening = (
            f"{figures.scope_label}{t.villages}个村（社区）参加本届村民委员会换届选举，"
            f"一次选举成功{t.first_round_success.numerator}个，一次选举成功率{t.first_round_success}"
        )
    parts = [opening]
    if t.villages_voted and t.villages_not_voted:
        parts.append(
            f"已投票的村登记选民{t.registered_voted}人，参加投票{t.voted}人（其中委托投票{t.by_proxy}人、"
            f"流动票箱投票{t.by_mobile_box}人），参选率{t.turnout}；尚未投票的村登记选民{t.registered_not_voted}人"
        )
    elif t.villages_voted:
        parts.append(
            f"登记选民{t.registered}人，参加投票{t.voted}人（其中委托投票{t.by_proxy}人、流动票箱投票{t.by_mobile_box}人），"
            f"参选率{t.turnout}"
        )
    else:
        parts.append(f"登记选民{t.registered}人")
    if c.total:
        parts.append(
            f"共选出村民委员会成员{c.total}人，其中主任{c.by_post['主任']}人、副主任{c.by_post['副主任']}人、"
            f"委员{c.by_post['委员'] + c.by_post['妇女委员']}人"
        )
        parts.append(
            f"男性{c.men.numerator}人，占{c.men}；"
            f"女性成员{c.women.numerator}人，占{c.women}，{c.villages_with_woman.numerator}个村实现村村有女委员"
            f"（占{c.villages_with_woman}）"
        )
        parts.append(f"中共党员{c.party_members.numerator}人，占{c.party_members}")
        parts.append(
            f"平均年龄{c.average_age_display}岁，50岁以下{c.under_50.numerator}人，占{c.under_50}；"
            f"高中及以上学历{c.high_school_or_more.numerator}人，占{c.high_school_or_more}，其中"
            f"大专及以上学历{c.education['大专及以上'].numerator}人，占{c.education['大专及以上']}"
        )
        if c.re_election_known:
            parts.append(
                f"连选连任{c.re_elected.numerator}人，占{c.re_elected}；新当选{c.new.numerator}人，占{c.new}"
            )
        if c.one_shoulder.denominator and c.one_shoulder.numerator:
            rosters = figures.branch_rosters
            known = "村党组织委员会已知" if figures.branch_elected else "已导入村党组织名册"
            within = (f"在{known}的{c.one_shoulder.denominator}个村中，"
                      if rosters is not None and rosters.numerator < rosters.denominator else "")
            parts.append(f"{within}村党组织书记、村委会主任“一肩挑”{c.one_shoulder.numerator}个村，占{c.one_shoulder}")
    basis = figures.changes_basis
    partial = basis is not None and basis.numerator < basis.denominator
    changed = [f"{c.label}{c.wording}" for c in figures.changes if c.wording not in ("—", "与上届持平")]
    if changed and partial:
        changed[0] = f"在有上届数据的{basis.numerator}个村中，{changed[0]}"
    parts.extend(changed)
    return "；".join(parts) + "。"
