"""Printable and downloadable lists: the voter list (PDF A4/A3, xlsx), the 增减名单 and the proxy list.

Everyone who reads a village's register may download them; ID numbers are always masked.
"""

from datetime import date

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from villages.access import get_child_or_404, get_election_for

from .. import documents
from ..models import AmendmentBatch, Publication

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def published_list_pdf(request, pk: int):
    election = get_election_for(request.user, pk)
    paper = _paper(request.GET.get("paper", "a4"))
    pdf = documents.render_published_list_pdf(election, as_of=_as_of(request, election), paper=paper)
    return _download(pdf, "application/pdf", f"{election.village.name}选民名单（{paper.label}）.pdf")


def published_list_xlsx(request, pk: int):
    election = get_election_for(request.user, pk)
    data = documents.render_published_list_xlsx(election, as_of=_as_of(request, election))
    return _download(data, XLSX, f"{election.village.name}选民名单.xlsx")


def amendments_pdf(request, pk: int):
    election = get_election_for(request.user, pk)
    batch = None
    if request.GET.get("batch"):
        batch = get_child_or_404(AmendmentBatch.objects.filter(election=election), request.GET["batch"])
    context = {"election": election, "batch": batch, "rows": documents.amendment_rows(election, batch=batch)}
    pdf = documents.html_to_pdf(render_to_string("voters/pdf/amendments.html", context))
    suffix = f"第{batch.number}批" if batch else "全部"
    return _download(pdf, "application/pdf", f"{election.village.name}选民增减名单（{suffix}）.pdf")


def proxy_list_pdf(request, pk: int):
    election = get_election_for(request.user, pk)
    context = {"election": election, "rows": documents.proxy_rows(election)}
    pdf = documents.html_to_pdf(render_to_string("voters/pdf/proxy_list.html", context))
    return _download(pdf, "application/pdf", f"{election.village.name}委托投票名单.pdf")


def _paper(code: str) -> documents.Paper:
    if code not in documents.PAPERS:
        raise Http404("没有这种纸张规格。")
    return documents.PAPERS[code]


def _as_of(request, election) -> date:
    """The list as it stands today, or on ``?on=YYYY-MM-DD`` (not before its publication)."""
    as_of = timezone.localdate()
    if request.GET.get("on"):
        try:
            as_of = date.fromisoformat(request.GET["on"])
        except ValueError:
            pass
    publication = Publication.objects.filter(election=election).first()
    if publication and as_of < publication.published_on:
        as_of = publication.published_on
    return as_of


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
