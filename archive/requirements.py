"""What archiving requires (registered in ``apps.ready``): the results are certified and, for a kind
with a 工作移交, the seal has been handed over, so the generic stage button cannot archive an election the handover page would refuse."""

from __future__ import annotations

from datetime import date

from villages import stages

from .models import HandoverItem


def archive_requirements(election, target: str, today: date) -> list[stages.ChecklistItem]:
    if target != stages.ARCHIVED:
        return []
    items = [stages.ChecklistItem("results_certified", "选举结果已认定", election.is_certified)]
    if election.campaign.kind.has_handover:  # 人大 has no 工作移交: the certified result is enough
        seal = HandoverItem.objects.filter(election=election, kind=HandoverItem.Kind.SEAL).exists()
        from .services import seal_label

        items.append(stages.ChecklistItem("seal_handed_over", f"{seal_label(election)}已移交", seal))
    return items
