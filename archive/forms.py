"""Forms of the archive app: shape only; the services check meaning (STYLE.md §14)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from villages.forms import VersionedForm

from .models import Complaint, HandoverItem


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label: str = "保存") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class CertifyForm(forms.Form):
    confirm = forms.BooleanField(label="我已核对上述清单和选举结果，确认认定", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("认定选举结果")


class UnlockRequestForm(forms.Form):
    reason = forms.CharField(label="解锁理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("提交解锁申请")


class HandoverItemForm(forms.ModelForm):
    class Meta:
        model = HandoverItem
        fields = ["kind", "description", "handed_over_by", "received_by", "handed_on", "note"]
        widgets = {"handed_on": _date()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("登记移交事项")


class CompleteHandoverForm(forms.Form):
    on = forms.DateField(label="移交完成日期", widget=_date())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("完成移交")


class ComplaintForm(VersionedForm):
    class Meta:
        model = Complaint
        fields = ["township", "village", "received_on", "channel", "subject", "category", "handler", "deadline",
                  "status", "outcome", "resolved_on"]
        widgets = {"received_on": _date(), "deadline": _date(), "resolved_on": _date(),
                   "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, townships, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["village"].queryset = villages
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        village, township = cleaned.get("village"), cleaned.get("township")
        if village and township and village.township_id != township.pk:
            self.add_error("village", "所选村不属于该乡镇。")
        return cleaned
