"""Printing with WeasyPrint: A4 pages in Noto Sans CJK SC (templates in ``templates/ballots/pdf/``)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    """The rendered template as an inline PDF download named ``filename`` (Chinese names kept)."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs a second at start-up

    html = render_to_string(template, context)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
