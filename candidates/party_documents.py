"""Printed papers of the Party nomination pipeline, A4 by WeasyPrint like the other papers (``documents``): the
formal candidate list (surname-stroke order; 书记/副书记 in the approved order), the recommendation form (推荐票)
and the confidence ballot (信任投票票), each listing the full members in surname-stroke order."""

from __future__ import annotations

from django.template.loader import render_to_string

from villages.announcements import cn_numeral
from villages.checks import CJK_FONT_FAMILY
from villages.kinds import party_ranking

from . import party_pipeline as pipeline
from . import party_services as services
from .models import Post
from .party_overview import PartyBoard, paper_people


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {"font_family": CJK_FONT_FAMILY} | context)
    from weasyprint import HTML  # imported here: WeasyPrint is slow to import

    return HTML(string=html).write_pdf()


def party_list_pdf(board: PartyBoard) -> bytes:
    return _pdf("candidates/pdf/party_list.html", {"board": board,
                                                   "term": cn_numeral(board.election.campaign.term_number)})


def stage_paper_pdf(election, spec: pipeline.StageSpec) -> bytes:
    """A recommendation form names up to the 委员 seats; a confidence ballot asks 信任 / 不信任 of each person."""
    from villages.models import PartyOrganisation

    organisation = PartyOrganisation.objects.filter(village_id=election.village_id).first()
    seats = services.seats(election)[Post.MEMBER]
    people = paper_people(election)
    context = {
        "election": election, "spec": spec, "people": people, "seats": seats,
        "organisation": organisation.name if organisation else f"{election.village.name}党组织",
        "confidence": spec.ranking == party_ranking.CONFIDENCE, "blank_lines": range(3),
        "term": cn_numeral(election.campaign.term_number),
    }
    return _pdf("candidates/pdf/party_paper.html", context)
