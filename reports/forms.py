from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from villages.access import townships_visible_to, villages_visible_to

from .models import Roster

MESSAGES = {
    "scope_missing": "请选择村；导入全乡镇名册时请选择乡镇，并在名册中填写“村（社区）”列。",
}


class RosterImportForm(forms.Form):
    """One village's roster, or a township-wide one whose rows name their village (村（社区）列)."""

    village = forms.ModelChoiceField(label="村", queryset=None, required=False,
                                     empty_label="—— 全乡镇（名册中有“村（社区）”列）——")
    township = forms.ModelChoiceField(label="乡镇（导入全乡镇名册时）", queryset=None, required=False)
    kind = forms.ChoiceField(label="名册类型", choices=Roster.Kind.choices)
    term_number = forms.IntegerField(label="届次", min_value=1, max_value=99, help_text="例如上届村委会为第11届")
    file = forms.FileField(label="名册文件（.xlsx）",
                           help_text="列：姓名、公民身份号码、职务，可含性别、出生日期、民族、文化程度、政治面貌；全乡镇名册另需“村（社区）”列")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_visible_to(user).select_related("township")
        townships = townships_visible_to(user)
        self.fields["township"].queryset = townships
        if user.township_id:
            self.fields["township"].initial = user.township_id
        self.helper = FormHelper()
        self.helper.layout = Layout(Row(Column("village"), Column("township")),
                                    Row(Column("kind"), Column("term_number")), "file")
        self.helper.add_input(Submit("submit", "导入"))

    def clean(self):
        data = super().clean()
        if not data.get("village") and not data.get("township"):
            raise forms.ValidationError(MESSAGES["scope_missing"], code="scope_missing")
        return data


class RosterTemplateForm(forms.Form):
    kind = forms.ChoiceField(choices=Roster.Kind.choices, required=False)
    township = forms.IntegerField(min_value=1, required=False)
