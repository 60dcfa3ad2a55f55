"""Counting options, the persons whose election was announced, and decisions that an election is void."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from candidates.models import Post
from villages.models import Election
from voters.models import Voter

from .rounds import Round

DEFAULT_SIGNATURE_LABELS = ["主持人", "监票人", "计票人", "记录人"]


def default_signature_labels() -> list[str]:
    return list(DEFAULT_SIGNATURE_LABELS)


class CountingOptions(models.Model):
    """计票设置 of one election: double entry of tally sheets, and the signature lines of the reports."""

    election = models.OneToOneField(
        Election, verbose_name="村委会选举", on_delete=models.CASCADE, related_name="counting_options"
    )
    double_entry = models.BooleanField(
        "双人录入核对", default=False, help_text="每张计票结果报告单由两名不同的人分别录入，不一致时由乡镇工作人员核对"
    )
    signature_labels = models.JSONField("签名栏", default=default_signature_labels)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "计票设置"
        verbose_name_plural = "计票设置"

    def __str__(self):
        return f"{self.election}计票设置"

    def audit_scope(self):
        return self.election.audit_scope()


class VoidDecision(models.Model):
    """A decision under OL §17 that an election, or one person's election, is void (当选无效), with who
    decided, the document and the date (LAW.md §1.10)."""

    class Scope(models.TextChoices):
        ELECTION = "election", "本次选举无效"
        PERSON = "person", "个人当选无效"

    class Body(models.TextChoices):
        ELECTION_COMMITTEE = "election_committee", "村民选举委员会"
        TOWNSHIP_GOVERNMENT = "township_government", "乡镇人民政府"
        COUNTY_GOVERNMENT = "county_government", "县级人民政府"
        COUNTY_PEOPLES_CONGRESS = "county_congress", "县级人民代表大会常务委员会"
        CREDENTIALS_COMMITTEE = "credentials_committee", "代表资格审查委员会"  # 人大 (Election Law Art. 47)
        TOWNSHIP_PRESIDIUM = "township_presidium", "乡级人民代表大会主席团"

    # The bodies that decide for a 选区 (the round's 选举委员会 stands in for the village's).
    DISTRICT_BODIES = (Body.ELECTION_COMMITTEE, Body.CREDENTIALS_COMMITTEE, Body.COUNTY_PEOPLES_CONGRESS,
                       Body.TOWNSHIP_PRESIDIUM)

    class Ground(models.TextChoices):
        VIOLENCE = "violence", "暴力"
        THREAT = "threat", "威胁"
        DECEPTION = "deception", "欺骗"
        BRIBERY = "bribery", "贿赂"
        FORGED_BALLOTS = "forged_ballots", "伪造选票"
        FALSE_COUNT = "false_count", "虚报选举票数"

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="void_decisions")
    scope = models.CharField("范围", max_length=10, choices=Scope.choices)
    person = models.ForeignKey(
        Voter, verbose_name="当选无效的人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ground = models.CharField("事由", max_length=20, choices=Ground.choices)
    decided_by_body = models.CharField("决定机关", max_length=30, choices=Body.choices)
    document_ref = models.CharField("决定文书", max_length=100)
    decided_on = models.DateField("决定日期")
    reason = models.TextField("认定事实")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选举无效决定"
        verbose_name_plural = "选举无效决定"
        ordering = ["election", "decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="person", person__isnull=False) | Q(scope="election", person__isnull=True),
                name="void_decision_person_iff_person_scope",
                violation_error_code="void_decision_person_iff_person_scope",
                violation_error_message="个人当选无效须指明当选人；整个选举无效则不指明。",
            ),
        ]

    def __str__(self):
        who = self.person.name if self.person_id else "本次选举"
        return f"{who}无效（{self.document_ref}）"

    @property
    def body_label(self) -> str:
        """The deciding body as the papers name it: a 选区's election committee is its round's 选举委员会."""
        if self.decided_by_body == self.Body.ELECTION_COMMITTEE:
            return self.election.committee_label if self.election.is_district else self.get_decided_by_body_display()
        return self.get_decided_by_body_display()

    def audit_scope(self):
        return self.election.audit_scope()


class ElectedMember(models.Model):
    """A person whose election was announced (当选人): what reports read. Written by the announcement
    only, from the computed results; a void decision marks the row, never deletes it."""

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="elected_members")
    voter = models.ForeignKey(Voter, verbose_name="当选人", on_delete=models.PROTECT, related_name="elections_won")
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    votes = models.PositiveIntegerField("得票")
    round = models.ForeignKey(Round, verbose_name="当选轮次", on_delete=models.PROTECT, related_name="elected_members")
    elected_on = models.DateField("当选日期")
    announced_on = models.DateField("公布日期")
    void_decision = models.ForeignKey(
        VoidDecision, verbose_name="无效决定", on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )

    class Meta:
        verbose_name = "当选人"
        verbose_name_plural = "当选人"
        ordering = ["election", "round__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "voter"],
                condition=Q(void_decision__isnull=True),
                name="elected_member_once_per_election",
                violation_error_code="elected_member_once_per_election",
                violation_error_message="此人已是本次选举的当选人。",
            ),
        ]

    def __str__(self):
        return f"{self.voter.name}（{self.get_post_display()}）"

    @property
    def is_void(self) -> bool:
        return self.void_decision_id is not None

    def audit_scope(self):
        return self.election.audit_scope()
