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
    county = models.ForeignKey("villages.County", verbose_name="县（区）", on_delete=models.CASCADE, related_name="+")
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
