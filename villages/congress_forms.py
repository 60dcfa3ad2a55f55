"""Forms for the setup of a township Party congress's delegates' election: shape only; rules live in
``villages.party_congress``."""

from __future__ import annotations

from crispy_forms.layout import Column, Row
from django import forms

from .access import townships_visible_to
from .forms import _helper
from .kinds.party_congress import CODE
from .models import Campaign, PartyElectoralUnit, PartyOrganisation, RulePreset, Township, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CongressRoundForm(forms.Form):
    township = forms.ModelChoiceField(label="乡镇", queryset=Township.objects.none())
    term_number = forms.IntegerField(label="党代表大会届次", min_value=1, max_value=99, help_text="例如 第十次代表大会填 10")
    preset = forms.ModelChoiceField(label="规则预设", queryset=RulePreset.objects.filter(election_type=CODE))
    election_day = forms.DateField(label="代表选举日", widget=DATE)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_visible_to(user)
        self.helper = _helper("开启乡镇党代表大会代表选举", Row(Column("township"), Column("term_number")),
                              Row(Column("preset"), Column("election_day")))


class ElectoralUnitForm(forms.Form):
    name = forms.CharField(label="选举单位名称", max_length=60, help_text="一个党组织单独作为选举单位时，可用其村名")
    organisations = forms.ModelMultipleChoiceField(
        label="所含党组织", queryset=PartyOrganisation.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="党员人数较少的党组织可以联合作为一个选举单位；已编入其他选举单位的不再列出")

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        taken = PartyElectoralUnit.organisations.through.objects.filter(
            partyelectoralunit__campaign=campaign).values("partyorganisation_id")
        self.fields["organisations"].queryset = (PartyOrganisation.objects.filter(village__township=campaign.township)
                                                 .exclude(pk__in=taken).select_related("village")
                                                 .order_by("village__code"))
        self.helper = _helper("添加选举单位", "name", "organisations")


class DelegateTotalForm(forms.Form):
    total = forms.IntegerField(label="代表名额", min_value=1, max_value=999,
                               help_text="乡镇党委确定；一般为100至200名，最多不超过300名")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("确定名额并按正式党员人数分配", "total")
