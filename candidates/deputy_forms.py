"""Forms for nominating 人大 deputies in a 选区: shape only; the rules live in ``deputy_rules`` and
``deputy_services`` (STYLE.md §14, §16). People are named by their 公民身份号码, which is unique in the
register (a name is not)."""

from __future__ import annotations

from django import forms

from villages.formtools import date_reason_field
from voters.idnumber import IdNumberError, parse_id_number

from .forms import DateInput
from .models import Candidate, DeputyCategory

SOURCES = [(Candidate.Source.PARTY, Candidate.Source.PARTY.label), (Candidate.Source.JOINT, Candidate.Source.JOINT.label)]


def _id_numbers(text: str, *, today) -> list[str]:
    numbers, bad = [], []
    for line in (text or "").replace("，", "\n").replace(",", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            numbers.append(parse_id_number(line, today=today).number)
        except IdNumberError as exc:
            bad.append(f"{line}：{exc.message}")
    if bad:
        raise forms.ValidationError("；".join(bad))
    return numbers


class DeputyNominationForm(forms.Form):
    id_number = forms.CharField(label="被提名人公民身份号码", max_length=18)
    source = forms.ChoiceField(label="推荐方式", choices=SOURCES)
    nominated_by = forms.CharField(label="推荐单位", max_length=100, required=False,
                                   help_text="政党、人民团体推荐时填写，例如：中国共产党青山镇委员会")
    cosigners = forms.CharField(label="联名推荐人公民身份号码", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                help_text="选民联名推荐时填写，每行一个，须为本选区登记选民，十人以上")
    nominated_on = forms.DateField(label="推荐日期", widget=DateInput())
    profile = forms.CharField(label="基本情况", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="出生年月、工作单位及职务、简历等，向选民介绍")
    # Optional: the reports count a blank as 未填 (reports.deputy_figures).
    deputy_category = forms.ChoiceField(label="代表结构类别", required=False,
                                        choices=[("", "未填")] + list(DeputyCategory.choices),
                                        help_text="工人、农民、专业技术人员、党政领导干部等，用于统计代表结构；可不填")
    incumbent = forms.NullBooleanField(label="是否现任本级人大代表", required=False,
                                       widget=forms.Select(choices=[("unknown", "未填"), ("true", "是"), ("false", "否")]),
                                       help_text="用于统计连选连任与新当选；可不填")

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_id_number(self):
        return _id_numbers(self.cleaned_data["id_number"], today=self.today)[0]

    def clean_cosigners(self):
        return _id_numbers(self.cleaned_data["cosigners"], today=self.today)


class InitialListForm(forms.Form):
    published_on = forms.DateField(label="公布日期", widget=DateInput())
    consultation = forms.CharField(label="酝酿协商情况", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="各选民小组反复酝酿、讨论、协商的情况")
    date_reason = date_reason_field()


class PrimaryForm(forms.Form):
    held_on = forms.DateField(label="预选日期", widget=DateInput())

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = nominees
        for candidate in nominees:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=f"{candidate.voter.name}得票", min_value=0, initial=candidate.primary_votes)

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.nominees}


class FormalListForm(forms.Form):
    published_on = forms.DateField(label="公布日期", widget=DateInput())
    count = forms.IntegerField(label="正式代表候选人人数", required=False, min_value=1,
                               help_text="经预选确定时填写；不填则取差额的最高人数")
    date_reason = date_reason_field()
