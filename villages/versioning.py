"""Optimistic concurrency: a ``version`` column with a conditional update (STYLE.md §10).

Two people open the same record; the first to save wins, the second is told that the record
changed meanwhile and nothing of theirs is silently overwritten.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

CONFLICT_MESSAGE = "保存失败：{name}在您编辑期间已被他人修改。请刷新页面，核对最新内容后重新填写。"


def save_versioned(instance: models.Model, *, fields: list[str], expected_version: int | None) -> None:
    """Write ``fields`` of ``instance`` only if its stored version is still ``expected_version``.

    Raises ``ValidationError(code="conflict")`` when another save came first. ``expected_version``
    of None means the caller read the row under ``select_for_update`` and needs no check.
    """
    model = type(instance)
    current = instance.version if expected_version is None else expected_version
    values = {name: getattr(instance, name) for name in fields}
    updated = model.objects.filter(pk=instance.pk, version=current).update(version=current + 1, **values)
    if updated != 1:
        raise ValidationError(
            CONFLICT_MESSAGE.format(name=model._meta.verbose_name), code="conflict"
        )
    instance.version = current + 1
