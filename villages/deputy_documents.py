"""The printed 选区划分和代表名额分配方案 of a 人大 round: A4 landscape, WeasyPrint, from the same
``DistrictPlan`` the round's page shows (STYLE.md §7). The CJK font is named on the body and inside
``@page`` so that page numbers in the margin boxes use it too (``villages.checks`` verifies the font)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .checks import CJK_FONT_FAMILY
from .district_plan import DistrictPlan


def district_plan_pdf(plan: DistrictPlan) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs a second at start-up

    context = {"plan": plan, "campaign": plan.campaign, "font_family": CJK_FONT_FAMILY, "today": timezone.localdate()}
    return HTML(string=render_to_string("villages/pdf/district_plan.html", context)).write_pdf()
