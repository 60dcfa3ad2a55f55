"""The tables of a report, as rows of plain cells: one iterator feeds the page, the workbook and the
PDF (STYLE.md §7; pretix's ``iterate_list()``), so the three never disagree.

A cell is an ``int`` (a count), a ``Share`` (a percentage whose base is in a neighbouring column or
in the row's 基数 column), a ``Fraction`` (an average), a ``bool`` (是/否), a ``str``, or None (no
data). Rounding happens at display only: the page and the PDF through the ``cell`` filter, the
workbook through number formats on the exact ratio. Pure module: no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .figures import AGE_BANDS, EDUCATION_BUCKETS, POSTS, ReportFigures, Share

Cell = int | Share | Fraction | bool | str | None


@dataclass(frozen=True)
class Column:
    label: str
    width: int = 12  # characters, for the workbook
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


ITEM = Column("项目", 26)
COUNT = Column("数量", 10, True)
BASE = Column("基数", 10, True)
SHARE = Column("占比", 10, True)
BASE_LABEL = Column("基数说明", 22)


def report_tables(figures: ReportFigures) -> list[Table]:
    tables = [turnout_table(figures), composition_table(figures), village_table(figures),
              change_table(figures), work_table(figures)]
    if figures.scope_kind in ("city", "province"):
        tables.insert(2, county_table(figures))
    return tables


def _share_row(label: str, share: Share, base: str) -> tuple[Cell, ...]:
    return (label, share.numerator, share.denominator, share, base)


NOT_VOTED = "尚未投票"
NOT_ENTERED = "未录入"


def turnout_table(figures: ReportFigures) -> Table:
    t = figures.turnout
    voted = t.voted
    partial = bool(t.villages_not_voted)
    villages_base = "已投票的村" if partial else "参加选举的村"
    rows: tuple[tuple[Cell, ...], ...] = (
        ("参加选举的村（社区）", t.villages, None, None, ""),
    )
    if partial:
        rows += (
            ("其中：已投票的村", t.villages_voted, None, None, ""),
            ("其中：尚未投票的村", t.villages_not_voted, None, None, ""),
        )
    rows += (("登记选民", t.registered, None, None, ""),)
    if partial:
        rows += (
            ("其中：已投票的村的登记选民", t.registered_voted, None, None, ""),
            ("其中：尚未投票的村的登记选民", t.registered_not_voted, None, None, ""),
        )
    rows += (
        _share_row("参加投票（参选率）", t.turnout, "已投票的村的登记选民" if partial else "登记选民"),
        _share_row("其中：本人到投票站、中心会场投票", Share(t.voted_in_person, voted), "参加投票"),
        _share_row("其中：委托投票", Share(t.by_proxy, voted), "参加投票"),
        _share_row("其中：流动票箱投票", Share(t.by_mobile_box, voted), "参加投票"),
        _share_row("外出选民", Share(t.away, t.registered), "登记选民"),
        _share_row("第一次投票即有效的村", t.valid_first_attempt, villages_base),
        _share_row("一次选举成功的村", t.first_round_success, villages_base),
    )
    note = "参加投票为正式选举各投票站已确认计票结果的收回选票数之和；委托投票为已同意的委托。"
    if partial:
        note += (f"尚未投票的{t.villages_not_voted}个村（尚无已确认的正式选举计票结果）不计入参选率和一次选举成功率的基数，"
                 "不按0%计。")
    return Table("turnout", "参选情况", (ITEM, COUNT, BASE, SHARE, BASE_LABEL), rows, note=note)


def composition_table(figures: ReportFigures) -> Table:
    c = figures.composition
    rows: list[tuple[Cell, ...]] = [("当选村民委员会成员", c.total, None, None, "")]
    rows += [(f"其中：{label}", c.by_post[label], None, None, "") for _code, label in POSTS]
    rows += [
        _share_row("男性", c.men, "当选人数"),
        _share_row("女性", c.women, "当选人数"),
        _share_row("中共党员", c.party_members, "当选人数"),
        _share_row("少数民族", c.minority, "当选人数"),
    ]
    rows += [_share_row(f"年龄{label}", c.age_bands[label], "当选人数") for label, *_ in AGE_BANDS]
    rows += [
        _share_row("50岁以下", c.under_50, "当选人数"),
        ("平均年龄（岁）", c.average_age, None, None, "当选人数"),
    ]
    rows += [_share_row(f"文化程度：{b}", c.education[b], "当选人数") for b in EDUCATION_BUCKETS]
    if c.education_unknown:
        rows.append(_share_row("文化程度未填写", Share(c.education_unknown, c.total), "当选人数"))
    rows.append(_share_row("高中及以上文化程度", c.high_school_or_more, "当选人数"))
    rows += [
        _share_row("连选连任", c.re_elected, "有上届数据的村的当选人数"),
        _share_row("新当选", c.new, "有上届数据的村的当选人数"),
        *_branch_rows(figures),
        _share_row("有女性成员的村（村村有女委员）", c.villages_with_woman,
                   "已投票的村" if figures.turnout.villages_not_voted else "参加选举的村"),
    ]
    notes = []
    if figures.changes_basis is not None and figures.changes_basis.numerator < figures.changes_basis.denominator:
        b = figures.changes_basis
        notes.append(f"上届村委会成员（本系统上届选举结果或导入的上届名册）有{b.numerator}个村，共{b.denominator}个村。")
    if figures.branch_rosters is not None and figures.branch_rosters.numerator < figures.branch_rosters.denominator:
        b = figures.branch_rosters
        if figures.branch_elected:
            notes.append(f"村党组织委员会已知{b.numerator}个村（本系统村党组织选举结果{figures.branch_elected}个村，"
                         f"导入的名册{b.numerator - figures.branch_elected}个村），共{b.denominator}个村；"
                         "其余的村不计交叉任职和“一肩挑”。")
        else:
            notes.append(f"村党组织委员会名册已导入{b.numerator}个村，共{b.denominator}个村；未导入的村不计交叉任职和“一肩挑”。")
    return Table("composition", "当选成员结构", (ITEM, COUNT, BASE, SHARE, BASE_LABEL), tuple(rows), note="".join(notes))


def _branch_rows(figures: ReportFigures) -> list[tuple[Cell, ...]]:
    """交叉任职 and 一肩挑: unknown (未录入) without any Party branch roster, never 0%."""
    c = figures.composition
    if c.branch_unknown:
        return [("与村党组织交叉任职", NOT_ENTERED, None, None, "未导入村党组织委员会名册"),
                ("书记、主任“一肩挑”的村", NOT_ENTERED, None, None, "未导入村党组织委员会名册")]
    partial = figures.branch_rosters is not None and figures.branch_rosters.numerator < figures.branch_rosters.denominator
    known = "村党组织委员会已知" if figures.branch_elected else "已导入党组织名册"
    return [
        _share_row("与村党组织交叉任职", c.cross_appointed,
                   f"{known}的村的当选人数" if partial else "当选人数"),
        _share_row("书记、主任“一肩挑”的村", c.one_shoulder,
                   f"{known}且选出主任的村" if partial else "选出主任的村"),
    ]


def county_table(figures: ReportFigures) -> Table:
    """A city's or a province's counties, each the sum of its villages' rows."""
    columns = (
        Column("县（区）", 12), Column("村数", 6, True), Column("登记选民", 10, True), Column("参加投票", 10, True),
        Column("参选率", 9, True), Column("尚未投票的村", 9, True), Column("委托投票", 9, True),
        Column("流动票箱", 9, True), Column("当选", 6, True), Column("女性", 6, True), Column("党员", 6, True),
        Column("一次选举成功的村", 12, True), Column("结果已认定的村", 12, True),
    )
    by_county: dict[str, list] = {}
    for v in figures.villages:
        by_county.setdefault(v.county, []).append(v)
    rows = []
    for county, villages in by_county.items():
        voted = [v for v in villages if v.has_voted]
        rows.append((
            county, len(villages), sum(v.registered for v in villages), sum(v.voted for v in voted),
            Share(sum(v.voted for v in voted), sum(v.registered for v in voted)) if voted else NOT_VOTED,
            len(villages) - len(voted), sum(v.by_proxy for v in villages), sum(v.by_mobile_box for v in villages),
            sum(v.elected for v in villages), sum(v.women for v in villages), sum(v.party_members for v in villages),
            sum(bool(v.first_round_success) for v in voted), sum(v.certified for v in villages),
        ))
    return Table("counties", "各县（区）情况", columns, tuple(rows),
                 note="参选率 = 已投票的村的参加投票 ÷ 其登记选民；各村明细见“各村情况”（Excel）。")


