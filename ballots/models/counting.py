"""Per-ballot counting (唱票计票): the count of one station in one round, ballot by ballot, as the ballots
are read out in the counting hall. The station's tally is made from these records when the count is
finished (``ballots.services.counting``), so the tally and the ballots always agree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .rounds import Round
from .stations import PollingStation


class BallotCount(models.Model):
    """One station's per-ballot count in one round. ``next_number`` numbers the ballots in the order they are
    entered; it is read and advanced under a row lock, so two counters never lose a ballot."""

    class Status(models.TextChoices):
        COUNTING = "counting", "正在唱票计票"
        FINISHED = "finished", "计票完毕"

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="ballot_counts")
    station = models.ForeignKey(
        PollingStation, verbose_name="投票站", on_delete=models.PROTECT, related_name="ballot_counts"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.COUNTING)
    next_number = models.PositiveIntegerField("下一张选票序号", default=1)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开始人", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="结束人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "唱票计票"
        verbose_name_plural = "唱票计票"
        constraints = [
            models.UniqueConstraint(fields=["round", "station"], name="ballot_count_once_per_station"),
            models.CheckConstraint(
                condition=Q(status="counting", finished_at__isnull=True)
                | Q(status="finished", finished_at__isnull=False),
                name="ballot_count_finished_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.station.name}唱票计票"

    @property
    def is_counting(self) -> bool:
        return self.status == self.Status.COUNTING

    def audit_scope(self):
        return self.round.election.audit_scope()


class CountedBallotQuerySet(models.QuerySet):
    def counted(self):
        """The ballots that count: every entry but those withdrawn as entered in error."""
        return self.filter(withdrawn_at__isnull=True)


class CountedBallot(models.Model):
    """One ballot as read out: its marks per post (``ballot_rules.BallotMarks`` as JSON), the verdict of the
    preset's rules (``BallotVerdict`` as JSON) and why it or a section is void. An entry made in error is
    withdrawn (kept, marked), never deleted."""

    count = models.ForeignKey(BallotCount, verbose_name="唱票计票", on_delete=models.CASCADE, related_name="ballots")
    number = models.PositiveIntegerField("序号")
    client_key = models.CharField("录入标识", max_length=40, blank=True, editable=False,
                                  help_text="计票页面为每张选票生成的标识：网络重发时不会重复录入")
    marks = models.JSONField("所选")
    valid = models.BooleanField("有效")
    verdict = models.JSONField("各职务计票")
    problems = models.JSONField("无效原因", default=list, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤销人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = CountedBallotQuerySet.as_manager()

    class Meta:
        verbose_name = "唱票记录"
        verbose_name_plural = "唱票记录"
        ordering = ["count", "number"]
        constraints = [
            models.UniqueConstraint(fields=["count", "number"], name="counted_ballot_unique_number"),
            models.UniqueConstraint(fields=["count", "client_key"], condition=~Q(client_key=""),
                                    name="counted_ballot_unique_client_key"),
        ]

    def __str__(self):
        return f"第{self.number}张选票"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
