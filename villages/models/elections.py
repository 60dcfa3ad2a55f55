"""A round of elections (换届) across a township, and each village's election in it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property

from .. import stages
from ..legal_calendar import CalendarFacts, CalendarItem
from ..kinds import COUNTY, LEVEL_LABELS, TOWNSHIP, get_kind, level_pairs
from ..kinds import KINDS
from ..kinds.party_branch import CODE as PARTY_BRANCH_CODE
from ..kinds.party_congress import CODE as PARTY_CONGRESS_CODE
from ..kinds.village_committee import CODE as VILLAGE_COMMITTEE_CODE
from ..presets import RuleParameters
from .places import County, Township, Village


class RulePreset(models.Model):
    """规则预设: the parameters of one election type and province, as data (LAW.md §2.10)."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    province = models.CharField("适用省份", max_length=20, blank=True)
    election_type = models.CharField("选举类型", max_length=30, default="village_committee")
    params = models.JSONField("参数", default=dict, help_text="只需填写与全国默认值不同的参数")
    sources = models.JSONField("依据条文", default=list, blank=True)
    is_builtin = models.BooleanField("内置", default=False)

    class Meta:
        verbose_name = "规则预设"
        verbose_name_plural = "规则预设"
        ordering = ["id"]

    def __str__(self):
        return self.name

    def clean(self):
        try:
            get_kind(self.election_type).rules(self.params)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"params": str(exc)}, code="invalid_params") from exc

    @property
    def kind(self):
        return get_kind(self.election_type)

    @property
    def rules(self) -> RuleParameters:
        """This preset's parameters, of its kind's class (``villages.kinds``)."""
        return self.kind.rules(self.params)


class ElectionType(models.TextChoices):
    """The kinds of ``villages.kinds`` (one value per kind)."""

    VILLAGE_COMMITTEE = "village_committee", "村民委员会选举"
    DEPUTIES = "deputies", "人民代表大会代表选举"
    PARTY_BRANCH = "party_branch", "村党组织换届选举"
    PARTY_CONGRESS = "party_congress", "乡镇党代表大会代表选举"


class Level(models.TextChoices):
    TOWNSHIP = TOWNSHIP, LEVEL_LABELS[TOWNSHIP]
    COUNTY = COUNTY, LEVEL_LABELS[COUNTY]


class CampaignQuerySet(models.QuerySet):
    def of_kind(self, code: str):
        return self.filter(election_type=code)


def _kind_level_condition() -> Q:
    condition = Q(pk__in=[])
    for code, level in level_pairs():
        condition |= Q(election_type=code, level=level)
    return condition


