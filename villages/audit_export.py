"""The audit log as rows, feeding both the screen and the Excel export (one iterator, two renderers)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .audit import is_together, together_count, together_parts
from .audit_labels import action_label, field_label, value_label
from .models import Role
from .spreadsheets import cell_value, row_values

ROLE_LABELS = dict(Role.choices)
HEADERS = ("时间", "操作人", "角色", "操作", "对象", "村", "变更内容")


def filter_entries(entries: QuerySet, *, actor: str = "", action: str = "", village: int | None = None,
                   since: date | None = None, until: date | None = None) -> QuerySet:
    if actor:
        entries = entries.filter(actor_name__contains=actor)
    if action:
        entries = entries.filter(action__startswith=action)
    if village:
        entries = entries.filter(village_id=village)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


SENSITIVE_FIELDS = ("id_number", "subject_id_number")


# The masked number hides exactly the birth date (digits 7–14), so a birth date beside it would give the
# number back: screens and exports of the log show the year of birth only.
BIRTH_DATE_FIELDS = ("birth_date",)


def masked(name: str, value):
    """Audit entries keep full values; screens and exports show ID numbers masked (DOMAIN.md)."""
    if name in BIRTH_DATE_FIELDS and isinstance(value, str) and len(value) == 10:
        return value[:4] + "-**-**"
    if name in BIRTH_DATE_FIELDS and isinstance(value, list):
        return [masked(name, v) for v in value]
    if name in SENSITIVE_FIELDS and isinstance(value, str) and len(value) > 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if name in SENSITIVE_FIELDS and isinstance(value, list):
        return [masked(name, v) for v in value]
    return value


def shown_changes(changes: dict, model=None, related: dict | None = None) -> list[tuple[str, object, object]]:
    """(field label, old, new) for each change, in words and masked; a value that is not a pair of
    old and new is shown as the new value."""
    shown = []
    for name, value in (changes or {}).items():
        value = masked(name, value)
        old, new = value if isinstance(value, list) and len(value) == 2 else (None, value)
        shown.append((field_label(model, name), value_label(model, name, old, related),
                      value_label(model, name, new, related)))
    return shown


def describe_changes(changes: dict, model=None, related: dict | None = None) -> str:
    return "；".join(f"{label}：{old} → {new}" for label, old, new in shown_changes(changes, model, related))


def entry_model(entry):
    """The model class of ``entry``'s object (ContentType's cache: no query per row)."""
    return ContentType.objects.get_for_id(entry.object_type_id).model_class() if entry.object_type_id else None


def rows(entries: Iterable, *, each_object: bool = False) -> Iterable[tuple]:
    """One row per entry. An entry for many created objects (``audit.log_created_together``, an import's
    new voters) is on the screen one row saying how many and whom, and in the export (``each_object``)
    a row for each object with its values, as an entry of its own would be. A foreign key's value is
    the name of its object, each object read once (``related``)."""
    related: dict = {}
    for entry in entries:
        head = (
            timezone.localtime(entry.created_at).replace(tzinfo=None),
            entry.actor_name,
            ROLE_LABELS.get(entry.actor_role, entry.actor_role),
            action_label(entry.action),
        )
        village = entry.village.name if entry.village_id else ""
        if not is_together(entry):
            yield (*head, entry.object_repr, village, describe_changes(entry.changes, entry_model(entry), related))
        elif each_object:
            model = entry_model(entry)
            for _pk, text, changes in together_parts(entry):
                yield (*head, text, village, describe_changes(changes, model, related))
        else:
            yield (*head, entry.object_repr, village, _together_summary(entry))


def _together_summary(entry) -> str:
    named = [text for _pk, text, _changes in itertools.islice(together_parts(entry), TOGETHER_NAMED)]
    count = together_count(entry)
    more = f"等{count}条" if count > len(named) else ""
    return f"{'、'.join(named)}{more}；每条的内容见其修改记录，导出的操作日志逐条列出"


TOGETHER_NAMED = 3


def workbook_bytes(entries: QuerySet, *, title: str) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "操作日志"
    ws.append([cell_value(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    # A few hundred entries at a time: an import's entry for 2,000 new voters is about half a megabyte.
    for row in rows(entries.iterator(chunk_size=200), each_object=True):
        ws.append(row_values(row))
    for index, width in enumerate((20, 12, 18, 30, 30, 12, 80), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for cell in ws["A"][2:]:
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
