"""Nomination: who stands for which post in one village's election (OL §15; LAW.md §1.5, §2.5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from villages.kinds.party_branch import NOMINATION_METHOD_LABELS
from villages.models import Campaign, Election
from voters.models import Voter

from . import party_pipeline, selection, slate


class Post(models.TextChoices):
    CHAIR = slate.CHAIR, "主任"
    VICE_CHAIR = slate.VICE_CHAIR, "副主任"
    MEMBER = slate.MEMBER, "委员"
    WOMAN_MEMBER = slate.WOMAN_MEMBER, "妇女委员"
    DEPUTY = "deputy", "代表"  # 人大: the one post of a 选区 (villages.kinds.deputies)


class DeputyCategory(models.TextChoices):
    """代表结构 of a 人大 deputy candidate, as the reports count it (工人、农民、专业技术人员、党政领导干部 …).
    Blank: not filled in (reported as 未填, never guessed)."""

    WORKER = "worker", "工人"
    FARMER = "farmer", "农民"
    PROFESSIONAL = "professional", "专业技术人员"
    CADRE = "cadre", "党政领导干部"
    BUSINESS = "business", "企业负责人"
    MILITARY = "military", "解放军和武警"
    OTHER = "other", "其他"


class NominationMode(models.TextChoices):
    CANDIDATES = "candidates", "有候选人（选民直接提名）"
    SELF_NOMINATION = "self_nomination", "自荐直选"
    NO_CANDIDATE = "no_candidate", "无候选人直接选举（海选）"


class CandidateQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status__in=[Candidate.Status.WITHDRAWN, Candidate.Status.DISQUALIFIED])

    def on_list(self):
        return self.filter(status=Candidate.Status.ON_LIST)

    def with_voter(self):
        return self.select_related("voter", "voter__group")

    def in_election(self, election):
        return self.filter(election=election)

    def locked(self):
        """Rows locked for the rest of the transaction, with the voter (whose row stays unlocked)."""
        return self.select_related("voter").select_for_update(of=("self",))

    def of_source(self, source: str):
        return self.filter(source=source)

    def waiting(self):
        """Nominees left off the published list: the pool replacements come from (ZJ Art. 19)."""
        return self.filter(status=Candidate.Status.NOT_SELECTED)


def nominable_voters(election):
    """Who may nominate and be nominated: registered voters on the village's published list (OL §15 ¶1)."""
    return Voter.objects.in_election(election).registered().listed()


