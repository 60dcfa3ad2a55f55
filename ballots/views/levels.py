"""A 人大 round's results for the whole level: every district's figures and the 当选代表名单."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from villages.access import elections_visible_to, get_deputy_round_for
from villages.downloads import document_response


from ..district_results import level_results
from ..documents import render_pdf


def _results(request, pk: int):
    campaign = get_deputy_round_for(request.user, pk)
    elections = (elections_visible_to(request.user).filter(campaign=campaign).with_places()
                 .order_by("district__township__code", "district__number"))
    return level_results(campaign, elections)


@require_GET
def level_results_page(request, pk: int):
    results = _results(request, pk)
    return render(request, "ballots/level_results.html", {"campaign": results.campaign, "results": results})


@require_GET
def elected_deputies_pdf(request, pk: int):
    results = _results(request, pk)
    content = render_pdf("ballots/pdf/elected_deputies.html", {
        "campaign": results.campaign, "results": results, "printed_on": timezone.localdate()})
    return document_response(request, content, obj=results.campaign, filename=f"{results.campaign}当选代表名单.pdf",
                             action="ballots.elected_deputies.printed")
