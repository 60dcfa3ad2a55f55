"""The printed composition check of a township Party congress's delegates (代表结构情况): A4, WeasyPrint, from the
same ``congress_composition.Composition`` the page shows (STYLE.md §7)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from villages.checks import CJK_FONT_FAMILY

from .congress_composition import Composition


def composition_pdf(campaign, result: Composition) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs a second at start-up

    context = {"campaign": campaign, "result": result, "font_family": CJK_FONT_FAMILY, "today": timezone.localdate()}
    return HTML(string=render_to_string("candidates/pdf/congress_composition.html", context)).write_pdf()
