"""The tally sheet as a form (one field per number on the paper sheet), double-entry resolution and the
write-in ruling form."""

from __future__ import annotations

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.utils.html import escape

from candidates.slate import post_label
from voters.models import Voter
from voters.registrations import register_of

from ..sheets import STATION_FIELDS, Difference, PostValues, SheetLayout, TallyValues, normalize_name
from .stations import helper

WRITE_IN_ROWS = 3  # blank rows under the names already entered
WRITE_IN_ROWS_WITHOUT_CANDIDATES = 10  # 海选: every vote is a written name

EXPLANATION_LABELS = {
    "invalid_share_high": "无效票较多的情况说明",
    "returned_exceeds_assigned_voters": "收回选票多于本站选民人数的情况说明",
    "post_votes_below_marked_ballots": "{post}得票合计少于填写该职务选票数的情况说明",
}

FORM_ERRORS = {
    "write_in_needs_name": "填写了另选他人票数，但没有填写姓名。",
    "write_in_needs_votes": "另选他人“{name}”没有填写票数。",
    "write_in_twice": "另选他人“{name}”在{post}中填写了两次，请合并为一行。",
}


def _count(label: str, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, required=required,
                              widget=forms.NumberInput(attrs={"class": "num", "inputmode": "numeric"}))


class ExplanationFields:
    """A textarea per warning that may need a written explanation; shown only when it is asked for or filled."""

    def add_explanations(self, layout: SheetLayout) -> None:
        for key in layout.explanation_keys():
            code, _, post = key.partition("__")
            label = EXPLANATION_LABELS[code].format(post=post_label(post))
            self.fields[f"explain__{key}"] = forms.CharField(
                label=label, required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
            )

    def explanations(self) -> dict[str, str]:
        return {
            name.removeprefix("explain__"): (self.cleaned_data.get(name) or "").strip()
            for name in self.fields
            if name.startswith("explain__")
        }

    def visible_explanations(self) -> list[str]:
        names = [n for n in self.fields if n.startswith("explain__")]
        shown = set(self.errors) if self.is_bound else set()
        values = self.data if self.is_bound else self.initial
        return [n for n in names if n in shown or (values.get(n) or "").strip()]


class TallyForm(ExplanationFields, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, layout: SheetLayout, values: TallyValues | None, version: int, write_ins: bool = True, **kwargs):
        self.layout = layout
        self.write_ins = write_ins
        initial = {"version": version, **(_initial(values, layout) if values else {})}
        super().__init__(*args, initial=initial, **kwargs)
        for name, label in STATION_FIELDS:
            self.fields[name] = _count(label, required=True)
        self.fields["several_posts_ballots"] = _count("同一人被选为两项以上职务的选票")
        self.fields["several_posts_ballots"].help_text = "整张无效，已计入无效票；同一人在两个以上职务中得票时须填写（没有填0）"
        self.rows: dict[str, int] = {}
        for sheet_post in layout.posts:
            code = sheet_post.post
            for voter_id, name in sheet_post.candidates:
                self.fields[f"{code}__c{voter_id}"] = _count(name)
            self.fields[f"{code}__abstentions"] = _count("弃权票")
            self.fields[f"{code}__invalid_for_post"] = _count("该职务无效票")
            existing = len(values.posts.get(code, PostValues()).write_ins) if values else 0
            blank = WRITE_IN_ROWS if sheet_post.candidates else WRITE_IN_ROWS_WITHOUT_CANDIDATES
            self.rows[code] = existing + blank if write_ins else 0
            for i in range(self.rows[code]):
                self.fields[f"{code}__w{i}_name"] = forms.CharField(label="另选他人姓名", max_length=30, required=False)
                self.fields[f"{code}__w{i}_votes"] = _count("票数")
        self.add_explanations(layout)

    def clean(self):
        data = super().clean()
        for sheet_post in self.layout.posts:
            code, seen = sheet_post.post, set()
            for i in range(self.rows[code]):
                name = normalize_name(data.get(f"{code}__w{i}_name") or "")
                votes = data.get(f"{code}__w{i}_votes")
                if votes and not name:
                    self._error(f"{code}__w{i}_name", "write_in_needs_name")
                elif name and not votes:
                    self._error(f"{code}__w{i}_votes", "write_in_needs_votes", name=name)
                elif name and name in seen:
                    self._error(f"{code}__w{i}_name", "write_in_twice", name=name, post=post_label(code))
                if name:
                    seen.add(name)
        return data

    def _error(self, field: str, code: str, **params) -> None:
        self.add_error(field, forms.ValidationError(FORM_ERRORS[code].format(**params), code=code))

    def values(self) -> TallyValues:
        data = self.cleaned_data
        posts = {}
        for sheet_post in self.layout.posts:
            code = sheet_post.post
            write_ins = {}
            for i in range(self.rows[code]):
                name = normalize_name(data.get(f"{code}__w{i}_name") or "")
                if name and data.get(f"{code}__w{i}_votes"):
                    write_ins[name] = data[f"{code}__w{i}_votes"]
            posts[code] = PostValues(
                candidate_votes={vid: data.get(f"{code}__c{vid}") or 0 for vid, _ in sheet_post.candidates},
                write_ins=write_ins,
                abstentions=data.get(f"{code}__abstentions") or 0,
                invalid_for_post=data.get(f"{code}__invalid_for_post") or 0,
            )
        return TallyValues(**{name: data[name] for name, _ in STATION_FIELDS}, posts=posts, explanations=self.explanations(),
                           several_posts_ballots=data.get("several_posts_ballots"))

    def rebase(self, version: int) -> None:
        """After a lost race: keep what the user typed, and let the next save go over the stored version."""
        self.data = self.data.copy()
        self.data["version"] = version

    @property
    def helper(self) -> FormHelper:
        sections = [Fieldset("选票情况", Row(*(Column(name, css_class="col-6 col-md-3") for name, _ in STATION_FIELDS)),
                             Row(Column("several_posts_ballots", css_class="col-12 col-md-6")))]
        for sheet_post in self.layout.posts:
            code = sheet_post.post
            title = f"{post_label(code)}（应选{sheet_post.seats}名）"
            parts = [Row(*(Column(f"{code}__c{vid}", css_class="col-6 col-md-3") for vid, _ in sheet_post.candidates))]
            if self.rows[code]:
                parts.append(HTML('<div class="small text-muted mb-1">另选他人（姓名由系统与登记选民名单核对）</div>'))
                parts.append(Row(*(column for i in range(self.rows[code]) for column in (
                    Column(f"{code}__w{i}_name", css_class="col-8 col-md-3"),
                    Column(f"{code}__w{i}_votes", css_class="col-4 col-md-1"),
                ))))
            parts.append(Row(Column(f"{code}__abstentions", css_class="col-6 col-md-3"),
                             Column(f"{code}__invalid_for_post", css_class="col-6 col-md-3")))
            sections.append(Fieldset(escape(title), *parts, css_class="post-section", css_id=f"post-{code}"))
        visible = self.visible_explanations()
        if visible:
            sections.append(Fieldset("情况说明（将打印在计票结果报告单上）", *visible, css_id="explanations"))
        sections.append("version")
        sections.append(Div(
            StrictButton("保存草稿", type="submit", name="draft", value="1", css_class="btn-outline-secondary me-2"),
            StrictButton("确认提交", type="submit", name="confirm", value="1", css_class="btn-primary"),
            css_class="mt-3",
        ))
        h = FormHelper()
        h.layout = Layout(*sections)
        return h


