"""What the register must hold before an election moves on (registered in ``VotersConfig.ready``).

- Before 公布选民名单: at least one registered voter, and the publication recorded through
  ``voters.services.register.publish_voter_list`` (which makes this move itself).
- Before 申诉处理完毕: every appeal decided (OL §14 ¶2).
"""

from __future__ import annotations

from datetime import date

from villages import stages

from .models import Appeal, Publication, Status
from .registrations import register_of


def register_requirements(election, target: str, today: date) -> list[stages.ChecklistItem]:
    items: list[stages.ChecklistItem] = []
    if target == stages.LIST_PUBLISHED:
        registered = register_of(election).filter(status=Status.REGISTERED).count()
        items.append(
            stages.ChecklistItem("voters_registered", "已有登记选民", registered > 0, f"已登记{registered}人")
        )
        published = Publication.objects.filter(election=election).exists()
        items.append(
            stages.ChecklistItem(
                "voter_list_published", "已在选民名单页面登记张榜公布", published, "" if published else "请在选民名单页面点击“公布选民名单”"
            )
        )
    if target == stages.APPEALS_CLOSED:
        undecided = Appeal.objects.filter(election=election, decided_on__isnull=True).count()
        items.append(
            stages.ChecklistItem(
                "appeals_decided", "所有选民资格申诉均已作出决定", undecided == 0, f"尚有{undecided}件未决定" if undecided else ""
            )
        )
    return items
