"""The voter register of one village's election: voters, publication, amendments, appeals, proxies
and import jobs (DOMAIN.md "Who is registered", "Proxies"; LAW.md §1.3, §1.4, §1.8)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from villages.kinds import party_members
from villages.kinds.party_branch import (
    EXCUSED_ABROAD,
    EXCUSED_AWAY,
    EXCUSED_CATEGORY_LABELS,
    EXCUSED_FRAIL,
    EXCUSED_ILL,
    EXCUSED_SENTENCED,
)
from villages.models import Campaign, Election, VillagerGroup

from . import eligibility
from .idnumber import mask_id_number


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Category(models.TextChoices):
    """The three registration categories of OL §13 ¶2."""

    HUJI_RESIDENT = eligibility.HUJI_RESIDENT, "户籍在本村且在本村居住"
    HUJI_ABSENT = eligibility.HUJI_ABSENT, "户籍在本村、不在本村居住、本人表示参加选举"
    RESIDENT_NON_HUJI = eligibility.RESIDENT_NON_HUJI, "户籍不在本村、在本村居住一年以上、经同意参加选举"
    # A Party member register (``villages.kinds.party_members``): the member's standing.
    PARTY_FULL = party_members.FULL, "正式党员"
    PARTY_PROBATIONARY = party_members.PROBATIONARY, "预备党员"


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    NOT_REGISTERED = "not_registered", "不予登记"
    # A Party member under 留置 or arrest: on the register, rights suspended (``party_members``).
    SUSPENDED = "suspended", "暂停行使"


class PartyRestriction(models.TextChoices):
    NONE = party_members.NONE, "无"
    DISCIPLINARY_PROBATION = party_members.DISCIPLINARY_PROBATION, "留党察看"
    DETAINED = party_members.DETAINED, "留置"
    ARRESTED = party_members.ARRESTED, "被逮捕"


class VoterQuerySet(models.QuerySet):
    def registered(self):
        return self.filter(status=Status.REGISTERED)

    def listed_on(self, day: date):
        """Voters on the list as it stood at the end of ``day`` (publication and amendments)."""
        return self.filter(listed_from__lte=day).filter(Q(listed_until__isnull=True) | Q(listed_until__gt=day))

    def in_election(self, election):
        return self.filter(election=election)

    def search(self, text: str, *, id_prefix: bool = True):
        """By name, or by ID number: its beginning when ``id_prefix``, else the whole number only
        (for those who may not see full numbers, ``villages.access.can_see_full_id``)."""
        if not text:
            return self
        number = Q(id_number__startswith=text.upper()) if id_prefix else Q(id_number=text.upper())
        return self.filter(Q(name__contains=text) | number)

    def listed(self):
        """On the published list now: added by the publication or an amendment, not removed since."""
        return self.filter(listed_from__isnull=False, listed_until__isnull=True)

    def unlisted(self):
        return self.filter(Q(listed_from__isnull=True) | Q(listed_until__isnull=False))

    def with_group(self):
        return self.select_related("group")


class Voter(models.Model):
    """选民: one person's registration (or refusal, with the reason) for one village's election.

    One person registers in one village only (OL §13 ¶3): the ID number is unique across every
    election of the round, enforced by the database through the denormalized ``campaign``.
    """

    # No index of their own: ``voter_one_registration_per_round`` (campaign, id_number) and the two
    # (election, …) indexes below lead with them, and an import writes every index once per voter.
    campaign = models.ForeignKey(Campaign, verbose_name="换届选举", on_delete=models.PROTECT, related_name="voters",
                                 db_index=False)
    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.PROTECT, related_name="voters",
                                 db_index=False)
    # Every voter of a village or a 选区 has a group; a Party member's register may leave it blank.
    group = models.ForeignKey(
        VillagerGroup, verbose_name="村民小组", on_delete=models.PROTECT, related_name="voters", null=True, blank=True
    )
    name = models.CharField("姓名", max_length=30)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    ethnicity = models.CharField("民族", max_length=2, default="01", help_text="GB/T 3304 代码")
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("公民身份号码", max_length=18)
    education = models.CharField("文化程度", max_length=2, blank=True, help_text="GB/T 4658 代码")
    education_edition = models.CharField("文化程度代码版本", max_length=4, default="2006")
    political_status = models.CharField("政治面貌", max_length=2, default="13", help_text="GB/T 4762 代码")
    address = models.CharField("户籍地址", max_length=200, blank=True)
    lives_in_village = models.BooleanField("在本村居住", default=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    category = models.CharField("登记类别", max_length=20, choices=Category.choices)
    away = models.BooleanField("外出", default=False)
    remarks = models.CharField("备注", max_length=200, blank=True)

    # Evidence for categories 2 and 3 (LAW.md §1.3).
    statement_date = models.DateField("本人表示参加选举日期", null=True, blank=True)
    residence_since = models.DateField("来村居住起始日期", null=True, blank=True)
    application_date = models.DateField("申请参加选举日期", null=True, blank=True)
    approval_meeting = models.CharField("同意参加选举的会议", max_length=20, blank=True)
    approval_date = models.DateField("会议同意日期", null=True, blank=True)
    # A 人大 district's register: living here without the hukou, with the original district's proof.
    status_proof_on = models.DateField("原选区选民资格证明日期", null=True, blank=True)
    # A Party member register (党员名册, ``villages.kinds.party_members``): ``category`` is the standing.
    party_joined_on = models.DateField("入党日期", null=True, blank=True)
    party_restriction = models.CharField("处分或强制措施", max_length=24, choices=PartyRestriction.choices, blank=True)
    org_relation = models.CharField("组织关系", max_length=100, blank=True)
    ill = models.BooleanField("患病", default=False)

    has_political_rights = models.BooleanField("享有政治权利", default=True)
    capacity_ok = models.BooleanField("能够行使选举权利", default=True)
    status = models.CharField("登记状态", max_length=20, choices=Status.choices, default=Status.REGISTERED)
    not_registered_reason = models.CharField("不予登记原因", max_length=200, blank=True)
    # 四增四减 (LAW.md §2.9): on this term's record, why the person was added since last term; on last
    # term's record, why the person is not on this term's register. A key of register_change_reasons.
    change_reason = models.CharField("四增四减原因", max_length=40, blank=True)

    # The span during which the person is on the list (publication, then amendment batches).
    listed_from = models.DateField("列入名单日期", null=True, blank=True)
    listed_until = models.DateField("移出名单日期", null=True, blank=True)

    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = VoterQuerySet.as_manager()

    class Meta:
        verbose_name = "选民"
        verbose_name_plural = "选民"
        ordering = ["election", "group__number", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "id_number"], name="voter_one_registration_per_round"),
            models.CheckConstraint(
                condition=Q(status="registered") | ~Q(not_registered_reason=""),
                name="voter_refusal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["election", "status"], name="voter_election_status_idx"),
            models.Index(fields=["election", "group", "name"], name="voter_election_group_idx"),
        ]

    def __str__(self):
        return f"{self.name}（{self.masked_id_number}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_listed(self) -> bool:
        """On the published list now (see ``VoterQuerySet.listed``)."""
        return self.listed_from is not None and self.listed_until is None

    def facts(self, *, other_registrations: tuple[str, ...] = ()) -> eligibility.VoterFacts:
        return eligibility.VoterFacts(
            birth_date=self.birth_date,
            sex=self.sex,
            has_political_rights=self.has_political_rights,
            capacity_ok=self.capacity_ok,
            category=self.category,
            statement_date=self.statement_date,
            residence_since=self.residence_since,
            application_date=self.application_date,
            approval_meeting=self.approval_meeting or None,
            approval_date=self.approval_date,
            status_proof_on=self.status_proof_on,
            other_registrations=other_registrations,
        )

    @property
    def category_label(self) -> str:
        """The registration category in the words of the election's kind (村 or 选区)."""
        return eligibility.categories(self.election.rules).get(self.category, self.category)

    def audit_scope(self):
        return self.election.audit_scope()


