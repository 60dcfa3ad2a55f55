"""Forms for the setup stage: shape only; rules live in services (STYLE.md §14, §16)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from .access import townships_visible_to
from .formtools import date_reason_field
from .models import (
    Campaign,
    CommitteeMember,
    County,
    Election,
    ElectionType,
    Role,
    RulePreset,
    Township,
    User,
    Village,
    VillagerGroup,
)


def _helper(submit_label: str = "保存", *layout) -> FormHelper:
    helper = FormHelper()
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label))
    return helper


class VersionedForm(forms.ModelForm):
    """Carries the version the user saw, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class TownshipForm(VersionedForm):
    class Meta:
        model = Township
        fields = ["county", "name", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CountyForm(forms.ModelForm):
    class Meta:
        model = County
        fields = ["name", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class VillageForm(VersionedForm):
    class Meta:
        model = Village
        fields = ["township", "name", "code", "population", "households", "natural_villages", "is_multiethnic"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_visible_to(user)
        if self.instance.pk:
            self.fields["township"].disabled = True
        self.helper = _helper(
            "保存",
            Row(Column("township"), Column("name"), Column("code")),
            Row(Column("population"), Column("households"), Column("natural_villages")),
            "is_multiethnic",
            "version",
        )


class VillagerGroupForm(forms.ModelForm):
    class Meta:
        model = VillagerGroup
        fields = ["number", "name", "leader"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("保存", Row(Column("number"), Column("name"), Column("leader")))


# The kinds a township clerk opens on this page: one election per village (the 人大 rounds have their own pages).
TOWNSHIP_ROUND_KINDS = (ElectionType.VILLAGE_COMMITTEE, ElectionType.PARTY_BRANCH)


def township_round_kind(value: str | None) -> str:
    """The kind the round-opening page is for: one of ``TOWNSHIP_ROUND_KINDS``, the village committee by default."""
    return value if value in TOWNSHIP_ROUND_KINDS else ElectionType.VILLAGE_COMMITTEE


class CampaignForm(forms.ModelForm):
    """Open a round: the kind first (``kind``, chosen on the page), then one of that kind's presets."""

    election_type = forms.ChoiceField(label="选举类型", choices=[(k.value, k.label) for k in TOWNSHIP_ROUND_KINDS],
                                      required=False)  # absent: the village committee, as before kinds were chosen
    date_reason = date_reason_field()

    class Meta:
        model = Campaign
        fields = ["township", "term_number", "preset", "default_election_day"]
        widgets = {"default_election_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user: User, kind: str = ElectionType.VILLAGE_COMMITTEE, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = township_round_kind(kind)
        self.fields["township"].queryset = townships_visible_to(user)
        self.fields["election_type"].initial = self.kind
        self.fields["election_type"].widget = forms.HiddenInput()
        self.fields["preset"].queryset = RulePreset.objects.filter(election_type=self.kind)
        self.fields["preset"].label = f"规则预设（{ElectionType(self.kind).label}）"
        self.helper = _helper(
            "开启换届选举", "election_type", Row(Column("township"), Column("term_number")),
            Row(Column("preset"), Column("default_election_day")), "date_reason",
        )

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        data["election_type"] = data.get("election_type") or self.kind
        if data["election_type"] != self.kind or (preset and preset.election_type != self.kind):
            raise forms.ValidationError("所选规则预设不属于所选的选举类型，请重新选择。")
        return data


class ElectionSetupForm(VersionedForm):
    class Meta:
        model = Election
        fields = [
            "seats_chair",
            "seats_vice_chair",
            "seats_member",
            "woman_seat_reserved",
            "committee_chosen_by",
            "committee_chosen_on",
        ]
        widgets = {"committee_chosen_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats_chair"].disabled = True
        self.helper = _helper(
            "保存",
            Row(Column("seats_chair"), Column("seats_vice_chair"), Column("seats_member")),
            "woman_seat_reserved",
            Row(Column("committee_chosen_by"), Column("committee_chosen_on")),
            "version",
        )


class PartySeatsForm(VersionedForm):
    """The posts of a village Party organisation's committee: 书记 1, 副书记 and the other 委员 (the rules are
    ``services.validate_party_seats``)."""

    class Meta:
        model = Election
        fields = ["seats_chair", "seats_vice_chair", "seats_member"]
        labels = {"seats_chair": "书记职数", "seats_vice_chair": "副书记职数", "seats_member": "其他委员职数"}
        help_texts = {"seats_member": "书记、副书记以外的委员；正式党员不足7名的只设书记，填0"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats_chair"].disabled = True
        self.helper = _helper(
            "保存", Row(Column("seats_chair"), Column("seats_vice_chair"), Column("seats_member")), "version")


class PlanApprovalForm(forms.Form):
    """乡镇党委批复: the township Party committee's approval of the election plan and the committee's posts."""

    plan_approved_on = forms.DateField(label="批复日期",
                                       widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    plan_approval_ref = forms.CharField(label="批复文号", max_length=60, help_text="例如 青山镇党委〔2026〕12号")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("保存批复", Row(Column("plan_approved_on"), Column("plan_approval_ref")), "version")


class PostponeForm(forms.Form):
    new_day = forms.DateField(label="新的选举日", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="顺延原因", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("确认顺延")


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["name", "sex", "position", "selection_order", "is_alternate", "left_on", "left_reason"]
        widgets = {"left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "保存",
            Row(Column("name"), Column("sex"), Column("position")),
            Row(Column("selection_order"), Column("is_alternate")),
            Row(Column("left_on"), Column("left_reason")),
        )


class AdvanceStageForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_reason = date_reason_field()


class CampaignCloseForm(forms.Form):
    reason = forms.CharField(label="结束原因", max_length=200)


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label="密码", required=False, widget=forms.PasswordInput, help_text="新建用户必填；修改时留空表示不变"
    )
    villages = forms.ModelMultipleChoiceField(
        label="负责的村（联络员）",
        queryset=Village.objects.select_related("township"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "township", "county", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["villages"].initial = list(self.instance.villages.all())
        self.helper = _helper(
            "保存",
            Row(Column("username"), Column("display_name"), Column("password")),
            Row(Column("role"), Column("township"), Column("county")),
            Row(Column("phone"), Column("is_active")),
            "villages",
        )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not self.instance.pk and not data.get("password"):
            self.add_error("password", "新建用户必须设置密码。")
        if data.get("password"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(data["password"], self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        if role == Role.COUNTY_OFFICE and not data.get("county"):
            self.add_error("county", "县选举办工作人员必须属于一个县（区）。")
        if role != Role.ADMIN and not data.get("township") and not data.get("county"):
            self.add_error("township", "除系统管理员外，用户必须属于一个乡镇（督导可改填县）。")
        if role == Role.LIAISON and not data.get("villages"):
            self.add_error("villages", "村联络员至少要负责一个村。")
        if role == Role.LIAISON and data.get("township"):
            outside = [v.name for v in data.get("villages", []) if v.township_id != data["township"].pk]
            if outside:
                self.add_error("villages", f"以下村不属于所选乡镇：{'、'.join(outside)}")
        return data
