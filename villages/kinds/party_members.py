"""Who of a Party organisation's members votes and stands (LAW.md §4.2), as pure rules.

The Party member register (党员名册) is the electorate of a Party election. It is the voter register of
``voters`` (one register, one import for every kind): each member is a ``voters.models.Voter`` row whose
``category`` is the member's standing (正式党员 / 预备党员) and whose ``party_restriction`` records a
disciplinary or legal measure. This module turns those facts into the row's status and its reason:

- only full members (正式党员) have the rights to vote and stand (表决权、选举权和被选举权);
- probationary members (预备党员) have none of them, nor do members under 留党察看 (2020 条例 Art. 5):
  they are on the register, excluded, with the reason shown;
- members under 留置 (supervisory detention) or arrest have their rights suspended (暂停行使): on the
  register, not counted as having voting rights while suspended, with the reason shown.

It also reads the workbook's words for standing, measure, away and ill status. No ORM, no clock.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..law import CPC_ELECTIONS_2020

# ``Voter.category`` of a Party member: the standing (``eligibility.categories`` lists them for the kind).
FULL = "PARTY_FULL"
PROBATIONARY = "PARTY_PROBATIONARY"
STANDINGS = {FULL: "正式党员", PROBATIONARY: "预备党员"}

# ``Voter.party_restriction``: a measure affecting the member's rights ("" none).
NONE = ""
DISCIPLINARY_PROBATION = "discipline_probation"  # 留党察看 (a Party sanction)
DETAINED = "detained"  # 留置 (supervisory detention)
ARRESTED = "arrested"  # 逮捕
RESTRICTIONS = {NONE: "无", DISCIPLINARY_PROBATION: "留党察看", DETAINED: "留置", ARRESTED: "被逮捕"}

# The register's statuses (``voters.models.Status`` values, repeated to keep this module free of the ORM).
ENTITLED = "registered"
EXCLUDED = "not_registered"
SUSPENDED = "suspended"
STATUS_LABELS = {ENTITLED: "有选举权", EXCLUDED: "无选举权", SUSPENDED: "暂停行使选举权"}

ART5 = CPC_ELECTIONS_2020.art(5)
REASONS = {
    PROBATIONARY: f"预备党员没有表决权、选举权和被选举权（{ART5}）",
    DISCIPLINARY_PROBATION: f"受留党察看处分的党员在察看期间没有表决权、选举权和被选举权（{ART5}）",
    DETAINED: f"被留置的党员暂停行使表决权、选举权和被选举权（{ART5}）",
    ARRESTED: f"被逮捕的党员暂停行使表决权、选举权和被选举权（{ART5}）",
}


@dataclass(frozen=True)
class Rights:
    """A member's status on the register with its reason ("" for a full member with rights)."""

    status: str
    reason: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def rights(standing: str, restriction: str = NONE) -> Rights:
    """The status of a member: a sanction of 留党察看 or a probationary standing excludes; 留置 or arrest
    suspends a full member's rights. A probationary member under a measure is excluded, with both reasons."""
    if standing not in STANDINGS or restriction not in RESTRICTIONS:
        raise ValueError("党员类别或处分情况无效")
    reasons = []
    if standing == PROBATIONARY:
        reasons.append(REASONS[PROBATIONARY])
    if restriction:
        reasons.append(REASONS[restriction])
    if standing == PROBATIONARY or restriction == DISCIPLINARY_PROBATION:
        return Rights(EXCLUDED, "；".join(reasons))
    if restriction:
        return Rights(SUSPENDED, reasons[0])
    return Rights(ENTITLED, "")


# --- The workbook's words ---------------------------------------------------------------------------

_STANDING_WORDS = {
    "正式党员": FULL, "正式": FULL, "中共党员": FULL, "党员": FULL, "中国共产党党员": FULL,
    "预备党员": PROBATIONARY, "预备": PROBATIONARY, "中共预备党员": PROBATIONARY, "中国共产党预备党员": PROBATIONARY,
}
_RESTRICTION_WORDS = {
    "无": NONE, "否": NONE, "正常": NONE, "-": NONE, "—": NONE, "/": NONE,
    "留党察看": DISCIPLINARY_PROBATION, "受留党察看处分": DISCIPLINARY_PROBATION, "留党察看期间": DISCIPLINARY_PROBATION,
    "留置": DETAINED, "被留置": DETAINED, "监察留置": DETAINED,
    "逮捕": ARRESTED, "被逮捕": ARRESTED, "依法逮捕": ARRESTED,
}
_YES_NO = {
    "是": True, "有": True, "Y": True, "YES": True, "1": True, "√": True,
    "否": False, "无": False, "N": False, "NO": False, "0": False, "×": False,
}
_ILL_WORDS = {**_YES_NO, "患病": True, "生病": True, "因病": True, "卧床": True, "正常": False, "健康": False}
_AWAY_WORDS = {**_YES_NO, "外出": True, "流动党员": True, "外出务工": True, "在家": False, "在村": False,
               "未外出": False}
