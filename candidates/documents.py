"""The printed formal candidate list (正式候选人名单), A4, rendered by WeasyPrint from the same
``overview.Board`` the screen shows (STYLE.md §7). The CJK font is named on the body and inside
``@page`` so that page numbers in the margin boxes use it too (villages.checks verifies the font). It is
headed as the election committee's announcement 第3号 and closes with the committee's seal area."""

from __future__ import annotations

from django.template.loader import render_to_string

from villages.announcements import CANDIDATE_LIST, notice
from villages.checks import CJK_FONT_FAMILY

from .overview import Board


def candidate_list_pdf(board: Board) -> bytes:
    """The formal candidate list as announcement 第3号 of the series (``villages.announcements``)."""
    election = board.election
    published_on = board.publication.published_on if board.publication else None
    heading = notice(CANDIDATE_LIST, village=election.village.name, term_number=election.campaign.term_number,
                     dated=published_on, draft=board.publication is None)
    context = {"board": board, "font_family": CJK_FONT_FAMILY, "notice": heading}
    html = render_to_string("candidates/pdf/candidate_list.html", context)
    from weasyprint import HTML  # imported here: WeasyPrint costs a second and 22 MB at start-up

    return HTML(string=html).write_pdf()


def deputy_list_pdf(board) -> bytes:
    """The 人大 district's candidate list: the formal list once published (announcement 第3号 of its
    round's 选举委员会), the initial list before that, with each candidate's basic facts."""
    from villages.announcements import notice_for

    election = board.election
    published_on = board.publication.published_on if board.publication else None
    heading = notice_for(CANDIDATE_LIST, election, dated=published_on, draft=board.publication is None)
    context = {"board": board, "font_family": CJK_FONT_FAMILY, "notice": heading}
    html = render_to_string("candidates/pdf/deputy_list.html", context)
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
