from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from villages.access import villages_visible_to

from .models import Roster


class RosterImportForm(forms.Form):
    village = forms.ModelChoiceField(label="村", queryset=None)
    kind = forms.ChoiceField(label="名册类型", choices=Roster.Kind.choices)
    term_number = forms.IntegerField(label="届次", min_value=1, max_value=99, help_text="例如上届村委会为第11届")
    file = forms.FileField(label="名册文件（.xlsx）", help_text="列：姓名、公民身份号码、职务，可含性别、出生日期、民族、文化程度、政治面貌")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_visible_to(user).select_related("township")
        self.helper = FormHelper()
        self.helper.layout = Layout(Row(Column("village"), Column("kind"), Column("term_number")), "file")
        self.helper.add_input(Submit("submit", "导入"))
