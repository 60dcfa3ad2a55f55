"""Forms of the archive app: shape only; the services check meaning (STYLE.md §14)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from villages.forms import VersionedForm

from .models import Complaint, HandoverItem, RetentionClass


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
        kind = self.instance.election.campaign.kind
        self.fields["kind"].choices = [("", "---------")] + kind.handover_choices(HandoverItem.Kind.choices)
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


class ScanUploadForm(forms.Form):
    """A scanned document for the archive; the service checks the file's bytes and size."""

    kind = forms.ChoiceField(label="档案类别")
    title = forms.CharField(label="题名", max_length=200, help_text="如：选举工作方案及乡镇批复（扫描件）")
    upload = forms.FileField(label="扫描文件", help_text="PDF、JPEG、PNG 或 TIFF")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, kinds, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择")] + kinds
        self.fields["upload"].help_text = f"PDF、JPEG、PNG 或 TIFF，单个文件不超过 {max_mb} MB"
        self.helper = _helper("上传归档")


class RetentionRuleForm(forms.Form):
    retention = forms.ChoiceField(label="保管期限", choices=RetentionClass.choices)
    basis = forms.CharField(label="依据", max_length=200, required=False,
                            help_text="如县档案局印发的保管期限表文号；调整只对此后归档的文件生效")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DestroyForm(forms.Form):
    reason = forms.CharField(label="鉴定销毁意见", max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="写明鉴定小组意见、批准人及批准文号")
    confirm = forms.BooleanField(label="确认该文件保管期限已满，经鉴定可以销毁", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("登记销毁")
