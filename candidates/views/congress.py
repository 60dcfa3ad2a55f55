"""The composition of a township Party congress's delegate candidates and elected delegates (代表结构), read by the
township's office and its supervisors, and its print."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from villages.access import can_write, can_write_election
from villages.downloads import document_response
from villages.formtools import attach_errors
from villages.kinds import party_rules
from villages.party_congress import get_congress_round_for
from villages.strokes import stroke_key

from .. import congress_composition as composition_queries
from .. import congress_credentials as congress_credentials_queries
from .. import congress_services
from ..congress_documents import composition_pdf, congress_vote_result_pdf
from ..models import Candidate, CongressBodyVote, Post
from ..party_forms import CongressBodyVoteForm, DelegateListForm
from ..party_services import full_members


def _title(campaign) -> str:
    return f"{campaign.congress_name}代表结构情况"


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
               "title": f"{campaign.congress_name}代表资格审查"}
    return render(request, "candidates/congress_credentials.html", context)


# ---------------------------------------------------------------- one 选举单位's delegate candidates


def unit_board(request, election):
    """A congress unit's candidate page (the village page ``candidate_list`` hands a congress unit over)."""
    candidates = list(Candidate.objects.filter(election=election, post=Post.DEPUTY).select_related("voter")
                      .order_by("list_order"))
    seats = election.seats_member
    slate = party_rules.slate_check(post=party_rules.DELEGATE, seats=seats, candidates=len(candidates),
                                    params=election.rules) if candidates and seats else None
    context = {"election": election, "campaign": election.campaign, "candidates": candidates, "seats": seats,
               "slate": slate, "cadres": sum(1 for c in candidates if c.party_cadre),
               "can_setup": can_write_election(request.user, election, setup=True)}
    return render(request, "candidates/congress_unit_candidates.html", context)


def unit_publish(request, election):
    """The unit's delegate candidates entered at once (``congress_services.publish_delegate_candidates``)."""
    members = sorted(full_members(election), key=lambda v: (stroke_key(v.name), v.pk))
    form = DelegateListForm(request.POST or None, members=members, initial={"published_on": timezone.localdate()})
    if form.is_valid():
        chosen = {str(m.pk): m for m in members}
        cadres = set(form.cleaned_data["cadres"])
        entries = [(chosen[pk], pk in cadres) for pk in sorted(form.cleaned_data["members"],
                                                                key=lambda pk: (stroke_key(chosen[pk].name), int(pk)))]
        try:
            rows = congress_services.publish_delegate_candidates(
                by=request.user, election=election, entries=entries, published_on=form.cleaned_data["published_on"],
                today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已确定{election.party_unit.name}的代表候选人名单，共{len(rows)}名。")
            return redirect("candidates:candidate-list", pk=election.pk)
    return render(request, "candidates/congress_unit_form.html",
                  {"election": election, "form": form, "seats": election.seats_member,
                   "title": "确定代表候选人名单"})


# ---------------------------------------------------------------- the congress elects its committees


def _vote_title(campaign) -> str:
    return f"{campaign.congress_name}选举党委委员、纪委委员"


def _body_results(campaign) -> list[dict]:
    """Each body recorded: its rounds (``vote``, ``result``, ``rows``, ``key`` the page's anchor) and its result
    across them (``outcome``); a row: ``(number, name, votes, verdict, elected)``."""
    params, by_body = campaign.rules, {}
    for vote in CongressBodyVote.objects.filter(campaign=campaign).order_by("body", "round"):
        by_body.setdefault(vote.body, []).append(vote)
    out = []
    for body, label in CongressBodyVote.Body.choices:
        recorded = by_body.get(body)
        if not recorded:
            continue
        rounds = []
        for vote in recorded:
            result = congress_services.body_result(vote, params)
            rows = [(n, name, votes, verdict, name in result.elected) for n, ((name, votes), verdict)
                    in enumerate(zip(vote.candidates, result.verdicts, strict=True), start=1)]
            key = body if vote.round == 1 else f"{body}-{vote.round}"
            rounds.append({"vote": vote, "result": result, "rows": rows, "key": key})
        out.append({"body": body, "label": label, "rounds": rounds,
                    "outcome": congress_services.body_outcome(recorded, params)})
    return out


def _bodies_open(results: list[dict]) -> list[tuple[str, str]]:
    """The bodies the office may still record: a first vote, or the next 另行选举 for seats left unfilled."""
    recorded = {entry["body"]: entry for entry in results}
    bodies = []
    for code, label in CongressBodyVote.Body.choices:
        entry = recorded.get(code)
        if entry is None:
            bodies.append((code, label))
        elif entry["outcome"].unfilled:
            bodies.append((code, f"{label}（第{len(entry['rounds']) + 1}轮，就缺额{entry['outcome'].unfilled}名另行选举）"))
    return bodies


def congress_vote(request, pk: int):
    """The congress's votes for its committee and discipline committee: each round's result with one sentence per
    candidate and each body's result across its rounds, and for the office the form to record a first vote or a
    further round (另行选举) for seats left unfilled."""
    campaign = get_congress_round_for(request.user, pk, write=request.method == "POST")
    results = _body_results(campaign)
    bodies = _bodies_open(results)
    form = None
    if can_write(request.user, setup=True) and not campaign.closed_on and bodies:
        delegates = [d for unit in congress_credentials_queries.credentials(campaign) for d in unit.delegates]
        initial = {"held_on": timezone.localdate(), "due": sum(1 for d in delegates if d.valid) or None}
        form = CongressBodyVoteForm(request.POST or None, bodies=bodies, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                vote = congress_services.record_body_vote(by=request.user, campaign=campaign, today=timezone.localdate(),
                                                          **data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                again = f"第{vote.round}轮（另行选举）" if vote.round > 1 else ""
                messages.success(request, f"已登记代表大会选举{vote.get_body_display()}{again}的结果。")
                return redirect("candidates:congress-vote", pk=campaign.pk)
    context = {"campaign": campaign, "results": results, "form": form, "title": _vote_title(campaign),
               "ok": party_rules.OK}
    return render(request, "candidates/congress_vote.html", context)


@require_GET
def congress_vote_pdf(request, pk: int):
    campaign = get_congress_round_for(request.user, pk)
    content = congress_vote_result_pdf(campaign, _body_results(campaign))
    return document_response(request, content, filename=f"{_vote_title(campaign)}结果.pdf",
                             action="candidates.congress.body_result_printed", obj=campaign)
