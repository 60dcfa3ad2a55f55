"""The township the load test works on, built through the real services next to the demo's 青山镇:
白云镇 of 清河县 with ``--villages`` villages of ``--voters`` registered voters each, in three states.

- 选民登记 (list not yet published): the liaison officers browse and import here;
- 投票选举 with the first round open at four stations, two of them counted: the clerks enter tallies;
- counted and announced: every station confirmed and the committee elected, for the reports.

Voters are written with ``bulk_create`` (as ``bench_report`` does); every act around them goes through
its service. Also creates the users of each role (all with the demo password) and, for each liaison
officer, small voter workbooks filled into the village's own import template, checked here with the
import's own validator. Writes ``manifest.json`` for the virtual users.

Run by ``loadtest.run`` after ``migrate`` and ``load_demo``: ``python -m loadtest.seed --out DIR``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
from datetime import date, timedelta
from pathlib import Path

from loadtest.tally import tally_numbers

# The township's calendar, moved back as a whole when the election day would still be ahead: the clerks
# type tallies in with today's date, and a tally cannot be entered before its voting day (villages.dates).
_SHIFT = min(timedelta(0), date.today() - timedelta(days=1) - date(2027, 1, 16))
ELECTION_DAY = date(2027, 1, 16) + _SHIFT
COMMITTEE_ON, REGISTRATION_ON = date(2026, 11, 1) + _SHIFT, date(2026, 11, 2) + _SHIFT
LIST_PUBLISHED_ON, NOMINATION_ON = date(2026, 12, 20) + _SHIFT, date(2026, 12, 26) + _SHIFT
CANDIDATES_ON, CANDIDATE_LIST_ON = date(2026, 12, 28) + _SHIFT, date(2026, 12, 31) + _SHIFT
TOWNSHIP_NAME, TOWNSHIP_CODE = "白云镇", "330199102"
GROUPS = 6
WORKBOOK_ROWS = 15
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅海波宁春云飞鹏燕"
VILLAGE_WORDS = "东西南北上下前后新老金银山水河湖塘岭坑桥湾庄店林竹梅桃李杏"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="负载测试数据：白云镇及各角色账号")
    parser.add_argument("--out", required=True, help="manifest.json 和选民工作簿写到这里")
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--voters", type=int, default=1500, help="每村登记选民人数")
    parser.add_argument("--liaisons", type=int, default=25)
    parser.add_argument("--clerks", type=int, default=15)
    parser.add_argument("--supervisors", type=int, default=8)
    parser.add_argument("--county-supervisors", type=int, default=2)
    parser.add_argument("--workbooks", type=int, default=4, help="每名联络员预先生成的工作簿数")
    parser.add_argument("--seed", type=int, default=20270116)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "election_site.settings")
    import django

    django.setup()
    out = Path(args.out)
    (out / "workbooks").mkdir(parents=True, exist_ok=True)
    manifest = seed(args, out, random.Random(args.seed))
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"负载测试数据：{TOWNSHIP_NAME}{args.villages}个村、每村{args.voters}名选民；"
          f"联络员{args.liaisons}、工作人员{args.clerks}、督导{args.supervisors}+{args.county_supervisors}（全县）")


def seed(args, out: Path, rng: random.Random) -> dict:
    from django.contrib.auth.hashers import make_password

    from villages import services
    from villages.demo import DEMO_PASSWORD
    from villages.models import County, Role, RulePreset, Township, User

    admin = User.objects.get(username="admin")  # from load_demo
    county = County.objects.get(code="330199")
    township = services.save_township(by=admin, township=Township(county=county, name=TOWNSHIP_NAME, code=TOWNSHIP_CODE))
    _villages(township, admin, args.villages, rng)  # before the campaign, which gives each an election
    password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose

    def user(username: str, role: str, **scope) -> User:
        villages_of = scope.pop("villages", [])
        made = User(username=username, display_name=_name(rng), role=role, password=password, **scope)
        return services.save_user(by=admin, user=made, villages=villages_of)

    clerk = user("load_clerk_000", Role.CLERK, township=township)  # sets everything up
    campaign = services.open_campaign(by=clerk, township=township, term_number=12,
                                      preset=RulePreset.objects.get(code="VCOL_2018_NATIONAL"),
                                      default_election_day=ELECTION_DAY)
    elections = list(campaign.elections.with_places().order_by("village__code"))
    counted_n = max(1, len(elections) // 5)
    voting_n = max(1, len(elections) * 3 // 10)
    registration = elections[: len(elections) - counted_n - voting_n]
    voting = elections[len(registration): len(elections) - counted_n]
    counted = elections[len(elections) - counted_n:]
    people = _People(rng)
    rounds = []
    for number, election in enumerate(elections, start=1):
        _to_registration(election, clerk, rng)
        _register_voters(election, args.voters, people, region=f"33{number:04d}")
    for election in voting + counted:
        rounds.append(_open_first_round(election, clerk, rng, count=4 if election in counted else 2))
    for election in counted:
        from ballots.services.announcement import announce_results

        announce_results(by=clerk, election=election, on=ELECTION_DAY, today=ELECTION_DAY)

    liaisons = []
    for i in range(1, args.liaisons + 1):
        election = registration[(i - 1) % len(registration)]
        liaison = user(f"load_liaison_{i:03d}", Role.LIAISON, township=township, villages=[election.village])
        files = _workbooks(election, out / "workbooks", liaison.username, args.workbooks, people, region=f"34{i:04d}")
        liaisons.append({"username": liaison.username, "village": election.village_id, "election": election.pk,
                         "workbooks": [str(p) for p in files], "search": _search_terms(election, rng)})
    clerks = [{"username": clerk.username}] + [
        {"username": user(f"load_clerk_{i:03d}", Role.CLERK, township=township).username}
        for i in range(1, args.clerks)
    ]
    supervisors = [{"username": user(f"load_supervisor_{i:03d}", Role.SUPERVISOR, township=township).username}
                   for i in range(1, args.supervisors + 1)]
    county_supervisors = [{"username": user(f"load_county_supervisor_{i:03d}", Role.SUPERVISOR, county=county).username}
                          for i in range(1, args.county_supervisors + 1)]
    return {
        "password": DEMO_PASSWORD,
        "county": county.code,
        "township": township.code,
        "villages": [{"pk": e.village_id, "code": e.village.code, "name": e.village.name, "election": e.pk,
                      "state": "registration" if e in registration else "voting" if e in voting else "counted"}
                     for e in elections],
        "open_rounds": [r for r in rounds if r["election"] in {e.pk for e in voting}],
        "liaisons": liaisons,
        "clerks": clerks,
        "supervisors": supervisors,
        "county_supervisors": county_supervisors,
    }


# ---------------------------------------------------------------- places and the election's first steps


def _villages(township, admin, count: int, rng: random.Random) -> list:
    from villages import services
    from villages.models import Village, VillagerGroup

    villages, names = [], set()
    for i in range(1, count + 1):
        name = ""
        while not name or name in names:
            name = rng.choice(VILLAGE_WORDS) + rng.choice(VILLAGE_WORDS) + "村"
        names.add(name)
        village = services.save_village(by=admin, village=Village(
            township=township, name=name, code=f"{township.code}{200 + i:03d}", population=rng.randint(1800, 2600),
            households=rng.randint(500, 800), natural_villages=rng.randint(1, 5)))
        for number in range(1, GROUPS + 1):
            services.save_villager_group(by=admin, group=VillagerGroup(village=village, number=number,
                                                                       name=f"第{number}组"))
        villages.append(village)
    return villages


def _to_registration(election, clerk, rng: random.Random) -> None:
    """The setup acts of ``tests.builders.open_nomination``: committee chosen, then 选民登记."""
    from villages import services
    from villages.models import CommitteeMember, Election

    election.committee_chosen_by = Election.ChosenBy.VILLAGERS_MEETING
    election.committee_chosen_on = COMMITTEE_ON
    services.update_election_setup(by=clerk, election=election, expected_version=election.version)
    size = election.rules.election_committee_size_min
    size += 0 if size % 2 else 1
    for order in range(1, size + 1):
        services.save_committee_member(by=clerk, member=CommitteeMember(
            election=election, name=_name(rng), sex="M" if order % 2 else "F",
            position="chair" if order == 1 else "member", selection_order=order))
    services.advance_stage(by=clerk, election=election, target="registration", on=None, today=REGISTRATION_ON)


class _People:
    """Distinct adults with well-formed ID numbers; ``region`` keeps each village's numbers apart."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[str] = set()

    def person(self, region: str) -> dict:
        from voters.idnumber import check_character

        while True:
            birth = date(1940, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 63))  # 18+ on election day
            sequence = self.rng.randrange(1000)
            first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
            if first17 not in self.seen:
                self.seen.add(first17)
                break
        return {"name": _name(self.rng), "sex": "M" if sequence % 2 else "F", "birth_date": birth,
                "id_number": first17 + check_character(first17)}


