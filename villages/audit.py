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
    or Decimals, or ``changes`` the ``CreatedJSON`` text of them; each becomes the entry ``log_action``
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
            row[at_changes] = changes if type(changes) is CreatedJSON else dumps(changes)
            batch.append(row)
            if len(batch) >= chunk:
                count, batch = count + write(cursor, batch), []
        return count + write(cursor, batch)


class CreatedJSON(str):
    """The JSON text of a created object's changes, ``{field: [null, value], …}``, written by ``created_json``."""


_encode_text = json.encoder.encode_basestring  # the C encoder's own string quoting, non-ASCII kept


def created_json(names: Sequence[str], values: Sequence[Any]) -> CreatedJSON:
    """``json.dumps({name: [None, value]})`` for each value that is neither None nor "" — the changes of a
    created object — as ``DjangoJSONEncoder`` writes them (dates as ISO text; the text non-ASCII kept), made
    without building the dict: an import logs one of these per voter, and the dict and its encoding took a
    third of the confirmation's time (``bench_import``). Values are str, bool, int, date or None."""
    parts = []
    for name, value in zip(names, values):
        if value is None or value == "":
            continue
        kind = type(value)
        if kind is str:
            text = _encode_text(value)
        elif kind is bool:
            text = "true" if value else "false"
        elif kind is int:
            text = str(value)
        elif kind is date:
            text = f'"{value.isoformat()}"'
        else:
            raise TypeError(f"created_json: {name} is a {kind.__name__}")
        parts.append(f'"{name}": [null, {text}]')
    return CreatedJSON("{" + ", ".join(parts) + "}")


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
