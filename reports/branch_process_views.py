"""The branch elections' process report (``reports.branch_process``): a township's or a county's page with its
workbook and PDF; a village's for a liaison officer. Access as for the 两委 report (``reports.scopes.get_scope_for``):
a liaison officer reads their own villages only, never a township; a scope outside the reader's area is a 404."""

import io

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import NOT_FOUND
from villages.audit import log_action

from . import scopes
from .branch_process_documents import branch_process_context, branch_process_filename, render_branch_process
from .branch_process_queries import build_branch_process_report
from .documents import CONTENT_TYPES


def branch_process_home(request):
    """The scope chooser's target; otherwise the user's natural scope, or the choice."""
    if "scope" in request.GET:
        try:
            kind, code = scopes.parse_scope(request.GET["scope"])
        except ValueError:
            raise Http404(NOT_FOUND) from None
        return redirect("reports:branch-process", kind=kind, code=code)  # access is checked there
    scope = scopes.default_scope_for(request.user)
    if scope is not None and not scope.is_region:
        return redirect("reports:branch-process", kind=scope.kind, code=scope.code)
    choices = [s for s in scopes.scopes_for(request.user) if not s.is_region]
    return render(request, "reports/branch_process_choose.html", {"scopes": choices})


def branch_process_report(request, kind: str, code: str):
    if kind in scopes.REGIONS:
        raise Http404(NOT_FOUND)
    scope = scopes.get_scope_for(request.user, kind, code)
    report = build_branch_process_report(scope, now=timezone.now())
    choices = [s for s in scopes.scopes_for(request.user) if not s.is_region]
    context = branch_process_context(report) | {"scope": scope, "scopes": choices}
    return render(request, "reports/branch_process.html", context)


def branch_process_export(request, kind: str, code: str, fmt: str):
    if kind in scopes.REGIONS or fmt not in CONTENT_TYPES:
        raise Http404(NOT_FOUND)
    scope = scopes.get_scope_for(request.user, kind, code)
    report = build_branch_process_report(scope, now=timezone.now())
    content = render_branch_process(report, fmt)
    filename = branch_process_filename(report, fmt)
    log_action(by=request.user, action="reports.branch_process.exported", township_id=scope.township_id,
               village_id=scope.village_id, changes={"scope": [None, scope.key], "format": [None, fmt],
                                                     "filename": [None, filename]})
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
