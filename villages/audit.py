"""Writing the audit log. Every service calls ``log_action`` explicitly, inside its transaction
(STYLE.md §9); nothing is logged from signals."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from .models import AuditEntry


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The JSON-safe values of ``fields`` (default: every concrete field but the version)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields if f.name not in ("id", "version")]
    return {name: _json_value(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def log_action(
    *,
    by,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    township_id: int | None = None,
    village_id: int | None = None,
) -> AuditEntry:
    """Record that ``by`` did ``action`` (a dotted code such as ``villages.village.updated``)."""
    if obj is not None and hasattr(obj, "audit_scope") and township_id is None and village_id is None:
        township_id, village_id = obj.audit_scope()
    return AuditEntry.objects.create(
        actor=by if by is not None and by.pk else None,
        actor_name=str(by) if by is not None else "系统",
        actor_role=getattr(by, "role", "") or "",
        action=action,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        township_id=township_id,
        village_id=village_id,
        changes=changes or {},
    )


def log_each(
    *,
    by,
    action: str,
    model: type[models.Model],
    entries: Iterable[tuple[Any, str, dict[str, list[Any]]]],
    township_id: int | None = None,
    village_id: int | None = None,
    chunk: int = 2000,
) -> int:
    """One entry per changed object, for a service that writes many rows in one statement (an import).

    ``entries`` yields ``(pk, object_repr, changes)``, the values of ``changes`` being JSON types, dates
    or Decimals, or ``changes`` the ``EncodedJSON`` text of them; each becomes the entry ``log_action``
    would have written for that object. They are
    inserted ``chunk`` at a time, by ``COPY`` on PostgreSQL and one prepared INSERT (``executemany``)
    on SQLite: ``bulk_create`` would spend most of an import's confirmation building model instances
    and SQL for tens of thousands of entries. Returns how many were written."""
    ops = connection.ops
    fields = {f.attname: f for f in AuditEntry._meta.concrete_fields if not f.primary_key}
    encoder = fields["changes"].encoder or DjangoJSONEncoder  # dates as ISO text, like snapshot()
    constant = {
        "created_at": ops.adapt_datetimefield_value(timezone.now()),
        "actor_id": by.pk if by is not None and by.pk else None,
        "actor_name": str(by) if by is not None else "系统",
        "actor_role": getattr(by, "role", "") or "",
        "action": action,
        "object_type_id": ContentType.objects.get_for_model(model).pk,
        "township_id": township_id,
        "village_id": village_id,
    }
    names = list(fields)
    template = [constant.get(name) for name in names]
    at_id, at_repr, at_changes = names.index("object_id"), names.index("object_repr"), names.index("changes")
    # The JSON text ``adapt_json_value`` would write (json.dumps with the field's encoder), from one
    # encoder for all the entries (and no search for circular references: changes are plain values);
    # PostgreSQL's COPY reads it into jsonb as it would its own.
    dumps = encoder(check_circular=False, ensure_ascii=False).encode
    table, columns = ops.quote_name(AuditEntry._meta.db_table), ", ".join(ops.quote_name(fields[n].column) for n in names)
    copy = connection.vendor == "postgresql"  # COPY: one round trip per chunk, as the voter import does
    sql = (f"COPY {table} ({columns}) FROM STDIN" if copy else
           f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})")

    def write(cursor, rows) -> int:
        if copy:
            with cursor.cursor.copy(sql) as stream:
                for row in rows:
                    stream.write_row(row)
        elif rows:
            cursor.executemany(sql, rows)
        return len(rows)

    count, batch = 0, []
    with connection.cursor() as cursor, connection.wrap_database_errors:
        for pk, text, changes in entries:
            row = template.copy()
            row[at_id], row[at_repr] = str(pk), text[:200]
            row[at_changes] = changes if type(changes) is EncodedJSON else dumps(changes)
            batch.append(row)
            if len(batch) >= chunk:
                count, batch = count + write(cursor, batch), []
        return count + write(cursor, batch)


class EncodedJSON(str):
    """JSON text already encoded (``log_each`` writes it as it is)."""


# An entry for many objects created together (``log_created_together``): its ``changes`` hold the field
# names once and, under this key, each object's values by its primary key.
TOGETHER = "objects"


def log_created_together(
    *,
    by,
    action: str,
    model: type[models.Model],
    text: str,
    fields: Sequence[str],
    objects: dict[Any, Sequence[Any]],
    township_id: int | None = None,
    village_id: int | None = None,
) -> int:
    """One entry for many objects created by one statement (an import's chunk of new voters).

    ``objects`` maps each object's primary key to its values, in the order of ``fields`` (the model's
    attribute names; JSON types or dates); its text is ``str()`` of an unsaved instance with those values,
    worked out when it is shown (``together_parts``), so ``__str__`` must need no related object. The
    entry's ``changes`` are ``{"fields": [...], "objects": {pk: [...]}}`` and it has no ``object_id`` of
    its own: each object's history shows its part (``history_of``,
    ``object_changes``) as the changes ``{field: [null, value]}`` of an entry of its own would, and the Excel
    export gives it a row of its own (``audit_export.rows``). Written as one row: an entry per object cost
    an import's confirmation as much as inserting the objects themselves (``bench_import``)."""
    changes = _ENCODE_TOGETHER({"fields": list(fields), TOGETHER: objects})
    return log_each(by=by, action=action, model=model, entries=[("", text, EncodedJSON(changes))],
                    township_id=township_id, village_id=village_id)


