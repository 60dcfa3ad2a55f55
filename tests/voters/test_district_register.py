"""The voter register of a 人大 选区 (Election Law Arts. 26–29), kept by the same register, import and
list as a village's: the district's villager groups, the kind's categories and wording, one
registration per person across the county, and one register serving both levels (县乡同步)."""

import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from urllib.parse import unquote

from tests.builders import NPC_DAY, make_deputy_round, make_district, make_id_number, make_village
from tests.voters import workbooks as wb
from villages import services, stages
from villages.models import CommitteeMember, Election
from voters import eligibility
from voters.documents import published_list
from voters.models import ImportJob, Status, Voter
from voters.registrations import register_of
from voters.services import imports as import_service
from voters.services import register

TODAY = date(2026, 10, 20)  # before E−20 of NPC_DAY (2026-11-15)


@pytest.fixture
def npc(county_office, township, village_a, village_b):
    """青山镇's township round with district 1 (东山村 and 西岭村 whole) and the county round with one
    district over both villages; a third village 南坪村 lies in no township district (a 街道's case)."""
    nanping = make_village(township=township, name="南坪村")
    township_round = make_deputy_round(by=county_office, township=township)
    county_round = make_deputy_round(by=county_office, county=township.county)
    for campaign in (township_round, county_round):
        services.save_committee_member(
            by=county_office, member=CommitteeMember(campaign=campaign, name="何振华", sex="M", position="chair")
        )
    district = make_district(campaign=township_round, by=county_office, number=1, villages=[village_a, village_b], seats=2)
    county_district = make_district(
        campaign=county_round, by=county_office, number=1, villages=[village_a, village_b, nanping], seats=3
    )
    elections = {}
    for key, d in (("township", district), ("county", county_district)):
        election = Election.objects.with_places().get(district=d)
        services.advance_stage(by=county_office, election=election, target=stages.REGISTRATION, on=None, today=TODAY)
        elections[key] = Election.objects.with_places().get(pk=election.pk)
    elections["nanping"] = nanping
    return elections


def person(election, group, *, serial=1, name="赵建国", sex="M", birth=date(1970, 5, 1), **fields):
    return Voter(election=election, group=group, name=name, sex=sex, birth_date=birth,
                 id_number=make_id_number(birth_date=birth, sex=sex, serial=serial),
                 category=fields.pop("category", eligibility.HUJI_RESIDENT), **fields)


# ---------------------------------------------------------------- the rules (pure)

def test_the_district_categories_and_the_proof_of_voter_status():
    from villages.kinds.deputies import DeputyRuleParameters

    params = DeputyRuleParameters()
    day = date(2026, 11, 15)
    facts = dict(birth_date=date(1980, 1, 1), has_political_rights=True, capacity_ok=True)
    # Away from home but registered at the hukou: no statement needed (unlike a village's category 2).
    assert eligibility.assess(eligibility.VoterFacts(category=eligibility.HUJI_ABSENT, **facts),
                              election_day=day, params=params).eligible
    missing = eligibility.assess(eligibility.VoterFacts(category=eligibility.RESIDENT_NON_HUJI, **facts),
                                 election_day=day, params=params)
    assert [f.code for f in missing.failures] == ["status_proof_missing"]
    assert missing.failures[0].message.startswith("户籍不在本选区的选民，须取得原选区的选民资格证明")
    assert str(missing.failures[0].citation).endswith("第9条第2款")
    late = eligibility.VoterFacts(category=eligibility.RESIDENT_NON_HUJI, status_proof_on=date(2026, 11, 16), **facts)
    assert [f.code for f in eligibility.assess(late, election_day=day, params=params).failures] == [
        "status_proof_after_election_day"
    ]
    proof = eligibility.VoterFacts(category=eligibility.RESIDENT_NON_HUJI, status_proof_on=day, **facts)
    assert eligibility.assess(proof, election_day=day, params=params).eligible
    incapable = eligibility.assess(eligibility.VoterFacts(**{**facts, "capacity_ok": False},
                                                          category=eligibility.HUJI_RESIDENT), election_day=day, params=params)
    assert incapable.failures[0].message == "经选举委员会确认不能行使选举权利的精神病患者，不列入选民名单。"
    assert str(incapable.failures[0].citation).endswith("选举法》（2020年修正）第27条第2款")
    assert eligibility.categories(params)[eligibility.HUJI_ABSENT] == "户籍在本选区、外出"


# ---------------------------------------------------------------- registering one person

def test_a_township_district_registers_its_villagers(npc, clerk, village_b):
    election = npc["township"]
    voter = register.register_voter(by=clerk, voter=person(election, village_b.groups.get(number=2)), today=TODAY)
    assert voter.status == Status.REGISTERED and voter.election == election
    assert voter.category_label == "户籍在本选区并且在本选区居住"


