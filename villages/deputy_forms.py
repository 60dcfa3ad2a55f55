"""Forms for the setup of a 人大 round: shape only; rules live in ``villages.deputy_services``."""

from __future__ import annotations

from crispy_forms.layout import Column, Row
from django import forms

from .access import townships_visible_to, villages_visible_to
from .forms import VersionedForm, _helper
from .kinds import COUNTY, TOWNSHIP
from .models import Campaign, Constituency, County, DistrictUnit, ElectionType, Level, Role, RulePreset, SeatDecision, User, VillagerGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeputyRoundForm(forms.ModelForm):
    """Open a county's or a township's round; the choices offer only what the user may open."""

    class Meta:
        model = Campaign
        fields = ["level", "county", "township", "term_number", "preset", "default_election_day"]
        widgets = {"default_election_day": DATE}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        townships = townships_visible_to(user).select_related("county")
        self.fields["township"].queryset = townships
        self.fields["township"].help_text = "乡级选举必填；县级选举不填"
        if user.role == Role.ADMIN:
            self.fields["county"].queryset = County.objects.all()
        elif user.role == Role.COUNTY_OFFICE:
            self.fields["county"].queryset = County.objects.filter(pk=user.county_id)
        else:
            self.fields["county"].queryset = County.objects.filter(townships__pk=user.township_id)
            self.fields["level"].choices = [(TOWNSHIP, Level(TOWNSHIP).label)]
        self.fields["preset"].queryset = RulePreset.objects.filter(election_type=ElectionType.DEPUTIES)
        self.helper = _helper(
            "开启人大代表选举",
            Row(Column("level"), Column("county"), Column("township")),
            Row(Column("term_number"), Column("preset"), Column("default_election_day")),
        )

    def clean(self):
        data = super().clean()
        if data.get("level") == COUNTY:
            data["township"] = None
        return data


class SeatDecisionForm(VersionedForm):
    planned_women = forms.IntegerField(label="计划妇女代表数", min_value=0, required=False)
    planned_non_party = forms.IntegerField(label="计划非中共党员代表数", min_value=0, required=False)

    class Meta:
        model = SeatDecision
        fields = [
            "population",
            "population_source",
            "extra_five_percent",
            "adopted_seats",
            "decided_by",
            "document_number",
            "decided_on",
        ]
        widgets = {"decided_on": DATE}

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_women"].initial = campaign.planned_women
        self.fields["planned_non_party"].initial = campaign.planned_non_party
        self.helper = _helper(
            "保存",
            Row(Column("population"), Column("population_source"), Column("extra_five_percent")),
            Row(Column("adopted_seats"), Column("decided_by")),
            Row(Column("document_number"), Column("decided_on")),
            Row(Column("planned_women"), Column("planned_non_party")),
            "version",
        )


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.village.name} {obj.name}"


class DistrictForm(VersionedForm):
    groups = GroupChoiceField(
        label="包含村民小组（分村划分时）",
        queryset=VillagerGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="一个村分入几个选区时，按村民小组选择；整村划入的不必选小组",
    )

    class Meta:
        model = Constituency
        fields = ["township", "number", "name", "basis", "population", "deputy_seats", "villages", "groups"]
        widgets = {"villages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user: User, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        townships = townships_visible_to(user).filter(county_id=campaign.county_id)
        if campaign.township_id:
            townships = townships.filter(pk=campaign.township_id)
        villages = villages_visible_to(user).filter(township__in=townships).select_related("township")
        self.fields["township"].queryset = townships
        self.fields["villages"].queryset = villages
        self.fields["groups"].queryset = VillagerGroup.objects.filter(village__in=villages).select_related("village")
        self.fields["deputy_seats"].help_text = "每一选区选一名至三名代表"
        self.helper = _helper(
            "保存",
            Row(Column("township"), Column("number"), Column("name")),
            Row(Column("basis"), Column("population"), Column("deputy_seats")),
            "villages",
            "groups",
            "version",
        )


class DistrictUnitForm(forms.ModelForm):
    class Meta:
        model = DistrictUnit
        fields = ["kind", "name", "population"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("保存", Row(Column("kind"), Column("name"), Column("population")))