def _register_voters(election, count: int, people: _People, *, region: str) -> None:
    from voters.models import Voter

    rng = people.rng
    groups = list(election.village.groups.order_by("number"))
    Voter.objects.bulk_create(
        (Voter(campaign_id=election.campaign_id, election=election, group=groups[i % len(groups)],
               category="HUJI_RESIDENT", away=rng.random() < 0.08, ethnicity="01" if rng.random() < 0.95 else "22",
               education=rng.choice(["71", "61", "41", "31", "21"]),
               political_status="01" if rng.random() < 0.15 else "13",
               address=f"{election.village.name}{rng.randrange(1, 600)}号", phone=f"13{rng.randrange(10**9):09d}",
               **people.person(region))
         for i in range(count)),
        batch_size=2000,
    )
    # Registered during the registration period, not at the moment the seed runs (the calendar above).
    from datetime import datetime, time

    from django.utils import timezone

    registered_at = timezone.make_aware(datetime.combine(REGISTRATION_ON, time(9)))
    Voter.objects.filter(election=election).update(created_at=registered_at)


def _search_terms(election, rng: random.Random) -> list[str]:
    """What a liaison officer types into the search box: surnames, a full name, an ID number's start."""
    from voters.models import Voter

    sample = list(Voter.objects.filter(election=election).values_list("name", "id_number")[:50])
    names = [n for n, _ in sample]
    return [rng.choice(SURNAMES) for _ in range(3)] + rng.sample(names, 3) + [sample[0][1][:10]]


