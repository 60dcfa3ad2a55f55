"""A date outside its legal window, accepted with the reason the clerk gave (``villages.chronology``)."""

from django.conf import settings
from django.db import models


class DateException(models.Model):
    """日期说明: an act dated outside its legal window (e.g. the voter list published after E−20), kept with
    the warnings the clerk saw and the reason they wrote; shown on the legal calendar."""

    campaign = models.ForeignKey("villages.Campaign", verbose_name="换届选举", on_delete=models.CASCADE,
                                 related_name="date_exceptions")
    election = models.ForeignKey("villages.Election", verbose_name="村委会选举", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="date_exceptions")
    act = models.CharField("事项", max_length=40)
    on = models.DateField("日期")
    warnings = models.JSONField("提示", default=list)
    reason = models.TextField("理由")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "日期说明"
        verbose_name_plural = "日期说明"
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"{self.act}（{self.on}）：{self.reason}"

    def audit_scope(self):
        return self.election.audit_scope() if self.election_id else self.campaign.audit_scope()
