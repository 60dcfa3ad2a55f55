"""Forms of the register: shape only (fields, formats, the ID number and its agreement with the birth
date and sex typed beside it); eligibility and the list rules live in services (STYLE.md §14, §16)."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms

from villages.formtools import date_reason_field
from villages.presets import PROXY_RELATIONS

from . import codes, eligibility
from .idnumber import IdNumberError, check_against, normalize_id_number, parse_id_number
from .models import Appeal, Category, Status, Voter

ERROR_MESSAGES = {
    "voter_not_found": "本村本届选民登记中没有这个公民身份号码。",
    "sex_needed": "请选择性别，或填写公民身份号码以自动确定。",
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(submit_label: str, *layout) -> FormHelper:
    helper = FormHelper()
    # The server's Chinese messages, per field, rather than the browser's own bubbles.
    helper.attrs = {"novalidate": ""}
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label))
    return helper


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—")] + list(choices)


def reason_choices(election, prefix: str = "") -> list[tuple[str, str]]:
    """四增四减 reasons of the election's preset, optionally only the 增 (ADD_) or 减 (REM_) ones."""
    reasons = election.rules.register_change_reasons
    return _blank((code, ("增：" if code.startswith("ADD_") else "减：") + label) for code, label in reasons.items() if code.startswith(prefix))


# The evidence of registration categories 2 and 3 in a village (OL §13 ¶2, LAW.md §1.3).
VILLAGE_EVIDENCE = ("statement_date", "residence_since", "application_date", "approval_meeting", "approval_date")