# ---------------------------------------------------------------- counting


def _open_first_round(election, clerk, rng: random.Random, *, count: int) -> dict:
    """Publish the list, put the formal candidates on it, open the first round at four stations and
    count the first ``count`` of them (confirmed)."""
    from ballots.models import PollingStation
    from ballots.queries import election_seats
    from ballots.services.rounds import open_round
    from ballots.services.tallies import record_tally
    from ballots.sheets import PostValues, TallyValues
    from candidates.models import Candidate
    from villages import services
    from villages.models import Election
    from voters.models import Voter
    from voters.services.register import publish_voter_list

    publish_voter_list(by=clerk, election=election, published_on=LIST_PUBLISHED_ON, today=LIST_PUBLISHED_ON)
    for target in ("appeals_closed", "nomination"):
        services.advance_stage(by=clerk, election=election, target=target, on=None, today=NOMINATION_ON)
    men = list(Voter.objects.filter(election=election, sex="M").order_by("?")[:10])
    women = list(Voter.objects.filter(election=election, sex="F").order_by("?")[:10])
    posts = {}
    for post, seats in election_seats(election).items():
        # A woman heads the member line, so the committee elected has one (OL Art. 6 ¶2).
        chosen = [women.pop(), *(men.pop() for _ in range(seats))] if post == "member" else [
            men.pop() if i % 2 == 0 else women.pop() for i in range(seats + 1)]
        for order, voter in enumerate(chosen, start=1):
            Candidate.objects.create(election=election, voter=voter, post=post, nominated_on=CANDIDATES_ON,
                                     nomination_votes=rng.randint(20, 200), status=Candidate.Status.ON_LIST,
                                     list_order=order)
        posts[post] = (seats, [v.pk for v in chosen])
    # As ``tests.builders.at_stage``: the candidate list's publication is not what the load test is about.
    Election.objects.filter(pk=election.pk).update(stage="voting", candidate_list_published_on=CANDIDATE_LIST_ON)
    registered = Voter.objects.filter(election=election).count()
    share = registered // 5
    stations = [PollingStation.objects.create(election=election, kind="central", name="中心会场", order=1,
                                              assigned_voters=registered - 3 * share)]
    stations += [PollingStation.objects.create(election=election, kind="station", name=f"第{n}组投票站",
                                               order=n + 1, assigned_voters=share) for n in range(1, 4)]
    round = open_round(by=clerk, election=election, kind="first", held_on=ELECTION_DAY, stations=stations)
    for station in stations[:count]:
        numbers = tally_numbers(rng, assigned=station.assigned_voters, posts=posts)
        values = TallyValues(
            issued=numbers["issued"], returned=numbers["returned"], valid=numbers["valid"], invalid=numbers["invalid"],
            posts={code: PostValues(candidate_votes=p["votes"], abstentions=p["abstentions"])
                   for code, p in numbers["posts"].items()})
        record_tally(by=clerk, round=round, station=station, values=values, confirm=True, expected_version=0)
    return {"election": election.pk, "round": round.pk, "posts": posts,
            "stations": [{"pk": s.pk, "assigned": s.assigned_voters} for s in stations]}


