"""Rounds: the list, opening one (first ballot, re-vote, runoff), its stations' tallies, voiding it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from candidates.slate import POST_ORDER
from villages.access import NOT_FOUND, can_write_election, get_child_or_404, get_election_for
from villages.formtools import attach_errors

from ..counts import election_counts
from ..entries import options_for, station_rows
from ..forms.rounds import RoundOpenForm, RoundVoidForm
from ..models import Round
from ..queries import next_actions, round_setup, round_views
from ..services import rounds as services

MESSAGES = {
    "opened": "已开启{label}，请打印选票并在投票后录入各投票站的计票结果。",
    "voided": "{label}已宣布无效。",
}


def round_list(request, pk: int):
    election = get_election_for(request.user, pk)
    data = election_counts(election)
    context = {"election": election, "rounds": round_views(data), "actions": next_actions(data), "progress": data.progress}
    return render(request, "ballots/round_list.html", context)


def round_open(request, pk: int, kind: str):
    election = get_election_for(request.user, pk, setup=True)
    if kind not in Round.Kind.values:
        raise Http404(NOT_FOUND)
    post = request.GET.get("post")
    setup = round_setup(election, kind, post)
    form = RoundOpenForm(request.POST or None, election=election, seats=setup.seats if kind == Round.Kind.RUNOFF else None,
                         pools=setup.pools, suggested=setup.suggested)
    if form.is_valid():
        try:
            new = services.open_round(by=request.user, election=election, kind=kind, post=post,
                                      held_on=form.cleaned_data["held_on"], stations=list(form.cleaned_data["stations"]),
                                      candidates=form.candidates(), today=timezone.localdate(),
                                      date_reason=form.cleaned_data["date_reason"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["opened"].format(label=new.label))
            return redirect("ballots:round-detail", pk=election.pk, round_pk=new.pk)
    context = {"election": election, "form": form, "setup": setup, "kind_label": Round.Kind(kind).label}
    return render(request, "ballots/round_open.html", context)


def round_detail(request, pk: int, round_pk: int):
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    context = {
        "election": election,
        "round": round,
        "rows": station_rows(round),
        "candidates": sorted(round.candidates.select_related("voter"), key=lambda c: (POST_ORDER.index(c.post), c.order)),
        "double_entry": options_for(election).double_entry,
        "can_enter": can_write_election(request.user, election) and round.is_open,
    }
    return render(request, "ballots/round_detail.html", context)


def round_void(request, pk: int, round_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    round = get_child_or_404(election.rounds.all(), round_pk)
    form = RoundVoidForm(request.POST or None, initial={"ground": request.GET.get("ground", "other")})
    if form.is_valid():
        try:
            services.void_round(by=request.user, round=round, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["voided"].format(label=round.label))
            return redirect("ballots:results", pk=election.pk)
    context = {"form": form, "election": election, "title": f"宣布{round.label}无效"}
    return render(request, "ballots/form_page.html", context)
