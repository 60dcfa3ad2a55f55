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


class PartyOrganisation(models.Model):
    """A village's Party organisation (村党支部, 党总支 or 村党委) under its township's Party committee: the unit
    of a 村党组织换届选举 (``villages.kinds.party_branch``). Its election is the village's election of that round;
    its members are the election's register (党员名册, ``voters``)."""

    class Type(models.TextChoices):
        BRANCH = "branch", "党支部"
        GENERAL_BRANCH = "general_branch", "党总支"
        COMMITTEE = "committee", "党委"

    village = models.OneToOneField(Village, verbose_name="村", on_delete=models.PROTECT, related_name="party_organisation")
    type = models.CharField("组织类型", max_length=20, choices=Type.choices, default=Type.BRANCH)
    name = models.CharField("名称", max_length=60)
    parent_name = models.CharField("上级党组织", max_length=60, help_text="乡镇党委，例如 中共青山镇委员会")
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "村党组织"
        verbose_name_plural = "村党组织"
        ordering = ["village"]

    def __str__(self):
        return self.name

    @staticmethod
    def default_name(village: Village, type: str = "branch") -> str:
        suffix = {"branch": "支部委员会", "general_branch": "总支部委员会", "committee": "委员会"}[type]
        return f"中共{village.name}{suffix}"

    @staticmethod
    def default_parent_name(township: Township) -> str:
        return f"中共{township.name}委员会"

    def audit_scope(self):
        return self.village.township_id, self.village_id


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


class ConstituencyQuerySet(models.QuerySet):
    def with_members(self):
        """Villages, villager groups (with their village) and units, fetched in three queries."""
        return self.prefetch_related("villages", "groups__village", "units", "elections")

    def containing_villages(self, villages):
        """Districts that take in any of ``villages``, whole or by some of their villager groups."""
        return self.filter(Q(villages__in=villages) | Q(groups__village__in=villages)).distinct()


class Constituency(models.Model):
    """选区: the electoral district of a 人大 round (Election Law Arts. 24–26, LAW.md §3.3).

    A district belongs to one round (``campaign``), whose level says whether it elects county or
    township deputies; it lies in one township and is built from whole villages, villager groups of a
    village split among districts, and named units (residential areas, workplaces: 单位选区) with
    their population. It elects 1 to 3 deputies. Rows kept from before rounds existed have no round;
    the per-district seat range applies to districts of a round.
    """

    class Basis(models.TextChoices):
        RESIDENCE = "residence", "按居住状况划分"
        WORKPLACE = "workplace", "按生产单位、事业单位、工作单位划分"

    campaign = models.ForeignKey(
        "villages.Campaign",
        verbose_name="人大换届选举",
        on_delete=models.PROTECT,
        related_name="districts",
        null=True,
        blank=True,
    )
    township = models.ForeignKey(Township, verbose_name="所属乡镇", on_delete=models.PROTECT, related_name="constituencies")
    number = models.PositiveSmallIntegerField("选区编号")
    name = models.CharField("选区名称", max_length=50)
    basis = models.CharField("划分方式", max_length=20, choices=Basis.choices, default=Basis.RESIDENCE)
    population = models.PositiveIntegerField("人口数")
    deputy_seats = models.PositiveSmallIntegerField("应选代表名额")
    villages = models.ManyToManyField(Village, verbose_name="包含村（整村）", blank=True, related_name="constituencies")
    groups = models.ManyToManyField(
        VillagerGroup,
        verbose_name="包含村民小组（分村划分时）",
        blank=True,
        related_name="constituencies",
        help_text="一个村分入几个选区时，按村民小组选择；整村划入的不必选小组",
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = ConstituencyQuerySet.as_manager()

    class Meta:
        verbose_name = "选区"
        verbose_name_plural = "选区"
        ordering = ["township", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "number"], condition=Q(campaign__isnull=True), name="constituency_number_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="constituency_number_unique_in_round",
                violation_error_message="本次换届已有相同编号的选区。",
            ),
            models.CheckConstraint(condition=Q(deputy_seats__gte=1), name="constituency_has_seats"),
            models.CheckConstraint(
                condition=Q(campaign__isnull=True) | Q(deputy_seats__lte=3),
                name="constituency_at_most_3_seats",
                violation_error_message="每一选区选一名至三名代表（选举法第二十五条）。",
            ),
        ]

    def __str__(self):
        return f"第{self.number}选区（{self.name}）"

    def audit_scope(self):
        return self.township_id, None


class DistrictUnit(models.Model):
    """A named part of a 选区 other than a village: a residential area (居民区) or a workplace
    (单位: an organ, an enterprise, a public institution), with its population."""

    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", "居民区"
        WORKPLACE = "workplace", "单位"

    district = models.ForeignKey(Constituency, verbose_name="选区", on_delete=models.CASCADE, related_name="units")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.WORKPLACE)
    name = models.CharField("名称", max_length=60)
    population = models.PositiveIntegerField("人口数")

    class Meta:
        verbose_name = "选区单位"
        verbose_name_plural = "选区单位"
        ordering = ["district", "id"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="district_unit_name_unique")]

    def __str__(self):
        return self.name

    def audit_scope(self):
        return self.district.audit_scope()
