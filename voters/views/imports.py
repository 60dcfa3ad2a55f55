"""Excel import: upload, preview, confirm."""

from django.shortcuts import render

from villages.access import get_election_for


def import_upload(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    return render(request, "voters/import_upload.html", {"election": election})
