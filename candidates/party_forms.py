"""Forms of the Party nomination pipeline: shape only; the rules live in ``party_pipeline`` and ``party_services``."""

from __future__ import annotations

from django import forms

from . import party_pipeline as pipeline
from .forms import DateInput


class MethodForm(forms.Form):
    method = forms.ChoiceField(label="候选人产生方式")
    formal_candidates = forms.IntegerField(label="拟定委员正式候选人数", min_value=1,
                                           help_text="多于应选委员名额至少20%；初步人选按比例计算时以此为基数")

    def __init__(self, *args, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods


class StageForm(forms.Form):
    held_on = forms.DateField(label="日期", widget=DateInput())
    basis = forms.ChoiceField(label="应参加人员")
    electorate = forms.IntegerField(label="应参加人数", min_value=0, required=False,
                                    help_text="按党员名册或选民名单计算的，不必填写")
    basis_note = forms.CharField(label="人数依据", max_length=200, required=False,
                                 help_text="录入人数时写明依据，例如：全村户代表花名册")
    ballots_issued = forms.IntegerField(label="发出票数", min_value=0)
    ballots_returned = forms.IntegerField(label="收回票数", min_value=0)

    def __init__(self, *args, spec: pipeline.StageSpec, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = [(b, pipeline.BASIS_LABELS[b]) for b in spec.bases]
        self.people = list(people)
        for person in self.people:
            self.fields[f"votes_{person.pk}"] = forms.IntegerField(
                label=f"{person.name}得{spec.ballot_word}", min_value=0, required=False)

    @property
    def vote_fields(self):
        return [self[f"votes_{p.pk}"] for p in self.people]

    @property
    def head_fields(self):
        return [self[name] for name in ("held_on", "basis", "electorate", "basis_note", "ballots_issued",
                                        "ballots_returned")]

    def votes(self) -> dict[int, int]:
        return {p.pk: self.cleaned_data[f"votes_{p.pk}"] or 0 for p in self.people}


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="审查日期", widget=DateInput())
    reviewed_by_body = forms.CharField(label="审查机关", max_length=60)
    review_reference = forms.CharField(label="审查意见文号", max_length=60, required=False)
    review_note = forms.CharField(label="审查情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = list(nominees)
        for person in self.nominees:
            self.fields[f"passed_{person.pk}"] = forms.ChoiceField(
                label=person.name, choices=[("yes", "通过"), ("no", "不通过")], widget=forms.RadioSelect, initial="yes")
            self.fields[f"reason_{person.pk}"] = forms.CharField(label="不通过的原因", max_length=200, required=False)

    @property
    def head_fields(self):
        return [self[n] for n in ("reviewed_on", "reviewed_by_body", "review_reference", "review_note")]

    @property
    def rows(self):
        return [(p, self[f"passed_{p.pk}"], self[f"reason_{p.pk}"]) for p in self.nominees]

    def decisions(self) -> dict[int, tuple[bool, str]]:
        return {p.pk: (self.cleaned_data[f"passed_{p.pk}"] == "yes", self.cleaned_data[f"reason_{p.pk}"])
                for p in self.nominees}


class PartyListForm(forms.Form):
    published_on = forms.DateField(label="公布日期", widget=DateInput())
    members = forms.MultipleChoiceField(label="委员候选人", widget=forms.CheckboxSelectMultiple,
                                        help_text="从乡镇党委审查通过的人选中选定；名单按姓氏笔画排列")

    def __init__(self, *args, passed, secretary_seats: int = 0, deputy_seats: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), p.name) for p in passed]
        self.fields["members"].choices = choices
        blank = [("", "——")]
        self.secretary_names = [f"secretary_{i}" for i in range(1, secretary_seats + 1)]
        self.deputy_names = [f"deputy_{i}" for i in range(1, deputy_seats + 1)]
        for n, name in enumerate(self.secretary_names, start=1):
            self.fields[name] = forms.ChoiceField(label=f"书记候选人（第{n}位）", choices=blank + choices)
        for n, name in enumerate(self.deputy_names, start=1):
            self.fields[name] = forms.ChoiceField(label=f"副书记候选人（按上级批准的顺序，第{n}位）", choices=blank + choices)

    def selection(self) -> dict:
        data = self.cleaned_data
        return {
            "members": [int(pk) for pk in data["members"]],
            "secretaries": [int(data[n]) for n in self.secretary_names],
            "deputies": [int(data[n]) for n in self.deputy_names],
        }


class DelegateListForm(forms.Form):
    """A congress 选举单位's delegate candidates: full members with voting rights of its register, those who are
    党员干部 marked (the province's cadre share; ``candidates.congress_composition``)."""

    published_on = forms.DateField(label="名单确定日期", widget=DateInput())
    members = forms.MultipleChoiceField(label="代表候选人", widget=forms.CheckboxSelectMultiple,
                                        help_text="从本选举单位有选举权的正式党员中选定，多于应选代表名额至少20%；名单按姓氏笔画排列")
    cadres = forms.MultipleChoiceField(label="其中党员干部", widget=forms.CheckboxSelectMultiple, required=False,
                                       help_text="乡镇、村、经济组织、社会组织的党员干部，计入代表结构中的干部比例")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(m.pk), m.name) for m in members]
        self.fields["members"].choices = choices
        self.fields["cadres"].choices = choices

    def clean(self):
        data = super().clean()
        outside = set(data.get("cadres", ())) - set(data.get("members", ()))
        if outside:
            self.add_error("cadres", "党员干部须是选定的代表候选人。")
        return data


class CongressBodyVoteForm(forms.Form):
    """The congress's vote for its committee or discipline committee: the candidates one a line with their yes votes
    (``姓名 票数``), in the list's order."""

    body = forms.ChoiceField(label="选举事项")
    seats = forms.IntegerField(label="应选名额", min_value=1)
    held_on = forms.DateField(label="选举日期", widget=DateInput())
    due = forms.IntegerField(label="应到会代表", min_value=1, help_text="资格审查有效的代表，减去经批准不列入应到会的代表")
    present = forms.IntegerField(label="实到会有选举权的代表", min_value=0)
    candidates = forms.CharField(label="候选人及赞成票", widget=forms.Textarea(attrs={"rows": 10}),
                                 help_text="按候选人名单顺序，每行一名：姓名、空格、赞成票数，例如“王建国 46”")

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = bodies

    def clean_candidates(self):
        rows, errors = [], []
        for number, line in enumerate(self.cleaned_data["candidates"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, _, votes = line.replace("\u3000", " ").rpartition(" ")
            if not name.strip() or not votes.isdigit():
                errors.append(f"第{number}行“{line}”应为姓名、空格、赞成票数。")
                continue
            rows.append((name.strip(), int(votes)))
        if errors:
            raise forms.ValidationError(errors)
        return rows