class Publication(models.Model):
    """张榜公布: the voter list fixed on a date (OL §14 ¶1)."""

    election = models.OneToOneField(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="publication")
    published_on = models.DateField("公布日期")
    registered_count = models.PositiveIntegerField("公布时登记选民数")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民名单公布"
        verbose_name_plural = "选民名单公布"

    def __str__(self):
        return f"{self.election}选民名单（{self.published_on}公布）"


class AmendmentBatch(models.Model):
    """A numbered batch of changes to a published list (增减名单), with its reason."""

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="amendment_batches")
    number = models.PositiveSmallIntegerField("批次号")
    effective_on = models.DateField("生效日期")
    reason = models.CharField("变更原因", max_length=200)
    published_on = models.DateField("公布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民名单变更批次"
        verbose_name_plural = "选民名单变更批次"
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="amendment_batch_number_unique")]

    def __str__(self):
        return f"第{self.number}批变更"


class AmendmentItem(models.Model):
    class Change(models.TextChoices):
        ADD = "add", "增加"
        REMOVE = "remove", "减少"
        CORRECT = "correct", "更正"

    batch = models.ForeignKey(AmendmentBatch, verbose_name="变更批次", on_delete=models.CASCADE, related_name="items")
    voter = models.ForeignKey(Voter, verbose_name="选民", on_delete=models.PROTECT, related_name="amendments")
    change = models.CharField("变更类型", max_length=10, choices=Change.choices)
    reason_code = models.CharField("原因代码", max_length=40, blank=True, help_text="四增四减原因")
    note = models.CharField("说明", max_length=200, blank=True)
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)

    class Meta:
        verbose_name = "选民名单变更"
        verbose_name_plural = "选民名单变更"
        ordering = ["batch", "id"]


