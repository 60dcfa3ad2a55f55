"""The composition of a township Party congress's delegate candidates and elected delegates (代表结构), read by the
township's office and its supervisors, and its print."""

from django.views.decorators.http import require_GET
from django.shortcuts import render

from villages.downloads import document_response
from villages.party_congress import get_congress_round_for

from .. import congress_composition as composition_queries
from .. import congress_credentials as congress_credentials_queries
from ..congress_documents import composition_pdf


def _title(campaign) -> str:
    return f"{campaign.township.name}第{campaign.term_number}次党代表大会代表结构情况"


def congress_composition(request, pk: int):
    campaign = get_congress_round_for(request.user, pk)
    context = {"campaign": campaign, "result": composition_queries.composition(campaign), "title": _title(campaign)}
    return render(request, "candidates/congress_composition.html", context)


@require_GET
def congress_composition_pdf(request, pk: int):
    campaign = get_congress_round_for(request.user, pk)
    content = composition_pdf(campaign, composition_queries.composition(campaign))
    return document_response(request, content, filename=f"{_title(campaign)}.pdf",
                             action="candidates.congress.composition_printed", obj=campaign)


def congress_credentials(request, pk: int):
    campaign = get_congress_round_for(request.user, pk)
    units = congress_credentials_queries.credentials(campaign)
    delegates = [d for unit in units for d in unit.delegates]
    context = {"campaign": campaign, "units": units, "elected": len(delegates),
               "valid": sum(1 for d in delegates if d.valid), "invalid": sum(1 for d in delegates if not d.valid),
               "title": f"{campaign.township.name}第{campaign.term_number}次党代表大会代表资格审查"}
    return render(request, "candidates/congress_credentials.html", context)
