"""The 选举公告 series of a village committee election: what each formal announcement is called and its number.

The village election committee (村民选举委员会) announces, in this order, the election day and the polling
places, the voter list (OL §14: at least 20 days before the election), the formal candidate list (OL §15)
and the results (OL §15 ¶2). Each is printed as a formal announcement with the committee as issuer, a
number in the series and a seal area (``templates/villages/pdf/announcement.html``). The numbers are fixed
by kind, so a reprint keeps its number. Pure: no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ELECTION_DAY = "election_day"
VOTER_LIST = "voter_list"
CANDIDATE_LIST = "candidate_list"
RESULTS = "results"

SERIES = {
    ELECTION_DAY: (1, "选举日和投票地点"),
    VOTER_LIST: (2, "选民名单"),
    CANDIDATE_LIST: (3, "正式候选人名单"),
    RESULTS: (4, "选举结果"),
}
DRAFT = "核对稿（未公布）"


@dataclass(frozen=True)
class Notice:
    issuer: str  # 某某村村民选举委员会
    number: int
    title: str
    dated: date | None  # None: not yet announced, the date is left blank to be filled by hand
    draft: str = ""


def cn_numeral(n: int) -> str:
    """1–99 in Chinese numerals, as in 第十二届."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def notice(kind: str, *, village: str, term_number: int, dated: date | None, draft: bool = False) -> Notice:
    """The heading of announcement ``kind``; ``draft`` marks a print made before the act it announces."""
    number, subject = SERIES[kind]
    return Notice(
        issuer=f"{village}村民选举委员会",
        number=number,
        title=f"第{cn_numeral(term_number)}届村民委员会选举{subject}",
        dated=dated,
        draft=DRAFT if draft else "",
    )


def notice_for(kind: str, election, *, dated: date | None, draft: bool = False) -> Notice:
    """The heading of announcement ``kind`` for ``election``: a village's committee election is
    announced by its 村民选举委员会; a 选区's by the 选举委员会 of its round (乡级 or 县级), naming the
    district."""
    if not election.is_district:
        return notice(kind, village=election.village.name, term_number=election.campaign.term_number,
                      dated=dated, draft=draft)
    number, subject = SERIES[kind]
    campaign = election.campaign
    return Notice(
        issuer=election.committee_name,
        number=number,
        title=f"第{cn_numeral(campaign.term_number)}届{campaign.kind.title(campaign.level)}{election.district}{subject}",
        dated=dated,
        draft=DRAFT if draft else "",
    )