class VoterForm(forms.ModelForm):
    """One person's registration. After publication it also asks why the list changes."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    effective_on = forms.DateField(label="变更生效日期", required=False, widget=DATE)
    amendment_reason = forms.CharField(label="变更原因", max_length=200, required=False)
    reason_code = forms.ChoiceField(label="四增四减原因", required=False)

    class Meta:
        model = Voter
        fields = [
            "group", "name", "id_number", "sex", "birth_date", "ethnicity", "category",
            "statement_date", "residence_since", "application_date", "approval_meeting", "approval_date",
            "status_proof_on", "has_political_rights", "capacity_ok", "lives_in_village", "away",
            "education", "political_status", "address", "phone", "remarks",
        ]  # fmt: skip
        widgets = {f: DATE for f in ("birth_date", "statement_date", "residence_since", "application_date",
                                     "approval_date", "status_proof_on")}

    def __init__(self, *args, election, today: date, published: bool, amendment_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.parsed_id = None
        self.instance.election = election
        labels = dict(election.group_choices())
        self.fields["group"].queryset = election.unit_groups().order_by("village__code", "number")
        self.fields["group"].label_from_instance = lambda group: labels.get(group.pk, group.name)
        self.fields["sex"].required = False
        self.fields["birth_date"].required = False
        self.fields["sex"].help_text = "可不填，按公民身份号码第17位确定"
        self.fields["birth_date"].help_text = "可不填，按公民身份号码第7至14位确定"
        ethnic = {**codes.ETHNIC_GROUPS, **codes.ETHNIC_GROUPS_LOCAL}
        self.fields["ethnicity"] = forms.ChoiceField(label="民族", choices=list(ethnic.items()), initial=codes.HAN)
        edition = self.instance.education_edition or codes.EDUCATION_EDITION_2006
        self.fields["education"] = forms.ChoiceField(
            label="文化程度", required=False, choices=_blank(codes.EDUCATION_CODES[edition].items())
        )
        self.fields["political_status"] = forms.ChoiceField(
            label="政治面貌", choices=[(c, s.full) for c, s in codes.POLITICAL_STATUS.items()], initial=codes.MASSES
        )
        self.fields["approval_meeting"] = forms.ChoiceField(
            label="同意参加选举的会议", required=False, choices=_blank((m, m) for m in eligibility.APPROVAL_MEETINGS)
        )
        self.district = election.rules.registration == eligibility.DISTRICT
        self.fields["category"].choices = list(eligibility.categories(election.rules).items())
        evidence = ("status_proof_on",) if self.district else VILLAGE_EVIDENCE
        for name in set(VILLAGE_EVIDENCE + ("status_proof_on",)) - set(evidence):
            del self.fields[name]
        if self.district:
            self.fields["lives_in_village"].label = "在本选区居住"
        self.fields["reason_code"].choices = reason_choices(election)
        self.fields["effective_on"].initial = today
        if not self.instance.pk:
            self.fields["category"].initial = Category.HUJI_RESIDENT
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.published = published
        self.amendment_required = amendment_required
        if amendment_required:
            self.fields["amendment_reason"].required = True
            self.fields["effective_on"].required = True
        self.helper = _helper("保存", *self._layout())

    def _layout(self):
        parts = [
            Fieldset("基本信息", Row(Column("group"), Column("name"), Column("id_number")), Row(Column("sex"), Column("birth_date"), Column("ethnicity"))),
            Fieldset(
                "登记类别及依据（选举法第二十七条）",
                "category",
                Row(Column("status_proof_on")),
                Row(Column("has_political_rights"), Column("capacity_ok"), Column("lives_in_village"), Column("away")),
            ) if self.district else Fieldset(
                "登记类别及依据（村民委员会组织法第十三条）",
                "category",
                Row(Column("statement_date"), Column("residence_since"), Column("application_date")),
                Row(Column("approval_meeting"), Column("approval_date")),
                Row(Column("has_political_rights"), Column("capacity_ok"), Column("lives_in_village"), Column("away")),
            ),
            Fieldset("其他信息", Row(Column("education"), Column("political_status"), Column("phone")), "address", "remarks"),
            "version",
        ]
        if self.published:
            note = "选民名单已公布：修改名单上选民的登记信息、或把新录入的人员列入名单，均作为一批名单变更（增减名单）记录。"
            if not self.amendment_required and not self.instance.pk:
                note += "不填写变更原因则只保存登记信息，暂不列入名单。"
            parts.append(
                Fieldset("名单变更", HTML(f'<p class="text-muted small">{note}</p>'), Row(Column("effective_on"), Column("amendment_reason"), Column("reason_code")))
            )
        return parts

    def clean_id_number(self):
        try:
            self.parsed_id = parse_id_number(self.cleaned_data["id_number"], today=self.today)
        except IdNumberError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        return self.parsed_id.number

    def clean(self):
        data = super().clean()
        if self.parsed_id is None:
            return data
        for mismatch in check_against(self.parsed_id, birth_date=data.get("birth_date"), sex=data.get("sex") or None):
            field = "birth_date" if mismatch.code == "id_birth_date_mismatch" else "sex"
            self.add_error(field, forms.ValidationError(mismatch.message, code=mismatch.code))
        data["birth_date"] = data.get("birth_date") or self.parsed_id.birth_date
        data["sex"] = data.get("sex") or self.parsed_id.sex
        self.instance.birth_date, self.instance.sex = data["birth_date"], data["sex"]
        return data

    def amendment(self):
        from .services.register import Amendment

        reason = self.cleaned_data.get("amendment_reason", "").strip()
        if not reason:
            return None
        return Amendment(
            effective_on=self.cleaned_data.get("effective_on") or self.today,
            reason=reason,
            reason_code=self.cleaned_data.get("reason_code", ""),
        )


class VoterFilterForm(forms.Form):
    """The list page's filters; ``apply`` narrows a queryset of one election's voters."""

    LISTED, UNLISTED = "listed", "unlisted"
    q = forms.CharField(label="姓名或身份号码", required=False)
    group = forms.TypedChoiceField(label="村民小组", required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label="登记类别", required=False, choices=())
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=_blank(list(Status.choices) + [(LISTED, "在名单上"), (UNLISTED, "不在名单上")]),
    )
    away = forms.ChoiceField(label="外出", required=False, choices=[("", "—"), ("1", "外出"), ("0", "未外出")])

    def __init__(self, *args, election, id_prefix: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.id_prefix = id_prefix  # may the search match the beginning of an ID number?
        self.fields["group"].choices = _blank(election.group_choices())
        self.fields["category"].choices = _blank(eligibility.categories(election.rules).items())

    def apply(self, voters):
        if not self.is_valid():
            return voters
        data = self.cleaned_data
        voters = voters.search(normalize_query(data["q"]), id_prefix=self.id_prefix)
        if data["group"]:
            voters = voters.filter(group_id=data["group"])
        if data["category"]:
            voters = voters.filter(category=data["category"])
        if data["status"] == self.LISTED:
            voters = voters.listed()
        elif data["status"] == self.UNLISTED:
            voters = voters.unlisted()
        elif data["status"]:
            voters = voters.filter(status=data["status"])
        if data["away"]:
            voters = voters.filter(away=data["away"] == "1")
        return voters

    def querystring(self) -> str:
        """The active filters, for pagination links."""
        if not self.is_valid():
            return ""
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.data.items() if k != "page" and v})


def normalize_query(text: str) -> str:
    text = (text or "").strip()
    try:
        return normalize_id_number(text) if text[:1].isdigit() else text
    except IdNumberError:
        return text


class DateForm(forms.Form):
    """One date, for publishing acts (the list, a batch, an appeal decision, the proxy list)."""

    published_on = forms.DateField(label="公布日期", widget=DATE)
    date_reason = date_reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, label: str = "公布日期", submit: str = "确认公布", reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].label = label
        if not reason:  # only acts with a legal window take a 日期说明
            del self.fields["date_reason"]
        self.helper = _helper(submit)


class AmendmentForm(forms.Form):
    """Why a person joins (补登) or leaves (减) the published list, and from when."""

    effective_on = forms.DateField(label="变更生效日期", widget=DATE)
    reason = forms.CharField(label="变更原因", max_length=200)
    reason_code = forms.ChoiceField(label="四增四减原因", required=False)

    def __init__(self, *args, election, prefix_code: str, submit: str, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = reason_choices(election, prefix_code)
        self.fields["effective_on"].initial = today
        self.helper = _helper(submit, Row(Column("effective_on"), Column("reason_code")), "reason")

    def amendment(self):
        from .services.register import Amendment

        return Amendment(**self.cleaned_data)


class ChangeReasonForm(forms.Form):
    voter = forms.IntegerField(widget=forms.HiddenInput)
    reason_code = forms.CharField(required=False, max_length=40)


class VoterByIdField(forms.CharField):
    """A voter of one election, typed as an ID number (lists have thousands of people)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 22)
        super().__init__(*args, **kwargs)
        self.voters = Voter.objects.none()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            number = normalize_id_number(value)
        except IdNumberError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        voter = self.voters.filter(id_number=number).first()
        if voter is None:
            raise forms.ValidationError(ERROR_MESSAGES["voter_not_found"], code="voter_not_found")
        return voter


