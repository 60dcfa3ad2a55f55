"""Announcing results and recording a void decision."""

from __future__ import annotations

from crispy_forms.layout import Column, Row
from django import forms

from voters.models import Voter

from ..models import VoidDecision
from .stations import helper

FORM_ERRORS = {"person_required": "宣布个人当选无效时，请选择当选人。"}


class AnnounceForm(forms.Form):
    on = forms.DateField(label="公布日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("公布选举结果", "on")


class VoidDecisionForm(forms.Form):
    scope = forms.ChoiceField(label="范围", choices=VoidDecision.Scope.choices, widget=forms.RadioSelect)
    person = forms.ModelChoiceField(label="当选无效的人", queryset=Voter.objects.none(), required=False)
    ground = forms.ChoiceField(label="事由（村民委员会组织法第十七条）", choices=VoidDecision.Ground.choices)
    decided_by_body = forms.ChoiceField(label="决定机关", choices=VoidDecision.Body.choices)
    document_ref = forms.CharField(label="决定文书（文号）", max_length=100)
    decided_on = forms.DateField(label="决定日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="认定事实", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        if election.is_district:
            labels = dict(VoidDecision.Body.choices) | {VoidDecision.Body.ELECTION_COMMITTEE: election.committee_label}
            self.fields["decided_by_body"].choices = [(body.value, labels[body]) for body in VoidDecision.DISTRICT_BODIES]
            self.fields["ground"].label = "事由（破坏选举的行为）"
        self.fields["person"].queryset = Voter.objects.filter(
            elections_won__election=election, elections_won__void_decision__isnull=True
        )
        self.helper = helper(
            "登记无效决定",
            "scope",
            "person",
            "ground",
            Row(Column("decided_by_body"), Column("document_ref"), Column("decided_on")),
            "reason",
        )

    def clean(self):
        data = super().clean()
        if data.get("scope") == VoidDecision.Scope.PERSON and not data.get("person"):
            self.add_error("person", forms.ValidationError(FORM_ERRORS["person_required"], code="person_required"))
        return data
