"""Pages of a village Party organisation's nomination pipeline (LAW.md §4.4; issue 12 step 4). Thin: the forms
shape the input, ``party_services`` decides and writes, ``party_overview`` gathers what is shown. The village
pages (``nominations``, ``publication``) hand a Party election over to these; the access chokepoint
(``villages.access.get_election_for``) decides who sees and writes, as for every candidates page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import NOT_FOUND, can_write_election, get_election_for
from villages.downloads import document_response
from villages.formtools import attach_errors
from villages.kinds.party_rules import Share
from villages.strokes import stroke_key

from .. import party_documents
from .. import party_pipeline as pipeline
from .. import party_services as services
from ..models import PartyStage, Post
from ..party_forms import MethodForm, PartyListForm, ReviewForm, StageForm
from ..party_overview import paper_people, party_board

MESSAGES = {
    "method_chosen": "候选人产生方式已确定为“{method}”。",
    "stage_recorded": "已登记{stage}结果：发出{ballot}{issued}张，收回{returned}张，收回率{returned_pct}，参加率{pct}。",
    "review_recorded": "已登记乡镇党委审查意见：通过{passed}名，未通过{dropped}名。",
    "published": "已公布正式候选人名单。",
    "method_first": "请先确定候选人产生方式。",
}


def _party_only(election) -> None:
    if not services.is_party_branch(election):
        raise Http404(NOT_FOUND)


def board(request, election):
    context = {
        "election": election,
        "board": party_board(election),
        "can_write": can_write_election(request.user, election),
        "can_setup": can_write_election(request.user, election, setup=True),
    }
    return render(request, "candidates/party_board.html", context)


def method(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    _party_only(election)
    board_ = party_board(election)
    plan = board_.plan
    initial = {"method": plan.method, "formal_candidates": plan.formal_candidates} if plan else {
        "formal_candidates": pipeline.minimum_formal_candidates(board_.seats[Post.MEMBER], election.rules)}
    form = MethodForm(request.POST or None, methods=board_.methods, initial=initial)
    if form.is_valid():
        try:
            plan = services.choose_method(by=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["method_chosen"].format(method=plan.get_method_display()))
            return redirect("candidates:candidate-list", pk=election.pk)
    return render(request, "candidates/party_form.html",
                  {"election": election, "form": form, "title": "确定候选人产生方式", "board": board_})


def stage(request, pk: int, stage: str):
    election = get_election_for(request.user, pk, write=True)
    _party_only(election)
    board_ = party_board(election)
    if board_.plan is None:
        messages.error(request, MESSAGES["method_first"])
        return redirect("candidates:candidate-list", pk=election.pk)
    if stage not in pipeline.PIPELINES[board_.plan.method]:
        raise Http404(NOT_FOUND)
    spec = pipeline.STAGES[stage]
    people = paper_people(election)  # in the order of the printed ballot
    record = PartyStage.objects.filter(election=election, stage=stage).first()
    if record is not None:
        initial = {"held_on": record.held_on, "basis": record.basis, "electorate": record.electorate,
                   "basis_note": record.basis_note, "ballots_issued": record.ballots_issued,
                   "ballots_returned": record.ballots_returned}
        initial |= {f"votes_{v.member_id}": v.votes for v in record.votes.all()}
    else:
        initial = {"held_on": timezone.localdate(), "basis": spec.bases[0]}
    form = StageForm(request.POST or None, spec=spec, people=people, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.record_stage(
                by=request.user, election=election, stage=stage, basis=data["basis"], held_on=data["held_on"],
                ballots_issued=data["ballots_issued"], ballots_returned=data["ballots_returned"], votes=form.votes(),
                electorate=data["electorate"], basis_note=data["basis_note"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["stage_recorded"].format(
                stage=spec.label, ballot=spec.ballot_word, issued=saved.ballots_issued, returned=saved.ballots_returned,
                returned_pct=Share(saved.ballots_returned, saved.ballots_issued),
                pct=Share(saved.ballots_returned, saved.electorate)))
            return redirect("candidates:candidate-list", pk=election.pk)
    register = services.village_register(election)
    context = {"election": election, "form": form, "spec": spec, "register": register, "board": board_,
               "title": f"登记{spec.label}结果"}
    return render(request, "candidates/party_stage_form.html", context)


def review(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    _party_only(election)
    board_ = party_board(election)
    if not board_.can_review:
        messages.error(request, board_.nominees.sentence + "。" if board_.nominees else MESSAGES["method_first"])
        return redirect("candidates:candidate-list", pk=election.pk)
    nominees = list(services.full_members(election).filter(pk__in=[int(k) for k in board_.nominees.keys]))
    nominees.sort(key=lambda v: board_.nominees.keys.index(str(v.pk)))
    plan = board_.plan
    initial = {"reviewed_on": plan.reviewed_on or timezone.localdate(),
               "reviewed_by_body": plan.reviewed_by_body or (board_.organisation.parent_name if board_.organisation else ""),
               "review_reference": plan.review_reference, "review_note": plan.review_note}
    for decision in board_.decisions:
        initial[f"passed_{decision.member_id}"] = "yes" if decision.passed else "no"
        initial[f"reason_{decision.member_id}"] = decision.reason
    form = ReviewForm(request.POST or None, nominees=nominees, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_review(by=request.user, election=election, reviewed_on=data["reviewed_on"],
                                   reviewed_by_body=data["reviewed_by_body"], decisions=form.decisions(),
                                   review_reference=data["review_reference"], review_note=data["review_note"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            decisions = form.decisions().values()
            messages.success(request, MESSAGES["review_recorded"].format(
                passed=sum(1 for p, _ in decisions if p), dropped=sum(1 for p, _ in decisions if not p)))
            return redirect("candidates:candidate-list", pk=election.pk)
    return render(request, "candidates/party_review_form.html",
                  {"election": election, "form": form, "board": board_, "title": "登记乡镇党委审查意见"})


def publish(request, election):
    """The formal list (the village page ``candidate_list_publish`` hands a Party election over, setup access)."""
    board_ = party_board(election)
    if board_.plan is None or board_.plan.reviewed_on is None:
        messages.error(request, "请先登记乡镇党委的审查意见。")
        return redirect("candidates:candidate-list", pk=election.pk)
    seats = board_.seats
    passed = [d.member for d in board_.passed]
    passed.sort(key=lambda v: (stroke_key(v.name), v.pk))
    form = PartyListForm(request.POST or None, passed=passed, secretary_seats=seats.get(services.SECRETARY, 0),
                         deputy_seats=seats.get(services.DEPUTY_SECRETARY, 0),
                         initial={"published_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.publish_party_list(by=request.user, election=election,
                                        published_on=form.cleaned_data["published_on"], today=timezone.localdate(),
                                        **form.selection())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["published"])
            return redirect("candidates:candidate-list", pk=election.pk)
    return render(request, "candidates/party_form.html",
                  {"election": election, "form": form, "board": board_, "title": "确定并公布正式候选人名单"})


def list_pdf(request, election):
    data = party_documents.party_list_pdf(party_board(election))
    return document_response(request, data, obj=election, filename=f"{election.village.name}党组织正式候选人名单.pdf",
                             action="candidates.candidate_list.printed")


def paper_pdf(request, pk: int, stage: str):
    election = get_election_for(request.user, pk)
    _party_only(election)
    if stage not in pipeline.STAGES:
        raise Http404(NOT_FOUND)
    spec = pipeline.STAGES[stage]
    data = party_documents.stage_paper_pdf(election, spec)
    return document_response(request, data, obj=election, filename=f"{election.village.name}{spec.label}{spec.paper}.pdf",
                             action="candidates.party_paper.printed", details={"stage": spec.label})
