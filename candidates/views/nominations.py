"""Nominations and the candidate list."""

from django.shortcuts import render

from villages.access import get_election_for


def candidate_list(request, pk: int):
    election = get_election_for(request.user, pk)
    return render(request, "candidates/candidate_list.html", {"election": election})