def test_a_group_outside_the_district_is_refused(npc, clerk, other_village):
    with pytest.raises(ValidationError) as caught:
        register.register_voter(by=clerk, voter=person(npc["township"], other_village.groups.first()), today=TODAY)
    assert caught.value.message_dict["group"] == ["所选村民小组不属于第1选区（第1选区）。"]


def test_one_register_serves_both_levels(npc, clerk, village_a):
    township, county = npc["township"], npc["county"]
    group = village_a.groups.get(number=1)
    voter = register.register_voter(by=clerk, voter=person(township, group), today=TODAY)
    # The county district reads the township district's register for the groups they share …
    assert list(register_of(county)) == [voter]
    # … and refuses to register those groups' people itself.
    with pytest.raises(ValidationError) as caught:
        register.register_voter(by=clerk, voter=person(county, group, serial=2, name="钱秀英", sex="F"), today=TODAY)
    assert caught.value.message_dict["group"] == [
        "东山村第1组属于乡级第1选区（第1选区）：县乡两级选举共用一份选民登记，请在该乡级选区登记，本县级选区的选民名单由此生成。"
    ]
    assert Voter.objects.filter(election=county).count() == 0


def test_a_group_in_no_township_district_registers_in_the_county_district(npc, clerk, village_a):
    county, nanping = npc["county"], npc["nanping"]
    own = register.register_voter(by=clerk, voter=person(county, nanping.groups.first(), serial=3), today=TODAY)
    shared = register.register_voter(by=clerk, voter=person(npc["township"], village_a.groups.first(), serial=4), today=TODAY)
    assert sorted(v.pk for v in register_of(county)) == sorted([own.pk, shared.pk])
    assert list(register_of(npc["township"])) == [shared]


