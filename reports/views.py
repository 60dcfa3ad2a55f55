"""Rosters of last term's committee and of the Party branch, which the reports compare against; the
report of a village, a township or a county, and its exports."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from villages.access import (
    NOT_FOUND,
    get_child_or_404,
    get_village_for,
    setup_required,
    villages_visible_to,
)
from villages.formtools import attach_errors

from . import scopes, services
from .documents import CONTENT_TYPES, report_context
from .forms import RosterImportForm
from .models import ReportExport, Roster
from .queries import build_report


def roster_list(request):
    rosters = (
        Roster.objects.filter(village__in=villages_visible_to(request.user))
        .select_related("village", "imported_by")
        .order_by("village__code", "kind", "-term_number")
    )
    return render(request, "reports/roster_list.html", {"rosters": rosters})


@setup_required
def roster_import(request):
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    problems = []
    if form.is_valid():
        data = form.cleaned_data
        village = get_village_for(request.user, data["village"].pk, setup=True)
        try:
            roster = services.import_roster(
                by=request.user, village=village, kind=data["kind"], term_number=data["term_number"],
                source=data["file"], filename=data["file"].name, today=timezone.localdate(),
            )
        except services.RosterProblems as exc:
            problems = exc.rows
            form.add_error(None, exc)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已导入{roster}，共{roster.members.count()}人。")
            return redirect("reports:roster-detail", pk=roster.pk)
    return render(request, "reports/roster_import.html", {"form": form, "problems": problems})


def roster_detail(request, pk: int):
    roster = get_child_or_404(
        Roster.objects.filter(village__in=villages_visible_to(request.user)).select_related("village"), pk
    )
    return render(request, "reports/roster_detail.html", {"roster": roster, "members": roster.members.all()})


# --- The report of a village, a township or a county ---------------------------------------------


def report_home(request):
    """The scope chooser's target; otherwise land on the user's natural scope, or choose one."""
    if "scope" in request.GET:
        try:
            kind, code = scopes.parse_scope(request.GET["scope"])
        except ValueError:
            raise Http404(NOT_FOUND) from None
        return redirect("reports:report", kind=kind, code=code)  # access is checked there
    scope = scopes.default_scope_for(request.user)
    if scope is not None:
        return redirect("reports:report", kind=scope.kind, code=scope.code)
    return render(request, "reports/report_choose.html", {"scopes": scopes.scopes_for(request.user)})


def report(request, kind: str, code: str):
    scope = scopes.get_scope_for(request.user, kind, code)
    figures = build_report(scope, now=timezone.now())
    exports = ReportExport.objects.filter(kind=scope.kind, code=scope.code).select_related("requested_by")[:5]
    context = report_context(figures) | {
        "scope": scope,
        "scopes": scopes.scopes_for(request.user),
        "exports": exports,
    }
    return render(request, "reports/report.html", context)


@require_POST
def report_export(request, kind: str, code: str, fmt: str):
    """A village's or township's file at once; a county's through the task worker."""
    scope = scopes.get_scope_for(request.user, kind, code)
    if fmt not in CONTENT_TYPES:
        raise Http404(NOT_FOUND)
    if scope.runs_inline:
        content, filename = services.export_report(by=request.user, scope=scope, fmt=fmt, now=timezone.now())
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
    export = services.start_report_export(by=request.user, scope=scope, fmt=fmt)
    messages.success(request, f"已提交导出{export}，生成后可在本页下载。")
    return redirect("reports:export-detail", pk=export.pk)


def export_detail(request, pk: int):
    export = get_child_or_404(_exports(request.user).select_related("requested_by"), pk)
    return render(request, "reports/export_detail.html", {"export": export})


def export_progress(request, pk: int):
    """The progress partial polled by htmx; once the export is over, the whole page reloads."""
    export = get_child_or_404(_exports(request.user), pk)
    if not export.in_progress:
        return HttpResponseClientRefresh()
    return render(request, "reports/_export_progress.html", {"export": export})


def export_download(request, pk: int):
    export = get_child_or_404(_exports(request.user).filter(state=ReportExport.State.DONE).exclude(file=""), pk)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename,
                        content_type=CONTENT_TYPES[export.format])


def _exports(user):
    return ReportExport.objects.filter(scopes.scope_filter(user))
