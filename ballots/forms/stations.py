"""Station, mobile box and counting-option forms."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from villages.forms import VersionedForm
from voters.models import Voter
from voters.registrations import register_of

from ..models import PollingStation


def helper(label: str = "保存", *layout) -> FormHelper:
    h = FormHelper()
    if layout:
        h.layout = Layout(*layout)
    h.add_input(Submit("submit", label))
    return h


class StationForm(VersionedForm):
    class Meta:
        model = PollingStation
        fields = ["kind", "name", "group", "location", "assigned_voters", "staff_names", "order"]
        widgets = {"staff_names": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        election = self.instance.election
        self.fields["group"].queryset = election.unit_groups().select_related("village").order_by("village__code", "number")
        if election.is_district:  # a 选区 takes in groups of several villages; its central meeting is the 选举大会
            self.fields["group"].label_from_instance = lambda g: f"{g.village.name}{g.name}"
            self.fields["kind"].choices = [(value, "选举大会" if value == PollingStation.Kind.CENTRAL else label)
                                           for value, label in self.fields["kind"].choices]
        self.helper = helper(
            "保存",
            Row(Column("kind"), Column("name"), Column("group")),
            Row(Column("location"), Column("assigned_voters"), Column("order")),
            "staff_names",
            "version",
        )


class VoterChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, voter):
        return f"{voter.name}（{voter.group.name}，{voter.masked_id_number}）"


class MobileBoxVotersForm(forms.Form):
    voters = VoterChoiceField(
        label="使用本流动票箱的选民",
        queryset=Voter.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 16}),
        help_text="按住 Ctrl 键可多选；已委托他人投票的选民不能使用流动票箱。",
    )

    def __init__(self, *args, station: PollingStation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voters"].queryset = (
            register_of(station.election).registered().with_group().order_by("group__number", "name")
        )
        self.helper = helper("保存名单")


class ApprovalForm(forms.Form):
    on = forms.DateField(label="乡镇批准日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    document = forms.CharField(label="批准文号", max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("登记批准", Row(Column("on"), Column("document")))


class CountingOptionsForm(forms.Form):
    double_entry = forms.BooleanField(
        label="双人录入核对",
        required=False,
        help_text="每张计票结果报告单由两名不同的人分别录入，不一致处由乡镇选举办工作人员逐项核对。开始录入后不能更改。",
    )
    signature_labels = forms.CharField(
        label="报告单签名栏", max_length=100, help_text="用顿号分隔，例如：主持人、监票人、计票人、记录人"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, options, **kwargs):
        initial = {
            "double_entry": options.double_entry,
            "signature_labels": "、".join(options.signature_labels),
            "version": options.version if options.pk else None,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.helper = helper("保存")

    def clean_signature_labels(self) -> list[str]:
        return [label for label in re.split(r"[、,，;；\s]+", self.cleaned_data["signature_labels"]) if label]
