"""Nominations and the candidate list of one election (OL §15; LAW.md §1.5, §2.1, §2.5)."""

from django.contrib import messages
from django.http import Http404
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from villages.access import NOT_FOUND, get_child_or_404, get_election_for
from villages.formtools import attach_errors

from .. import services
from ..forms import AddNominationForm, NominationForm, NominationVotesForm, WithdrawForm
from ..models import Candidate
from ..overview import candidate_board, proxy_notes_for
from ..party_services import is_party_branch
from . import congress, deputies, party

MESSAGES = {
    "nominated": "已登记{candidate}。",
    "nomination_added": "已增加提名人{name}，提名票数为{votes}。",
    "votes_updated": "{name}的提名票数已改为{votes}。",
    "votes_invalid": "请填写提名票数（不小于0的整数）。",
    "withdrawn": "{name}已退出{post}候选人。",
    "replaced": "{name}依次递补为{post}正式候选人。",
    "not_replaced": "没有可递补的{post}人选，请核对该职务是否仍符合差额要求。",
    "withdraw_invalid": "请填写书面退出日期和退出原因。",
}


def _village_only(election) -> None:
    """Nomination votes, individual nominators and withdrawals with replacement are a village's steps."""
    if election.is_district or is_party_branch(election) or election.party_unit_id:
        raise Http404(NOT_FOUND)


def candidate_list(request, pk: int):
    election = get_election_for(request.user, pk)
    if election.is_district:
        return deputies.board(request, election)
    if is_party_branch(election):
        return party.board(request, election)
    if election.party_unit_id:
        return congress.unit_board(request, election)
    board = candidate_board(election, today=timezone.localdate(), mode=request.GET.get("mode"))
    withdraw_form = WithdrawForm(initial={"withdrawn_on": timezone.localdate()})
    context = {"election": election, "board": board, "withdraw_form": withdraw_form}
    return render(request, "candidates/candidate_list.html", context)


def candidate_create(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    if election.is_district:
        return deputies.nominate(request, election)
    _village_only(election)  # a Party election's people come through its stages (candidates.views.party)
    form = NominationForm(request.POST or None, election=election, initial={"nominated_on": timezone.localdate()})
    if form.is_valid():
        try:
            candidate = services.nominate_candidate(by=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["nominated"].format(candidate=candidate))
            for note in proxy_notes_for(candidate, election):
                messages.warning(request, f"{candidate.voter.name}{note}。")
            return redirect("candidates:candidate-list", pk=election.pk)
    return render(request, "candidates/nomination_form.html", {"form": form, "election": election})


def candidate_nominations(request, pk: int, candidate_pk: int):
    election = get_election_for(request.user, pk, write=request.method == "POST")
    _village_only(election)
    candidate = get_child_or_404(Candidate.objects.in_election(election).with_voter(), candidate_pk)
    form = AddNominationForm(request.POST or None, election=election, initial={"nominated_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.add_nomination(by=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            name, votes = form.cleaned_data["nominator"].name, candidate.nomination_votes + 1
            messages.success(request, MESSAGES["nomination_added"].format(name=name, votes=votes))
            return redirect("candidates:candidate-nominations", pk=election.pk, candidate_pk=candidate.pk)
    nominations = candidate.nominations.select_related("nominator", "nominator__group")
    votes_form = NominationVotesForm(
        initial={"votes": candidate.nomination_votes, "version": candidate.version},
        action=reverse("candidates:candidate-votes", args=[election.pk, candidate.pk]),
    )
    context = {"election": election, "candidate": candidate, "nominations": nominations}
    context |= {"form": form, "votes_form": votes_form}
    return render(request, "candidates/candidate_nominations.html", context)


@require_POST
def candidate_votes(request, pk: int, candidate_pk: int):
    election = get_election_for(request.user, pk, write=True)
    _village_only(election)
    candidate = get_child_or_404(Candidate.objects.in_election(election).with_voter(), candidate_pk)
    form = NominationVotesForm(request.POST)
    if not form.is_valid():
        messages.error(request, MESSAGES["votes_invalid"])
    else:
        votes, version = form.cleaned_data["votes"], form.cleaned_data["version"]
        try:
            services.update_nomination_votes(
                by=request.user, candidate=candidate, votes=votes, expected_version=version
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, MESSAGES["votes_updated"].format(name=candidate.voter.name, votes=votes))
    return redirect("candidates:candidate-nominations", pk=election.pk, candidate_pk=candidate.pk)


@require_POST
def candidate_withdraw(request, pk: int, candidate_pk: int):
    election = get_election_for(request.user, pk, write=True)
    _village_only(election)
    candidate = get_child_or_404(Candidate.objects.in_election(election).with_voter(), candidate_pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, MESSAGES["withdraw_invalid"])
        return redirect("candidates:candidate-list", pk=election.pk)
    data = form.cleaned_data
    try:
        outcome = services.withdraw_candidate(
            by=request.user,
            candidate=candidate,
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
            expected_version=data["version"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        post = candidate.get_post_display()
        messages.success(request, MESSAGES["withdrawn"].format(name=candidate.voter.name, post=post))
        if outcome.replacement is not None:
            messages.info(request, MESSAGES["replaced"].format(name=outcome.replacement.voter.name, post=post))
        elif outcome.was_on_list:
            messages.warning(request, MESSAGES["not_replaced"].format(post=post))
    return redirect("candidates:candidate-list", pk=election.pk)
