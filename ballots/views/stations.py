"""Polling stations, mobile boxes and the counting options of an election."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from villages.access import get_child_or_404, get_election_for
from villages.formtools import attach_errors

from ..entries import options_for
from ..forms.stations import ApprovalForm, CountingOptionsForm, MobileBoxVotersForm, StationForm
from ..models import PollingStation
from ..services import stations as services

MESSAGES = {
    "saved": "投票站“{name}”已保存。",
    "per_group": "已为{count}个村民小组各设一个投票站。",
    "box_voters": "流动票箱“{name}”的选民名单已保存，共{count}人。",
    "approved": "已登记乡镇对流动票箱“{name}”的批准。",
    "options": "计票设置已保存。",
}


def station_list(request, pk: int):
    election = get_election_for(request.user, pk)
    stations = election.polling_stations.with_details().order_by("order", "id")
    rows = [(s, s.mobile_box_problems(election.rules, voter_count=s.box_voter_count)) for s in stations]
    # ``can_setup`` is the election's (``villages.context_processors``): the county office sets up its 选区's stations.
    return render(request, "ballots/station_list.html", {"election": election, "rows": rows, "rules": election.rules})


def station_create(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    form = StationForm(request.POST or None, instance=PollingStation(election=election))
    return _save_station(request, form, election, "新增投票站")


def station_edit(request, pk: int, station_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    station = get_child_or_404(election.polling_stations.all(), station_pk)
    form = StationForm(request.POST or None, instance=station)
    return _save_station(request, form, election, f"修改：{station.name}")


def _save_station(request, form, election, title):
    if form.is_valid():
        try:
            services.save_station(by=request.user, station=form.instance, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["saved"].format(name=form.instance.name))
            return redirect("ballots:station-list", pk=election.pk)
    return render(request, "ballots/form_page.html", {"form": form, "election": election, "title": title})


@require_POST
def stations_per_group(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    try:
        created = services.create_stations_per_group(by=request.user, election=election)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, MESSAGES["per_group"].format(count=len(created)))
    return redirect("ballots:station-list", pk=election.pk)


def mobile_box_voters(request, pk: int, station_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    station = get_child_or_404(election.polling_stations.filter(kind=PollingStation.Kind.MOBILE), station_pk)
    initial = {"voters": list(station.voters.all())}
    form = MobileBoxVotersForm(request.POST or None, station=station, initial=initial)
    if form.is_valid():
        try:
            services.set_mobile_box_voters(by=request.user, station=station, voters=list(form.cleaned_data["voters"]))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["box_voters"].format(name=station.name, count=len(form.cleaned_data["voters"])))
            return redirect("ballots:station-list", pk=election.pk)
    context = {"form": form, "election": election, "title": f"流动票箱“{station.name}”的选民名单"}
    return render(request, "ballots/form_page.html", context)


def mobile_box_approve(request, pk: int, station_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    station = get_child_or_404(election.polling_stations.filter(kind=PollingStation.Kind.MOBILE), station_pk)
    form = ApprovalForm(request.POST or None, initial={"on": timezone.localdate()})
    if form.is_valid():
        try:
            services.approve_mobile_box(by=request.user, station=station, today=timezone.localdate(), **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["approved"].format(name=station.name))
            return redirect("ballots:station-list", pk=election.pk)
    context = {"form": form, "election": election, "title": f"登记乡镇批准：流动票箱“{station.name}”"}
    return render(request, "ballots/form_page.html", context)


def counting_options(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    form = CountingOptionsForm(request.POST or None, options=options_for(election))
    if form.is_valid():
        try:
            services.save_counting_options(by=request.user, election=election, expected_version=form.cleaned_data["version"],
                                           double_entry=form.cleaned_data["double_entry"],
                                           signature_labels=form.cleaned_data["signature_labels"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["options"])
            return redirect("ballots:station-list", pk=election.pk)
    return render(request, "ballots/form_page.html", {"form": form, "election": election, "title": "计票设置"})