def test_one_registration_per_person_across_the_districts_of_the_county(npc, clerk, village_a):
    county, nanping = npc["county"], npc["nanping"]
    register.register_voter(by=clerk, voter=person(npc["township"], village_a.groups.first(), serial=5), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        register.register_voter(by=clerk, voter=person(county, nanping.groups.first(), serial=5), today=TODAY)
    assert caught.value.message_dict["id_number"] == [
        "该公民身份号码已在本届人大代表选举的青山镇第1选区（第1选区）登记，每一选民只能在一个选区登记（选举法第二十七条）。"
    ]


# ---------------------------------------------------------------- the import

def test_the_import_knows_the_district_groups_by_village_and_name(tmp_path, npc, clerk):
    header = wb.HEADER
    ids = [make_id_number(birth_date=date(1970, 1, 1), serial=n) for n in (1, 2, 3)]
    rows = [header,
            wb.voter_row(header, 公民身份号码=ids[0], 出生日期=date(1970, 1, 1), 村民小组="东山村第1组"),
            wb.voter_row(header, 姓名="李四", 公民身份号码=ids[1], 出生日期=date(1970, 1, 1), 村民小组="西岭村第2组"),
            wb.voter_row(header, 姓名="王五", 公民身份号码=ids[2], 出生日期=date(1970, 1, 1), 村民小组="第1组")]
    path = wb.write_workbook(tmp_path / "选区名单.xlsx", rows)
    job = import_service.start_import(by=clerk, election=npc["township"], upload=ContentFile(path.read_bytes(), name="a.xlsx"),
                                      filename="选区名单.xlsx", background=False)
    errors = [(i["row"], i["code"], i["message"]) for i in job.issues if i["level"] == "error"]
    # A bare "第1组" is ambiguous in a district of two villages that both have one.
    assert errors == [(4, "group_unknown", "本选区没有“第1组”这个村民小组。本选区的村民小组有："
                                          "东山村第1组、东山村第2组、西岭村第1组、西岭村第2组。")]


def test_a_county_district_whose_groups_all_register_in_township_districts_takes_no_import(npc, clerk, county_office):
    from villages import deputy_services

    district = npc["county"].district
    deputy_services.save_district(by=county_office, district=district, villages=list(district.villages.exclude(name="南坪村")), groups=[])
    with pytest.raises(ValidationError) as caught:
        import_service.start_import(by=clerk, election=Election.objects.get(pk=npc["county"].pk),
                                    upload=ContentFile(b"x", name="a.xlsx"), filename="a.xlsx", background=False)
    assert caught.value.messages == ["本选区的村民小组都属于同日选举的乡级选区：县乡两级选举共用一份选民登记，请在乡级选区导入选民名单。"]
    assert not ImportJob.objects.exists()


# ---------------------------------------------------------------- the list and the pages

def test_the_district_list_is_headed_by_the_round_and_grouped_by_village_and_group(npc, clerk, village_a, village_b):
    election = npc["township"]
    register.register_voter(by=clerk, voter=person(election, village_b.groups.get(number=1), serial=6), today=TODAY)
    register.register_voter(by=clerk, voter=person(election, village_a.groups.get(number=1), serial=7, name="孙丽", sex="F"),
                            today=TODAY)
    header, rows = published_list(election, as_of=TODAY)
    assert header.title == "青山镇第十八届乡级人民代表大会代表选举第1选区（第1选区）选民名单"
    assert [(g.name, g.men, g.women) for g in header.groups] == [("东山村第1组", 0, 1), ("西岭村第1组", 1, 0)]
    assert [(r.group_name, r.name) for r in rows] == [("东山村第1组", "孙丽"), ("西岭村第1组", "赵建国")]


def test_the_register_pages_of_a_district(client, npc, clerk, liaison_a, village_a):
    election = npc["county"]
    register.register_voter(by=clerk, voter=person(npc["township"], village_a.groups.first(), serial=8), today=TODAY)
    client.force_login(liaison_a)  # reads the districts that take in 东山村
    page = client.get(reverse("voters:voter-list", args=[election.pk])).content.decode()
    assert "赵建国" in page and "户籍在本选区并且在本选区居住" in page
    assert client.get(reverse("voters:voter-create", args=[election.pk])).status_code == 403
    client.force_login(clerk)
    form = client.get(reverse("voters:voter-create", args=[npc["township"].pk])).content.decode()
    assert "东山村第1组" in form and "原选区选民资格证明日期" in form and "本人表示参加选举日期" not in form


def test_a_district_proxy_holder_is_any_voter_of_the_district(npc, clerk, village_a, village_b):
    from voters.services import proxies

    election = npc["township"]
    principal = register.register_voter(by=clerk, voter=person(election, village_a.groups.first(), serial=9, away=True),
                                        today=TODAY)
    holder = register.register_voter(by=clerk, voter=person(election, village_b.groups.first(), serial=10, name="周敏",
                                                            sex="F"), today=TODAY)
    proxy = proxies.register_proxy(by=clerk, election=election, principal=principal, holder=holder,
                                   relation="OTHER_VOTER", authorized_on=date(2026, 11, 10), today=date(2026, 11, 10))
    assert proxy.holder == holder


def test_the_voter_cards_of_a_district_number_in_one_sequence(client, npc, clerk, village_a, village_b):
    from ballots.papers import voter_cards

    election = npc["township"]
    register.register_voter(by=clerk, voter=person(election, village_b.groups.get(number=1), serial=11), today=TODAY)
    register.register_voter(by=clerk, voter=person(election, village_a.groups.get(number=1), serial=12, name="孙丽",
                                                   sex="F"), today=TODAY)
    cards = voter_cards(election, as_of=TODAY)
    # Both villages have a 第1组: the district numbers its cards in one sequence, in the list's order.
    assert [(c.number, c.group_name, c.name) for c in cards] == [("0001", "东山村第1组", "孙丽"),
                                                                 ("0002", "西岭村第1组", "赵建国")]
    client.force_login(clerk)
    response = client.get(reverse("ballots:voter-cards-pdf", args=[election.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response) if response.streaming else response.content
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    assert "选民小组" in text and "村民小组" not in text  # Election Law Art. 29: a district's 选民小组


# ---------------------------------------------------------------- the register carried forward (Art. 27 ¶1)

def test_last_terms_final_list_carries_forward_by_villager_group(npc, clerk, county_office, township, village_a, village_b):
    from villages.models import Campaign

    last_round = make_deputy_round(by=county_office, township=township, term_number=17, day=date(2021, 11, 15))
    last = Election.objects.get(district=make_district(campaign=last_round, by=county_office, number=1,
                                                       villages=[village_a, village_b]))

    def old(serial, **fields):
        birth = fields.pop("birth", date(1950 + serial, 1, 1))
        return Voter.objects.create(
            campaign=last_round, election=last, group=fields.pop("group", village_a.groups.first()), name=f"老选民{serial}",
            sex="M", birth_date=birth, id_number=make_id_number(birth_date=birth, serial=300 + serial),
            category="HUJI_RESIDENT", listed_from=date(2021, 10, 20), **fields)

    kept = [old(1), old(2, group=village_b.groups.first())]
    old(3, listed_until=date(2021, 11, 1))  # struck off the list last term
    old(4, status=Status.NOT_REGISTERED, not_registered_reason="被剥夺政治权利")
    moved = old(5)
    election = npc["township"]
    # 老选民5 has meanwhile registered this term in another district (an earlier entry of this term).
    Voter.objects.create(campaign=npc["county"].campaign, election=npc["county"], group=npc["nanping"].groups.first(),
                         name=moved.name, sex="M", birth_date=moved.birth_date, id_number=moved.id_number,
                         category="HUJI_RESIDENT")
    counts = register.carry_forward_register(by=clerk, election=election, today=TODAY)
    assert counts == {"carried": 2, "skipped": 1}
    carried = Voter.objects.filter(election=election).order_by("name")
    assert [v.name for v in carried] == [v.name for v in kept]
    assert all(v.status == Status.REGISTERED and v.listed_from is None for v in carried)
    assert Campaign.objects.get(pk=last_round.pk).voters.count() == 5  # last term's records stay as they were
    from villages.models import AuditEntry

    assert AuditEntry.objects.filter(action="voters.voter.carried_forward").count() == 2
    # Again: everyone is registered this term already, nothing is doubled.
    assert register.carry_forward_register(by=clerk, election=election, today=TODAY) == {"carried": 0, "skipped": 3}
    assert Voter.objects.filter(election=election).count() == 2


def test_only_a_district_before_publication_carries_forward(npc, clerk, election_a):
    with pytest.raises(ValidationError) as caught:
        register.carry_forward_register(by=clerk, election=election_a, today=TODAY)
    assert caught.value.messages == ["只有人大代表选举的选区沿用上届选民登记。"]
    with pytest.raises(ValidationError) as caught:
        register.carry_forward_register(by=clerk, election=npc["township"], today=TODAY)
    assert caught.value.messages == ["上届人大代表选举中没有本选区各村民小组的登记选民可以沿用。"]


# ---------------------------------------------------------------- the pages' wording for a 选区

def test_the_district_voter_list_links_one_card_print_for_the_whole_district(client, npc, clerk, village_a, village_b):
    election = npc["township"]
    register.register_voter(by=clerk, voter=person(election, village_a.groups.get(number=1), serial=13), today=TODAY)
    client.force_login(clerk)
    page = client.get(reverse("voters:voter-list", args=[election.pk])).content.decode()
    papers = page[page.index('id="voter-papers"'):]
    papers = papers[:papers.index("</p>")]
    # Both villages have a 第1组: a per-group link would print one village's group with the other's.
    assert "全选区" in papers and "全村" not in papers and "?group=" not in papers
    response = client.get(reverse("ballots:voter-cards-pdf", args=[election.pk]) + "?group=1")
    assert response.status_code == 200 and "选民证（全选区）.pdf" in unquote(response["Content-Disposition"])


def test_the_district_publish_page_names_the_committee_and_the_election_law(client, npc, clerk):
    client.force_login(clerk)
    page = client.get(reverse("voters:publish", args=[npc["township"].pk])).content.decode()
    assert "青山镇选举委员会应当在选举日的20日前公布选民名单（选举法第二十八条），本选区的法定期限为" in page
    assert "村民委员会组织法" not in page and "本村" not in page


def test_the_district_import_speaks_of_the_district_and_reads_its_categories(tmp_path, client, npc, clerk):
    header = wb.HEADER
    ids = [make_id_number(birth_date=date(1970, 1, 1), serial=n) for n in (21, 22, 23)]
    rows = [header,
            wb.voter_row(header, 公民身份号码=ids[0], 出生日期=date(1970, 1, 1), 村民小组="东山村第1组",
                         登记类别="户籍在本选区并且在本选区居住", 居住情况="在本选区居住"),
            wb.voter_row(header, 姓名="李四", 公民身份号码=ids[1], 出生日期=date(1970, 1, 1), 村民小组="西岭村第2组",
                         登记类别="户籍在本选区、外出", 居住情况="不在本选区居住"),
            wb.voter_row(header, 姓名="王五", 公民身份号码=ids[2], 出生日期=date(1970, 1, 1), 村民小组="西岭村第1组",
                         登记类别="户口在外地", 居住情况="在本选区居住")]
    path = wb.write_workbook(tmp_path / "选区名单.xlsx", rows)
    job = import_service.start_import(by=clerk, election=npc["township"], upload=ContentFile(path.read_bytes(), name="a.xlsx"),
                                      filename="选区名单.xlsx", background=False)
    errors = [(i["row"], i["code"], i["message"]) for i in job.issues if i["level"] == "error"]
    assert errors == [(4, "category_unknown", "“户口在外地”不是登记类别。可填写：户籍在本选区并且在本选区居住、"
                                              "户籍在本选区、外出、户籍不在本选区、在本选区居住，持原选区选民资格证明。")]
    client.force_login(clerk)
    page = client.get(reverse("voters:import-upload", args=[npc["township"].pk])).content.decode()
    assert "本选区最近的导入" in page and "经青山镇选举委员会决定不予登记" in page and "本村" not in page
    assert "登记类别：户籍在本选区并且在本选区居住、户籍在本选区、外出" in page
