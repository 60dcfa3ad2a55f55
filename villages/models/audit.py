"""The audit log: who did what, when, to which object, with a before/after diff (STYLE.md §9)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .places import Township, Village


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One state change, written in the same transaction as the change itself."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_name = models.CharField("操作人姓名", max_length=60, blank=True)
    actor_role = models.CharField("操作人角色", max_length=20, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    # Indexed by ``audit_object_idx`` (object_type, object_id), not on its own: an import writes one entry a voter.
    object_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    township = models.ForeignKey(Township, verbose_name="乡镇", on_delete=models.SET_NULL, null=True, blank=True)
    village = models.ForeignKey(Village, verbose_name="村", on_delete=models.SET_NULL, null=True, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
