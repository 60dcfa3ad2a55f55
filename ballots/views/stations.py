"""Polling stations and mobile boxes."""

from django.shortcuts import render

from villages.access import get_election_for


def station_list(request, pk: int):
    election = get_election_for(request.user, pk)
    return render(request, "ballots/station_list.html", {"election": election})
