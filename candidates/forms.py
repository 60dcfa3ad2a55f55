"""Forms for nomination: shape only; the rules live in ``services``, ``slate`` and ``selection`` (STYLE.md §14, §16)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row, Submit
from django import forms

from villages.formtools import date_reason_field
from villages.models import CommitteeMember, Election
from villages.presets import MODE_CANDIDATES, MODE_SELF_NOMINATION

from . import selection
from .models import Candidate, nominable_voters
from .overview import election_posts


class VoterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, voter):
        return f"{voter.name}（{voter.masked_id_number}，{voter.group.name}）"


class VoterMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, voter):
        return f"{voter.name}（{voter.masked_id_number}，{voter.group.name}）"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")  # the only format <input type=date> accepts


def _voter_choices(election: Election):
    return nominable_voters(election).select_related("group").order_by("group__number", "name", "pk")


def _helper(submit_label: str, *layout) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label))
    return helper


class NominationForm(forms.Form):
    """A nominee for a post: nominated by voters (with nominators or the nomination-ballot count) or self-nominated."""

    source = forms.ChoiceField(label="提名方式", choices=Candidate.Source.choices, widget=forms.RadioSelect)
    voter = VoterChoiceField(label="被提名人", queryset=None, help_text="只列出本村选民名单上的登记选民")
    post = forms.ChoiceField(label="职务")
    nominated_on = forms.DateField(label="提名（报名）日期", widget=DateInput)
    nomination_votes = forms.IntegerField(
        label="提名票数", min_value=0, required=False, help_text="按提名票统计结果填写；只逐人录入提名人时可不填"
    )
    nominators = VoterMultipleChoiceField(
        label="提名人",
        queryset=None,
        required=False,
        help_text="逐人登记的提名人（按住 Ctrl 多选）；每位选民对每个职务的提名不得超过应选名额",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    committee_member = forms.ModelChoiceField(
        label="被提名人是村民选举委员会成员",
        queryset=None,
        required=False,
        empty_label="不是",
        help_text="选择后，该成员在提名的同时退出选举委员会，由候补成员依次递补（村民委员会组织法第十二条）",
    )
    committee_relatives = forms.ModelMultipleChoiceField(
        label="被提名人的近亲属中的选举委员会成员",
        queryset=None,
        required=False,
        help_text="配偶、父母、子女、兄弟姐妹须一并退出选举委员会（浙江省村民委员会选举办法第九条）",
    )

    def __init__(self, *args, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        params = election.rules
        voters = _voter_choices(election)
        self.fields["voter"].queryset = voters
        self.fields["nominators"].queryset = voters
        sources = [
            choice
            for choice in Candidate.Source.choices
            if (choice[0] == Candidate.Source.NOMINATED and MODE_CANDIDATES in params.nomination_modes)
            or (choice[0] == Candidate.Source.SELF and MODE_SELF_NOMINATION in params.nomination_modes)
        ]
        self.fields["source"].choices = sources
        self.fields["source"].initial = sources[0][0] if sources else None
        self.fields["post"].choices = [(p.code, p.label) for p in election_posts(election)]
        members = CommitteeMember.objects.filter(election=election, left_on__isnull=True)
        self.fields["committee_member"].queryset = members
        self.fields["committee_relatives"].queryset = members
        layout = [
            "source",
            Row(Column("voter", css_class="col-md-6"), Column("post"), Column("nominated_on")),
            Div(Row(Column("nomination_votes", css_class="col-md-3"), Column("nominators")), css_id="nominated-fields"),
        ]
        if not params.committee_member_leaves_when_nominated:
            del self.fields["committee_member"]
        else:
            layout.append("committee_member")
        if not params.relatives_leave_committee:
            del self.fields["committee_relatives"]
        else:
            layout.append("committee_relatives")
        deadline = selection.self_nomination_deadline(election.election_day, params)
        if deadline:
            text = f"自荐报名截止：{deadline.year}年{deadline.month}月{deadline.day}日"
            layout.insert(1, HTML(f'<p class="small text-muted">{text}</p>'))
        self.helper = _helper("登记提名", *layout)

    def clean_nominators(self):
        return list(self.cleaned_data["nominators"])

    def clean_committee_relatives(self):
        return list(self.cleaned_data["committee_relatives"])


class AddNominationForm(forms.Form):
    """One more registered voter who nominates this candidate."""

    nominator = VoterChoiceField(label="提名人", queryset=None)
    nominated_on = forms.DateField(label="提名日期", widget=DateInput)

    def __init__(self, *args, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominator"].queryset = _voter_choices(election)
        self.helper = _helper("增加提名人", Row(Column("nominator", css_class="col-md-8"), Column("nominated_on")))


class NominationVotesForm(forms.Form):
    """The count from the nomination ballot, with the version the user saw (villages.versioning)."""

    votes = forms.IntegerField(label="提名票数", min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("修改提名票数", Row(Column("votes", css_class="col-md-4")), "version")
        self.helper.form_action = action


class WithdrawForm(forms.Form):
    """Fields of the withdrawal dialog on the candidate list; the page sets the action and version."""

    withdrawn_on = forms.DateField(label="书面退出日期", widget=DateInput)
    reason = forms.CharField(label="退出原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PublishForm(forms.Form):
    """The committee's decision: the nomination mode and the day the list is posted."""

    mode = forms.ChoiceField(label="选举方式")
    published_on = forms.DateField(label="公布日期", widget=DateInput)
    date_reason = date_reason_field()

    def __init__(self, *args, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(m, selection.MODE_LABELS[m]) for m in election.rules.nomination_modes]
        self.helper = _helper("公布正式候选人名单", Row(Column("mode"), Column("published_on")), "date_reason")
