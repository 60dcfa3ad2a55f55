"""What a Party election's 党员大会 and its new committee decide beside the counted votes (LAW.md §4.2):
the office's decision on a shortfall (another round among the not elected, or fewer seats with the upper
level's consent and the meeting's majority), and the committee's election of the 书记 and 副书记."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from villages.models import Election

from .rounds import Round


class ShortfallDecision(models.Model):
    """After a 党员大会 elected fewer than the seats: another round for the shortfall, or the seats reduced.
    The shortfall is never filled from those below half (LAW.md §4.2)."""

    class Choice(models.TextChoices):
        ANOTHER_ROUND = "another_round", "就缺额另行选举"
        REDUCE = "reduce", "减少名额"

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.PROTECT, related_name="shortfall_decisions")
    round = models.ForeignKey(Round, verbose_name="出现缺额的轮次", on_delete=models.PROTECT, related_name="shortfall_decisions")
    choice = models.CharField("决定", max_length=20, choices=Choice.choices)
    post = models.CharField("职务", max_length=20, default="member")
    seats_before = models.PositiveSmallIntegerField("原应选名额")
    seats_after = models.PositiveSmallIntegerField("决定后的应选名额")
    meeting_for = models.PositiveIntegerField("党员大会同意人数", null=True, blank=True)
    meeting_present = models.PositiveIntegerField("党员大会实到会人数", null=True, blank=True)
    upper_consent = models.CharField("上级党组织同意文书", max_length=200, blank=True)
    new_round = models.ForeignKey(Round, verbose_name="另行选举轮次", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    decided_on = models.DateField("决定日期")
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "缺额处理决定"
        verbose_name_plural = "缺额处理决定"
        ordering = ["election", "decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice="another_round") | (Q(choice="reduce") & ~Q(upper_consent="")),
                name="shortfall_reduce_has_consent",
                violation_error_code="shortfall_reduce_has_consent",
                violation_error_message="减少名额须经上级党组织同意。",
            ),
        ]

    def __str__(self):
        if self.choice == self.Choice.REDUCE:
            return f"减少名额（应选{self.seats_before}名减少至{self.seats_after}名）"
        return f"就缺额另行选举（应选{self.seats_before}名）"

    def audit_scope(self):
        return self.election.audit_scope()


class CommitteePostVote(models.Model):
    """The election of the 书记 or 副书记 among the new committee members (by the committee, 等额 by default; under
    公推直选 the 书记 by the 党员大会): the votes of each candidate, checked against more than half of the base."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", "书记"
        DEPUTY_SECRETARY = "deputy_secretary", "副书记"

    class Electorate(models.TextChoices):
        COMMITTEE = "committee", "新当选的委员会全体委员"
        MEMBERS = "members", "党员大会实到会有选举权的党员"

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.PROTECT, related_name="committee_post_votes")
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    electorate = models.CharField("选举人", max_length=20, choices=Electorate.choices)
    base = models.PositiveIntegerField("计算过半数的基数")
    returned = models.PositiveIntegerField("收回选票")
    votes = models.JSONField("各候选人赞成票", default=dict, help_text="voter id → 赞成票")
    held_on = models.DateField("选举日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "书记、副书记选举"
        verbose_name_plural = "书记、副书记选举"
        ordering = ["election", "post", "id"]

    def __str__(self):
        return f"{self.get_post_display()}选举"

    def audit_scope(self):
        return self.election.audit_scope()
