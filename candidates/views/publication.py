"""Publishing the formal candidate list and printing it (ZJ Art. 18, 20; BJ Art. 20; SH Art. 12; HA Art. 26)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import get_election_for
from villages.downloads import document_response
from villages.formtools import attach_errors
from villages.templatetags.villages_tags import cn_date

from .. import documents, services
from ..forms import PublishForm
from ..overview import candidate_board
from ..party_services import is_party_branch
from . import congress, deputies, party

MESSAGES = {
    "published": "已按“{mode}”公布正式候选人名单，选举进入“投票选举”阶段。",
    "published_late": "公布日期晚于法定期限（{deadline}），已记录为逾期公布。",
}


def candidate_list_publish(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    if election.is_district:
        return deputies.publish(request, election)
    if is_party_branch(election):
        return party.publish(request, election)
    if election.party_unit_id:
        return congress.unit_publish(request, election)
    today = timezone.localdate()
    initial = {"published_on": today, "mode": request.GET.get("mode")}
    form = PublishForm(request.POST or None, election=election, initial=initial)
    if form.is_valid():
        try:
            publication = services.publish_candidate_list(
                by=request.user, election=election, today=today, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["published"].format(mode=publication.get_mode_display()))
            if publication.is_late:
                deadline = cn_date(publication.deadline)
                messages.warning(request, MESSAGES["published_late"].format(deadline=deadline))
            return redirect("candidates:candidate-list", pk=election.pk)
    board = candidate_board(election, today=today, mode=form["mode"].value())
    return render(request, "candidates/publish_form.html", {"election": election, "board": board, "form": form})


def candidate_list_pdf(request, pk: int):
    election = get_election_for(request.user, pk)
    if election.is_district:
        return deputies.list_pdf(request, election)
    if is_party_branch(election):
        return party.list_pdf(request, election)
    board = candidate_board(election, today=timezone.localdate(), mode=request.GET.get("mode"))
    return document_response(request, documents.candidate_list_pdf(board), obj=election,
                             filename=f"{election.village.name}正式候选人名单.pdf", action="candidates.candidate_list.printed")