class AppealForm(forms.Form):
    filer_name = forms.CharField(label="申诉人", max_length=30)
    filer_phone = forms.CharField(label="申诉人电话", max_length=30, required=False)
    kind = forms.ChoiceField(label="申诉类型", choices=Appeal.Kind.choices)
    voter = VoterByIdField(label="涉及选民的公民身份号码", required=False, help_text="已录入登记的人员填写身份号码")
    subject_name = forms.CharField(label="涉及人员姓名", max_length=30, required=False, help_text="未录入登记的人员填写姓名")
    subject_id_number = forms.CharField(label="涉及人员身份号码（未录入者）", max_length=18, required=False)
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label="收到申诉日期", widget=DATE)

    def __init__(self, *args, election, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].voters = Voter.objects.filter(election=election)
        self.fields["received_on"].initial = today
        self.helper = _helper(
            "登记申诉",
            Row(Column("filer_name"), Column("filer_phone"), Column("received_on")),
            Row(Column("kind"), Column("voter")),
            Row(Column("subject_name"), Column("subject_id_number")),
            "reason",
        )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="处理决定", choices=Appeal.Decision.choices, widget=forms.RadioSelect)
    decision_text = forms.CharField(label="决定内容及理由", widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    published_on = forms.DateField(label="决定公布日期", required=False, widget=DATE, help_text="已公布的填写；也可以以后再登记")
    voter = VoterByIdField(label="补列入名单人员的身份号码", required=False, help_text="漏登申诉成立、且申诉时未关联人员时填写")
    reason_code = forms.ChoiceField(label="四增四减原因", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, appeal: Appeal, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].voters = Voter.objects.filter(election=appeal.election)
        prefix = "ADD_" if appeal.kind == Appeal.Kind.OMITTED else "REM_"
        self.fields["reason_code"].choices = reason_choices(appeal.election, prefix)
        self.fields["decided_on"].initial = today
        self.fields["version"].initial = appeal.version
        layout = ["decision", "decision_text", Row(Column("decided_on"), Column("published_on"))]
        if appeal.kind == Appeal.Kind.OMITTED and appeal.voter_id is None:
            layout.append(Row(Column("voter"), Column("reason_code")))
        elif appeal.kind != Appeal.Kind.WRONG_DETAILS:
            layout.append("reason_code")
        self.helper = _helper("记录决定", *layout, "version")


class ProxyForm(forms.Form):
    principal = VoterByIdField(label="委托人公民身份号码")
    holder = VoterByIdField(label="受委托人公民身份号码")
    relation = forms.ChoiceField(label="受委托人与委托人的关系")
    authorized_on = forms.DateField(label="书面委托日期", widget=DATE)
    document_ref = forms.CharField(label="委托书编号", max_length=50, required=False)

    def __init__(self, *args, election, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        voters = Voter.objects.filter(election=election)
        self.fields["principal"].voters = voters
        self.fields["holder"].voters = voters
        self.fields["relation"].choices = [(c, PROXY_RELATIONS.get(c, c)) for c in election.rules.proxy_holder_relations]
        self.fields["authorized_on"].initial = today
        self.helper = _helper(
            "登记委托",
            Row(Column("principal"), Column("holder"), Column("relation")),
            Row(Column("authorized_on"), Column("document_ref")),
        )


class ApproveProxyForm(forms.Form):
    approved_on = forms.DateField(label="审核同意日期")


class ExcusalForm(forms.Form):
    """不列入应到会人数: a member with voting rights, one of the five categories (LAW.md §4.2), the upper level's
    consent and the 党员大会's vote. The rules are ``villages.kinds.party_members.excusal_problems``."""

    member = forms.TypedChoiceField(label="党员", coerce=int)
    category = forms.ChoiceField(label="情形")
    facts = forms.CharField(label="具体情况", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：2025年3月起赴外省务工，组织关系未转出"}))
    upper_consent_on = forms.DateField(label="上级党组织同意日期", widget=DATE)
    upper_consent_ref = forms.CharField(label="上级党组织同意文件或记录", max_length=100,
                                        widget=forms.TextInput(attrs={"placeholder": "如：青山镇党委批复〔2026〕12号"}))
    meeting_on = forms.DateField(label="党员大会表决日期", widget=DATE)
    votes_for = forms.IntegerField(label="赞成", min_value=0)
    votes_against = forms.IntegerField(label="反对", min_value=0, initial=0)
    votes_abstained = forms.IntegerField(label="弃权", min_value=0, initial=0)

    def __init__(self, *args, members, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = _blank((m.pk, f"{m.name}（{m.masked_id_number}）") for m in members)
        self.fields["category"].choices = _blank(categories)
        self.helper = _helper(
            "保存",
            "member", "category", "facts",
            Row(Column("upper_consent_on"), Column("upper_consent_ref")),
            Fieldset("党员大会表决", Row(Column("meeting_on"), Column("votes_for"), Column("votes_against"),
                                         Column("votes_abstained"))),
        )


class WithdrawExcusalForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)
