"""Tally entry per station and round, double-entry comparison, and written-in names."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import can_write_election, get_child_or_404, get_election_for
from villages.formtools import attach_errors

from .. import sheets
from ..counts import election_counts
from ..entries import entries_of, entry_slot, options_for, sheet_layout, tally_values
from ..forms.tallies import ResolveForm, TallyForm, WriteInRulingForm
from ..models import Round, Tally
from ..services import tallies as services
from ..services.tallies import ERROR_MESSAGES

MESSAGES = {
    Tally.Status.DRAFT: "{station}的计票结果草稿已保存，尚未计入结果。",
    Tally.Status.SUBMITTED: "{station}的计票结果已提交，等待另一人录入后核对。",
    Tally.Status.CONFIRMED: "{station}的计票结果已确认。",
    Tally.Status.SUPERSEDED: "{station}两次录入一致，计票结果已确认。",
    "resolved": "{station}两次录入的差异已核对，计票结果已确认。",
    "mismatch": "{station}第二次录入已保存，与第一次录入不一致，须由乡镇选举办工作人员在“核对”页面逐项核对。",
    "ruled": "已登记对“{name}”的认定。",
}


def tally_entry(request, pk: int, round_pk: int, station_pk: int):
    election = get_election_for(request.user, pk, write=True)
    round = get_child_or_404(election.rounds.all(), round_pk)
    station = get_child_or_404(round.stations.all(), station_pk)
    slot = entry_slot(round=round, station=station, user=request.user, double_entry=options_for(election).double_entry)
    layout = sheet_layout(round)
    form = TallyForm(request.POST or None, layout=layout, values=tally_values(slot.tally) if slot.tally else None,
                     version=slot.tally.version if slot.tally else 0, write_ins=round.kind != Round.Kind.REVOTE)
    conflict = []
    if not slot.blocked and form.is_valid():
        try:
            tally = services.record_tally(by=request.user, round=round, station=station, values=form.values(),
                                          confirm="confirm" in request.POST, expected_version=form.cleaned_data["version"],
                                          today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
            conflict = _conflict(exc, form, round=round, station=station, user=request.user, layout=layout)
        else:
            key = "mismatch" if tally.status == Tally.Status.SUBMITTED and tally.entry_number == 2 else tally.status
            messages.success(request, MESSAGES[key].format(station=station.name))
            return redirect("ballots:round-detail", pk=election.pk, round_pk=round.pk)
    context = {"election": election, "round": round, "station": station, "form": form, "slot": slot,
               "blocked": ERROR_MESSAGES.get(slot.blocked, ""), "conflict": conflict}
    return render(request, "ballots/tally_entry.html", context)


def _conflict(exc, form, *, round, station, user, layout) -> list[sheets.Difference]:
    """After a lost race: the stored numbers next to the user's, and a form that will save over them."""
    if getattr(exc, "code", None) != "conflict":
        return []
    stored = entry_slot(round=round, station=station, user=user, double_entry=options_for(round.election).double_entry)
    if stored.tally is None:
        return []
    form.rebase(stored.tally.version)
    return sheets.differences(tally_values(stored.tally), form.values(), layout)


def tally_compare(request, pk: int, round_pk: int, station_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    round = get_child_or_404(election.rounds.all(), round_pk)
    station = get_child_or_404(round.stations.all(), station_pk)
    entries = entries_of(round, station)
    rows, form = _comparison(request, entries, sheet_layout(round))
    if form is not None and form.is_valid():
        try:
            services.resolve_double_entry(by=request.user, round=round, station=station, choices=form.choices(),
                                          explanations=form.explanations(),
                                          expected_versions=(form.cleaned_data["version1"], form.cleaned_data["version2"]))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["resolved"].format(station=station.name))
            return redirect("ballots:round-detail", pk=election.pk, round_pk=round.pk)
    context = {"election": election, "round": round, "station": station, "entries": entries, "rows": rows, "form": form}
    return render(request, "ballots/tally_compare.html", context)


def _comparison(request, entries, layout):
    """Both entries field by field, and the resolution form while both wait for office staff."""
    if len(entries) != 2:
        return [], None
    first, second = tally_values(entries[1]), tally_values(entries[2])
    if {t.status for t in entries.values()} != {Tally.Status.SUBMITTED}:
        return sheets.compare(first, second, layout), None
    form = ResolveForm(request.POST or None, layout=layout, differences=sheets.differences(first, second, layout),
                       versions=(entries[1].version, entries[2].version),
                       explanations={**second.explanations, **first.explanations})
    return sheets.compare(first, second, layout), form


def write_in_list(request, pk: int):
    election = get_election_for(request.user, pk)
    data = election_counts(election)
    rulings = election.write_in_rulings.select_related("voter", "recorded_by").order_by("name")
    context = {"election": election, "data": data, "rulings": rulings, "can_rule": can_write_election(request.user, election, setup=True),
               "rounds": {r.pk: r for r in data.rounds}}
    return render(request, "ballots/write_in_list.html", context)


def write_in_rule(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    initial = {"name": request.GET.get("name", ""), "decided_on": timezone.localdate()}
    form = WriteInRulingForm(request.POST or None, election=election, initial=initial)
    if form.is_valid():
        try:
            services.rule_write_in(by=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["ruled"].format(name=form.cleaned_data["name"]))
            return redirect("ballots:write-in-list", pk=election.pk)
    context = {"form": form, "election": election, "title": f"另选他人姓名认定（{election.committee_label}决定）"}
    return render(request, "ballots/form_page.html", context)
