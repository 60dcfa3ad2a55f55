"""Nomination pages of a 人大 选区 (Election Law Arts. 30–32): the same URLs as a village's where the
step is the same (the candidate list, a nomination, the formal list and its PDF), two of their own
(the initial list, the 预选). The village pages hand a 选区's election over to these."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import NOT_FOUND, can_write_election, get_election_for
from villages.downloads import document_response
from villages.formtools import attach_errors
from voters.models import Voter
from voters.registrations import register_elections

from .. import deputy_services, documents
from ..deputy_forms import DeputyNominationForm, FormalListForm, InitialListForm, PrimaryForm
from ..deputy_overview import deputy_board

MESSAGES = {
    "nominated": "已登记{name}为代表候选人被提名人。",
    "not_found": "本县本届选举的登记选民中没有公民身份号码为{number}的人。",
    "cosigners_not_found": "以下公民身份号码不是本选区的登记选民：{numbers}",
    "initial_published": "已公布初步代表候选人名单（{count}名）。",
    "primary_recorded": "已登记预选结果。",
    "formal_published": "已公布正式代表候选人名单。",
}


def board(request, election):
    context = {
        "election": election,
        "board": deputy_board(election),
        "can_write": can_write_election(request.user, election),
    }
    return render(request, "candidates/deputy_board.html", context)


def nominate(request, election):
    today = timezone.localdate()
    form = DeputyNominationForm(request.POST or None, today=today, initial={"nominated_on": today})
    if form.is_valid():
        data = form.cleaned_data
        nominee = deputy_services.eligible_nominees(election).filter(id_number=data["id_number"]).first()
        by_number = {v.id_number: v for v in Voter.objects.filter(election__in=register_elections(election),
                                                                  id_number__in=data["cosigners"])}
        missing = [n for n in data["cosigners"] if n not in by_number]
        if nominee is None:
            form.add_error("id_number", MESSAGES["not_found"].format(number=data["id_number"]))
        elif missing:
            form.add_error("cosigners", MESSAGES["cosigners_not_found"].format(numbers="、".join(missing)))
        else:
            try:
                deputy_services.nominate_deputy(
                    by=request.user, election=election, voter=nominee, source=data["source"],
                    nominated_on=data["nominated_on"], nominated_by=data["nominated_by"],
                    cosigners=[by_number[n] for n in data["cosigners"]], profile=data["profile"],
                    deputy_category=data["deputy_category"], incumbent=data["incumbent"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, MESSAGES["nominated"].format(name=nominee.name))
                return redirect("candidates:candidate-list", pk=election.pk)
    return render(request, "candidates/deputy_form.html", {"election": election, "form": form, "title": "提名代表候选人"})


def _district_only(election) -> None:
    if not election.is_district:
        raise Http404(NOT_FOUND)


def initial_list(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    _district_only(election)
    today = timezone.localdate()
    form = InitialListForm(request.POST or None, initial={"published_on": today})
    if form.is_valid():
        try:
            initial = deputy_services.publish_initial_list(by=request.user, election=election, today=today,
                                                           **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["initial_published"].format(count=len(initial.nominees)))
            return redirect("candidates:candidate-list", pk=election.pk)
    context = {"election": election, "form": form, "title": "公布初步代表候选人名单", "board": deputy_board(election)}
    return render(request, "candidates/deputy_form.html", context)


def primary(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    _district_only(election)
    nominees = deputy_board(election).active
    form = PrimaryForm(request.POST or None, nominees=nominees, initial={"held_on": timezone.localdate()})
    if form.is_valid():
        try:
            deputy_services.record_primary(by=request.user, election=election, held_on=form.cleaned_data["held_on"],
                                           votes=form.votes())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["primary_recorded"])
            return redirect("candidates:candidate-list", pk=election.pk)
    return render(request, "candidates/deputy_form.html", {"election": election, "form": form, "title": "登记预选结果"})


def publish(request, election):
    today = timezone.localdate()
    form = FormalListForm(request.POST or None, initial={"published_on": today})
    if form.is_valid():
        try:
            deputy_services.publish_formal_list(by=request.user, election=election, today=today, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["formal_published"])
            return redirect("candidates:candidate-list", pk=election.pk)
    context = {"election": election, "form": form, "title": "公布正式代表候选人名单", "board": deputy_board(election)}
    return render(request, "candidates/deputy_form.html", context)


def list_pdf(request, election):
    data = documents.deputy_list_pdf(deputy_board(election))
    return document_response(request, data, obj=election, filename=f"{election.unit_name}代表候选人名单.pdf",
                             action="candidates.candidate_list.printed")
