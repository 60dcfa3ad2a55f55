"""Rosters the reports compare against: last term's village committee and the village Party
branch committee (for 连选连任, 一肩挑 and 交叉任职). Only ``reports`` reads them."""

from django.conf import settings
from django.db import models

from villages.models import Village
from voters.idnumber import mask_id_number


class Roster(models.Model):
    class Kind(models.TextChoices):
        VILLAGE_COMMITTEE = "village_committee", "村民委员会（上届）"
        PARTY_BRANCH = "party_branch", "村党组织委员会"

    village = models.ForeignKey(Village, verbose_name="村", on_delete=models.PROTECT, related_name="rosters")
    kind = models.CharField("名册类型", max_length=30, choices=Kind.choices)
    term_number = models.PositiveSmallIntegerField("届次")
    source_filename = models.CharField("来源文件", max_length=200, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "成员名册"
        verbose_name_plural = "成员名册"
        ordering = ["village", "kind", "-term_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "kind", "term_number"],
                name="roster_unique_term",
                violation_error_message="该村该届次的名册已经导入。",
            )
        ]

    def __str__(self):
        return f"{self.village.name}第{self.term_number}届{self.get_kind_display()}"

    def audit_scope(self):
        return self.village.township_id, self.village_id


class RosterMember(models.Model):
    class Post(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE_CHAIR = "vice_chair", "副主任"
        MEMBER = "member", "委员"
        SECRETARY = "secretary", "书记"
        DEPUTY_SECRETARY = "deputy_secretary", "副书记"

    roster = models.ForeignKey(Roster, verbose_name="名册", on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=30)
    id_number = models.CharField("公民身份号码", max_length=18)
    sex = models.CharField("性别", max_length=1)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=2, default="01")
    education = models.CharField("文化程度", max_length=2, blank=True)
    political_status = models.CharField("政治面貌", max_length=2, default="13")
    post = models.CharField("职务", max_length=20, choices=Post.choices)

    class Meta:
        verbose_name = "名册成员"
        verbose_name_plural = "名册成员"
        ordering = ["roster", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "id_number"], name="roster_member_once"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_post_display()}）"

    @property
    def masked_id_number(self) -> str:
        """Roster pages mask numbers for everyone (``villages.access.can_see_full_id``)."""
        return mask_id_number(self.id_number)


class ReportExport(models.Model):
    """A report workbook or PDF built by the task worker (a county is too large to render during a
    request), with its progress for the polling page. Readable by whoever may read its scope."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel工作簿"
        PDF = "pdf", "PDF"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在生成"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("范围类型", max_length=10)
    code = models.CharField("范围代码", max_length=12)
    label = models.CharField("范围", max_length=100)
    # None for a city's or a province's report (``kind`` and ``code`` name it)
    county = models.ForeignKey("villages.County", verbose_name="县（区）", on_delete=models.CASCADE, related_name="+",
                               null=True, blank=True)
    township = models.ForeignKey(
        "villages.Township", verbose_name="乡镇", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    village = models.ForeignKey(Village, verbose_name="村", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    format = models.CharField("格式", max_length=4, choices=Format.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    step = models.CharField("当前步骤", max_length=50, blank=True)
    file = models.FileField("文件", upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("生成次数", default=0)
    heartbeat_at = models.DateTimeField("处理进程最后报告", null=True, blank=True)

    class Meta:
        verbose_name = "报表导出"
        verbose_name_plural = "报表导出"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_export_progress_at_most_100"
            ),
        ]

    def __str__(self):
        return f"{self.label}统计报表（{self.get_format_display()}）"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def audit_scope(self):
        return self.township_id, self.village_id


class Region(models.Model):
    """A 市 (地级) or a 省 above the counties, named for the city and province reports. Its code is the
    GB/T 2260 six-digit code: a county's city is the county code's first four digits and ``00``, its
    province the first two and ``0000`` (330199 → 330100 → 330000). The places are derived from the
    county codes (no county row changes); this table only names them. The provinces are loaded by the
    migration; a city is named by the administrator (``manage.py name_region 330100 杭州市``), and
    until then is shown by its code."""

    class Level(models.TextChoices):
        CITY = "city", "市"
        PROVINCE = "province", "省"

    code = models.CharField("区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = "市、省"
        verbose_name_plural = "市、省"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level="province", code__endswith="0000")
                           | (models.Q(level="city", code__endswith="00") & ~models.Q(code__endswith="0000"))),
                name="region_code_matches_level",
            ),
        ]

    def __str__(self):
        return self.name


class RegionReader(models.Model):
    """A 督导 of a city or a province: reads that city's or province's report (and, for a province,
    its cities'), read-only, as a county supervisor reads the county's. Assigned by the administrator
    (``manage.py name_region 330100 --reader <user>``). The user keeps the county or township every
    supervisor has (a database constraint), whose pages they read as before."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="region_reader")
    region = models.ForeignKey(Region, verbose_name="市、省", on_delete=models.PROTECT, related_name="readers")

    class Meta:
        verbose_name = "市、省督导"
        verbose_name_plural = "市、省督导"

    def __str__(self):
        return f"{self.user}（{self.region}）"


class ElectionAggregate(models.Model):
    """What the report sums, per village committee election: its turnout facts and the counts of its
    elected members (``reports.figures.CompositionCounts``; last term's too where it is known). Kept by
    ``reports.aggregates.refresh`` after every write to the election commits (the write services'
    ``lock_election_for_write``) and after roster imports; ``manage.py rebuild_report_aggregates``
    builds them all again. The city and province reports read only these rows, one per village."""

    election = models.OneToOneField("villages.Election", verbose_name="选举", primary_key=True,
                                    on_delete=models.CASCADE, related_name="report_aggregate")
    registered = models.PositiveIntegerField("登记选民", default=0)
    voted = models.PositiveIntegerField("参加投票", default=0)
    has_voted = models.BooleanField("已投票", default=False)
    by_proxy = models.PositiveIntegerField("委托投票", default=0)
    by_mobile_box = models.PositiveIntegerField("流动票箱", default=0)
    away = models.PositiveIntegerField("外出", default=0)
    valid_first_attempt = models.BooleanField("第一次投票即有效", default=False)
    full_committee_first_round = models.BooleanField("一次选举成功", default=False)
    previous_known = models.BooleanField("有上届数据", default=False)
    branch_roster = models.BooleanField("已导入党组织名册", default=False)
    composition = models.JSONField("当选成员计数", default=dict)
    previous = models.JSONField("上届成员计数", null=True, blank=True)
    refreshed_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "选举汇总"
        verbose_name_plural = "选举汇总"

    def __str__(self):
        return f"{self.election}汇总"
