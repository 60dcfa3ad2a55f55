"""Printed documents of the archive: the handover list (工作移交清单) and the archive index (档案目录)
of a village or a township, A4, rendered by WeasyPrint in the CJK font."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string

from villages.models import Election

from .queries import ArchiveIndex


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs a second at start-up

    return HTML(string=render_to_string(template, context)).write_pdf()


def handover_pdf(election: Election) -> bytes:
    items = election.handover_items.order_by("handed_on", "pk")
    return _pdf("archive/pdf/handover.html", {"election": election, "items": items})


def archive_index_pdf(index: ArchiveIndex, *, printed_on: date) -> bytes:
    return _pdf("archive/pdf/index.html", {"index": index, "printed_on": printed_on})
