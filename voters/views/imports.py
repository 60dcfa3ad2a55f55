"""Excel import of a village's voter list: upload, preview (with progress), confirm, and the two
workbooks to download (the blank template and the user's file with the errors marked).

Every view fetches the election through ``villages.access`` with write rights: liaison officers
import for their villages, office staff for any village of their township, supervisors only read
(403), and another village's election or job is a 404.
"""

import io
import os

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from villages.access import get_child_or_404, get_election_for
from villages.downloads import document_response
from villages.formtools import attach_errors

from ..imports import CATEGORY_CHOICES, DISTRICT_CATEGORY_CHOICES, is_party_register
from ..services import imports as service
from ..workbook import MESSAGES as WORKBOOK_MESSAGES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

UPLOAD_MESSAGES = {
    "too_large": "文件超过50MB。一个村的选民名单不会这么大，请确认选择的是正确的文件。",
}


class ImportUploadForm(forms.Form):
    """The file only; its bytes are judged by ``voters.workbook``. The name catches .xls and CSV
    early, with the reader's own messages. (Kept beside its views until voters has a forms module.)"""

    file = forms.FileField(label="选民名单文件", help_text="Excel工作簿（.xlsx）。可以先下载本村的模板填写。")

    def __init__(self, *args, unit: str = "本村", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"Excel工作簿（.xlsx）。可以先下载{unit}的模板填写。"
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xlsm," + XLSX
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "上传并检查"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name)[1].lower()
        code = {".xls": "xls_not_supported", ".et": "xls_not_supported", ".csv": "csv_not_supported",
                ".txt": "csv_not_supported", ".tsv": "csv_not_supported"}.get(extension)
        if code is None and extension not in (".xlsx", ".xlsm"):
            code = "not_excel"
        if code:
            raise ValidationError(WORKBOOK_MESSAGES[code], code=code)
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(UPLOAD_MESSAGES["too_large"], code="too_large")
        return upload


def import_upload(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None, unit=election.unit_here)
    if is_party_register(election.rules):
        form.fields["file"].label, form.fields["file"].help_text = "党员名册文件", "Excel工作簿（.xlsx）。可以先下载党员名册模板填写。"
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = service.start_import(by=request.user, election=election, upload=upload, filename=upload.name)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("voters:import-detail", pk=election.pk, job_pk=job.pk)
    jobs = [service.recover_stalled(job) for job in election.import_jobs.select_related("uploaded_by")[:10]]
    context = {"election": election, "form": form, "jobs": jobs, "list_open": service.is_list_open(election),
               "party": is_party_register(election.rules),
               "categories": (DISTRICT_CATEGORY_CHOICES if election.is_district else CATEGORY_CHOICES).values()}
    return render(request, "voters/import_upload.html", context)


def import_template(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    data = service.template_workbook(election)
    paper = "党员名册" if is_party_register(election.rules) else "选民登记表"
    filename = f"{election.unit_name}{paper}（模板）.xlsx"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX)


def import_detail(request, pk: int, job_pk: int):
    election = get_election_for(request.user, pk, write=True)
    job = service.recover_stalled(get_child_or_404(election.import_jobs.select_related("uploaded_by"), job_pk))
    context = {"election": election, "job": job, "summary": service.summarize(job), "party": is_party_register(election.rules),
               "new_people": service.new_people(job), "new_people_limit": service.NEW_PEOPLE_SHOWN}
    return render(request, "voters/import_detail.html", context)


def import_progress(request, pk: int, job_pk: int):
    """The progress partial polled by htmx; once the check is over, the whole page reloads."""
    election = get_election_for(request.user, pk, write=True)
    job = service.recover_stalled(get_child_or_404(election.import_jobs.all(), job_pk))
    summary = service.summarize(job)
    if not summary.in_progress:
        return HttpResponseClientRefresh()
    return render(request, "voters/_import_progress.html", {"election": election, "job": job, "summary": summary})


@require_POST
def import_confirm(request, pk: int, job_pk: int):
    election = get_election_for(request.user, pk, write=True)
    job = get_child_or_404(election.import_jobs.all(), job_pk)
    try:
        job = service.confirm_import(by=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
    else:
        written = job.counts["written"]
        messages.success(
            request, f"已导入：新登记{written['created']}人，更新{written['updated']}人，{written['unchanged']}人无变化。"
        )
    return redirect("voters:import-detail", pk=election.pk, job_pk=job.pk)


def import_annotated(request, pk: int, job_pk: int):
    election = get_election_for(request.user, pk, write=True)
    job = get_child_or_404(election.import_jobs.all(), job_pk)
    try:
        data = service.annotated_workbook(job)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
        return redirect("voters:import-detail", pk=election.pk, job_pk=job.pk)
    # The uploader's own rows returned with the problems marked: full ID numbers, so the download is logged.
    return document_response(request, data, filename=service.annotated_filename(job), content_type=XLSX, obj=election,
                             action="voters.import_annotated.exported", details={"job": job.pk})
