"""Writing the audit log. Every service calls ``log_action`` explicitly, inside its transaction
(STYLE.md §9); nothing is logged from signals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

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

    ``entries`` yields ``(pk, object_repr, changes)``; each becomes the entry ``log_action`` would have
    written for that object, inserted ``chunk`` at a time. Returns how many were written."""
    object_type = ContentType.objects.get_for_model(model)
    actor = dict(actor=by if by is not None and by.pk else None, actor_name=str(by) if by is not None else "系统",
                 actor_role=getattr(by, "role", "") or "")
    batch, count = [], 0
    for pk, text, changes in entries:
        batch.append(AuditEntry(
            **actor, action=action, object_type=object_type, object_id=str(pk), object_repr=text[:200],
            township_id=township_id, village_id=village_id,
            changes={name: [_json_value(old), _json_value(new)] for name, (old, new) in changes.items()},
        ))
        if len(batch) >= chunk:
            count += len(AuditEntry.objects.bulk_create(batch))
            batch = []
    return count + len(AuditEntry.objects.bulk_create(batch))


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
