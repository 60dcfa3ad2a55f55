"""The composition of a township Party congress's delegates, against the province's rules (LAW.md §4.5).

Reference 003's province asked: 乡镇、村、经济组织、社会组织的党员干部代表的比例不超过60%，年龄45岁以下的党员代表
的比例不少于50%，妇女和少数民族党员代表的比例一般不少于本乡镇妇女、少数民族党员占党员总数的比例. LAW.md has no
national figures, so each rule is a parameter of ``CongressRuleParameters`` (off in the national default) [U].
不超过 and 不少于 are inclusive, and "45岁以下" includes 45 (LAW.md §0.1). The same check runs on the candidate
list and on those elected. Each share keeps its numerator and denominator; the women's and minorities' floors
are compared exactly (``women * members >= women_members * delegates``), never through rounded percentages.

Pure module, no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..law import REFERENCE_003
from .party_rules import ERROR, OK, WARNING, Finding, Share, percent_words, require_counts

MESSAGES = {
    "cadres_ok": "乡镇、村、经济组织、社会组织的党员干部{subject}{cadres}名，占{subject}总数{total}名的{pct}，不超过{limit}",
    "cadres_over": "乡镇、村、经济组织、社会组织的党员干部{subject}{cadres}名，占{subject}总数{total}名的{pct}，超过{limit}",
    "young_ok": "{age}周岁以下{subject}{young}名，占{subject}总数{total}名的{pct}，不少于{limit}",
    "young_short": "{age}周岁以下{subject}{young}名，占{subject}总数{total}名的{pct}，少于{limit}",
    "women_ok": "女{subject}{women}名，占{subject}总数{total}名的{pct}，不低于女党员{women_members}名占党员总数{members}名的{member_pct}",
    "women_short": "女{subject}{women}名，占{subject}总数{total}名的{pct}，低于女党员{women_members}名占党员总数{members}名的{member_pct}",
    "minorities_none": "本乡镇没有少数民族党员，少数民族{subject}的比例不作要求",
    "minorities_ok": (
        "少数民族{subject}{minorities}名，占{subject}总数{total}名的{pct}，"
        "不低于少数民族党员{minority_members}名占党员总数{members}名的{member_pct}"
    ),
    "minorities_short": (
        "少数民族{subject}{minorities}名，占{subject}总数{total}名的{pct}，"
        "低于少数民族党员{minority_members}名占党员总数{members}名的{member_pct}"
    ),
}

ELECTED = "代表"
CANDIDATES = "代表候选人"


@dataclass(frozen=True)
class DelegateCounts:
    """The delegates (or candidates) as counts: cadres of townships, villages, economic and social organisations;
    those aged ``young_age_max`` or under on the day the caller chose; women; minorities."""

    total: int
    cadres: int
    young: int
    women: int
    minorities: int


@dataclass(frozen=True)
class MemberCounts:
    """The township's Party members, the base of the women's and minorities' floors."""

    total: int
    women: int
    minorities: int


@dataclass(frozen=True)
class CompositionCheck:
    cadres: Share
    young: Share
    women: Share
    minorities: Share
    women_members: Share
    minority_members: Share
    findings: tuple[Finding, ...]


def _finding(code: str, *, severity: str = OK, **data) -> Finding:
    return Finding(code=code, message=MESSAGES[code].format(**data), severity=severity, data=data,
                   citations=(REFERENCE_003,))


def is_young(age: int, params) -> bool:
    """"45岁以下" includes 45 (LAW.md §0.1)."""
    require_counts(age)
    return age <= params.young_age_max


def composition_check(
    delegates: DelegateCounts, members: MemberCounts, params, *, subject: str = ELECTED
) -> CompositionCheck:
    """Every composition rule the preset sets, each with its figures; a rule set to None/False is not checked.
    The cadre ceiling and the under-45 floor are requirements; the women's and minorities' floors hold
    "一般" (generally), so falling short of them is a warning."""
    d, m = delegates, members
    require_counts(d.total, d.cadres, d.young, d.women, d.minorities, m.total, m.women, m.minorities)
    if max(d.cadres, d.young, d.women, d.minorities) > d.total or max(m.women, m.minorities) > m.total:
        raise ValueError("分项人数多于总人数，请先核对")
    if d.total == 0 or m.total == 0:
        raise ValueError("代表总数和党员总数须为正数")
    found: list[Finding] = []
    common = dict(subject=subject, total=d.total)
    if params.cadre_max_share is not None:
        limit = tuple(params.cadre_max_share)
        ok = limit[1] * d.cadres <= limit[0] * d.total
        found.append(_finding("cadres_ok" if ok else "cadres_over", severity=OK if ok else ERROR, cadres=d.cadres,
                              pct=Share(d.cadres, d.total), limit=percent_words(limit), **common))
    if params.young_min_share is not None:
        limit = tuple(params.young_min_share)
        ok = limit[1] * d.young >= limit[0] * d.total
        found.append(_finding("young_ok" if ok else "young_short", severity=OK if ok else ERROR, young=d.young,
                              age=params.young_age_max, pct=Share(d.young, d.total), limit=percent_words(limit),
                              **common))
    if params.women_not_below_members:
        ok = d.women * m.total >= m.women * d.total
        found.append(_finding("women_ok" if ok else "women_short", severity=OK if ok else WARNING, women=d.women,
                              pct=Share(d.women, d.total), women_members=m.women, members=m.total,
                              member_pct=Share(m.women, m.total), **common))
    if params.minorities_not_below_members:
        if m.minorities == 0:
            found.append(_finding("minorities_none", subject=subject))
        else:
            ok = d.minorities * m.total >= m.minorities * d.total
            found.append(_finding("minorities_ok" if ok else "minorities_short", severity=OK if ok else WARNING,
                                  minorities=d.minorities, pct=Share(d.minorities, d.total),
                                  minority_members=m.minorities, members=m.total,
                                  member_pct=Share(m.minorities, m.total), **common))
    return CompositionCheck(
        cadres=Share(d.cadres, d.total),
        young=Share(d.young, d.total),
        women=Share(d.women, d.total),
        minorities=Share(d.minorities, d.total),
        women_members=Share(m.women, m.total),
        minority_members=Share(m.minorities, m.total),
        findings=tuple(found),
    )
