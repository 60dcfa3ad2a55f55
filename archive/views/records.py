"""The election archive: the records of one election, generating them, uploading scans, downloading
(logged), destroying after the period, the printable index of a village or a township, and the
retention table. Thin: access check, form, one service, redirect (STYLE.md §5)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from villages.access import (
    ADMIN_ONLY,
    NOT_FOUND,
    admin_required,
    elections_visible_to,
    get_child_or_404,
    get_election_for,
    get_township_for,
    get_village_for,
)
from villages.downloads import document_response
from villages.formtools import attach_errors
from villages.models import Role

from .. import filing
from ..documents import archive_index_pdf
from ..forms import DestroyForm, RetentionRuleForm, ScanUploadForm
from ..models import DocumentKind, RetentionRule
from ..queries import archive_index
from ..records import may_destroy

MESSAGES = {
    "filing_requested": "已提交生成归档文件，由后台依次生成；稍后刷新本页查看。",
    "uploaded": "扫描件已归档：{title}。",
    "destroyed": "已登记销毁：{title}。目录中保留销毁记录。",
    "retention_saved": "保管期限已保存，对此后归档的文件生效。",
}


def document_list(request, pk: int):
    election = get_election_for(request.user, pk)
    documents = election.archive_documents.select_related("filed_by").order_by("pk")  # filing order
    today = timezone.localdate()
    context = {
        "election": election,
        "current": [d for d in documents if d.is_current],
        "older": [d for d in documents if not d.is_current],
        "runs": [filing.recover_filing(run) for run in election.filing_runs.select_related("requested_by")[:5]],
        "can_file": filing.is_office(request.user, election),
        "can_upload": _can_upload(request.user, election),
        "can_destroy": request.user.role == Role.ADMIN,
        "destroyable": {d.pk for d in documents if d.is_current and may_destroy(d.retention, d.retain_until, today)},
    }
    return render(request, "archive/document_list.html", context)


@require_POST
def document_generate(request, pk: int):
    election = get_election_for(request.user, pk, setup=True, after_certification=True)
    try:
        filing.request_filing(by=request.user, election=election)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, MESSAGES["filing_requested"])
    return redirect("archive:document-list", pk=election.pk)


def document_upload(request, pk: int):
    # Scans (signed reports, certificates, the handover record) arrive after certification: allowed then.
    election = get_election_for(request.user, pk, write=True, after_certification=True)
    form = ScanUploadForm(request.POST or None, request.FILES or None, kinds=list(DocumentKind.choices),
                          max_mb=settings.ARCHIVE_UPLOAD_MAX_MB)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = filing.upload_scan(by=request.user, election=election, kind=data["kind"], title=data["title"],
                                          upload=data["upload"], note=data["note"], today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["uploaded"].format(title=document.title))
            return redirect("archive:document-list", pk=election.pk)
    return render(request, "archive/document_upload.html", {"election": election, "form": form})


def document_download(request, pk: int, document_pk: int):
    election = get_election_for(request.user, pk)
    document = get_child_or_404(election.archive_documents.all(), document_pk)
    if document.destroyed_at is not None or not document.file:
        raise Http404(NOT_FOUND)
    with document.file.open("rb") as handle:
        content = handle.read()
    return document_response(request, content, filename=document.filename, content_type=document.content_type,
                             action="archive.document.downloaded", obj=document, inline=True,
                             details={"title": document.title})


def document_destroy(request, pk: int, document_pk: int):
    election = get_election_for(request.user, pk, setup=True, after_certification=True)
    if request.user.role != Role.ADMIN:
        raise PermissionDenied(ADMIN_ONLY)
    document = get_child_or_404(election.archive_documents.all(), document_pk)
    form = DestroyForm(request.POST or None)
    if form.is_valid():
        try:
            filing.destroy_document(by=request.user, document=document, reason=form.cleaned_data["reason"],
                                    today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["destroyed"].format(title=document.title))
            return redirect("archive:document-list", pk=election.pk)
    return render(request, "archive/document_destroy.html", {"election": election, "document": document, "form": form})


def village_index(request, pk: int):
    village = get_village_for(request.user, pk)
    index = archive_index(elections_visible_to(request.user).filter(village=village),
                          place=village.name, subtitle=f"{village.township.name}　{village.name}")
    return _index(request, index, village=village)


def township_index(request, pk: int):
    """The township's archive: its villages' elections and its Party congress's 选举单位."""
    township = get_township_for(request.user, pk)
    elections = elections_visible_to(request.user).filter(
        Q(village__township=township) | Q(party_unit__isnull=False, campaign__township=township))
    index = archive_index(elections, place=township.name, subtitle=township.name)
    return _index(request, index, township=township)


def _index(request, index, **context):
    if request.GET.get("format") == "pdf":
        pdf = archive_index_pdf(index, printed_on=timezone.localdate())
        return document_response(request, pdf, filename=f"{index.title}.pdf", action="archive.index.printed",
                                 inline=True, details={"title": index.title})
    return render(request, "archive/index.html", {"index": index, **context})


def retention_list(request):
    rows = filing.retention_table()
    return render(request, "archive/retention_list.html", {"rows": rows, "can_edit": request.user.role == Role.ADMIN})


@admin_required
def retention_edit(request, kind: str):
    if kind not in DocumentKind.values:
        raise Http404(NOT_FOUND)
    rule = RetentionRule.objects.filter(kind=kind).first()
    row = next(r for r in filing.retention_table() if r.kind == kind)
    initial = {"retention": row.retention, "basis": row.basis, "version": rule.version if rule else None}
    form = RetentionRuleForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            filing.save_retention_rule(by=request.user, kind=kind, retention=data["retention"], basis=data["basis"],
                                       expected_version=data.get("version"))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["retention_saved"])
            return redirect("archive:retention-list")
    return render(request, "archive/retention_form.html", {"row": row, "form": form})


def _can_upload(user, election) -> bool:
    try:
        get_election_for(user, election.pk, write=True, after_certification=True)
    except (PermissionDenied, Http404):
        return False
    return True
