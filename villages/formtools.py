"""Attaching a service's ValidationError to the bound form, so the user sees it in place (STYLE.md §14)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(None if field == NON_FIELD_ERRORS or field not in form.fields else field, errors)
    else:
        form.add_error(None, exc)
