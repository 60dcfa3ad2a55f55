"""Matrix entries for the Excel import: liaison officers import for their own villages (DATA_WRITE),
office staff for their township, supervisors only read (403)."""

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from tests.permissions.matrix import DATA_POST, DATA_WRITE, Entry, _election
from tests.voters import workbooks as wb
from voters.services import imports as service


def _job(w, s):
    return {"pk": w[s]["election"].pk, "job_pk": w[s]["import_job"].pk}


ENTRIES: dict[str, Entry] = {
    "voters:import-upload": Entry(_election, DATA_WRITE),
    "voters:import-template": Entry(_election, DATA_WRITE),
    "voters:import-detail": Entry(_job, DATA_WRITE),
    "voters:import-progress": Entry(_job, DATA_WRITE),
    "voters:import-annotated": Entry(_job, DATA_WRITE),
    "voters:import-confirm": Entry(_job, DATA_POST, method="post"),
}


def extend_world(w, users):
    """A previewed import job (one voter, not yet confirmed) in each scope's election."""
    with tempfile.TemporaryDirectory() as folder:
        for n, scope in enumerate(("own", "sibling", "foreign"), start=1):
            path = wb.voters_workbook(Path(folder) / f"{scope}.xlsx", [wb.person(n)])
            w[scope]["import_job"] = service.start_import(
                by=users["admin"], election=w[scope]["election"], upload=ContentFile(path.read_bytes()),
                filename=path.name, background=False,
            )
