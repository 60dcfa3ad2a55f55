"""Test data with readable defaults and no randomness (STYLE.md §27). Setup goes through the real
services where a service exists, so tests exercise what users do."""

from __future__ import annotations

from datetime import date

from villages import services
from villages.models import Campaign, County, Role, RulePreset, Township, User, Village, VillagerGroup

ELECTION_DAY = date(2027, 1, 16)


def make_county(*, name: str = "清河县", code: str = "330199") -> County:
    return County.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_township(*, name: str = "青山镇", code: str = "330199101", county: County | None = None) -> Township:
    return Township.objects.create(county=county or make_county(), name=name, code=code)


def make_village(
    *, township: Township, name: str = "东山村", code: str | None = None, groups: int = 2, **fields
) -> Village:
    code = code or f"{township.code}{201 + Village.objects.filter(township=township).count()}"
    village = Village.objects.create(township=township, name=name, code=code, **fields)
    for number in range(1, groups + 1):
        VillagerGroup.objects.create(village=village, number=number, name=f"第{number}组")
    return village


def make_user(
    *,
    username: str,
    role: str = Role.CLERK,
    township: Township | None = None,
    county: County | None = None,
    villages: tuple[Village, ...] = (),
) -> User:
    user = User.objects.create_user(
        username=username, password="Test#Pass2026", role=role, township=township, county=county, display_name=username
    )
    user.villages.set(villages)
    return user


def preset(code: str = "VCOL_2018_NATIONAL") -> RulePreset:
    """A built-in preset; made again when a transactional test before this one flushed the rows the data
    migration had created (pytest-django runs transactional tests last, one after another)."""
    if not RulePreset.objects.filter(code=code).exists():
        services.ensure_builtin_presets()
    return RulePreset.objects.get(code=code)


def make_campaign(
    *, township: Township, by: User, term_number: int = 12, preset_code: str = "VCOL_2018_NATIONAL", day: date = ELECTION_DAY
) -> Campaign:
    """Open a round through the real service. An earlier term left open by the test (its villages never
    archived) is closed first, as an office would before opening the next term."""
    from villages.models import Campaign

    for earlier in Campaign.objects.filter(township=township, term_number__lt=term_number, closed_on__isnull=True):
        services.close_campaign(by=by, campaign=earlier, on=day, reason="测试：上一届已结束")
    return services.open_campaign(
        by=by, township=township, term_number=term_number, preset=preset(preset_code), default_election_day=day
    )


# ---------------------------------------------------------------- 人大 rounds and 选区

NPC_DAY = date(2026, 11, 15)


def make_deputy_round(
    *, by: User, county: County | None = None, township: Township | None = None, term_number: int = 18,
    preset_code: str = "ZHEJIANG_NPC", day: date = NPC_DAY,
) -> Campaign:
    """A township's round when ``township`` is given, otherwise ``county``'s round."""
    from villages import deputy_services

    return deputy_services.open_deputy_round(
        by=by, level="township" if township else "county", county=county or township.county, township=township,
        term_number=term_number, preset=preset(preset_code), default_election_day=day,
    )


def make_district(
    *, campaign: Campaign, by: User, number: int, villages=(), groups=(), township: Township | None = None,
    population: int = 1500, seats: int = 1, name: str | None = None,
):
    from villages import deputy_services
    from villages.models import Constituency

    township = township or campaign.township or (villages[0].township if villages else groups[0].village.township)
    district = Constituency(
        campaign=campaign, township=township, number=number, name=name or f"第{number}选区",
        population=population, deputy_seats=seats,
    )
    return deputy_services.save_district(by=by, district=district, villages=list(villages), groups=list(groups))


