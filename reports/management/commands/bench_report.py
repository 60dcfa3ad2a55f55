"""Benchmark of the county report (not a timed test): a throwaway county of 300 villages and 300,000
voters with counted first ballots, elected committees, last term's rosters and Party branch rosters,
generated with a fixed seed through ``bulk_create``; then the time and queries of ``build_report``,
the page, the workbook and the PDF. The data is deleted afterwards unless ``--keep``.

Run it against a throwaway database, e.g.
``DATABASE_URL=sqlite:////tmp/bench.sqlite3 python manage.py migrate && … bench_report``.
"""

from __future__ import annotations

import io
import random
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ballots.models import ElectedMember, PollingStation, Round, Tally
from reports.documents import render_report, report_context
from reports.models import ReportExport, Roster, RosterMember
from reports.queries import build_report
from reports.scopes import get_scope
from villages.models import (
    Campaign,
    County,
    Election,
    Role,
    RulePreset,
    Township,
    User,
    Village,
    VillagerGroup,
)
from voters.idnumber import check_character
from voters.models import Proxy, Voter

COUNTY_CODE = "339999"  # not a real division code: throwaway
ELECTION_DAY = date(2027, 1, 16)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉梅海波宁"
VILLAGE_WORDS = "东西南北上下前后新老大小金银山水河湖塘岭坑桥湾庄店集坝林竹梅桃李杏"
POSTS = ("chair", "vice_chair", "member", "member", "member")