class Candidate(models.Model):
    """A nominee (提名人选) for one post; the formal candidates are those put on the published list."""

    class Source(models.TextChoices):
        NOMINATED = "nominated", "选民提名"
        SELF = "self", "自荐"
        PARTY = "party_organisation", "政党、人民团体推荐"  # 人大, Election Law Art. 30 ¶2
        JOINT = "voters_jointly", "选民十人以上联名推荐"
        PARTY_REVIEW = "party_review", "推荐（信任投票）并经乡镇党委审查"  # 村党组织 (candidates.party_services)

    class Status(models.TextChoices):
        NOMINATED = "nominated", "被提名"
        ON_LIST = "on_list", "正式候选人"
        NOT_SELECTED = "not_selected", "未列入正式候选人"
        WITHDRAWN = "withdrawn", "已退出"
        DISQUALIFIED = "disqualified", "资格不符"

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.PROTECT, related_name="candidates")
    voter = models.ForeignKey(Voter, verbose_name="被提名人", on_delete=models.PROTECT, related_name="candidacies")
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    source = models.CharField("提名方式", max_length=20, choices=Source.choices, default=Source.NOMINATED)
    nomination_votes = models.PositiveIntegerField("提名票数", default=0)
    nominated_on = models.DateField("提名日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NOMINATED)
    list_order = models.PositiveSmallIntegerField("名单顺序", null=True, blank=True)
    withdrawn_on = models.DateField("退出日期", null=True, blank=True)
    withdrawal_reason = models.CharField("退出原因", max_length=200, blank=True)
    # 人大 (Election Law Arts. 30–33): the nominating party or organisation, the 预选 votes, and the
    # basic facts the committee introduces to the voters (代表候选人基本情况).
    nominated_by = models.CharField("推荐单位", max_length=100, blank=True)
    primary_votes = models.PositiveIntegerField("预选得票", null=True, blank=True)
    deputy_category = models.CharField("代表结构类别", max_length=20, choices=DeputyCategory.choices, blank=True,
                                       help_text="人大代表候选人：工人、农民、专业技术人员、党政领导干部等；可不填")
    incumbent = models.BooleanField("现任本级人大代表", null=True, blank=True,
                                    help_text="人大代表候选人是否现任本级人大代表（系统中没有上届选举时，用于统计连任与新当选）")
    # A township Party congress's delegate candidate (``candidates.congress_services``): a cadre of a township, a
    # village, an economic or a social organisation, counted against the province's cadre ceiling (reference 003).
    party_cadre = models.BooleanField("党员干部", null=True, blank=True,
                                      help_text="乡镇、村、经济组织、社会组织的党员干部")
    profile = models.TextField("基本情况", blank=True, help_text="出生年月、工作单位及职务、简历等，向选民介绍")
    replaces = models.ForeignKey(
        "self", verbose_name="递补谁", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["election", "post", "list_order", "-nomination_votes", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "voter", "post"],
                condition=~Q(status="withdrawn"),
                name="candidate_once_per_post",
                violation_error_message="此人已被提名为该职务的候选人。",
            ),
            # Ballots read the formal list as status on_list ordered by list_order: both or neither.
            models.CheckConstraint(
                condition=(Q(status="on_list") & Q(list_order__isnull=False))
                | (~Q(status="on_list") & Q(list_order__isnull=True)),
                name="candidate_list_order_iff_on_list",
                violation_error_message="只有正式候选人才有名单顺序。",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False),
                name="candidate_withdrawal_dated",
                violation_error_message="退出须有日期。",
            ),
        ]

    def __str__(self):
        return f"{self.voter.name}（{self.get_post_display()}）"

    @property
    def is_active(self) -> bool:
        return self.status not in (self.Status.WITHDRAWN, self.Status.DISQUALIFIED)

    def as_slate(self) -> slate.SlateCandidate:
        """This candidacy as the pure rules see it; the voter identifies the person across posts."""
        return slate.SlateCandidate(
            key=str(self.voter_id),
            name=self.voter.name,
            post=self.post,
            sex=self.voter.sex,
            nomination_votes=self.nomination_votes,
        )

    def audit_scope(self):
        return self.election.audit_scope()


class Nomination(models.Model):
    """One registered voter's nomination of a person for a post (OL §15 ¶1: direct nomination)."""

    election = models.ForeignKey(Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="nominations")
    nominator = models.ForeignKey(Voter, verbose_name="提名人", on_delete=models.PROTECT, related_name="nominations_made")
    candidate = models.ForeignKey(Candidate, verbose_name="被提名人", on_delete=models.CASCADE, related_name="nominations")
    nominated_on = models.DateField("提名日期")

    class Meta:
        verbose_name = "提名"
        verbose_name_plural = "提名"
        ordering = ["candidate", "nominated_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominator", "candidate"],
                name="nomination_once_per_candidate",
                violation_error_message="该选民已经提名过此人。",
            )
        ]

    def __str__(self):
        return f"{self.nominator.name}提名{self.candidate}"

    def audit_scope(self):
        return self.election.audit_scope()


class CandidateListPublication(models.Model):
    """The published list of formal candidates (正式候选人名单), by the preset's deadline."""

    election = models.OneToOneField(
        Election, verbose_name="村委会选举", on_delete=models.PROTECT, related_name="candidate_list_publication"
    )
    mode = models.CharField("选举方式", max_length=20, choices=NominationMode.choices)
    published_on = models.DateField("公布日期")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "候选人名单公布"
        verbose_name_plural = "候选人名单公布"

    def __str__(self):
        return f"{self.election}候选人名单（{self.published_on}）"

    @property
    def deadline(self):
        return selection.publication_deadline(self.election.election_day, self.election.rules)

    @property
    def is_late(self) -> bool:
        """Published after D − N (ZJ Art. 18): allowed, and shown as done late on the legal calendar."""
        return self.published_on > self.deadline

    @property
    def has_list(self) -> bool:
        """False in a 海选, where the ballot carries blank lines instead of names."""
        return self.mode != NominationMode.NO_CANDIDATE

    def audit_scope(self):
        return self.election.audit_scope()