class Campaign(models.Model):
    """换届选举: one round of one kind of election (``villages.kinds``), e.g. 第七届村民委员会换届选举
    across a township, or a county's or a township's 人大代表 election.

    ``level`` says whose round it is: a township's round sets ``township`` (and its ``county``); a
    county's round sets ``county`` only. The kind decides which levels it has; a database constraint
    ties the two together. The preset's parameters are copied into ``rule_params`` when the round
    opens, so later edits of the preset never change the rules of an election already under way.
    """

    county = models.ForeignKey(County, verbose_name="县（区）", on_delete=models.PROTECT, related_name="campaigns")
    township = models.ForeignKey(
        Township, verbose_name="乡镇", on_delete=models.PROTECT, related_name="campaigns", null=True, blank=True
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.TOWNSHIP)
    term_number = models.PositiveSmallIntegerField("届次", validators=[MinValueValidator(1), MaxValueValidator(99)])
    election_type = models.CharField(
        "选举类型", max_length=30, choices=ElectionType.choices, default=ElectionType.VILLAGE_COMMITTEE
    )
    preset = models.ForeignKey(RulePreset, verbose_name="规则预设", on_delete=models.PROTECT, related_name="campaigns")
    rule_params = models.JSONField("适用规则参数", default=dict, editable=False)
    default_election_day = models.DateField("统一选举日")
    planned_women = models.PositiveIntegerField("计划妇女代表数", null=True, blank=True)
    planned_non_party = models.PositiveIntegerField("计划非中共党员代表数", null=True, blank=True)
    # A township Party congress's delegates (乡镇党代表大会代表名额), allocated to its 选举单位 by their full members.
    delegate_total = models.PositiveSmallIntegerField("代表名额", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_on = models.DateField("结束日期", null=True, blank=True, help_text="提前结束本届换届选举，以便开启新的一届")
    closed_reason = models.CharField("结束原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "换届选举"
        verbose_name_plural = "换届选举"
        ordering = ["-term_number"]
        constraints = [
            models.UniqueConstraint(fields=["township", "election_type", "term_number"], name="campaign_unique_term"),
            models.UniqueConstraint(
                fields=["county", "election_type", "term_number"],
                condition=Q(township__isnull=True),
                name="campaign_unique_county_term",
                violation_error_message="本县该届选举已经存在。",
            ),
            models.CheckConstraint(
                condition=Q(level=TOWNSHIP, township__isnull=False) | Q(level=COUNTY, township__isnull=True),
                name="campaign_level_matches_place",
                violation_error_message="乡级选举须属于一个乡镇，县级选举不属于乡镇。",
            ),
            models.CheckConstraint(
                condition=_kind_level_condition(),
                name="campaign_kind_has_level",
                violation_error_message="该类选举没有这一层级。",
            ),
        ]

    def __str__(self):
        return f"{self.place_name}{self.title}"

    @property
    def place_name(self) -> str:
        return self.township.name if self.township_id else self.county.name

    @property
    def kind(self):
        return get_kind(self.election_type)

    @property
    def is_county_level(self) -> bool:
        return self.level == Level.COUNTY

    @property
    def title(self) -> str:
        if self.election_type == VILLAGE_COMMITTEE_CODE:
            return f"第{self.term_number}届{self.get_election_type_display()}"
        return f"第{self.term_shown}{self.kind.term_word}{self.kind.title(self.level)}"

    @property
    def term_shown(self) -> str:
        """The round's number as its kind writes it: 十 for a Party congress, 12 for the others."""
        from ..announcements import cn_numeral

        return cn_numeral(self.term_number) if self.kind.term_in_words else str(self.term_number)

    @property
    def congress_name(self) -> str:
        """青山镇第十次党代表大会: the congress a township Party congress round elects the delegates of."""
        return f"{self.place_name}第{self.term_shown}次党代表大会"

    @cached_property
    def rules(self) -> RuleParameters:
        return self.kind.rules(self.rule_params)

    def audit_scope(self):
        return self.township_id, None


class ElectionQuerySet(models.QuerySet):
    def with_places(self):
        return self.select_related(
            "village", "village__township", "district", "district__township", "party_unit", "campaign",
            "campaign__township",
        )

    def of_villages(self):
        return self.filter(village__isnull=False)

    def of_districts(self):
        return self.filter(district__isnull=False)

    def bulk_create(self, objs, *args, **kwargs):
        """Every creation path sets ``kind_code`` (``Election.save`` for one, this for many)."""
        objs = list(objs)
        for election in objs:
            election.set_kind_code()
        return super().bulk_create(objs, *args, **kwargs)


def _party_branch_seats() -> Q:
    """A village Party organisation's committee (支部工作条例, LAW.md §4.3): 书记 1, at most two 副书记 (the outer
    bound, for a 党总支 or 村党委; the preset's ``deputy_secretary_max``, 1 by default, is the services' check), at most
    7 in all; a branch below 7 full members has a 书记 only (1 in all). The preset's narrower range and the
    full-member count are the services' checks (``villages.services.validate_party_seats``)."""
    return Q(seats_chair=1, seats_vice_chair__lte=2, seats_member__lte=7 - F("seats_chair") - F("seats_vice_chair"))


class Election(models.Model):
    """One unit's election in a round, with its own day, seats and stage: a village's committee
    election (村委会选举, ``village``), or a 选区's election of deputies (``district``, 人大; its seats
    are the district's deputies, kept in ``seats_member``)."""

    class ChosenBy(models.TextChoices):
        VILLAGERS_MEETING = "villagers_meeting", "村民会议"
        REPRESENTATIVES_MEETING = "representatives_meeting", "村民代表会议"
        GROUP_MEETINGS = "group_meetings", "各村民小组会议"

    campaign = models.ForeignKey(Campaign, verbose_name="换届选举", on_delete=models.PROTECT, related_name="elections")
    village = models.ForeignKey(
        Village, verbose_name="村", on_delete=models.PROTECT, related_name="elections", null=True, blank=True
    )
    # The round's kind (``Campaign.election_type``), copied when the election is created and never changed, so
    # that the database's seat constraints can tell a village committee from a Party organisation's committee.
    kind_code = models.CharField("选举类型", max_length=30, choices=ElectionType.choices, editable=False)
    district = models.ForeignKey(
        "villages.Constituency",
        verbose_name="选区",
        on_delete=models.PROTECT,
        related_name="elections",
        null=True,
        blank=True,
    )
    # A township Party congress's 选举单位 (``PartyElectoralUnit``); its delegates are kept in ``seats_member``.
    party_unit = models.OneToOneField(
        "villages.PartyElectoralUnit",
        verbose_name="选举单位",
        on_delete=models.PROTECT,
        related_name="election",
        null=True,
        blank=True,
    )
    election_day = models.DateField("选举日")
    postponed_from = models.DateField("原定选举日", null=True, blank=True)
    postponement_reason = models.CharField("顺延原因", max_length=200, blank=True)
    seats_chair = models.PositiveSmallIntegerField("主任职数", default=1)
    seats_vice_chair = models.PositiveSmallIntegerField("副主任职数", default=0)
    seats_member = models.PositiveSmallIntegerField("委员职数", default=2)
    woman_seat_reserved = models.BooleanField("设妇女委员专职", default=False)
    stage = models.CharField("阶段", max_length=20, choices=stages.STAGES, default=stages.PREPARATION)

    committee_chosen_by = models.CharField(
        "选举委员会推选方式", max_length=30, choices=ChosenBy.choices, blank=True
    )
    committee_chosen_on = models.DateField("选举委员会推选日期", null=True, blank=True)
    voter_list_published_on = models.DateField("选民名单公布日期", null=True, blank=True)
    candidate_list_published_on = models.DateField("候选人名单公布日期", null=True, blank=True)
    proxy_list_published_on = models.DateField("委托投票名单公布日期", null=True, blank=True)
    results_announced_on = models.DateField("选举结果公布日期", null=True, blank=True)
    new_committee_formed_on = models.DateField("新一届村委会产生日期", null=True, blank=True)
    handover_completed_on = models.DateField("工作移交完成日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    # A Party organisation's election: the township Party committee's approval (乡镇党委批复) of the election plan
    # and the committee's size (LAW.md §4.2, 2020 条例 Art. 14).
    plan_approved_on = models.DateField("乡镇党委批复日期", null=True, blank=True)
    plan_approval_ref = models.CharField("批复文号", max_length=60, blank=True)
    certified_at = models.DateTimeField("结果认定时间", null=True, blank=True)
    certified_by = models.ForeignKey(
        "villages.User", verbose_name="认定人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = "选举"
        verbose_name_plural = "选举"
        ordering = ["campaign", "village__code", "district__number", "party_unit__number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "village"], name="election_unique_village_in_campaign"),
            models.UniqueConstraint(
                fields=["campaign", "district"],
                name="election_unique_district_in_campaign",
                violation_error_message="该选区在本次换届中已有选举。",
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=False, district__isnull=True, party_unit__isnull=True)
                | Q(village__isnull=True, district__isnull=False, party_unit__isnull=True)
                | Q(village__isnull=True, district__isnull=True, party_unit__isnull=False),
                name="election_of_one_unit",
                violation_error_message="一次选举属于一个村、一个选区或一个党代表大会选举单位。",
            ),
            # A township Party congress's unit elects delegates only (kept in ``seats_member``); only that kind
            # has such units.
            models.CheckConstraint(
                condition=(~Q(kind_code=PARTY_CONGRESS_CODE) & Q(party_unit__isnull=True))
                | Q(kind_code=PARTY_CONGRESS_CODE, party_unit__isnull=False, seats_chair=0, seats_vice_chair=0),
                name="election_party_congress_unit",
                violation_error_message="乡镇党代表大会代表选举以选举单位为单位，只选举代表。",
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=True) | Q(seats_chair=1),
                name="election_one_chair",
                violation_error_message="主任职数为1名。",
            ),
            models.CheckConstraint(
                condition=Q(seats_vice_chair__lte=2),
                name="election_vice_chair_at_most_2",
                violation_error_message="副主任职数不能超过2名。",
            ),
            models.CheckConstraint(
                condition=Q(kind_code__in=list(KINDS)),
                name="election_kind_code_known",
                violation_error_message="选举类型无效。",
            ),
            # A village committee has 3 to 7 members (OL §6). Every village election but a Party organisation's
            # is held to it: an election whose kind were unset or unknown keeps the guarantee.
            models.CheckConstraint(
                condition=Q(village__isnull=True)
                | Q(kind_code=PARTY_BRANCH_CODE)
                | (
                    Q(seats_member__gte=3 - F("seats_chair") - F("seats_vice_chair"))
                    & Q(seats_member__lte=7 - F("seats_chair") - F("seats_vice_chair"))
                ),
                name="election_committee_3_to_7",
                violation_error_message="村委会成员职数合计必须在3至7人之间（村民委员会组织法第六条）。",
            ),
            models.CheckConstraint(
                condition=~Q(kind_code=PARTY_BRANCH_CODE) | (Q(village__isnull=False) & _party_branch_seats()),
                name="election_party_branch_posts",
                violation_error_message="村党组织设书记1名、副书记至多2名，委员合计不超过7名（《中国共产党支部工作条例（试行）》，党总支、村党委可设副书记2名）。",
            ),
            # A 选区 elects one to three deputies (Election Law Art. 25), kept in ``seats_member``.
            models.CheckConstraint(
                condition=Q(district__isnull=True)
                | Q(seats_chair=0, seats_vice_chair=0, seats_member__gte=1, seats_member__lte=3),
                name="election_district_1_to_3_deputies",
                violation_error_message="每一选区选一名至三名代表（选举法第二十五条）。",
            ),
        ]

    def __str__(self):
        return f"{self.unit_name}（{self.campaign.title}）"

    def set_kind_code(self) -> None:
        """Copy the round's kind onto a new election; a mismatch is a programming error."""
        kind_code = self.campaign.election_type
        if self.kind_code and self.kind_code != kind_code:
            raise ValueError(f"选举类型{self.kind_code}与所属换届选举的类型{kind_code}不符")
        self.kind_code = kind_code

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.set_kind_code()
        super().save(*args, **kwargs)

    @property
    def is_party_branch(self) -> bool:
        """A village Party organisation's election (村党组织换届选举)."""
        return self.kind_code == PARTY_BRANCH_CODE

    # The electoral unit: a village (村委会) or a 选区 (人大). Stage apps ask these, not ``village``.

    @property
    def is_district(self) -> bool:
        return self.district_id is not None

    @property
    def is_party_congress_unit(self) -> bool:
        """A 选举单位's election of delegates to the township Party congress."""
        return self.party_unit_id is not None

    @property
    def unit(self):
        if self.party_unit_id:
            return self.party_unit
        return self.district if self.district_id else self.village

    @property
    def unit_name(self) -> str:
        if self.party_unit_id:
            return self.party_unit.name
        return str(self.district) if self.district_id else self.village.name

    @property
    def paper_title(self) -> str:
        """The heading the counting papers print: 东山村第7届村民委员会选举 (the term in figures, as the
        village papers have it), or the district's ``unit_heading``."""
        if self.district_id or self.party_unit_id:
            return self.unit_heading
        if self.is_party:
            return f"{self.village.name}第{self.campaign.term_number}届村党组织换届选举"
        return f"{self.village.name}第{self.campaign.term_number}届村民委员会选举"

    @property
    def is_party(self) -> bool:
        """A village Party organisation's election (村党组织换届选举): its 党员大会 votes (LAW.md §4.2)."""
        return self.campaign.election_type == "party_branch"

    @property
    def committee_label(self) -> str:
        """Who signs and seals a paper: 村民选举委员会 (its village is in the heading), or the round's 选举委员会."""
        if self.district_id:
            return self.committee_name
        if self.party_unit_id:
            return f"{self.campaign.place_name}党委"
        return "村党组织" if self.is_party else "村民选举委员会"

    @property
    def unit_here(self) -> str:
        """How a message to the people working this election names its unit: 本村 or 本选区."""
        return "本选区" if self.district_id else "本选举单位" if self.party_unit_id else "本村"

    @property
    def unit_that(self) -> str:
        """How a message about this election names its unit: 该村 or 该选区."""
        return "该选区" if self.district_id else "该选举单位" if self.party_unit_id else "该村"

    @property
    def unit_heading(self) -> str:
        """东山村第七届村民委员会选举; 青山镇第十八届乡级人民代表大会代表选举第1选区（东山村）."""
        from ..announcements import cn_numeral

        campaign = self.campaign
        if self.district_id:
            return f"{campaign.place_name}第{cn_numeral(campaign.term_number)}届{campaign.kind.title(campaign.level)}{self.district}"
        if self.party_unit_id:
            return f"{self.congress_name}代表选举（{self.party_unit.name}）"
        return f"{self.village.name}第{cn_numeral(campaign.term_number)}届村民委员会选举"

    @property
    def congress_name(self) -> str:
        """The congress a 选举单位 sends its delegates to: 青山镇第十次党代表大会."""
        return self.campaign.congress_name

    @property
    def committee_name(self) -> str:
        """Who acts for the election: the village's 村民选举委员会, or the round's 选举委员会 (乡镇 or 县)."""
        if self.district_id:
            return f"{self.campaign.place_name}选举委员会"
        if self.party_unit_id:
            return f"中共{self.campaign.place_name}委员会"
        return f"{self.village.name}村民选举委员会"

    @property
    def township_id(self) -> int:
        if self.party_unit_id:
            return self.campaign.township_id
        return self.district.township_id if self.district_id else self.village.township_id

    @property
    def township(self):
        if self.party_unit_id:
            return self.campaign.township
        return self.district.township if self.district_id else self.village.township

    def unit_groups(self):
        """The villager groups whose people vote in this election: the village's groups, or the
        groups a 选区 takes in (those of its whole villages and those named one by one)."""
        from .places import VillagerGroup

        if self.party_unit_id:
            return VillagerGroup.objects.filter(village__party_organisation__electoral_units=self.party_unit_id)
        if not self.district_id:
            return VillagerGroup.objects.filter(village_id=self.village_id)
        district = self.district
        ids = VillagerGroup.objects.filter(
            Q(village__in=district.villages.values("pk")) | Q(pk__in=district.groups.values("pk"))
        ).values("pk")
        return VillagerGroup.objects.filter(pk__in=ids)  # no join left to multiply an aggregate

    def group_choices(self) -> list[tuple[int, str]]:
        """The unit's villager groups for a form: the group's name, prefixed with its village's when
        the unit (a 选区) takes in groups of several villages."""
        groups = list(self.unit_groups().select_related("village").order_by("village__code", "number"))
        several = len({g.village_id for g in groups}) > 1
        return [(g.pk, f"{g.village.name}{g.name}" if several else g.name) for g in groups]

    def unit_villages(self):
        """The villages whose people vote in this election, whole or by some of their groups."""
        if self.party_unit_id:
            return Village.objects.filter(party_organisation__electoral_units=self.party_unit_id)
        if not self.district_id:
            return Village.objects.filter(pk=self.village_id)
        return Village.objects.filter(groups__in=self.unit_groups()).distinct()

    @property
    def is_certified(self) -> bool:
        """Certified results lock the election's voters, candidates, tallies and results."""
        return self.certified_at is not None

    @property
    def total_seats(self) -> int:
        return self.seats_chair + self.seats_vice_chair + self.seats_member

    @property
    def rules(self) -> RuleParameters:
        return self.campaign.rules

    @property
    def stage_label(self) -> str:
        return self.campaign.kind.stage_label(self.stage)

    def calendar_facts(self) -> CalendarFacts:
        return CalendarFacts(
            election_day=self.election_day,
            committee_chosen_on=self.committee_chosen_on,
            voter_list_published_on=self.voter_list_published_on,
            candidate_list_published_on=self.candidate_list_published_on,
            proxy_list_published_on=self.proxy_list_published_on,
            results_announced_on=self.results_announced_on,
            new_committee_formed_on=self.new_committee_formed_on,
            handover_completed_on=self.handover_completed_on,
            archived_on=self.archived_on,
        )

    def calendar(self, today: date) -> list[CalendarItem]:
        """The legal calendar of this election as of ``today`` (LAW.md §0.2), with the facts the
        later stages contribute (``villages.extensions``)."""
        from ..extensions import calendars

        return calendars([self], today=today)[self.pk]

    def audit_scope(self):
        return self.township_id, self.village_id


class CommitteeMember(models.Model):
    """A member of an election committee: the 村民选举委员会 of one village's election (OL §12), or
    the 选举委员会 of a 人大 round (Election Law Arts. 9–10), set on ``campaign`` instead.

    A member nominated as a candidate leaves the committee (OL §12; Election Law Art. 10); in a village
    the vacancy is filled from the original selection in order (按照原推选结果依次递补)."""

    class Position(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE_CHAIR = "vice_chair", "副主任"
        MEMBER = "member", "委员"

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    election = models.ForeignKey(
        Election,
        verbose_name="村委会选举",
        on_delete=models.CASCADE,
        related_name="committee_members",
        null=True,
        blank=True,
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="人大换届选举",
        on_delete=models.CASCADE,
        related_name="committee_members",
        null=True,
        blank=True,
    )
    name = models.CharField("姓名", max_length=30)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    position = models.CharField("职务", max_length=20, choices=Position.choices, default=Position.MEMBER)
    selection_order = models.PositiveSmallIntegerField("推选顺序", default=1, help_text="递补时按推选结果依次递补")
    is_alternate = models.BooleanField("候补", default=False)
    left_on = models.DateField("离任日期", null=True, blank=True)
    left_reason = models.CharField("离任原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "村民选举委员会成员"
        verbose_name_plural = "村民选举委员会成员"
        ordering = ["election", "is_alternate", "selection_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["election"],
                condition=Q(position="chair", left_on__isnull=True, is_alternate=False),
                name="committee_one_active_chair",
                violation_error_message="村民选举委员会只能有一名在任主任。",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(position="chair", left_on__isnull=True, is_alternate=False),
                name="committee_one_active_chair_of_round",
                violation_error_message="选举委员会只能有一名在任主任。",
            ),
            models.CheckConstraint(
                condition=Q(election__isnull=False, campaign__isnull=True) | Q(election__isnull=True, campaign__isnull=False),
                name="committee_member_of_one_body",
                violation_error_message="委员会成员须属于一个村的选举或一次人大换届选举。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_position_display()}）"

    @property
    def is_active(self) -> bool:
        return self.left_on is None and not self.is_alternate

    def audit_scope(self):
        return (self.election or self.campaign).audit_scope()
