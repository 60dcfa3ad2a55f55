"""The count of one station in one round (计票结果), entered by hand from the paper tally sheet.

The numbers that must add up are database constraints (STYLE.md §11): ballots returned never exceed
ballots issued, and valid plus invalid ballots equal the ballots returned (LAW.md §2.3). Which tally
counts is also a constraint: at most one confirmed tally per station and round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from candidates.models import Post
from villages.models import Election
from voters.models import Voter

from .rounds import Round
from .stations import PollingStation


class Tally(models.Model):
    """One entry of one station's tally sheet. With double entry (双人录入) there are two entries by
    different people; the confirmed one is what the results are computed from."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交，待核对"
        CONFIRMED = "confirmed", "已确认"
        SUPERSEDED = "superseded", "已核对合并"

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="tallies")
    station = models.ForeignKey(PollingStation, verbose_name="投票站", on_delete=models.PROTECT, related_name="tallies")
    entry_number = models.PositiveSmallIntegerField("录入次序", choices=[(1, "第一次录入"), (2, "第二次录入")], default=1)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    issued = models.PositiveIntegerField("发出选票")
    returned = models.PositiveIntegerField("收回选票")
    valid = models.PositiveIntegerField("有效票")
    invalid = models.PositiveIntegerField("无效票")
    several_posts_ballots = models.PositiveIntegerField(
        "同一人被选为两项以上职务的选票", null=True, blank=True,
        help_text="按“一人只能参选一个职务”的规则，这样的选票整张无效；同一人在两个以上职务中得票时须填写",
    )
    explanations = models.JSONField("情况说明", default=dict, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "计票结果"
        verbose_name_plural = "计票结果"
        ordering = ["round", "station__order", "station_id", "entry_number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "station", "entry_number"], name="tally_one_per_entry"),
            models.UniqueConstraint(
                fields=["round", "station"], condition=Q(status="confirmed"), name="tally_one_confirmed"
            ),
            models.CheckConstraint(
                condition=Q(entry_number__in=[1, 2]), name="tally_entry_number_1_or_2"
            ),
            models.CheckConstraint(
                condition=Q(returned__lte=F("issued")),
                name="tally_returned_not_above_issued",
                violation_error_code="tally_returned_not_above_issued",
                violation_error_message="收回选票多于发出选票，本次选举无效，须重新投票。",
            ),
            models.CheckConstraint(
                condition=Q(returned=F("valid") + F("invalid")),
                name="tally_valid_plus_invalid_is_returned",
                violation_error_code="tally_valid_plus_invalid_is_returned",
                violation_error_message="有效票与无效票之和必须等于收回选票。",
            ),
        ]

    def __str__(self):
        return f"{self.station.name}{self.get_entry_number_display()}"

    def audit_scope(self):
        return self.round.election.audit_scope()


class PostTally(models.Model):
    """One post's section of a station's tally: abstentions and ballots invalid for this post."""

    tally = models.ForeignKey(Tally, verbose_name="计票结果", on_delete=models.CASCADE, related_name="posts")
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    abstentions = models.PositiveIntegerField("弃权票", default=0)
    invalid_for_post = models.PositiveIntegerField("该职务无效票", default=0)

    class Meta:
        verbose_name = "职务计票"
        verbose_name_plural = "职务计票"
        constraints = [models.UniqueConstraint(fields=["tally", "post"], name="post_tally_once_per_post")]


class VoteCount(models.Model):
    """Votes for one printed candidate in one post's section."""

    post_tally = models.ForeignKey(PostTally, verbose_name="职务计票", on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Voter, verbose_name="候选人", on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField("得票")

    class Meta:
        verbose_name = "候选人得票"
        verbose_name_plural = "候选人得票"
        constraints = [models.UniqueConstraint(fields=["post_tally", "voter"], name="vote_count_once_per_candidate")]


class WriteIn(models.Model):
    """Votes for a person written in (另选他人), matched by name to a registered voter of the village
    when the tally is saved. Anything but one clear match waits for the committee's ruling."""

    class Match(models.TextChoices):
        MATCHED = "matched", "已对应登记选民"
        UNMATCHED = "unmatched", "查无此登记选民"
        AMBIGUOUS = "ambiguous", "有同名登记选民多人"
        INELIGIBLE = "ineligible", "此人不是登记选民"

    post_tally = models.ForeignKey(PostTally, verbose_name="职务计票", on_delete=models.CASCADE, related_name="write_ins")
    name = models.CharField("姓名", max_length=30)
    votes = models.PositiveIntegerField("得票")
    voter = models.ForeignKey(Voter, verbose_name="对应选民", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    match = models.CharField("核对结果", max_length=12, choices=Match.choices)

    class Meta:
        verbose_name = "另选他人"
        verbose_name_plural = "另选他人"
        constraints = [
            models.UniqueConstraint(fields=["post_tally", "name"], name="write_in_once_per_name"),
            models.CheckConstraint(condition=Q(votes__gte=1), name="write_in_has_votes"),
            models.CheckConstraint(
                condition=Q(match="matched", voter__isnull=False) | (~Q(match="matched") & Q(voter__isnull=True)),
                name="write_in_voter_iff_matched",
            ),
        ]


class WriteInRuling(models.Model):
    """村民选举委员会 ruling on a written-in name: whom it means, or that its votes do not count
    (ZJ Art. 27: doubtful ballots are referred to the committee)."""

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="write_in_rulings")
    name = models.CharField("姓名", max_length=30)
    voter = models.ForeignKey(
        Voter, verbose_name="认定为", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="留空表示此姓名的选票不计入任何人",
    )
    note = models.CharField("认定理由", max_length=200)
    decided_on = models.DateField("认定日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "另选他人认定"
        verbose_name_plural = "另选他人认定"
        constraints = [models.UniqueConstraint(fields=["election", "name"], name="write_in_ruling_once_per_name")]

    def audit_scope(self):
        return self.election.audit_scope()
