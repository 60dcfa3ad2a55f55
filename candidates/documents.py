"""The printed formal candidate list (正式候选人名单), A4, rendered by WeasyPrint from the same
``overview.Board`` the screen shows (STYLE.md §7). The CJK font is named on the body and inside
``@page`` so that page numbers in the margin boxes use it too (villages.checks verifies the font)."""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

from villages.checks import CJK_FONT_FAMILY

from .overview import Board


def candidate_list_pdf(board: Board) -> bytes:
    html = render_to_string("candidates/pdf/candidate_list.html", {"board": board, "font_family": CJK_FONT_FAMILY})
    return HTML(string=html).write_pdf()
