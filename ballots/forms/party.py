"""Forms of a Party election's 党员大会: 实到会, the shortfall decision, the 书记/副书记 vote."""

from __future__ import annotations

from django import forms

from ..models import ShortfallDecision
from ..party_posts import POST_LABELS
from .stations import helper

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORM_ERRORS = {"no_candidate": "请至少为一名候选人填写赞成票数。"}


class AttendanceForm(forms.Form):
    present = forms.IntegerField(label="实到会有选举权的党员人数", min_value=0,
                                 help_text="因故不能到会而未列入应到会人数的党员到会的，计入实到会人数。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("登记实到会人数", "present")


class ShortfallForm(forms.Form):
    choice = forms.ChoiceField(label="决定", choices=ShortfallDecision.Choice.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    held_on = forms.DateField(label="另行选举日期（另行选举时填写）", widget=DATE, required=False)
    upper_consent = forms.CharField(label="上级党组织同意的文书（减少名额时填写）", max_length=200, required=False)
    meeting_for = forms.IntegerField(label="党员大会同意减少名额的人数", min_value=0, required=False)
    meeting_present = forms.IntegerField(label="表决时实到会人数", min_value=0, required=False)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("登记决定", "choice", "decided_on", "held_on", "upper_consent", "meeting_for",
                             "meeting_present", "note")


class PostVoteForm(forms.Form):
    post = forms.ChoiceField(label="职务", choices=list(POST_LABELS.items()))
    held_on = forms.DateField(label="选举日期", widget=DATE)
    returned = forms.IntegerField(label="收回选票", min_value=0)

    def __init__(self, *args, committee: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = list(committee)
        for key, name in committee.items():
            self.fields[f"v{key}"] = forms.IntegerField(label=f"{name}的赞成票（不是候选人的留空）", min_value=0,
                                                        required=False)
        self.helper = helper("登记选举结果", "post", "held_on", "returned", *[f"v{k}" for k in self.keys])

    def votes(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"v{key}"] for key in self.keys if self.cleaned_data.get(f"v{key}") is not None}

    def clean(self):
        data = super().clean()
        if not self.errors and not self.votes():
            raise forms.ValidationError(FORM_ERRORS["no_candidate"])
        return data
