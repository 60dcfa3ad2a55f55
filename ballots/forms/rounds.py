"""Opening a round and declaring a round void."""

from __future__ import annotations

from crispy_forms.layout import Field
from django import forms

from candidates.slate import WOMAN_MEMBER, post_label

from villages.formtools import date_reason_field

from ..models import PollingStation, Round
from .stations import helper


class RoundOpenForm(forms.Form):
    """Day and stations; for a runoff, the candidates per post from the pool of persons not elected."""

    held_on = forms.DateField(label="投票日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_reason = date_reason_field()
    stations = forms.ModelMultipleChoiceField(
        label="参加本轮的投票站", queryset=PollingStation.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, election, seats=None, pools=None, suggested=None, **kwargs):
        stations = election.polling_stations.order_by("order", "id")
        super().__init__(*args, initial={"stations": list(stations), "held_on": election.election_day}, **kwargs)
        self.fields["stations"].queryset = stations
        self.posts = list(seats or {})
        for code in self.posts:
            # A post's runoff offers those with votes for that post; the women's seat only women (LAW.md §2.2).
            choices = [(p.key, f"{p.name}（{'女' if p.sex == 'F' else '男'}，上一轮{p.votes}票）")
                       for p in (pools or {}).get(code, ()) if code != WOMAN_MEMBER or p.sex == "F"]
            self.fields[f"candidates_{code}"] = forms.MultipleChoiceField(
                label=f"{post_label(code)}另行选举候选人（应选{seats[code]}名）",
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list((suggested or {}).get(code, ())),
            )
        self.helper = helper(
            "开启本轮", "held_on", "date_reason", Field("stations"), *[f"candidates_{code}" for code in self.posts]
        )

    def candidates(self) -> dict[str, list[int]] | None:
        if not self.posts:
            return None
        return {code: [int(k) for k in self.cleaned_data[f"candidates_{code}"]] for code in self.posts}


class RoundVoidForm(forms.Form):
    ground = forms.ChoiceField(label="无效事由", choices=Round.VoidGround.choices, widget=forms.RadioSelect)
    issued = forms.IntegerField(label="发出选票", min_value=0, required=False,
                                help_text="收回选票多于发出选票时填写清点出的两个数字")
    returned = forms.IntegerField(label="收回选票", min_value=0, required=False)
    reason = forms.CharField(
        label="本轮无效的原因", max_length=200, required=False,
        help_text="按参加投票人数或收回选票认定的，可不填，由系统按数字写明；其他原因须写明",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("宣布本轮无效", "ground", "issued", "returned", "reason")