# ---------------------------------------------------------------- voter workbooks


def _workbooks(election, folder: Path, username: str, count: int, people: _People, *, region: str) -> list[Path]:
    """``count`` workbooks of new people, each the village's import template (``template_workbook``)
    with ``WORKBOOK_ROWS`` rows typed in; the first is checked with the import's own validator."""
    from openpyxl import load_workbook

    from voters.imports import CATEGORY_CHOICES, SEX_LABELS
    from voters.services.imports import template_workbook
    from voters.workbook_writer import HEADER_ROW, TEMPLATE_COLUMNS, VOTER_SHEET

    template = template_workbook(election)
    paths = []
    for k in range(1, count + 1):
        book = load_workbook(io.BytesIO(template))
        sheet = book[VOTER_SHEET]
        for r in range(WORKBOOK_ROWS):
            person = people.person(region)
            values = {**person, "sex": SEX_LABELS[person["sex"]], "ethnicity": "汉族", "education": "初中",
                      "political_status": "群众", "group": f"第{r % GROUPS + 1}组",
                      "address": f"{election.village.name}{100 + r}号", "residence": "在本村居住",
                      "phone": f"139{people.rng.randrange(10**8):08d}",
                      "category": CATEGORY_CHOICES["HUJI_RESIDENT"], "away": "否"}
            for column, (key, _width) in enumerate(TEMPLATE_COLUMNS, start=1):
                cell = sheet.cell(HEADER_ROW + 1 + r, column, values.get(key))
                if key in ("id_number", "phone"):
                    cell.number_format = "@"
        path = folder / f"{username}-{k}.xlsx"
        book.save(path)
        paths.append(path)
    _check_workbook(election, paths[0])
    return paths


def _check_workbook(election, path: Path) -> None:
    """Read and validate ``path`` as the upload would, writing nothing; stop on any error."""
    from django.utils import timezone

    from voters import imports, workbook
    from voters.services.imports import gather_context

    with open(path, "rb") as fh:
        parsed = workbook.read_voter_workbook(fh, filename=path.name)
        validator = imports.RowValidator(gather_context(election, today=timezone.localdate()),
                                         columns={key: c.label for key, c in parsed.columns.items()})
        issues = list(validator.file_issues())
        for row in parsed.rows():
            issues += validator.check(row).issues
        issues += validator.finish()
    errors = [i for i in issues if i.level == imports.ERROR]
    if errors:
        raise SystemExit(f"生成的工作簿 {path} 有错误：{[(i.row, i.code, i.message) for i in errors[:5]]}")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


if __name__ == "__main__":
    main()