def _isoformat(value: date) -> str:
    if isinstance(value, date):
        return value.isoformat()  # the encoder calls this only for what it cannot write itself
    raise TypeError(f"log_created_together: a {type(value).__name__} is not a JSON value")


_ENCODE_TOGETHER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False,
                                    default=_isoformat).encode


def is_together(entry: AuditEntry) -> bool:
    """Whether ``entry`` records many created objects (``log_created_together``)."""
    return entry.object_id == "" and isinstance(entry.changes, dict) and TOGETHER in entry.changes


def together_count(entry: AuditEntry) -> int:
    return len(entry.changes[TOGETHER])


def together_parts(entry: AuditEntry) -> Iterable[tuple[str, str, dict[str, list[Any]]]]:
    """``(pk, object_repr, changes)`` of each object of an entry of ``log_created_together``."""
    fields, model = entry.changes["fields"], ContentType.objects.get_for_id(entry.object_type_id).model_class()
    for pk, values in entry.changes[TOGETHER].items():
        yield pk, str(model(**dict(zip(fields, values))))[:200], _created(fields, values)


def object_changes(entry: AuditEntry, pk) -> dict[str, list[Any]]:
    """The changes ``entry`` records of the object ``pk``: its own, or its part of an entry for many."""
    if not is_together(entry):
        return entry.changes
    return _created(entry.changes["fields"], entry.changes[TOGETHER].get(str(pk), []))


def _created(fields: Sequence[str], values: Sequence[Any]) -> dict[str, list[Any]]:
    """A created object's changes: ``[null, value]`` for each value that is neither null nor empty."""
    return {name: [None, value] for name, value in zip(fields, values) if value is not None and value != ""}


def history_of(obj: models.Model, entries: models.QuerySet | None = None) -> models.QuerySet:
    """The entries of ``entries`` (default: all) about ``obj``: its own and those that created it with
    others (``log_created_together``), the latter looked for only in the object's own village or
    township, where they were written."""
    entries = AuditEntry.objects.all() if entries is None else entries
    together = Q(object_id="")
    if hasattr(obj, "audit_scope"):
        township_id, village_id = obj.audit_scope()
        together &= Q(township_id=township_id, village_id=village_id)
    together &= Q(**{f"changes__{TOGETHER}__has_key": str(obj.pk)})
    return entries.filter(object_type=ContentType.objects.get_for_model(obj)).filter(
        Q(object_id=str(obj.pk)) | together)


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
