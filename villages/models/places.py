"""Places: 县 → 乡镇 → 行政村 → 村民小组, and 选区 for People's Congress elections."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

division_code_validator = RegexValidator(r"^\d{6}$|^\d{9}$|^\d{12}$", "区划代码应为6位、9位或12位数字（GB/T 2260 / GB/T 10114）。")


class County(models.Model):
    """县（区）: the top of a township's chain; supervisors may read a whole county."""

    name = models.CharField("名称", max_length=50)
    code = models.CharField("区划代码", max_length=12, unique=True, validators=[division_code_validator])

    class Meta:
        verbose_name = "县（区）"
        verbose_name_plural = "县（区）"
        ordering = ["code"]

    def __str__(self):
        return self.name


class TownshipQuerySet(models.QuerySet):
    def search(self, text: str):
        return self.filter(Q(name__contains=text) | Q(code__startswith=text)) if text else self


class Township(models.Model):
    """乡镇（街道）, with its GB/T 10114 nine-digit division code."""

    county = models.ForeignKey(County, verbose_name="所属县（区）", on_delete=models.PROTECT, related_name="townships")
    name = models.CharField("名称", max_length=50)
    code = models.CharField("区划代码", max_length=12, unique=True, validators=[division_code_validator])
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = TownshipQuerySet.as_manager()

    class Meta:
        verbose_name = "乡镇（街道）"
        verbose_name_plural = "乡镇（街道）"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def audit_scope(self):
        return self.pk, None


class VillageQuerySet(models.QuerySet):
    def search(self, text: str):
        return self.filter(Q(name__contains=text) | Q(code__startswith=text)) if text else self

    def with_group_count(self):
        return self.annotate(group_count=models.Count("groups", distinct=True))


class Village(models.Model):
    """行政村 / 社区: the unit that elects one committee."""

    township = models.ForeignKey(Township, verbose_name="所属乡镇", on_delete=models.PROTECT, related_name="villages")
    name = models.CharField("村名", max_length=50)
    code = models.CharField(
        "村级代码",
        max_length=12,
        validators=[RegexValidator(r"^\d{12}$", "村级代码应为12位统计用区划代码。")],
        help_text="12位统计用区划代码，例如 330110101201",
    )
    population = models.PositiveIntegerField("户籍人口", default=0)
    households = models.PositiveIntegerField("户数", default=0)
    natural_villages = models.PositiveIntegerField("自然村数", default=0)
    is_multiethnic = models.BooleanField("多民族村", default=False, help_text="多民族村的村委会应当有人数较少的民族的成员")
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = VillageQuerySet.as_manager()

    class Meta:
        verbose_name = "行政村"
        verbose_name_plural = "行政村"
        ordering = ["township", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="village_code_unique"),
            models.UniqueConstraint(fields=["township", "name"], name="village_name_unique_in_township"),
        ]

    def __str__(self):
        return self.name

    def audit_scope(self):
        return self.township_id, self.pk


class VillagerGroup(models.Model):
    """村民小组: every voter belongs to one; polling stations are often one per group."""

    village = models.ForeignKey(Village, verbose_name="所属村", on_delete=models.PROTECT, related_name="groups")
    number = models.PositiveSmallIntegerField("组号")
    name = models.CharField("组名", max_length=50)
    leader = models.CharField("组长", max_length=30, blank=True)

    class Meta:
        verbose_name = "村民小组"
        verbose_name_plural = "村民小组"
        ordering = ["village", "number"]
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="group_number_unique_in_village"),
            models.UniqueConstraint(fields=["village", "name"], name="group_name_unique_in_village"),
        ]

    def __str__(self):
        return self.name

    def audit_scope(self):
        return self.village.township_id, self.village_id


class Constituency(models.Model):
    """选区 for township People's Congress elections: population and deputy seats."""

    township = models.ForeignKey(Township, verbose_name="所属乡镇", on_delete=models.PROTECT, related_name="constituencies")
    number = models.PositiveSmallIntegerField("选区编号")
    name = models.CharField("选区名称", max_length=50)
    population = models.PositiveIntegerField("人口数")
    deputy_seats = models.PositiveSmallIntegerField("应选代表名额")
    villages = models.ManyToManyField(Village, verbose_name="包含村", blank=True, related_name="constituencies")

    class Meta:
        verbose_name = "选区"
        verbose_name_plural = "选区"
        ordering = ["township", "number"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="constituency_number_unique"),
            models.CheckConstraint(condition=Q(deputy_seats__gte=1), name="constituency_has_seats"),
        ]

    def __str__(self):
        return self.name

    def audit_scope(self):
        return self.township_id, None
