"""The register: voter list, editing, publication and amendments."""

from django.shortcuts import render

from villages.access import get_election_for


def voter_list(request, pk: int):
    election = get_election_for(request.user, pk)
    return render(request, "voters/voter_list.html", {"election": election})
