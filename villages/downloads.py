"""Sending a generated document to the browser, and logging it.

Every export and print leaves an audit entry (issue 6, "every export and print"): the views that hand
out a PDF or a workbook call ``document_response`` instead of building the response themselves, so the
log cannot be forgotten view by view. Codes end in ``.printed`` for PDFs and ``.exported`` for
workbooks, e.g. ``voters.published_list.printed``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .audit import log_action

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def document_response(
    request,
    content: bytes,
    *,
    filename: str,
    action: str,
    obj=None,
    content_type: str = PDF,
    inline: bool = False,
    details: dict | None = None,
) -> HttpResponse:
    """``content`` as a download named ``filename`` (Chinese kept, RFC 6266), after logging who took it."""
    changes = {"filename": [None, filename], "bytes": [None, len(content)]}
    changes.update({key: [None, value] for key, value in (details or {}).items()})
    log_action(by=request.user, action=action, obj=obj, changes=changes)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