class Command(BaseCommand):
    help = "报表性能测试：生成一个县（默认300个村、30万选民），统计生成报表、页面、Excel、PDF 的耗时和查询次数。"

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=300)
        parser.add_argument("--voters", type=int, default=300_000)
        parser.add_argument("--townships", type=int, default=0, help="默认每20个村一个乡镇")
        parser.add_argument("--seed", type=int, default=20270116)
        parser.add_argument("--keep", action="store_true", help="保留生成的数据（用于查看页面）")

    def handle(self, *args, villages, voters, townships, seed, keep, **options):
        townships = townships or max(1, (villages + 19) // 20)
        self._delete()
        started = time.perf_counter()
        county, user = self._generate(villages=villages, voters=voters, townships=townships, rng=random.Random(seed))
        self.stdout.write(f"生成数据：{townships}个乡镇、{villages}个村、{voters}名选民，用时 {time.perf_counter() - started:.1f} 秒")
        try:
            self._measure(county, user)
        finally:
            if not keep:
                self._delete()

    # --- measuring -------------------------------------------------------------------------------

    def _measure(self, county: County, user: User) -> None:
        scope = get_scope("county", county.code)
        reset_queries()  # the generation filled the query log past its limit
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            figures = build_report(scope, now=timezone.now())
            t_build = time.perf_counter() - t0
        self._line("build_report", t_build, len(queries))
        t0 = time.perf_counter()
        context = report_context(figures)
        self._line("图表（matplotlib SVG）", time.perf_counter() - t0, 0)
        client = Client()
        client.force_login(user)
        url = reverse("reports:report", kwargs={"kind": "county", "code": county.code})
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url, HTTP_HOST=(settings.ALLOWED_HOSTS or ["127.0.0.1"])[0].lstrip("."))
            t_page = time.perf_counter() - t0
        assert response.status_code == 200, response.status_code
        self._line(f"页面（完整请求，{len(response.content) // 1024} KB）", t_page, len(queries))
        t0 = time.perf_counter()
        xlsx = render_report(figures, "xlsx")
        self._line(f"Excel（{len(xlsx) // 1024} KB）", time.perf_counter() - t0, 0)
        from reports.documents import report_pdf

        t0 = time.perf_counter()
        pdf = report_pdf(figures, context=context)
        t_pdf = time.perf_counter() - t0
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        self._line(f"PDF（{len(pdf) // 1024} KB，{pages}页）", t_pdf, 0)
        t = figures.turnout
        self.stdout.write(
            f"核对：{t.villages}个村，登记选民{t.registered}人，参加投票{t.voted}人，参选率{t.turnout}；"
            f"当选{figures.composition.total}人，女性{figures.composition.women}，连选连任{figures.composition.re_elected}"
        )

    def _line(self, label: str, seconds: float, queries: int) -> None:
        self.stdout.write(f"  {label:<28} {seconds * 1000:9.0f} ms   {queries:3d} 次查询")

    # --- generating ------------------------------------------------------------------------------

    @transaction.atomic
    def _generate(self, *, villages: int, voters: int, townships: int, rng: random.Random):
        preset = RulePreset.objects.get(code="VCOL_2018_NATIONAL")
        county = County.objects.create(code=COUNTY_CODE, name="测试县（性能）")
        towns = Township.objects.bulk_create(
            Township(county=county, code=f"{COUNTY_CODE}{100 + i:03d}", name=f"测试{i + 1}镇") for i in range(townships)
        )
        user = User.objects.create_user(username="bench_county_supervisor", password=None, role=Role.SUPERVISOR,
                                        county=county, display_name="性能测试督导")
        by = user
        village_rows = []
        for i in range(villages):
            town = towns[i % townships]
            name = rng.choice(VILLAGE_WORDS) + rng.choice(VILLAGE_WORDS) + f"{i + 1}村"
            village_rows.append(Village(township=town, name=name, code=f"{town.code}{200 + i // townships:03d}"))
        village_list = Village.objects.bulk_create(village_rows)
        groups = VillagerGroup.objects.bulk_create(VillagerGroup(village=v, number=1, name="第1组") for v in village_list)
        group_of = {g.village_id: g for g in groups}
        rules = preset.rules.to_dict()
        campaigns = {}
        for term in (11, 12):
            made = Campaign.objects.bulk_create(
                Campaign(county_id=t.county_id, township=t, term_number=term, preset=preset, rule_params=rules,
                         default_election_day=ELECTION_DAY if term == 12 else date(2022, 1, 15))
                for t in towns
            )
            campaigns[term] = {c.township_id: c for c in made}
        elections = Election.objects.bulk_create(
            Election(campaign=campaigns[12][v.township_id], village=v, election_day=ELECTION_DAY, seats_chair=1,
                     seats_vice_chair=1, seats_member=3, certified_at=timezone.now() if rng.random() < 0.7 else None)
            for v in village_list
        )
        per_village = voters // villages
        voter_rows, seen = [], set()
        for n, election in enumerate(elections):
            for k in range(per_village):
                sex = "M" if rng.random() < 0.51 else "F"
                birth = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 365 * 78))
                number = _id_number(n, k, birth, sex)
                while number in seen:  # the same birth date and sequence drawn twice in one village
                    birth += timedelta(days=1)
                    number = _id_number(n, k, birth, sex)
                seen.add(number)
                voter_rows.append(Voter(
                    campaign_id=election.campaign_id, election=election, group=group_of[election.village_id],
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), sex=sex, birth_date=birth,
                    id_number=number, category="HUJI_RESIDENT", away=rng.random() < 0.08,
                    ethnicity="01" if rng.random() < 0.95 else "22",
                    education=rng.choice(["71", "61", "41", "31", "21", "81"]),
                    political_status="01" if rng.random() < 0.2 else "13",
                ))
        created = Voter.objects.bulk_create(voter_rows, batch_size=5000)
        by_election: dict[int, list[Voter]] = {}
        for v in created:
            by_election.setdefault(v.election_id, []).append(v)
        stations = PollingStation.objects.bulk_create(
            PollingStation(election=e, kind=kind, name=name, order=order)
            for e in elections for order, (kind, name) in enumerate((("central", "中心会场"), ("mobile", "流动票箱")), 1)
        )
        station_of = {(s.election_id, s.kind): s for s in stations}
        rounds = Round.objects.bulk_create(
            Round(election=e, kind="first", number=1, held_on=ELECTION_DAY, status="announced",
                  seats={"chair": 1, "vice_chair": 1, "member": 3}, opened_by=by)
            for e in elections
        )
        Round.stations.through.objects.bulk_create(
            Round.stations.through(round_id=r.pk, pollingstation_id=station_of[(r.election_id, kind)].pk)
            for r in rounds for kind in ("central", "mobile")
        )
        tallies, members, proxies, rosters = [], [], [], []
        for r in rounds:
            people = by_election[r.election_id]
            voted = int(len(people) * rng.uniform(0.75, 0.98))
            mobile = rng.randrange(5, 40)
            for kind, returned in (("central", voted - mobile), ("mobile", mobile)):
                tallies.append(Tally(round=r, station=station_of[(r.election_id, kind)], entered_by=by,
                                     status="confirmed", issued=returned + 3, returned=returned, valid=returned - 2, invalid=2))
            chosen = rng.sample(people, 5)
            for voter, post in zip(chosen, POSTS, strict=True):
                members.append(ElectedMember(election_id=r.election_id, voter=voter, post=post, votes=voted // 2 + 1,
                                             round=r, elected_on=ELECTION_DAY, announced_on=ELECTION_DAY))
            for principal, holder in zip(people[10:20], people[20:30], strict=True):
                if rng.random() < 0.7:
                    proxies.append(Proxy(election_id=r.election_id, principal=principal, holder=holder, relation="配偶",
                                         authorized_on=ELECTION_DAY - timedelta(days=10), status="approved"))
            rosters.append((r.election_id, chosen))
        Tally.objects.bulk_create(tallies, batch_size=2000)
        ElectedMember.objects.bulk_create(members, batch_size=2000)
        Proxy.objects.bulk_create(proxies, batch_size=2000)
        village_of = {e.pk: e.village_id for e in elections}
        roster_rows, roster_members = [], []
        for election_id, chosen in rosters:
            village_id = village_of[election_id]
            roster_rows.append(Roster(village_id=village_id, kind="village_committee", term_number=11, imported_by=by))
            roster_rows.append(Roster(village_id=village_id, kind="party_branch", term_number=8, imported_by=by))
        made = Roster.objects.bulk_create(roster_rows)
        for (election_id, chosen), committee, branch in zip(rosters, made[0::2], made[1::2], strict=True):
            kept = [v for v in chosen if rng.random() < 0.6]  # re-elected
            old = kept + [None] * (5 - len(kept))
            for i, voter in enumerate(old):
                if voter is None:
                    birth = date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
                    number, sex = _id_number(90000 + election_id, i, birth, "M"), "M"
                else:
                    number, sex, birth = voter.id_number, voter.sex, voter.birth_date
                roster_members.append(RosterMember(roster=committee, name="上届成员", id_number=number, sex=sex,
                                                   birth_date=birth, post=POSTS[i]))
            chair = chosen[0]
            secretary_is_chair = rng.random() < 0.5
            roster_members.append(RosterMember(
                roster=branch, name="书记", sex=chair.sex, birth_date=chair.birth_date, post="secretary",
                id_number=chair.id_number if secretary_is_chair else _id_number(80000 + election_id, 0, chair.birth_date, chair.sex),
            ))
            roster_members.append(RosterMember(roster=branch, name="委员", id_number=chosen[2].id_number, sex=chosen[2].sex,
                                               birth_date=chosen[2].birth_date, post="member"))
        RosterMember.objects.bulk_create(roster_members, batch_size=2000)
        return county, user

    # --- cleaning up -----------------------------------------------------------------------------

    @transaction.atomic
    def _delete(self) -> None:
        county = County.objects.filter(code=COUNTY_CODE).first()
        if county is None:
            return
        elections = Election.objects.filter(village__township__county=county)
        ReportExport.objects.filter(county=county).delete()
        ElectedMember.objects.filter(election__in=elections).delete()
        Tally.objects.filter(round__election__in=elections).delete()
        Round.stations.through.objects.filter(round__election__in=elections).delete()
        Round.objects.filter(election__in=elections).delete()
        PollingStation.objects.filter(election__in=elections).delete()
        Proxy.objects.filter(election__in=elections).delete()
        Voter.objects.filter(election__in=elections).delete()
        RosterMember.objects.filter(roster__village__township__county=county).delete()
        Roster.objects.filter(village__township__county=county).delete()
        elections.delete()
        Campaign.objects.filter(township__county=county).delete()
        VillagerGroup.objects.filter(village__township__county=county).delete()
        Village.objects.filter(township__county=county).delete()
        User.objects.filter(username="bench_county_supervisor").delete()
        Township.objects.filter(county=county).delete()
        county.delete()


def _id_number(village: int, index: int, birth: date, sex: str) -> str:
    """A well-formed, distinct ID number: the region part encodes the village, the sequence the index."""
    region = f"{330000 + village % 9999:06d}"
    sequence = (index % 499) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
