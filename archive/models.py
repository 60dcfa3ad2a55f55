"""Certification of results (结果认定), unlock requests, the handover (工作移交) and complaints (信访/举报).

DOMAIN.md "Stages and the legal calendar" (handover) and the glossary (Handover, Complaint); LAW.md §1.10–§1.12.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from villages.models import Election, Township, User, Village


class Certification(models.Model):
    """One certification of an election's results; an approved unlock closes it (``revoked_at``)."""

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT,
                                 related_name="certifications")
    certified_at = models.DateTimeField("认定时间")
    certified_by = models.ForeignKey(User, verbose_name="认定人", on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField("解锁时间", null=True, blank=True)

    class Meta:
        verbose_name = "结果认定"
        verbose_name_plural = "结果认定"
        ordering = ["-certified_at"]
        constraints = [
            models.UniqueConstraint(fields=["election"], condition=Q(revoked_at__isnull=True),
                                    name="certification_one_open_per_election"),
        ]

    def __str__(self):
        return f"{self.election}：结果认定"

    def audit_scope(self):
        return self.election.audit_scope()


class UnlockRequest(models.Model):
    """申请解锁: an office user asks to reopen a certified election; a second person approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待批准"
        APPROVED = "approved", "已批准"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT,
                                 related_name="unlock_requests")
    reason = models.TextField("解锁理由")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    approved_by = models.ForeignKey(User, verbose_name="批准人", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = "解锁申请"
        verbose_name_plural = "解锁申请"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["election"], condition=Q(status="pending"),
                                    name="unlock_one_pending_per_election"),
            models.CheckConstraint(condition=~Q(approved_by=models.F("requested_by")),
                                   name="unlock_approver_not_requester"),
        ]

    def __str__(self):
        return f"{self.election}：解锁申请"

    def audit_scope(self):
        return self.election.audit_scope()


class HandoverItem(models.Model):
    """工作移交 item: what the outgoing committee handed to the new one (seals, accounts, assets, archives)."""

    class Kind(models.TextChoices):
        SEAL = "seal", "印章"
        FINANCE = "finance", "财务账目"
        ASSETS = "assets", "资产"
        RECORDS = "records", "档案"
        OTHER = "other", "其他"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT,
                                 related_name="handover_items")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    description = models.CharField("移交内容", max_length=200)
    handed_over_by = models.CharField("移交人", max_length=50)
    received_by = models.CharField("接收人", max_length=50)
    handed_on = models.DateField("移交日期")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "移交事项"
        verbose_name_plural = "移交事项"
        ordering = ["handed_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.description}"

    def audit_scope(self):
        return self.election.audit_scope()


class ComplaintQuerySet(models.QuerySet):
    def with_places(self):
        return self.select_related("township", "village")


class Complaint(models.Model):
    """信访/举报 received by the township office about an election."""

    class Channel(models.TextChoices):
        LETTER = "letter", "来信"
        VISIT = "visit", "来访"
        PHONE = "phone", "电话"
        ONLINE = "online", "网络"
        OTHER = "other", "其他"

    class Category(models.TextChoices):
        BRIBERY = "bribery", "贿选"
        PROCEDURE = "procedure", "程序"
        ELIGIBILITY = "eligibility", "资格"
        COUNTING = "counting", "计票"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理"
        IN_PROGRESS = "in_progress", "办理中"
        RESOLVED = "resolved", "已办结"

    township = models.ForeignKey(Township, verbose_name="乡镇", on_delete=models.PROTECT, related_name="complaints")
    village = models.ForeignKey(Village, verbose_name="村", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="complaints")
    received_on = models.DateField("受理日期")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    subject = models.CharField("事由", max_length=200)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    handler = models.CharField("承办人", max_length=50, blank=True)
    deadline = models.DateField("办理期限", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.TextField("办理结果", blank=True)
    resolved_on = models.DateField("办结日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = "信访举报"
        verbose_name_plural = "信访举报"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_on__isnull=False),
                name="complaint_resolved_has_date",
                violation_error_message="已办结的信访举报须填写办结日期。",
            ),
        ]

    def __str__(self):
        return f"{self.received_on:%Y-%m-%d} {self.subject}"

    def audit_scope(self):
        return self.township_id, self.village_id
