"""What polling and counting require before an election moves on (registered in ``apps.ready``):
mobile boxes ready before voting (LAW.md §2.7); a runoff only when seats are unfilled; handover only once
the committee is formed — fewer than three members is not a complete election (OL §6, §15)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from villages import stages

from .counts import is_party_election
from .models import PollingStation, ShortfallDecision
from .queries import result_status


def ballots_requirements(election, target: str, today: date) -> list[stages.ChecklistItem]:
    if target == stages.VOTING:
        boxes = PollingStation.objects.filter(election=election, kind=PollingStation.Kind.MOBILE).annotate(
            n=Count("box_voters")
        )
        problems = [message for box in boxes for _, message in box.mobile_box_problems(election.rules, voter_count=box.n)]
        if boxes:
            return [stages.ChecklistItem("mobile_boxes_ready", "流动票箱已批准、人员和选民名单齐备", not problems, "；".join(problems))]
        return []
    if target == stages.RUNOFF:
        status = result_status(election)
        items = [stages.ChecklistItem("runoff_needed", "选举结果已公布且尚有职位须另行选举", status.needs_runoff, status.detail)]
        if is_party_election(election):
            # A 党员大会's shortfall is never another round by itself: the office decides on another round or fewer
            # seats (LAW.md §4.2), so the page offers 另行选举 only after a decision for another round.
            decided = ShortfallDecision.objects.filter(election=election,
                                                       choice=ShortfallDecision.Choice.ANOTHER_ROUND).exists()
            items.append(stages.ChecklistItem("runoff_decided", "缺额处理决定为就缺额另行选举", decided, offer_only=True))
        return items
    if target == stages.HANDOVER:
        status = result_status(election)
        body = election.campaign.kind.elected_body
        return [stages.ChecklistItem("committee_formed", f"新一届{body}已选出", status.is_final, status.detail)]
    return []
