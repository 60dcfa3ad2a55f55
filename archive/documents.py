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
    heading = ""
    if election.is_party_branch:  # 中共东山村支部委员会第八届委员会
        from villages.announcements import cn_numeral
        from voters.services.party import organisation_of

        organisation = organisation_of(election)
        name = organisation.name if organisation else f"中共{election.village.name}支部委员会"
        heading = f"{name}第{cn_numeral(election.campaign.term_number)}届委员会"
    return _pdf("archive/pdf/handover.html", {"election": election, "items": items, "heading": heading})


def archive_index_pdf(index: ArchiveIndex, *, printed_on: date) -> bytes:
    return _pdf("archive/pdf/index.html", {"index": index, "printed_on": printed_on})
