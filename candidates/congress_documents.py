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


def congress_vote_result_pdf(campaign, results) -> bytes:
    """The congress's election of its committee and discipline committee: each body's list, the delegates due and
    present, one sentence per candidate and who is elected (``party_congress_vote.body_election``)."""
    from weasyprint import HTML

    context = {"campaign": campaign, "results": results, "font_family": CJK_FONT_FAMILY, "today": timezone.localdate()}
    return HTML(string=render_to_string("candidates/pdf/congress_vote.html", context)).write_pdf()
