"""Results per round (computed, never typed in), the void decision and the announcement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import can_write_election, get_election_for
from villages.formtools import attach_errors

from ..counts import election_counts
from ..forms.results import AnnounceForm, VoidDecisionForm
from ..party_report import party_results
from ..queries import next_actions, round_views, status_of
from ..services import announcement as services

MESSAGES = {
    "announced": "选举结果已公布，共{count}名新当选人记入当选名单。",
    "voided": "无效决定已登记：{decision}。",
}


def results(request, pk: int):
    election = get_election_for(request.user, pk)
    data = election_counts(election)
    context = {
        "election": election,
        "data": data,
        "status": status_of(data),
        "rounds": round_views(data),
        "actions": next_actions(data),
        "can_setup": can_write_election(request.user, election, setup=True),
        "party": party_results(election, data) if data.is_party else None,
    }
    return render(request, "ballots/results.html", context)


def announce(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    data = election_counts(election)
    form = AnnounceForm(request.POST or None, initial={"on": timezone.localdate()})
    if form.is_valid():
        try:
            created = services.announce_results(by=request.user, election=election, on=form.cleaned_data["on"],
                                                 today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["announced"].format(count=len(created)))
            return redirect("ballots:results", pk=election.pk)
    context = {"election": election, "form": form, "status": status_of(data), "elected": data.progress.elected}
    return render(request, "ballots/announce.html", context)


def void_decision(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    form = VoidDecisionForm(request.POST or None, election=election, initial={"decided_on": timezone.localdate()})
    if form.is_valid():
        try:
            decision = services.void_result(by=request.user, election=election, today=timezone.localdate(), **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["voided"].format(decision=decision))
            return redirect("ballots:results", pk=election.pk)
    context = {"form": form, "election": election, "title": "登记选举无效决定" + ("" if election.is_district else "（村民委员会组织法第十七条）")}
    return render(request, "ballots/form_page.html", context)
