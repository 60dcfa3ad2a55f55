"""Rounds of voting in one village's election: the first ballot, tie re-votes and runoffs (LAW.md §1.7,
§2.4). Each round carries its seats per post and its candidates, fixed when it is opened."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from candidates.models import Post
from candidates.slate import POST_ORDER, post_label
from villages.models import Election
from voters.models import Voter

from .stations import PollingStation


class VoidGround(models.TextChoices):
    """Why a round is void (LAW.md §2.3; OL §15: more than half of the registered voters must vote)."""

    TURNOUT = "turnout", "参加投票的选民未超过登记选民的半数"
    RETURNED_EXCEEDS_ISSUED = "returned_exceeds_issued", "收回选票多于发出选票"
    QUORUM = "quorum", "有选举权的到会党员未超过应到会人数的五分之四"
    OTHER = "other", "其他原因"


class Round(models.Model):
    """正式选举 / 另行选举 / 重新投票. A runoff or re-vote has the round it follows as ``parent``."""

    VoidGround = VoidGround

    class Kind(models.TextChoices):
        FIRST = "first", "正式选举"
        RUNOFF = "runoff", "另行选举"
        REVOTE = "revote", "重新投票"

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        ANNOUNCED = "announced", "结果已公布"
        VOID = "void", "无效"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField("轮次")
    parent = models.ForeignKey(
        "self", verbose_name="承接轮次", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    held_on = models.DateField("投票日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    seats = models.JSONField("各职务应选名额", default=dict)
    stations = models.ManyToManyField(PollingStation, verbose_name="投票站", related_name="rounds")
    void_reason = models.CharField("无效原因", max_length=200, blank=True)
    void_ground = models.CharField("无效事由", max_length=30, choices=VoidGround.choices, blank=True)
    void_figures = models.JSONField("认定无效的数字", default=dict, blank=True,
                                    help_text="登记选民、发出选票、收回选票：据以宣布本轮无效的数字")
    # A Party election's 党员大会 (LAW.md §4.2): 应到会 read from the member register when the round opens
    # (never typed), and the members present with voting rights (实到会) recorded before the tally.
    expected_attendance = models.PositiveIntegerField("应到会人数", null=True, blank=True, editable=False)
    present = models.PositiveIntegerField("实到会有选举权人数", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开启人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("开启时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "投票轮次"
        verbose_name_plural = "投票轮次"
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_unique_number"),
            models.CheckConstraint(
                condition=Q(kind="first", parent__isnull=True) | (~Q(kind="first") & Q(parent__isnull=False)),
                name="round_parent_iff_not_first",
                violation_error_code="round_parent_iff_not_first",
                violation_error_message="另行选举和重新投票须承接前一轮，正式选举不承接。",
            ),
            models.CheckConstraint(
                condition=~Q(status="void") | ~Q(void_reason=""),
                name="round_void_has_reason",
                violation_error_code="round_void_has_reason",
                violation_error_message="宣布本轮无效须写明原因。",
            ),
        ]

    def __str__(self):
        return f"{self.election.unit_name}{self.label}"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.REVOTE:
            posts = "、".join(post_label(p) for p in self.post_codes)
            return f"第{self.number}轮 {posts}并列者重新投票"
        return f"第{self.number}轮 {self.get_kind_display()}"

    @property
    def post_codes(self) -> list[str]:
        """The posts of this round, from the top (主任, 副主任, 委员, 妇女委员)."""
        return [code for code in POST_ORDER if self.seats.get(code)]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def audit_scope(self):
        return self.election.audit_scope()


class RoundCandidate(models.Model):
    """A person printed on this round's ballot for a post (for a re-vote: the tied persons)."""

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.CASCADE, related_name="candidates")
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    voter = models.ForeignKey(Voter, verbose_name="候选人", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "本轮候选人"
        verbose_name_plural = "本轮候选人"
        ordering = ["round", "post", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "post", "voter"], name="round_candidate_once_per_post"),
        ]
