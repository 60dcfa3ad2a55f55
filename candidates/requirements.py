"""What nomination requires before an election moves on (registered in ``apps.ready``).

Voting needs the formal candidate list published (OL §15 ¶1; ZJ Art. 18: by D − 5), which records
the nomination mode; a 海选 publishes no names but records the mode the same way, so the check is the
same. Only a preset that knows no other mode than 海选 needs no publication at all.
"""

from __future__ import annotations

from datetime import date

from villages import stages
from villages.presets import MODE_NO_CANDIDATE

from .models import CandidateListPublication


def nomination_requirements(election, target: str, today: date) -> list[stages.ChecklistItem]:
    if target != stages.VOTING:
        return []
    publication = CandidateListPublication.objects.filter(election=election).first()
    if publication is not None:
        day = publication.published_on
        detail = f"{publication.get_mode_display()}，{day.year}年{day.month}月{day.day}日公布"
        ok = True
    elif election.is_district:  # 人大: always a formal list of 代表候选人 (Election Law Art. 32), no 海选
        return [stages.ChecklistItem("candidate_list_published", "已公布正式代表候选人名单", False,
                                     "请在代表候选人页面公布正式代表候选人名单")]
    elif election.is_party_branch:  # the 党员大会 votes on the formal list of the nomination pipeline, no 海选
        return [stages.ChecklistItem("candidate_list_published", "已公布正式候选人名单", False,
                                     "请在候选人推荐和提名页面登记审查意见，确定并公布正式候选人名单")]
    elif election.party_unit_id:  # a congress unit's 党员大会 votes on its delegate candidates (差额 ≥ 20%)
        return [stages.ChecklistItem("candidate_list_published", "已确定代表候选人名单", False,
                                     "请在代表候选人页面确定本选举单位的代表候选人名单")]
    else:
        ok = tuple(election.rules.nomination_modes) == (MODE_NO_CANDIDATE,)
        detail = "本规则只采用无候选人直接选举" if ok else "请在候选人页面公布正式候选人名单"
    return [stages.ChecklistItem("candidate_list_published", "已公布正式候选人名单（或确定采用海选）", ok, detail)]
