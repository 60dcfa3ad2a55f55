"""Attaching a service's ValidationError to the bound form, so the user sees it in place (STYLE.md §14)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def date_reason_field() -> forms.CharField:
    """日期说明: required by the service only when a date falls outside its legal window (villages.dates)."""
    return forms.CharField(label="日期说明", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="日期超出法定期限时必填，写明原因（记入法定日程和操作日志）。")


def attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(None if field == NON_FIELD_ERRORS or field not in form.fields else field, errors)
    else:
        form.add_error(None, exc)