STANDING_CHOICES = tuple(STANDINGS.values())
RESTRICTION_CHOICES = tuple(RESTRICTIONS.values())
YES_NO_CHOICES = ("否", "是")


def _plain(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def lookup_standing(value: object) -> str | None:
    return None if value is None else _STANDING_WORDS.get(_plain(value))


def lookup_restriction(value: object) -> str | None:
    return NONE if value is None else _RESTRICTION_WORDS.get(_plain(value))


def lookup_ill(value: object) -> bool | None:
    return False if value is None else _ILL_WORDS.get(_plain(value))


def lookup_away(value: object) -> bool | None:
    return False if value is None else _AWAY_WORDS.get(_plain(value))


def political_status(standing: str) -> str:
    """GB/T 4762: 01 中国共产党党员, 02 中国共产党预备党员 (``voters.codes``)."""
    return "02" if standing == PROBATIONARY else "01"


# --- Excusals: members not counted as 应到会 (LAW.md §4.2) --------------------------------------------

EXCUSAL_MESSAGES = {
    "not_entitled": "{name}没有选举权或暂停行使选举权利，本来就不计入应到会人数，无需办理。",
    "category_not_allowed": "本次选举适用的规则中没有“{category}”这一情形。",
    "consent_in_future": "上级党组织同意的日期不能晚于今天。",
    "meeting_in_future": "党员大会表决的日期不能晚于今天。",
    "meeting_after_election": "党员大会表决的日期不能晚于选举日（{day}）。",
    "meeting_before_consent": "须先经上级党组织同意，再提交党员大会表决：表决日期不能早于上级同意的日期。",
    "meeting_not_passed": "党员大会表决赞成{votes_for}票，未超过参加表决的{voting}人的半数，不能不列入应到会人数。",
    "facts_missing": "请写明具体情况（如患病情况、出国或外出的时间和地点）。",
    "consent_ref_missing": "请写明上级党组织同意的文件或记录（如批复文号、会议纪要）。",
}


def excusal_problems(*, entitled: bool, name: str, category: str, category_label: str, allowed: tuple[str, ...],
                     facts: str, consent_ref: str, consent_on, meeting_on, votes_for: int, votes_against: int,
                     votes_abstained: int, election_day, today) -> dict[str, str]:
    """What stands in the way of not counting a member as 应到会, by form field: the member must have voting
    rights, the category be one the rules list, the upper level's consent come first and the 党员大会's vote
    pass (more than half of those voting say yes) on or before the election day, nothing dated in the future."""
    problems: dict[str, str] = {}
    if not entitled:
        problems["member"] = EXCUSAL_MESSAGES["not_entitled"].format(name=name)
    if category not in allowed:
        problems["category"] = EXCUSAL_MESSAGES["category_not_allowed"].format(category=category_label)
    if not facts.strip():
        problems["facts"] = EXCUSAL_MESSAGES["facts_missing"]
    if not consent_ref.strip():
        problems["upper_consent_ref"] = EXCUSAL_MESSAGES["consent_ref_missing"]
    if consent_on > today:
        problems["upper_consent_on"] = EXCUSAL_MESSAGES["consent_in_future"]
    if meeting_on > today:
        problems["meeting_on"] = EXCUSAL_MESSAGES["meeting_in_future"]
    elif meeting_on > election_day:
        problems["meeting_on"] = EXCUSAL_MESSAGES["meeting_after_election"].format(day=f"{election_day:%Y年%m月%d日}")
    elif meeting_on < consent_on:
        problems["meeting_on"] = EXCUSAL_MESSAGES["meeting_before_consent"]
    voting = votes_for + votes_against + votes_abstained
    if 2 * votes_for <= voting:
        problems["votes_for"] = EXCUSAL_MESSAGES["meeting_not_passed"].format(votes_for=votes_for, voting=voting)
    return problems