class Appeal(models.Model):
    """选民资格申诉 (OL §14 ¶2): filed within the window after publication, decided within days."""

    class Kind(models.TextChoices):
        OMITTED = "omitted", "漏登（应登未登）"
        WRONGLY_LISTED = "wrongly_listed", "错登（不应登记）"
        WRONG_DETAILS = "wrong_details", "信息有误"

    class Decision(models.TextChoices):
        UPHELD = "upheld", "申诉成立"
        REJECTED = "rejected", "申诉不成立"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="appeals")
    filer_name = models.CharField("申诉人", max_length=30)
    filer_phone = models.CharField("申诉人电话", max_length=30, blank=True)
    voter = models.ForeignKey(
        Voter, verbose_name="涉及选民", on_delete=models.PROTECT, null=True, blank=True, related_name="appeals"
    )
    subject_name = models.CharField("涉及人员姓名", max_length=30, blank=True, help_text="未列入名单者填写")
    subject_id_number = models.CharField("涉及人员身份号码", max_length=18, blank=True)
    kind = models.CharField("申诉类型", max_length=20, choices=Kind.choices)
    reason = models.TextField("申诉理由")
    received_on = models.DateField("收到日期")
    decision = models.CharField("处理决定", max_length=20, choices=Decision.choices, blank=True)
    decision_text = models.TextField("决定内容", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_published_on = models.DateField("决定公布日期", null=True, blank=True)
    batch = models.ForeignKey(
        AmendmentBatch, verbose_name="据此变更", on_delete=models.PROTECT, null=True, blank=True, related_name="appeals"
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "选民资格申诉"
        verbose_name_plural = "选民资格申诉"
        ordering = ["election", "received_on", "id"]

    def __str__(self):
        return f"{self.filer_name}的申诉（{self.received_on}）"

    def audit_scope(self):
        return self.election.audit_scope()


class Proxy(models.Model):
    """委托投票 (OL §15 ¶4): a written entrustment to a close relative who is a voter of the village."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已同意"
        REVOKED = "revoked", "已撤销"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="proxies")
    principal = models.ForeignKey(Voter, verbose_name="委托人", on_delete=models.PROTECT, related_name="proxies_given")
    holder = models.ForeignKey(Voter, verbose_name="受委托人", on_delete=models.PROTECT, related_name="proxies_held")
    relation = models.CharField("与委托人关系", max_length=20)
    authorized_on = models.DateField("书面委托日期")
    document_ref = models.CharField("委托书编号", max_length=50, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    approved_on = models.DateField("审核同意日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)

    class Meta:
        verbose_name = "委托投票"
        verbose_name_plural = "委托投票"
        ordering = ["election", "holder", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["principal"], condition=~Q(status="revoked"), name="proxy_one_active_per_principal"
            ),
            models.CheckConstraint(condition=~Q(principal=models.F("holder")), name="proxy_not_self"),
        ]

    def __str__(self):
        return f"{self.principal.name} → {self.holder.name}"

    def audit_scope(self):
        return self.election.audit_scope()


class AttendanceExcusal(models.Model):
    """A Party member not counted as 应到会 (LAW.md §4.2, the 中组部 answer on 共产党员网, 2016): one of the five
    categories, with the upper Party organisation's consent and the 党员大会's vote. Withdrawn, never deleted."""

    class Category(models.TextChoices):
        ILL = EXCUSED_ILL, EXCUSED_CATEGORY_LABELS[EXCUSED_ILL]
        ABROAD = EXCUSED_ABROAD, EXCUSED_CATEGORY_LABELS[EXCUSED_ABROAD]
        SENTENCED = EXCUSED_SENTENCED, EXCUSED_CATEGORY_LABELS[EXCUSED_SENTENCED]
        FRAIL = EXCUSED_FRAIL, EXCUSED_CATEGORY_LABELS[EXCUSED_FRAIL]
        AWAY = EXCUSED_AWAY, EXCUSED_CATEGORY_LABELS[EXCUSED_AWAY]

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.PROTECT, related_name="excusals")
    member = models.ForeignKey(Voter, verbose_name="党员", on_delete=models.PROTECT, related_name="excusals")
    category = models.CharField("情形", max_length=20, choices=Category.choices)
    facts = models.CharField("具体情况", max_length=200)
    upper_consent_on = models.DateField("上级党组织同意日期")
    upper_consent_ref = models.CharField("上级党组织同意文件或记录", max_length=100)
    meeting_on = models.DateField("党员大会表决日期")
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对", default=0)
    votes_abstained = models.PositiveIntegerField("弃权", default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "不列入应到会人数"
        verbose_name_plural = "不列入应到会人数"
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(withdrawn_at__isnull=True), name="excusal_one_active_per_member",
                violation_error_message="该党员已列为不列入应到会人数。",
            ),
        ]

    def __str__(self):
        return f"{self.member.name}（{self.get_category_display()}）"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def audit_scope(self):
        return self.election.audit_scope()


class ImportJob(models.Model):
    """One uploaded workbook on its way from preview to confirmation (STYLE.md §17)."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        PARSING = "parsing", "正在检查"
        PREVIEW = "preview", "待确认"
        REJECTED = "rejected", "有错误"
        CONFIRMED = "confirmed", "已导入"
        FAILED = "failed", "失败"
        CHECKED_ONLY = "checked_only", "只检查，未导入"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="import_jobs")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT)
    source = models.FileField("上传文件", upload_to="imports/%Y/%m/")
    filename = models.CharField("文件名", max_length=200)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    counts = models.JSONField("统计", default=dict, blank=True)
    issues = models.JSONField("问题清单", default=list, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # The check's process reports here as it goes; one silent too long has died (services.imports).
    heartbeat_at = models.DateTimeField("检查进程最后报告", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("检查次数", default=0)

    class Meta:
        verbose_name = "选民名单导入"
        verbose_name_plural = "选民名单导入"
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def audit_scope(self):
        return self.election.audit_scope()


class ListPrint(models.Model):
    """A published voter list too long to lay out during the request, printed by the task worker."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在生成"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="list_prints")
    paper = models.CharField("纸张", max_length=10)
    as_of = models.DateField("名单日期")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField("文件", upload_to="prints/%Y/%m/", blank=True)
    filename = models.CharField("文件名", max_length=200)
    message = models.CharField("说明", max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("生成次数", default=0)
    heartbeat_at = models.DateTimeField("处理进程最后报告", null=True, blank=True)

    class Meta:
        verbose_name = "选民名单打印"
        verbose_name_plural = "选民名单打印"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.filename

    def audit_scope(self):
        return self.election.audit_scope()

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
