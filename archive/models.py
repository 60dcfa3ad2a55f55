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
        return f"{self.label}：{self.description}"

    @property
    def label(self) -> str:
        """The category as the election's kind names it (a Party organisation's seal is 党组织印章)."""
        return self.election.campaign.kind.handover_label(self.kind, self.get_kind_display())

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


# --- Election records (选举档案) -----------------------------------------------------------------


class RetentionClass(models.TextChoices):
    """保管期限: permanent or fixed-term (国家档案局令第8号: 永久 / 定期 30 年、10 年), LAW.md §6."""

    PERMANENT = "permanent", "永久"
    YEARS_30 = "30y", "30年"
    YEARS_10 = "10y", "10年"


class DocumentKind(models.TextChoices):
    """Kinds of election record. The first seven are generated by the system; all can be scanned."""

    VOTER_LIST = "voter_list", "选民名单（张榜公布）"
    AMENDMENTS = "amendments", "选民增减名单"
    APPEALS = "appeals", "选民资格申诉及处理决定"
    PROXY_LIST = "proxy_list", "委托投票名单"
    CANDIDATE_LIST = "candidate_list", "正式候选人名单"
    TALLY_SHEET = "tally_sheet", "计票结果报告单"
    RESULTS_REPORT = "results_report", "选举结果报告单"
    UPPER_REPORT = "upper_report", "选举结果的报告（报上级党组织审批）"
    ELECTION_PLAN = "election_plan", "选举工作方案及请示批复"
    COMMITTEE = "committee", "村民选举委员会组成及推选材料"
    CERTIFICATE = "certificate", "当选证书存根"
    HANDOVER = "handover", "工作移交清单"
    NOMINATION = "nomination", "提名及预选材料"
    MOBILE_BOX = "mobile_box", "流动票箱投票记录"
    COMPLAINT = "complaint", "信访举报材料"
    BALLOTS = "ballots", "选票封存记录"
    WORKING_PAPERS = "working_papers", "工作底稿及宣传材料"


class RetentionRule(models.Model):
    """One row of the retention table (归档范围和保管期限表): a kind of record and its period.

    Defaults follow LAW.md §6 (a county archive bureau's local table overrides them, 村级档案管理办法 Art. 7).
    A record keeps the period it was filed under: changing a row applies to records filed afterwards.
    """

    kind = models.CharField("档案类别", max_length=20, choices=DocumentKind.choices, unique=True)
    retention = models.CharField("保管期限", max_length=10, choices=RetentionClass.choices)
    basis = models.CharField("依据", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "保管期限"
        verbose_name_plural = "保管期限表"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.get_retention_display()}"

    def audit_scope(self):
        return None, None


RETENTION_MESSAGE = "归档文件不得删除：保管期限届满后须经鉴定登记销毁，销毁记录永久保留。"


class RetentionProtected(Exception):
    """Raised by any attempt to delete an archived record through the ORM."""


class ArchiveDocumentQuerySet(models.QuerySet):
    def current(self):
        """Documents in force: neither replaced by a later generation nor destroyed."""
        return self.filter(superseded_at__isnull=True, destroyed_at__isnull=True)

    def delete(self):
        raise RetentionProtected(RETENTION_MESSAGE)


class ArchiveDocument(models.Model):
    """One archived record of an election: a PDF the system generated or a scanned document uploaded.

    Rows are never deleted. A regenerated document supersedes the earlier one (both kept); after its
    retention period a document may be destroyed: the file is removed and the row keeps who, when and why.
    """

    class Source(models.TextChoices):
        GENERATED = "generated", "系统生成"
        SCANNED = "scanned", "扫描上传"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT,
                                 related_name="archive_documents")
    kind = models.CharField("档案类别", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("题名", max_length=200)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    file = models.FileField("文件", upload_to="archive/%Y/", max_length=255, blank=True)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=60)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    retention = models.CharField("保管期限", max_length=10, choices=RetentionClass.choices)
    filed_on = models.DateField("归档日期")
    retain_until = models.DateField("保管至", null=True, blank=True, help_text="永久保管为空")
    filed_by = models.ForeignKey(User, verbose_name="归档人", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("备注", max_length=200, blank=True)
    superseded_at = models.DateTimeField("被替换时间", null=True, blank=True)
    destroyed_at = models.DateTimeField("销毁时间", null=True, blank=True)
    destroyed_by = models.ForeignKey(User, verbose_name="销毁人", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    destruction_reason = models.CharField("鉴定销毁意见", max_length=200, blank=True)

    objects = ArchiveDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "选举档案"
        verbose_name_plural = "选举档案"
        ordering = ["election", "filed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention="permanent", retain_until__isnull=True)
                | (~Q(retention="permanent") & Q(retain_until__isnull=False)),
                name="archive_document_retain_until_matches_class",
            ),
            models.CheckConstraint(
                condition=Q(destroyed_at__isnull=True) | ~Q(retention="permanent"),
                name="archive_document_permanent_never_destroyed",
            ),
        ]

    def __str__(self):
        return self.title

    def audit_scope(self):
        return self.election.audit_scope()

    def delete(self, *args, **kwargs):
        raise RetentionProtected(RETENTION_MESSAGE)

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None and self.destroyed_at is None


class FilingRun(models.Model):
    """One request to generate an election's records into the archive (run by the task worker)."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在生成"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT,
                                 related_name="filing_runs")
    requested_by = models.ForeignKey(User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    filed = models.PositiveIntegerField("新归档文件数", default=0)
    unchanged = models.PositiveIntegerField("未变化文件数", default=0)
    message = models.CharField("说明", max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField("生成次数", default=0)
    heartbeat_at = models.DateTimeField("处理进程最后报告", null=True, blank=True)

    class Meta:
        verbose_name = "档案生成"
        verbose_name_plural = "档案生成"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.election}：档案生成"

    def audit_scope(self):
        return self.election.audit_scope()
