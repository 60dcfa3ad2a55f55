"""A township whose report has known answers, worked out by hand (DOMAIN.md "What reports show").

青山镇, 第12届 (election day 2027-01-16), two villages:

东山村 (certified): 8,000 registered (+5 refused, not counted), 120 away. First ballot: 中心会场 4,000
returned; 第1组投票站 with double entry, the accepted entry 1,500 (the superseded second entry says
1,510 and must not count); 流动票箱 300. Voted 5,800 (72.5%). 3 approved proxies (one pending, one
revoked). Elected (3 seats): chair 陈国华 (M, 1975-06-01 → 51, 党员, 本科, on last term's roster, branch
secretary → 一肩挑), 李秀英 (F, 1991-01-16 → 36 on election day, 高中, branch member → 交叉任职), 王建平
(M, 1991-01-17 → 35, 畲族, 初中); 赵某 elected then declared void (left out).
Last term: the imported roster of term 11 (陈国华, 孙丽 F, 钱军); the term-11 election exists in the system
without elected members, so roster ages are taken on its day (2022-01-15).

西岭村 (not certified): 4,670 registered. A first ballot declared void (2,000 returned, not counted), a
repeated first ballot 3,900 returned, a runoff 3,000 returned (same voters again, not added). Voted 3,900
(83.5%), not valid at the first attempt. Elected: chair 周大海 (M, 1960-03-03 → 66, 预备党员 (not counted),
小学), 吴小平 (M, 1970-01-01 → 57, 党员, education not filled), 郑芳 in the runoff (F, 1985-05-05 → 41, 党员,
大专). Last term from the system (term 11): 周大海 (re-elected), 冯强, 陈刚, and 吴小平 whose election was
declared void (so not last term's member).

Township: 12,670 registered, 9,700 voted → 76.6% (the reference report said 90%).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from reports.models import Roster
from tests.builders import (
    make_campaign,
    make_elected,
    make_id_number,
    make_registered_voters,
    make_roster,
    make_round,
    make_station,
    make_tally,
    make_void_decision,
    make_voter,
)
from villages.models import Election
from voters.models import Proxy

PREVIOUS_DAY = date(2022, 1, 15)


def person_id(born: date, sex: str, serial: int) -> str:
    return make_id_number(birth_date=born, sex=sex, serial=serial, region="330104")


CHEN = person_id(date(1975, 6, 1), "M", 1)
LI = person_id(date(1991, 1, 16), "F", 2)
WANG = person_id(date(1991, 1, 17), "M", 3)
ZHOU = person_id(date(1960, 3, 3), "M", 4)
WU = person_id(date(1970, 1, 1), "M", 5)


@dataclass
class Township:
    election_a: Election
    election_b: Election


def elected_voter(election, name, sex, born, id_number=None, serial=0, **fields):
    return make_voter(election=election, name=name, sex=sex, birth_date=born,
                      id_number=id_number or person_id(born, sex, serial), **fields)


def build(*, township, campaign, village_a, village_b, clerk) -> Township:
    a = campaign.elections.get(village=village_a)
    b = campaign.elections.get(village=village_b)
    previous = make_campaign(township=township, by=clerk, term_number=11, day=PREVIOUS_DAY)
    _village_a(a, clerk)
    _village_b(b, clerk, previous.elections.get(village=village_b))
    make_roster(village=village_a, kind=Roster.Kind.VILLAGE_COMMITTEE, term_number=11, by=clerk, members=[
        ("陈国华", CHEN, "M", date(1975, 6, 1), "chair"),
        ("孙丽", person_id(date(1980, 2, 2), "F", 6), "F", date(1980, 2, 2), "member"),
        ("钱军", person_id(date(1965, 7, 7), "M", 7), "M", date(1965, 7, 7), "member"),
    ])
    make_roster(village=village_a, kind=Roster.Kind.PARTY_BRANCH, term_number=5, by=clerk, members=[
        ("陈国华", CHEN, "M", date(1975, 6, 1), "secretary"),
        ("李秀英", LI, "F", date(1991, 1, 16), "member"),
    ])
    # An older branch term: only the latest imported term counts, so 王建平 is not cross-appointed.
    make_roster(village=village_a, kind=Roster.Kind.PARTY_BRANCH, term_number=4, by=clerk, members=[
        ("王建平", WANG, "M", date(1991, 1, 17), "member"),
    ])
    Election.objects.filter(pk=a.pk).update(certified_at=datetime(2027, 1, 20, 2, 0, tzinfo=UTC), certified_by=clerk)
    a.refresh_from_db()
    return Township(a, b)


def _village_a(a, clerk):
    make_registered_voters(election=a, count=8000 - 5 - 4, away=120)  # + 5 proxy voters and 4 elected below
    make_registered_voters(election=a, count=5, start=8000, status="not_registered", not_registered_reason="死亡")
    central = make_station(election=a, name="中心会场", kind="central")
    station = make_station(election=a, name="第1组投票站", kind="station")
    mobile = make_station(election=a, name="流动票箱", kind="mobile")
    first = make_round(election=a, by=clerk)
    make_tally(round=first, station=central, by=clerk, issued=4100, returned=4000, invalid=50)
    make_tally(round=first, station=station, by=clerk, returned=1500, status="confirmed", entry_number=1)
    make_tally(round=first, station=station, by=clerk, returned=1510, status="superseded", entry_number=2)
    make_tally(round=first, station=mobile, by=clerk, issued=320, returned=300)
    chen = elected_voter(a, "陈国华", "M", date(1975, 6, 1), CHEN, political_status="01", education="21")
    li = elected_voter(a, "李秀英", "F", date(1991, 1, 16), LI, education="61")
    wang = elected_voter(a, "王建平", "M", date(1991, 1, 17), WANG, ethnicity="22", education="71")
    zhao = elected_voter(a, "赵某", "M", date(1980, 8, 8), serial=8, political_status="01")
    make_elected(election=a, round=first, voter=chen, post="chair")
    make_elected(election=a, round=first, voter=li)
    make_elected(election=a, round=first, voter=wang)
    make_elected(election=a, round=first, voter=zhao, void_decision=make_void_decision(election=a, by=clerk, person=zhao))
    principals = make_registered_voters(election=a, count=5, start=9000)
    holder = principals[0]
    for principal, status in zip(principals[1:], ("approved", "approved", "approved", "pending"), strict=True):
        Proxy.objects.create(election=a, principal=principal, holder=holder, relation="配偶",
                             authorized_on=date(2027, 1, 5), status=status)
    Proxy.objects.create(election=a, principal=holder, holder=principals[1], relation="配偶",
                         authorized_on=date(2027, 1, 5), status="revoked")


def _village_b(b, clerk, previous_b):
    make_registered_voters(election=b, count=4670 - 3, start=20000)  # + the three elected below
    central = make_station(election=b, name="中心会场", kind="central")
    void_first = make_round(election=b, by=clerk, status="void")
    make_tally(round=void_first, station=central, by=clerk, returned=2000)
    first = make_round(election=b, by=clerk, number=2)
    make_tally(round=first, station=central, by=clerk, returned=3900)
    runoff = make_round(election=b, by=clerk, kind="runoff", number=3, parent=first, seats={"member": 1})
    make_tally(round=runoff, station=central, by=clerk, returned=3000)
    zhou = elected_voter(b, "周大海", "M", date(1960, 3, 3), ZHOU, political_status="02", education="81")
    wu = elected_voter(b, "吴小平", "M", date(1970, 1, 1), WU, political_status="01")
    zheng = elected_voter(b, "郑芳", "F", date(1985, 5, 5), serial=9, political_status="01", education="31")
    make_elected(election=b, round=first, voter=zhou, post="chair")
    make_elected(election=b, round=first, voter=wu)
    make_elected(election=b, round=runoff, voter=zheng)
    # Last term in the system.
    old_round = make_round(election=previous_b, by=clerk, held_on=PREVIOUS_DAY)
    for name, sex, born, id_number, post, status in (
        ("周大海", "M", date(1960, 3, 3), ZHOU, "chair", "01"),
        ("冯强", "M", date(1958, 4, 4), person_id(date(1958, 4, 4), "M", 10), "member", "01"),
        ("陈刚", "M", date(1972, 9, 9), person_id(date(1972, 9, 9), "M", 11), "member", "13"),
    ):
        make_elected(election=previous_b, round=old_round, post=post,
                     voter=elected_voter(previous_b, name, sex, born, id_number, political_status=status))
    wu_before = elected_voter(previous_b, "吴小平", "M", date(1970, 1, 1), WU)
    make_elected(election=previous_b, round=old_round, voter=wu_before,
                 void_decision=make_void_decision(election=previous_b, by=clerk, person=wu_before, on=PREVIOUS_DAY))
