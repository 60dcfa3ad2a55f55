"""Where ballots are cast: the central meeting, polling stations and mobile boxes (DOMAIN.md "Voting and
counting"; LAW.md §2.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from villages.models import Election, VillagerGroup
from voters.models import Voter

MOBILE_BOX_MESSAGES = {
    "mobile_box_not_approved": "流动票箱“{name}”尚未登记乡镇批准（本规则要求设立流动票箱须经乡镇批准）",
    "mobile_box_understaffed": "流动票箱“{name}”工作人员{count}人，少于规定的{minimum}人",
    "mobile_box_no_voters": "流动票箱“{name}”尚未登记使用的选民名单",
}


class PollingStationQuerySet(models.QuerySet):
    def with_details(self):
        """Group and approver joined, mobile-box voters counted: one query for a station list."""
        return self.select_related("group", "approved_by").annotate(box_voter_count=models.Count("box_voters"))


class PollingStation(models.Model):
    """中心会场 / 投票站 / 流动票箱 of one village's election."""

    class Kind(models.TextChoices):
        CENTRAL = "central", "中心会场"
        STATION = "station", "投票站"
        MOBILE = "mobile", "流动票箱"

    election = models.ForeignKey(
        Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="polling_stations"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STATION)
    name = models.CharField("名称", max_length=50)
    group = models.ForeignKey(
        VillagerGroup,
        verbose_name="村民小组",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polling_stations",
    )
    location = models.CharField("地点", max_length=100, blank=True)
    assigned_voters = models.PositiveIntegerField(
        "本站选民人数", null=True, blank=True, help_text="流动票箱按选民名单自动计算"
    )
    staff_names = models.TextField("工作人员", blank=True, help_text="每行一人；流动票箱须达到规则规定的人数")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_on = models.DateField("乡镇批准日期", null=True, blank=True)
    approval_document = models.CharField("批准文号", max_length=60, blank=True)
    voters = models.ManyToManyField(Voter, verbose_name="流动票箱选民", through="MobileBoxVoter", blank=True)
    order = models.PositiveSmallIntegerField("排列顺序", default=0)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = PollingStationQuerySet.as_manager()

    class Meta:
        verbose_name = "投票站"
        verbose_name_plural = "投票站"
        ordering = ["election", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "name"],
                name="station_unique_name",
                violation_error_code="station_unique_name",
                violation_error_message="本村已有同名投票站。",
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True, approved_by__isnull=True)
                | Q(approved_on__isnull=False, approved_by__isnull=False, kind="mobile"),
                name="station_approval_only_for_mobile_box",
                violation_error_code="station_approval_only_for_mobile_box",
                violation_error_message="只有流动票箱需要登记乡镇批准，且须同时记录批准日期和登记人。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def is_mobile(self) -> bool:
        return self.kind == self.Kind.MOBILE

    @property
    def staff_list(self) -> list[str]:
        return [line.strip() for line in self.staff_names.splitlines() if line.strip()]

    @property
    def staff_count(self) -> int:
        return len(self.staff_list)

    def mobile_box_problems(self, rules, *, voter_count: int) -> list[tuple[str, str]]:
        """What a mobile box still lacks under the preset (LAW.md §2.7): approval, staff, its voter list."""
        if not self.is_mobile:
            return []
        found = []
        if rules.mobile_box_needs_township_approval and self.approved_on is None:
            found.append("mobile_box_not_approved")
        if rules.mobile_box_min_staff and self.staff_count < rules.mobile_box_min_staff:
            found.append("mobile_box_understaffed")
        if voter_count == 0:
            found.append("mobile_box_no_voters")
        data = {"name": self.name, "count": self.staff_count, "minimum": rules.mobile_box_min_staff}
        return [(code, MOBILE_BOX_MESSAGES[code].format(**data)) for code in found]

    def audit_scope(self):
        return self.election.audit_scope()


class MobileBoxVoter(models.Model):
    """A voter who votes through a mobile box (elderly, sick): one box per voter (LAW.md §2.7)."""

    station = models.ForeignKey(
        PollingStation, verbose_name="流动票箱", on_delete=models.CASCADE, related_name="box_voters"
    )
    voter = models.ForeignKey(Voter, verbose_name="选民", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "流动票箱选民"
        verbose_name_plural = "流动票箱选民"
        constraints = [
            models.UniqueConstraint(
                fields=["voter"],
                name="mobile_box_voter_once",
                violation_error_code="mobile_box_voter_once",
                violation_error_message="该选民已列入流动票箱名单。",
            ),
        ]