class InitialCandidateList(models.Model):
    """初步代表候选人名单 of a 人大 选区 (Election Law Art. 32 ¶1): every nominee, published by E−15,
    with the record of the voter groups' consultation (酝酿、讨论、协商) and, when the nominees
    exceed the maximum of the formal list, the date of the 预选."""

    election = models.OneToOneField(
        Election, verbose_name="选举", on_delete=models.PROTECT, related_name="initial_candidate_list"
    )
    published_on = models.DateField("公布日期")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                     related_name="+")
    nominees = models.JSONField("列入名单的被提名人", default=list)
    consultation = models.TextField("酝酿协商情况", blank=True)
    primary_held_on = models.DateField("预选日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "初步代表候选人名单"
        verbose_name_plural = "初步代表候选人名单"

    def __str__(self):
        return f"{self.election}初步代表候选人名单（{self.published_on}）"

    def audit_scope(self):
        return self.election.audit_scope()


# ---------------------------------------------------------------- 村党组织换届选举: the nomination pipeline


class PartyNomination(models.Model):
    """How a village Party organisation's candidates come about (候选人产生方式, LAW.md §4.4), with the 委员
    candidates the township intends (the base of a preliminary ratio counted on the candidates) and the
    township Party committee's review (乡镇党委审查) once recorded (``candidates.party_services``)."""

    election = models.OneToOneField(Election, verbose_name="选举", on_delete=models.PROTECT,
                                    related_name="party_nomination")
    method = models.CharField("候选人产生方式", max_length=30, choices=list(NOMINATION_METHOD_LABELS.items()))
    formal_candidates = models.PositiveSmallIntegerField("拟定委员正式候选人数")
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    reviewed_by_body = models.CharField("审查机关", max_length=60, blank=True)
    review_reference = models.CharField("审查意见文号", max_length=60, blank=True)
    review_note = models.TextField("审查情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "村党组织候选人产生方式"
        verbose_name_plural = "村党组织候选人产生方式"

    def __str__(self):
        return f"{self.election}（{self.get_method_display()}）"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None

    def audit_scope(self):
        return self.election.audit_scope()


class PartyStage(models.Model):
    """One recommendation or confidence stage (推荐、信任投票) of a Party election: its electorate, ballots and
    the votes of each member (``PartyStageVote``). Returned ≤ issued ≤ electorate (收回率 ≤ 100%)."""

    class Stage(models.TextChoices):
        MEMBERS_RECOMMENDATION = party_pipeline.MEMBERS_RECOMMENDATION, "党员推荐"
        VILLAGERS_RECOMMENDATION = party_pipeline.VILLAGERS_RECOMMENDATION, "群众推荐"
        OPEN_RECOMMENDATION = party_pipeline.OPEN_RECOMMENDATION_STAGE, "公开推荐"
        CONFIDENCE_VOTE = party_pipeline.CONFIDENCE_VOTE, "群众信任投票"

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.PROTECT, related_name="party_stages")
    stage = models.CharField("环节", max_length=30, choices=Stage.choices)
    basis = models.CharField("应参加人员", max_length=30, choices=list(party_pipeline.BASIS_LABELS.items()))
    basis_note = models.CharField("人数依据", max_length=200, blank=True)
    electorate = models.PositiveIntegerField("应参加人数")
    held_on = models.DateField("日期")
    ballots_issued = models.PositiveIntegerField("发出票数")
    ballots_returned = models.PositiveIntegerField("收回票数")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "推荐、信任投票环节"
        verbose_name_plural = "推荐、信任投票环节"
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "stage"], name="party_stage_once_per_election",
                                    violation_error_message="本次选举已登记该环节。"),
            models.CheckConstraint(condition=Q(ballots_returned__lte=F("ballots_issued")),
                                   name="party_stage_returned_le_issued",
                                   violation_error_message="收回票数不能多于发出票数。"),
            models.CheckConstraint(condition=Q(ballots_issued__lte=F("electorate")),
                                   name="party_stage_issued_le_electorate",
                                   violation_error_message="发出票数不能多于应参加人数。"),
        ]

    def __str__(self):
        return f"{self.election}{self.get_stage_display()}"

    @property
    def spec(self) -> party_pipeline.StageSpec:
        return party_pipeline.STAGES[self.stage]

    def audit_scope(self):
        return self.election.audit_scope()