def _initial(values: TallyValues, layout: SheetLayout) -> dict:
    initial = {name: getattr(values, name) for name, _ in STATION_FIELDS}
    initial["several_posts_ballots"] = values.several_posts_ballots
    for sheet_post in layout.posts:
        code = sheet_post.post
        post_values = values.posts.get(code, PostValues())
        for vid, _ in sheet_post.candidates:
            initial[f"{code}__c{vid}"] = post_values.candidate_votes.get(vid, 0)
        initial[f"{code}__abstentions"] = post_values.abstentions
        initial[f"{code}__invalid_for_post"] = post_values.invalid_for_post
        for i, (name, votes) in enumerate(sorted(post_values.write_ins.items())):
            initial[f"{code}__w{i}_name"], initial[f"{code}__w{i}_votes"] = name, votes
    initial.update({f"explain__{k}": v for k, v in values.explanations.items()})
    return initial


class ResolveForm(ExplanationFields, forms.Form):
    """One choice per differing field: the first or the second entry's number."""

    version1 = forms.IntegerField(widget=forms.HiddenInput)
    version2 = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, layout: SheetLayout, differences: list[Difference], versions: tuple[int, int],
                 explanations: dict[str, str], **kwargs):
        self.differences = differences
        initial = {"version1": versions[0], "version2": versions[1],
                   **{f"explain__{k}": v for k, v in explanations.items()}}
        super().__init__(*args, initial=initial, **kwargs)
        for i, d in enumerate(differences):
            self.fields[f"choice_{i}"] = forms.TypedChoiceField(
                label=d.label, coerce=int, widget=forms.RadioSelect,
                choices=[(1, f"第一次录入：{_shown(d.first)}"), (2, f"第二次录入：{_shown(d.second)}")],
            )
        self.add_explanations(layout)

    def choices(self) -> dict[str, int]:
        return {d.key: self.cleaned_data[f"choice_{i}"] for i, d in enumerate(self.differences)}

    @property
    def helper(self) -> FormHelper:
        h = helper("按所选数字确认计票结果", *[f"choice_{i}" for i in range(len(self.differences))],
                   *self.visible_explanations(), "version1", "version2")
        return h


def _shown(value) -> str:
    return "（未填写）" if value is None else str(value)


class WriteInRulingForm(forms.Form):
    name = forms.CharField(label="另选他人姓名（按选票书写）", max_length=30)
    voter = forms.ModelChoiceField(
        label="认定为", queryset=Voter.objects.none(), required=False, empty_label="不计入任何人（非登记选民或无法辨认）"
    )
    note = forms.CharField(label="认定理由", max_length=200)
    decided_on = forms.DateField(label="认定日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = register_of(election).registered().with_group().order_by("name")
        self.fields["voter"].label_from_instance = lambda v: f"{v.name}（{v.group.name}，{v.masked_id_number}）"
        self.helper = helper("登记认定", "name", "voter", "note", "decided_on")