def village_table(figures: ReportFigures) -> Table:
    county = figures.scope_kind in ("county", "city", "province")
    region = figures.scope_kind in ("city", "province")
    columns = ((Column("县（区）", 12),) if region else ()) + ((Column("乡镇", 12),) if county else ()) + (
        Column("村（社区）", 14),
        Column("登记选民", 10, True),
        Column("参加投票", 10, True),
        Column("参选率", 9, True),
        Column("委托投票", 9, True),
        Column("流动票箱", 9, True),
        Column("外出", 8, True),
        Column("职数", 6, True),
        Column("当选", 6, True),
        Column("男性", 6, True),
        Column("女性", 6, True),
        Column("党员", 6, True),
        Column("高中及以上", 9, True),
        Column("连选连任", 9, True),
        Column("一肩挑", 7),
        Column("一次选举成功", 12),
        Column("结果认定", 9),
    )
    rows = tuple(
        ((v.county,) if region else ()) + ((v.township,) if county else ())
        + (v.name, v.registered, v.voted if v.has_voted else NOT_VOTED, v.turnout if v.has_voted else NOT_VOTED,
           v.by_proxy, v.by_mobile_box, v.away, v.seats, v.elected,
           v.men, v.women, v.party_members, v.high_school_or_more, v.re_elected,
           NOT_ENTERED if v.one_shoulder is None else v.one_shoulder,
           NOT_VOTED if v.first_round_success is None else v.first_round_success,
           "已认定" if v.certified else "未认定")
        for v in figures.villages
    )
    return Table("villages", "各村情况", columns, rows,
                 note="参选率 = 参加投票 ÷ 登记选民；“尚未投票”表示尚无已确认的正式选举计票结果；"
                      "连选连任为“—”表示上届成员未知（未导入上届名册，本系统中也没有上届选举结果）；"
                      "一肩挑为“未录入”表示未导入该村党组织委员会名册，本系统中也没有该村党组织换届选举的结果。")


