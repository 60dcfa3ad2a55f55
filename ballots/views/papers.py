"""The papers an office prints for the vote: voter cards, the 第1号 and 第4号 announcements, the certificates
of election and the ballot print-quantity sheet (numbered ballots: ``documents.ballot_pdf`` with ``?from=&to=``).

Everyone who sees the village may print them, read-only supervisors included (they print, they change
nothing); every print is logged (``villages.downloads``).
"""

from django.http import Http404
from django.utils import timezone

from villages.access import get_child_or_404, get_election_for
from villages.downloads import document_response

from .. import papers


def voter_cards(request, pk: int):
    """选民证 of the whole list, or of one villager group with ``?group=<组号>``."""
    election = get_election_for(request.user, pk)
    # A 选区 numbers its cards in one sequence over groups of several villages: it prints them all.
    group_number = None if election.is_district else _group_number(request, election)
    pdf = papers.voter_cards_pdf(election, as_of=timezone.localdate(), group_number=group_number)
    suffix = f"第{group_number}组" if group_number is not None else ("全选区" if election.is_district else "全村")
    return document_response(request, pdf, obj=election, filename=f"{election.unit_name}选民证（{suffix}）.pdf",
                             action="ballots.voter_cards.printed", details={"group": suffix})


def election_day_notice(request, pk: int):
    election = get_election_for(request.user, pk)
    return document_response(request, papers.election_day_notice_pdf(election), obj=election,
                             filename=f"{election.unit_name}选举日和投票地点公告.pdf",
                             action="ballots.election_day_notice.printed")


def results_notice(request, pk: int):
    election = get_election_for(request.user, pk)
    return document_response(request, papers.results_notice_pdf(election), obj=election,
                             filename=f"{election.unit_name}选举结果公告.pdf", action="ballots.results_notice.printed")


def certificates(request, pk: int):
    election = get_election_for(request.user, pk)
    title = "当选通知书" if election.is_district else "当选证书"
    return document_response(request, papers.certificates_pdf(election), obj=election,
                             filename=f"{election.unit_name}{title}.pdf", action="ballots.certificates.printed")


def ballot_quantities(request, pk: int, round_pk: int):
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    return document_response(request, papers.quantity_sheet_pdf(election, round), obj=election,
                             filename=f"{election.unit_name}{round.label}选票印制数量表.pdf",
                             action="ballots.ballot_quantities.printed", details={"round": round.label})


def _group_number(request, election) -> int | None:
    raw = request.GET.get("group")
    if not raw:
        return None
    if not raw.isdigit() or not election.unit_groups().filter(number=int(raw)).exists():
        raise Http404("没有这个村民小组。")
    return int(raw)