def make_district_election(
    *, county_office: User, clerk: User, township: Township, villages, seats: int = 2, voters: int = 16,
    day: date = date(2027, 1, 20), campaign: Campaign | None = None, number: int = 1,
):
    """A township district of ``seats`` over ``villages`` at the nomination stage, its register of ``voters``
    voters (alternately women and men, named 选民00…) published on 2026-12-10 and its appeals closed."""
    from villages import stages
    from villages.models import CommitteeMember, Election
    from voters.models import Voter
    from voters.services import register

    if campaign is None:
        campaign = make_deputy_round(by=county_office, township=township, day=day)
        services.save_committee_member(by=county_office, member=CommitteeMember(
            campaign=campaign, name="何振华", sex="M", position="chair"))
    d = make_district(campaign=campaign, by=county_office, number=number, villages=list(villages), seats=seats)
    election = Election.objects.with_places().get(district=d)
    services.advance_stage(by=clerk, election=election, target=stages.REGISTRATION, on=None, today=date(2026, 12, 1))
    groups = list(election.unit_groups())
    for i in range(voters):
        birth = date(1960 + i % 40, 1 + i // 40 % 12, 1)
        sex = "M" if i % 2 else "F"
        register.register_voter(by=clerk, today=date(2026, 12, 4), voter=Voter(
            election=election, group=groups[i % len(groups)], name=f"选民{i:02d}", sex=sex, birth_date=birth,
            id_number=make_id_number(birth_date=birth, sex=sex, serial=number * 100 + i), category="HUJI_RESIDENT"))
    election = Election.objects.with_places().get(pk=election.pk)
    register.publish_voter_list(by=clerk, election=election, published_on=date(2026, 12, 10), today=date(2026, 12, 10))
    for stage in (stages.APPEALS_CLOSED, stages.NOMINATION):
        services.advance_stage(by=clerk, election=Election.objects.get(pk=election.pk), target=stage, on=None,
                               today=date(2026, 12, 16))
    return Election.objects.with_places().get(pk=election.pk)


# ---------------------------------------------------------------- voters (register, appeals, proxies)


def make_id_number(*, birth_date: date, sex: str = "M", serial: int = 0, region: str = "330102") -> str:
    """A valid 18-digit number for ``birth_date`` and ``sex``; ``serial`` (0–499) tells people apart."""
    from voters.idnumber import check_character

    sequence = f"{serial * 2 + (1 if sex == 'M' else 0):03d}"
    first17 = f"{region}{birth_date:%Y%m%d}{sequence}"
    return first17 + check_character(first17)


def make_voter(
    *,
    election,
    name: str = "张建国",
    sex: str = "M",
    birth_date: date = date(1970, 5, 1),
    serial: int = 0,
    group=None,
    category: str = "HUJI_RESIDENT",
    status: str = "registered",
    listed_from: date | None = None,
    **fields,
):
    """A voter row written directly (no eligibility check): for fixtures and list views."""
    from voters.models import Voter

    reason = fields.pop("not_registered_reason", "" if status == "registered" else "不符合登记条件")
    return Voter.objects.create(
        campaign=election.campaign,
        election=election,
        group=group or election.village.groups.order_by("number").first(),
        name=name,
        sex=sex,
        birth_date=birth_date,
        id_number=fields.pop("id_number", None) or make_id_number(birth_date=birth_date, sex=sex, serial=serial),
        category=category,
        status=status,
        not_registered_reason=reason,
        listed_from=listed_from,
        **fields,
    )


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平")


def make_voters(*, election, count: int, groups=None, start: int = 0, listed_from: date | None = None) -> list:
    """``count`` registered voters spread over the village's groups, names and ages fixed by index."""
    from voters.models import Voter

    groups = list(groups or election.village.groups.order_by("number"))
    voters = []
    for i in range(start, start + count):
        sex = "M" if i % 2 == 0 else "F"
        birth = date(1940 + i % 60, 1 + i % 12, 1 + i % 28)
        voters.append(
            Voter(
                campaign=election.campaign,
                election=election,
                group=groups[(i // 3) % len(groups)],
                name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)],
                sex=sex,
                birth_date=birth,
                id_number=make_id_number(birth_date=birth, sex=sex, serial=(i // 720) % 500),
                category="HUJI_RESIDENT",
                listed_from=listed_from,
            )
        )
    return Voter.objects.bulk_create(voters, batch_size=1000)


def make_election_ready(*, election, by: User, stage: str = "registration", on: date | None = None):
    """Take an election through the real setup actions to ``stage`` ("registration" at the latest)."""
    from villages.models import CommitteeMember

    election.committee_chosen_by = election.ChosenBy.VILLAGERS_MEETING
    election.committee_chosen_on = on or date(2026, 11, 1)
    services.update_election_setup(by=by, election=election, expected_version=election.version)
    for order, (name, sex, position) in enumerate(
        (("陈国华", "M", "chair"), ("李秀英", "F", "member"), ("王建平", "M", "member")), start=1
    ):
        services.save_committee_member(
            by=by, member=CommitteeMember(election=election, name=name, sex=sex, position=position, selection_order=order)
        )
    return services.advance_stage(by=by, election=election, target=stage, on=None, today=on or date(2026, 11, 2))


def publish_list(*, election, by: User, on: date = date(2026, 12, 20), today: date | None = None):
    """Publish the register through the real service (the election must be at the registration stage)."""
    from voters.services.register import publish_voter_list

    return publish_voter_list(by=by, election=election, published_on=on, today=today or on)


# ---------------------------------------------------------------- candidates (nomination, formal list)

NOMINATION_OPENED_ON = date(2026, 12, 26)  # voter list published 12-20, appeal window over 12-25


def open_nomination(*, election, by: User, voters: int = 12, alternates: int = 1, first_voter: int = 0) -> list:
    """Take ``election`` through the real actions to 提名候选人 and return its registered voters.

    The election committee gets the preset's smallest size (members 1..n in selection order, the
    first as chair) plus ``alternates`` 候补 members; ``voters`` people are registered (``make_voters``
    from index ``first_voter``: men at even, women at odd indexes; give each village of a round its own
    range), the list is published on 2026-12-20 and appeals close on 2026-12-26.
    """
    from villages.models import CommitteeMember
    from voters.models import Voter

    rules = election.rules
    election.committee_chosen_by = election.ChosenBy.VILLAGERS_MEETING
    election.committee_chosen_on = date(2026, 11, 1)
    services.update_election_setup(by=by, election=election, expected_version=election.version)
    size = rules.election_committee_size_min + (0 if rules.election_committee_size_min % 2 else 1)
    for order in range(1, size + alternates + 1):
        services.save_committee_member(
            by=by,
            member=CommitteeMember(
                election=election,
                name=f"委员{order:02d}",
                sex="M" if order % 2 else "F",
                position="chair" if order == 1 else "member",
                selection_order=order,
                is_alternate=order > size,
            ),
        )
    services.advance_stage(by=by, election=election, target="registration", on=None, today=date(2026, 11, 2))
    make_voters(election=election, count=voters, start=first_voter)
    publish_list(election=election, by=by, on=date(2026, 12, 20))
    for target in ("appeals_closed", "nomination"):
        services.advance_stage(by=by, election=election, target=target, on=None, today=NOMINATION_OPENED_ON)
    election.refresh_from_db()
    return list(Voter.objects.filter(election=election).order_by("pk"))


def make_nominee(
    *,
    election,
    by: User,
    voter,
    post: str = "member",
    votes: int = 5,
    source: str = "nominated",
    on: date = date(2026, 12, 28),
    **fields,
):
    """A nominee recorded through ``candidates.services.nominate_candidate`` (a self-nominee has no votes)."""
    from candidates.services import nominate_candidate

    if source == "self":
        votes = None
    return nominate_candidate(
        by=by, election=election, voter=voter, post=post, nominated_on=on, source=source, nomination_votes=votes, **fields
    )


# ---------------------------------------------------------------- ballots (stations, rounds, tallies)


def make_station(*, election, name: str = "中心会场", kind: str = "central", **fields):
    """A polling station written directly (use ``ballots.services.stations`` to test the rules)."""
    from ballots.models import PollingStation

    order = fields.pop("order", PollingStation.objects.filter(election=election).count() + 1)
    return PollingStation.objects.create(election=election, name=name, kind=kind, order=order, **fields)


def make_formal_candidate(*, election, voter, post: str = "member", order: int = 1, on: date = date(2026, 12, 28)):
    """A formal candidate (正式候选人, on the published list) written directly through the ORM."""
    from candidates.models import Candidate

    return Candidate.objects.create(
        election=election, voter=voter, post=post, nominated_on=on, status=Candidate.Status.ON_LIST, list_order=order
    )


def at_stage(election, stage: str = "voting"):
    """Put an election at ``stage`` directly: counting tests do not replay the earlier stages."""
    from villages.models import Election

    Election.objects.filter(pk=election.pk).update(stage=stage)
    election.refresh_from_db()
    return election


def open_first_round(*, election, by: User, stations, held_on: date = ELECTION_DAY):
    from ballots.services.rounds import open_round

    return open_round(by=by, election=election, kind="first", held_on=held_on, stations=list(stations))


def sheet(
    *, issued: int, returned: int, valid: int, invalid: int = 0, votes=None, write_ins=None, abstentions=None,
    invalid_for_post=None, explanations=None,
):
    """Tally values: ``votes`` is {post: {voter: votes}} (voters or ids), ``write_ins`` {post: {name: votes}}."""
    from ballots.sheets import PostValues, TallyValues

    votes, write_ins = votes or {}, write_ins or {}
    abstentions, invalid_for_post = abstentions or {}, invalid_for_post or {}
    posts = {
        post: PostValues(
            candidate_votes={getattr(v, "pk", v): n for v, n in votes.get(post, {}).items()},
            write_ins=dict(write_ins.get(post, {})),
            abstentions=abstentions.get(post, 0),
            invalid_for_post=invalid_for_post.get(post, 0),
        )
        for post in set(votes) | set(write_ins) | set(abstentions) | set(invalid_for_post)
    }
    return TallyValues(issued=issued, returned=returned, valid=valid, invalid=invalid, posts=posts,
                       explanations=explanations or {})


def enter_tally(*, by: User, round, station, values, confirm: bool = True):
    """Save ``by``'s entry through ``record_tally`` with the version ``by`` would see on the page."""
    from ballots.entries import entry_slot, options_for
    from ballots.services.tallies import record_tally

    slot = entry_slot(round=round, station=station, user=by, double_entry=options_for(round.election).double_entry)
    return record_tally(by=by, round=round, station=station, values=values, confirm=confirm,
                        expected_version=slot.tally.version if slot.tally else 0)


# ---------------------------------------------------------------- reports (counted rounds, elected members, rosters)
# Reports read what counting left behind; these write those rows directly, so report tests can state
# exact numbers without replaying the count.


def make_registered_voters(*, election, count: int, away: int = 0, start: int = 0, **fields) -> list:
    """``count`` registered voters with distinct ID numbers (the first ``away`` marked away), bulk-created."""
    from datetime import timedelta

    from voters.models import Voter

    group = election.village.groups.order_by("number").first()
    voters = []
    for i in range(start, start + count):
        sex = "M" if i % 2 == 0 else "F"
        birth = date(1950, 1, 1) + timedelta(days=i // 500)
        voters.append(
            Voter(
                campaign=election.campaign, election=election, group=group, name=f"选民{i}", sex=sex, birth_date=birth,
                id_number=make_id_number(birth_date=birth, sex=sex, serial=i % 500, region="330103"),
                category="HUJI_RESIDENT", away=i - start < away, **fields,
            )
        )
    return Voter.objects.bulk_create(voters, batch_size=2000)


def make_round(*, election, by: User, kind: str = "first", number: int = 1, parent=None, status: str = "announced",
               held_on: date = ELECTION_DAY, seats: dict | None = None, void_reason: str = ""):
    from ballots.models import Round

    seats = seats or {"chair": election.seats_chair, "member": election.seats_member}
    return Round.objects.create(
        election=election, kind=kind, number=number, parent=parent, held_on=held_on, status=status, seats=seats,
        opened_by=by, void_reason=void_reason or ("宣布无效" if status == "void" else ""),
    )


def make_tally(*, round, station, by: User, returned: int, issued: int | None = None, invalid: int = 0,
               status: str = "confirmed", entry_number: int = 1):
    """A station's tally written directly; ``issued`` defaults to ``returned``."""
    from ballots.models import Tally

    round.stations.add(station)
    return Tally.objects.create(
        round=round, station=station, entry_number=entry_number, entered_by=by, status=status,
        issued=returned if issued is None else issued, returned=returned, valid=returned - invalid, invalid=invalid,
    )


def make_elected(*, election, round, voter, post: str = "member", votes: int = 100, void_decision=None):
    from ballots.models import ElectedMember

    return ElectedMember.objects.create(
        election=election, voter=voter, post=post, votes=votes, round=round, elected_on=round.held_on,
        announced_on=round.held_on, void_decision=void_decision,
    )


def make_void_decision(*, election, by: User, person=None, on: date = ELECTION_DAY):
    from ballots.models import VoidDecision

    return VoidDecision.objects.create(
        election=election, scope="person" if person else "election", person=person, ground="bribery",
        decided_by_body="township_government", document_ref="青政〔2027〕1号", decided_on=on, reason="经查属实",
        recorded_by=by,
    )


def make_roster(*, village, kind: str, term_number: int, by: User, members) -> object:
    """A roster with ``members``: (name, id_number, sex, birth_date, post) tuples, or dicts with more fields."""
    from reports.models import Roster, RosterMember

    roster = Roster.objects.create(village=village, kind=kind, term_number=term_number, imported_by=by)
    for member in members:
        values = member if isinstance(member, dict) else dict(zip(("name", "id_number", "sex", "birth_date", "post"), member))
        RosterMember.objects.create(roster=roster, **values)
    return roster


# ---------------------------------------------------------------- 村党组织换届选举 (issue 12)

PARTY_DAY = date(2026, 11, 20)


def make_party_campaign(*, township: Township, by: User, term_number: int = 8,
                        preset_code: str = "CPC_BRANCH_2020_NATIONAL", day: date = PARTY_DAY) -> Campaign:
    """A round of 村党组织换届选举 through the real service: one election per village, each village's Party
    organisation (a 党支部) recorded."""
    return services.open_campaign(
        by=by, township=township, term_number=term_number, preset=preset(preset_code), default_election_day=day
    )


PARTY_HEADER = ["姓名", "性别", "民族", "出生日期", "公民身份号码", "文化程度", "入党日期", "党员类别", "处分或强制措施",
                "组织关系", "是否外出", "是否患病", "备注"]


def party_member_row(number: int, *, header=PARTY_HEADER, **by_label) -> list:
    """A full member in ``header`` order (number 1–400 tells members apart); override cells by their label."""
    born = date(1950 + number % 40, 1 + number % 12, 1 + number % 28)
    sex = "M" if number % 3 else "F"
    values = {
        "姓名": f"党员{number:03d}", "性别": "男" if sex == "M" else "女", "民族": "汉族", "出生日期": born,
        "公民身份号码": make_id_number(birth_date=born, sex=sex, serial=number), "文化程度": "高中",
        "入党日期": date(born.year + 25, 7, 1), "党员类别": "正式党员", "处分或强制措施": "无", "组织关系": "本支部",
        "是否外出": "否", "是否患病": "否", "备注": None,
    }
    values.update(by_label)
    return [values.get(label) for label in header]


def make_party_members(*, election, count: int, start: int = 1) -> list:
    """``count`` full members (正式党员) with voting rights on a Party election's register, written directly
    (the import and its rules are tested in tests/voters); names 党员001… by number."""
    from voters.models import Voter

    members = []
    for number in range(start, start + count):
        born = date(1950 + number % 40, 1 + number % 12, 1 + number % 28)
        sex = "M" if number % 3 else "F"
        members.append(Voter(campaign=election.campaign, election=election, name=f"党员{number:03d}", sex=sex,
                             birth_date=born, id_number=make_id_number(birth_date=born, sex=sex, serial=number),
                             category="PARTY_FULL"))
    return Voter.objects.bulk_create(members)


# ---------------------------------------------------------------- 乡镇党代表大会代表选举 (issue 12)


def make_congress_members(*, election, count: int, women: int = 0, minorities: int = 0, young: int = 0,
                          start: int = 1, category: str = "PARTY_FULL", on: date = PARTY_DAY) -> list:
    """``count`` members on a congress unit's register, written directly: the first ``women`` women, the first
    ``minorities`` of another ethnicity than 汉族 (code 02), the first ``young`` aged 45 or under on ``on`` (the
    others 60); names 党员0001… by number."""
    from voters.models import Voter

    members = []
    for i, number in enumerate(range(start, start + count)):
        sex = "F" if i < women else "M"
        age = 30 + i % 15 if i < young else 60
        born = date(on.year - age, 1 + number % 12, 1 + number % 28)
        members.append(Voter(campaign=election.campaign, election=election, name=f"党员{number:04d}", sex=sex,
                             ethnicity="02" if i < minorities else "01", birth_date=born,
                             id_number=make_id_number(birth_date=born, sex=sex, serial=number % 1000),
                             category=category))
    return Voter.objects.bulk_create(members)