def change_table(figures: ReportFigures) -> Table:
    """This term against last term, over the villages where last term is known (counts, shares with
    their bases, and the wording of ``figures.changes``)."""
    columns = (Column("项目", 16), Column("本届人数", 9, True), Column("本届占比", 9, True),
               Column("上届人数", 9, True), Column("上届占比", 9, True), Column("变化", 26))
    c, p = figures.compared, figures.previous
    note = ""
    if c is None or p is None:
        return Table("changes", "与上届比较", columns, (),
                     note="尚无上届数据：请导入上届村民委员会名册，或在本系统中完成上届选举。")
    wording = {change.label: change.wording for change in figures.changes}
    college = "大专及以上"
    rows = (
        ("当选总人数", c.total, None, p.total, None, wording.get("当选总人数")),
        ("女性成员", c.women.numerator, c.women, p.women.numerator, p.women, wording.get("女性成员")),
        ("中共党员", c.party_members.numerator, c.party_members, p.party_members.numerator, p.party_members,
         wording.get("中共党员")),
        ("平均年龄（岁）", c.average_age, None, p.average_age, None, wording.get("平均年龄")),
        ("大专及以上学历", c.education[college].numerator, c.education[college], p.education[college].numerator,
         p.education[college], wording.get("大专及以上学历")),
    )
    basis = figures.changes_basis
    if basis and basis.numerator < basis.denominator:
        note = f"比较限于有上届数据的{basis.numerator}个村（共{basis.denominator}个村），本届和上届都只计这些村。"
    return Table("changes", "与上届比较", columns, rows, note=note or "占比的基数为当届当选人数。")


def work_table(figures: ReportFigures) -> Table:
    rows = (
        ("受理信访件数", figures.complaints_received),
        ("已办结", figures.complaints_resolved),
        ("正在办理", figures.complaints_in_progress),
    )
    note = "信访件数来自信访举报登记（含各村的来信、来访、电话和网络举报）。"
    return Table("work", "工作情况", (Column("项目", 20), Column("件数", 10, True)), rows, note=note)
