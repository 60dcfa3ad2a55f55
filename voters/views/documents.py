"""Printable and downloadable lists: the voter list (PDF A4/A3, xlsx), the 增减名单, the proxy list and the
appeals with their decisions.

Everyone who reads a village's register may download them; ID numbers are always masked, and every
download is logged (``villages.downloads``).
"""

from datetime import date

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh

from villages.access import get_child_or_404, get_election_for
from villages.downloads import XLSX, document_response

from .. import documents, papers, printing
from ..models import AmendmentBatch, ListPrint, Publication


def published_list_pdf(request, pk: int):
    """The list at once for a village of ordinary size; a long one through the task worker. Decided by
    the rows that will be printed: before publication the draft holds every registered voter."""
    election = get_election_for(request.user, pk)
    paper = _paper(request.GET.get("paper", "a4"))
    as_of = _as_of(request, election)
    if printing.prints_in_background(documents.list_voters(election, as_of=as_of).count()):
        job = printing.start_list_print(by=request.user, election=election, paper=paper, as_of=as_of)
        return redirect("voters:list-print", pk=election.pk, print_pk=job.pk)
    pdf = documents.render_published_list_pdf(election, as_of=as_of, paper=paper)
    return document_response(request, pdf, obj=election, filename=f"{election.unit_name}选民名单（{paper.label}）.pdf",
                             action="voters.published_list.printed", details={"as_of": as_of.isoformat()})


def list_print(request, pk: int, print_pk: int):
    election = get_election_for(request.user, pk)
    job = printing.recover_list_print(get_child_or_404(election.list_prints.all(), print_pk))
    return render(request, "voters/list_print.html", {"election": election, "job": job})


def list_print_progress(request, pk: int, print_pk: int):
    """The partial polled by htmx; once the file is ready (or failed) the whole page reloads."""
    election = get_election_for(request.user, pk)
    job = printing.recover_list_print(get_child_or_404(election.list_prints.all(), print_pk))
    if not job.in_progress:
        return HttpResponseClientRefresh()
    return render(request, "voters/_list_print_progress.html", {"election": election, "job": job})


def list_print_download(request, pk: int, print_pk: int):
    election = get_election_for(request.user, pk)
    job = get_child_or_404(election.list_prints.filter(state=ListPrint.State.DONE), print_pk)
    with job.file.open("rb") as handle:
        pdf = handle.read()
    return document_response(request, pdf, obj=election, filename=job.filename, action="voters.published_list.printed",
                             details={"as_of": job.as_of.isoformat()})


def published_list_xlsx(request, pk: int):
    election = get_election_for(request.user, pk)
    as_of = _as_of(request, election)
    data = documents.render_published_list_xlsx(election, as_of=as_of)
    return document_response(request, data, obj=election, content_type=XLSX, filename=f"{election.unit_name}选民名单.xlsx",
                             action="voters.published_list.exported", details={"as_of": as_of.isoformat()})


def amendments_pdf(request, pk: int):
    election = get_election_for(request.user, pk)
    batch = None
    if request.GET.get("batch"):
        batch = get_child_or_404(AmendmentBatch.objects.filter(election=election), request.GET["batch"])
    suffix = f"第{batch.number}批" if batch else "全部"
    return document_response(request, documents.amendments_pdf(election, batch=batch), obj=election,
                             filename=f"{election.unit_name}选民增减名单（{suffix}）.pdf",
                             action="voters.amendments.printed", details={"batch": suffix})


def proxy_list_pdf(request, pk: int):
    election = get_election_for(request.user, pk)
    return document_response(request, documents.proxy_list_pdf(election), obj=election,
                             filename=f"{election.unit_name}委托投票名单.pdf", action="voters.proxy_list.printed")


def proxy_certificates_pdf(request, pk: int):
    """委托书 and 委托投票证 of every approved proxy, one sheet each."""
    election = get_election_for(request.user, pk)
    return document_response(request, papers.proxy_certificates_pdf(election), obj=election,
                             filename=f"{election.unit_name}委托投票证.pdf", action="voters.proxy_certificates.printed")


def appeals_pdf(request, pk: int):
    election = get_election_for(request.user, pk)
    return document_response(request, documents.appeals_pdf(election), obj=election,
                             filename=f"{election.unit_name}选民资格申诉及处理决定.pdf", action="voters.appeals.printed")


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
