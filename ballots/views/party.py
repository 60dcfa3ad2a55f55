"""The pages of a Party election's 党员大会 beside the shared ones (LAW.md §4.2): 实到会 of a round, the office's
shortfall decision, the new committee's 书记/副书记 vote, and the two papers (选举结果报告单, 报上级党委的报告)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import NOT_FOUND, get_child_or_404, get_election_for
from villages.downloads import document_response
from villages.formtools import attach_errors

from .. import documents
from ..counts import is_party_election
from ..forms.party import AttendanceForm, PostVoteForm, ShortfallForm
from ..party_report import party_results
from ..services import party as services

MESSAGES = {
    "attendance": "{round}实到会有选举权的党员{present}名已登记。",
    "shortfall": "缺额处理决定已登记：{decision}。",
    "post_vote": "{post}选举结果已登记。",
}


def _party_election(request, pk: int, **kwargs):
    election = get_election_for(request.user, pk, **kwargs)
    if not is_party_election(election):
        raise Http404(NOT_FOUND)
    return election


def round_attendance(request, pk: int, round_pk: int):
    election = _party_election(request, pk, setup=True)
    round = get_child_or_404(election.rounds.all(), round_pk)
    form = AttendanceForm(request.POST or None, initial={"present": round.present})
    if form.is_valid():
        try:
            services.record_attendance(by=request.user, round=round, present=form.cleaned_data["present"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["attendance"].format(round=round.label, present=form.cleaned_data["present"]))
            return redirect("ballots:round-detail", pk=election.pk, round_pk=round.pk)
    title = f"{round.label}：党员大会到会人数（应到会{round.expected_attendance}名）"
    return render(request, "ballots/form_page.html", {"form": form, "election": election, "title": title})


def shortfall(request, pk: int):
    election = _party_election(request, pk, setup=True)
    today = timezone.localdate()
    form = ShortfallForm(request.POST or None, initial={"decided_on": today, "held_on": today})
    if form.is_valid():
        try:
            decision = services.decide_shortfall(by=request.user, election=election, today=today, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["shortfall"].format(decision=decision))
            if decision.new_round_id:
                return redirect("ballots:round-detail", pk=election.pk, round_pk=decision.new_round_id)
            return redirect("ballots:results", pk=election.pk)
    title = "处理缺额：就缺额另行选举，或经上级党组织同意、党员大会过半数同意减少名额"
    return render(request, "ballots/form_page.html", {"form": form, "election": election, "title": title})


def post_vote(request, pk: int):
    election = _party_election(request, pk, setup=True)
    report = party_results(election)
    committee = {str(m.voter_id): m.voter.name for m in report.data.members if not m.void_decision_id}
    form = PostVoteForm(request.POST or None, committee=committee,
                        initial={"held_on": timezone.localdate(), "post": request.GET.get("post", "secretary")})
    if form.is_valid():
        try:
            services.record_post_vote(by=request.user, election=election, post=form.cleaned_data["post"],
                                      held_on=form.cleaned_data["held_on"], returned=form.cleaned_data["returned"],
                                      votes=form.votes(), today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["post_vote"].format(post=dict(form.fields["post"].choices)[form.cleaned_data["post"]]))
            return redirect("ballots:results", pk=election.pk)
    title = f"选举书记、副书记（书记由{report.secretary_electorate}选举，须获得超过半数的赞成票）"
    return render(request, "ballots/form_page.html", {"form": form, "election": election, "title": title})


def upper_report(request, pk: int):
    election = _party_election(request, pk)
    pdf = documents.party_upper_report_pdf(election, printed_on=timezone.localdate())
    return document_response(request, pdf, inline=True, obj=election,
                             filename=f"{election.unit_name}党组织换届选举结果的报告.pdf",
                             action="ballots.party_upper_report.printed")
