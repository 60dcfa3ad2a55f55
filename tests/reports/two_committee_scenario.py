"""A township's 两委 round whose figures are worked out by hand (reference 000 篇3 in small: "党总支…职数全部
选举到位，连选连任…占85%").

春和镇, four villages 甲村 乙村 丙村 丁村. Branch round 第8届 on 2026-11-20, committee round 第12届 on 2027-01-16;
everyone is born on 1 June, so their age is the same on both days (2026 − year).

Branch committees, 5 seats each (甲村 书记 1 + 副书记 2 + 委员 2, the others 1 + 1 + 3): 20 seats, 20 elected
(书记 4, 副书记 5, 委员 11). Last term: 甲村 and 乙村 from the branch round 第7届 in the system, 丙村 and 丁村 from
their imported branch rosters of term 7. Re-elected 17 of 20 = 85.0% (书记 4/4, 副书记 4/5, 委员 9/11), new 3 =
15.0%. Women 6 = 30.0%; women deputy secretaries 2 of 5 = 40.0%; minorities (畲族) 2 = 10.0%. Ages ≤35: 4,
36–45: 6, 46–55: 6, ≥56: 4; average 901/20 = 45.05 → 45.1. Education 初中及以下 9, 高中/中专 6, 大专及以上 5.

Village committees, 3 seats each (主任 1, 委员 2): 12 seats, 11 elected (丁村 one 委员 seat left empty: 7 of 8
委员). Last term (imported rosters of term 11) for 甲 乙 丙 only: re-elected 6 of 9 = 66.7% (主任 3/3, 委员 3/6),
new 3 = 33.3%. Women 4 of 11 = 36.4%, minorities 2 = 18.2%, 中共党员 9 = 81.8%; ages ≤35: 2, 36–45: 5, 46–55: 4;
average 479/11 → 43.5.

两委: 8 of the 11 committee members are on their branch committee (72.7%); the chair is the branch secretary in
甲 乙 丙 (一肩挑 3 of 4 villages, 75.0%); 丁村's chair 丁主任 is not on the branch. People: 20 + 11 − 8 = 23, women 7
(30.4%), minorities 2 (8.7%), average age 1027/23 → 44.7.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reports.models import Roster
from tests.builders import (
    make_campaign,
    make_elected,
    make_id_number,
    make_party_campaign,
    make_roster,
    make_round,
    make_township,
    make_village,
    make_voter,
)
from villages.models import Election

BRANCH_DAY = date(2026, 11, 20)
COMMITTEE_DAY = date(2027, 1, 16)
LAST_BRANCH_DAY = date(2021, 11, 20)

# key: (name, sex, age, ethnicity, education, political status)
PEOPLE = {
    "A1": ("甲书记", "M", 55, "01", "61", "01"), "A2": ("甲副书记", "F", 40, "01", "31", "01"),
    "A3": ("甲新副书记", "M", 30, "01", "71", "01"), "A4": ("甲委员", "F", 45, "22", "61", "01"),
    "A5": ("甲老委员", "M", 60, "01", "71", "01"), "Aa": ("甲村委", "M", 42, "01", "61", "13"),
    "B1": ("乙书记", "M", 50, "01", "31", "01"), "B2": ("乙副书记", "F", 38, "01", "61", "01"),
    "B3": ("乙委员", "M", 47, "01", "71", "01"), "B4": ("乙新委员", "F", 33, "22", "31", "01"),
    "B5": ("乙老委员", "M", 57, "01", "71", "01"),
    "C1": ("丙书记", "M", 52, "01", "61", "01"), "C2": ("丙副书记", "M", 44, "01", "71", "01"),
    "C3": ("丙委员", "M", 36, "01", "71", "01"), "C4": ("丙新委员", "F", 29, "01", "31", "01"),
    "C5": ("丙老委员", "M", 58, "01", "81", "01"), "Ca": ("丙村委", "F", 39, "01", "31", "13"),
    "D1": ("丁书记", "M", 49, "01", "61", "01"), "D2": ("丁副书记", "M", 41, "01", "61", "01"),
    "D3": ("丁委员", "F", 35, "01", "31", "01"), "D4": ("丁委员二", "M", 46, "01", "71", "01"),
    "D5": ("丁老委员", "M", 56, "01", "71", "01"), "Da": ("丁主任", "M", 45, "01", "61", "01"),
    # last term only
    "Ax": ("甲离任", "M", 66, "01", "71", "01"), "Bx": ("乙离任", "M", 63, "01", "71", "01"),
    "Cx": ("丙离任", "F", 61, "01", "71", "01"),
}
SERIALS = {key: i for i, key in enumerate(PEOPLE, start=100)}

BRANCH = {
    "甲村": [("A1", "secretary"), ("A2", "deputy_secretary"), ("A3", "deputy_secretary"), ("A4", "member"),
            ("A5", "member")],
    "乙村": [("B1", "secretary"), ("B2", "deputy_secretary"), ("B3", "member"), ("B4", "member"), ("B5", "member")],
    "丙村": [("C1", "secretary"), ("C2", "deputy_secretary"), ("C3", "member"), ("C4", "member"), ("C5", "member")],
    "丁村": [("D1", "secretary"), ("D2", "deputy_secretary"), ("D3", "member"), ("D4", "member"), ("D5", "member")],
}
COMMITTEE = {
    "甲村": [("A1", "chair"), ("A4", "member"), ("Aa", "member")],
    "乙村": [("B1", "chair"), ("B3", "member"), ("B4", "woman_member")],
    "丙村": [("C1", "chair"), ("C3", "member"), ("Ca", "member")],
    "丁村": [("Da", "chair"), ("D3", "member")],
}
LAST_BRANCH = {  # 甲 乙: elected in the system; 丙 丁: roster
    "甲村": ["A1", "A2", "A4", "A5", "Ax"], "乙村": ["B1", "B2", "B3", "B5", "Bx"],
    "丙村": ["C1", "C2", "C3", "C5", "Cx"], "丁村": ["D1", "D2", "D3", "D4", "D5"],
}
LAST_COMMITTEE = {"甲村": ["A1", "A4", "Ax"], "乙村": ["B1", "B3", "Bx"], "丙村": ["C1", "Ca", "Cx"]}


def born(key: str) -> date:
    return date(2026 - PEOPLE[key][2], 6, 1)


def id_of(key: str) -> str:
    return make_id_number(birth_date=born(key), sex=PEOPLE[key][1], serial=SERIALS[key], region="330105")


@dataclass
class World:
    township: object
    villages: dict
    branch: dict  # village name → branch Election
    committee: dict


def _elect(election, by, members):
    first = make_round(election=election, by=by, held_on=election.election_day)
    for key, post in members:
        name, sex, _age, ethnicity, education, status = PEOPLE[key]
        voter = make_voter(election=election, name=name, sex=sex, birth_date=born(key), id_number=id_of(key),
                           ethnicity=ethnicity, education=education, political_status=status)
        make_elected(election=election, round=first, voter=voter, post=post)


def _roster_row(key: str, post: str) -> dict:
    name, sex, _age, ethnicity, education, status = PEOPLE[key]
    return {"name": name, "id_number": id_of(key), "sex": sex, "birth_date": born(key), "ethnicity": ethnicity,
            "education": education, "political_status": status, "post": post}


def build(*, clerk, township=None) -> World:
    township = township or make_township(name="春和镇", code="330199102")
    villages = {name: make_village(township=township, name=name) for name in BRANCH}
    committee_round = make_campaign(township=township, by=clerk, day=COMMITTEE_DAY)
    branch_round = make_party_campaign(township=township, by=clerk, day=BRANCH_DAY)
    last_branch = make_party_campaign(township=township, by=clerk, term_number=7, day=LAST_BRANCH_DAY)
    branch = {n: branch_round.elections.get(village=v) for n, v in villages.items()}
    committee = {n: committee_round.elections.get(village=v) for n, v in villages.items()}
    for name, election in branch.items():
        deputies = 2 if name == "甲村" else 1
        Election.objects.filter(pk=election.pk).update(seats_vice_chair=deputies, seats_member=4 - deputies)
        election.refresh_from_db()
        _elect(election, clerk, BRANCH[name])
    for name, election in committee.items():
        Election.objects.filter(pk=election.pk).update(seats_vice_chair=0, seats_member=2)
        election.refresh_from_db()
        _elect(election, clerk, COMMITTEE[name])
    for name in ("甲村", "乙村"):
        _elect(last_branch.elections.get(village=villages[name]), clerk,
               [(key, "secretary" if i == 0 else "member") for i, key in enumerate(LAST_BRANCH[name])])
    for name in ("丙村", "丁村"):
        make_roster(village=villages[name], kind=Roster.Kind.PARTY_BRANCH, term_number=7, by=clerk,
                    members=[_roster_row(key, "secretary" if i == 0 else "member")
                             for i, key in enumerate(LAST_BRANCH[name])])
    for name, keys in LAST_COMMITTEE.items():
        make_roster(village=villages[name], kind=Roster.Kind.VILLAGE_COMMITTEE, term_number=11, by=clerk,
                    members=[_roster_row(key, "chair" if i == 0 else "member") for i, key in enumerate(keys)])
    return World(township, villages, branch, committee)