class PartyStageVote(models.Model):
    """The votes one full member received in a stage (得推荐票、信任票)."""

    stage = models.ForeignKey(PartyStage, verbose_name="环节", on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Voter, verbose_name="党员", on_delete=models.PROTECT, related_name="party_stage_votes")
    votes = models.PositiveIntegerField("得票")

    class Meta:
        verbose_name = "推荐、信任投票得票"
        verbose_name_plural = "推荐、信任投票得票"
        ordering = ["stage", "-votes", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "member"], name="party_stage_vote_once")]


class PartyReviewDecision(models.Model):
    """The township Party committee's decision on one nominee (乡镇党委审查): passes, or dropped with the reason."""

    election = models.ForeignKey(Election, verbose_name="选举", on_delete=models.PROTECT,
                                 related_name="party_review_decisions")
    member = models.ForeignKey(Voter, verbose_name="党员", on_delete=models.PROTECT, related_name="party_reviews")
    passed = models.BooleanField("审查通过")
    reason = models.CharField("未通过的原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "乡镇党委审查意见"
        verbose_name_plural = "乡镇党委审查意见"
        ordering = ["election", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="party_review_once_per_member"),
            models.CheckConstraint(condition=Q(passed=True) | ~Q(reason=""), name="party_review_dropped_has_reason",
                                   violation_error_message="审查未通过的须写明原因。"),
        ]


class CongressBodyVote(models.Model):
    """The township Party congress's election of its committee (党委委员) or its discipline committee (纪委委员) by the
    delegates present (LAW.md §4.2, §4.5; reference 003: 9 candidates for 7 seats, 4 for 3): the candidates in the
    list's order with their yes votes, the delegates due (应到会) and present with voting rights. The verdicts are
    ``villages.kinds.party_congress_vote.body_election``'s, read again from these facts.

    ``round`` 1 is the body's first vote; a vote that left seats unfilled (too few above half of those present, or a
    tie at the last seat) is followed by 另行选举 rounds 2, 3… for the remaining seats among the not elected, as a
    branch's 党员大会 does; the body's result is those elected across its rounds (``party_congress_vote.body_outcome``)."""

    class Body(models.TextChoices):
        COMMITTEE = "committee", "党委委员"
        DISCIPLINE = "discipline", "纪委委员"

    campaign = models.ForeignKey(Campaign, verbose_name="党代表大会代表选举", on_delete=models.PROTECT,
                                 related_name="congress_body_votes")
    body = models.CharField("选举事项", max_length=20, choices=Body.choices)
    round = models.PositiveSmallIntegerField("轮次", default=1, help_text="1为第一次选举，2起为就缺额另行选举")
    seats = models.PositiveSmallIntegerField("应选名额")
    due = models.PositiveIntegerField("应到会代表")
    present = models.PositiveIntegerField("实到会有选举权的代表")
    candidates = models.JSONField("候选人及赞成票", default=list, help_text="[[姓名, 赞成票], …]，按候选人名单顺序")
    held_on = models.DateField("选举日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "党代表大会选举委员会"
        verbose_name_plural = "党代表大会选举委员会"
        ordering = ["campaign", "body", "round"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "body", "round"], name="congress_body_vote_once_per_round"),
            models.CheckConstraint(condition=Q(round__gte=1), name="congress_body_vote_round_positive",
                                   violation_error_message="轮次至少为1。"),
            models.CheckConstraint(condition=Q(present__lte=F("due")), name="congress_body_vote_present_within_due",
                                   violation_error_message="实到会代表不能多于应到会代表。"),
        ]

    def __str__(self):
        again = f"第{self.round}轮" if self.round > 1 else ""
        return f"{self.campaign}{self.get_body_display()}选举{again}"
