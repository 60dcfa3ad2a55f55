"""The Party member register (党员名册) of a 村党组织换届选举: the voters app's one import and one register serve it
(issue 12; LAW.md §4.2): only full members vote and stand, probationary members and those under 留党察看 are
excluded, those under 留置 or arrest suspended, each with its reason."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from django.core.files.base import ContentFile

from tests.builders import PARTY_HEADER, make_party_campaign, party_member_row
from tests.voters import workbooks as wb
from villages.kinds import party_members
from villages.models import PartyOrganisation
from voters.models import ImportJob, Status, Voter
from voters.services import imports as service


@pytest.fixture
def party_campaign(township, village_a, village_b, clerk):
    return make_party_campaign(township=township, by=clerk)


@pytest.fixture
def branch_a(party_campaign, village_a):
    return party_campaign.elections.get(village=village_a)


@pytest.fixture
def branch_b(party_campaign, village_b):
    return party_campaign.elections.get(village=village_b)


def upload_members(tmp_path, election, by, rows, *, header=PARTY_HEADER, name="党员名册.xlsx"):
    path = wb.write_workbook(tmp_path / name, [header, *rows], title="党员名册")
    return service.start_import(by=by, election=election, upload=ContentFile(path.read_bytes()), filename=name,
                                background=False)


def issues_of(job, level="error"):
    return [(i["row"], i["code"], i["message"]) for i in job.issues if i["level"] == level]


def test_opening_a_branch_round_records_each_village_organisation_under_the_township_committee(party_campaign, village_a):
    organisation = PartyOrganisation.objects.get(village=village_a)
    assert (organisation.name, organisation.get_type_display(), organisation.parent_name) == (
        f"中共{village_a.name}支部委员会", "党支部", "中共青山镇委员会")
    assert party_campaign.election_type == "party_branch"
    assert party_campaign.elections.count() == 2


def test_member_workbook_imports_with_each_member_status_and_reason(tmp_path, branch_a, clerk):
    rows = [
        party_member_row(1),
        party_member_row(2, 党员类别="预备党员"),
        party_member_row(3, 处分或强制措施="留党察看"),
        party_member_row(4, 处分或强制措施="留置"),
        party_member_row(5, 处分或强制措施="被逮捕", 是否外出="是"),
        party_member_row(6, 是否患病="是"),
    ]
    job = upload_members(tmp_path, branch_a, clerk, rows)
    assert job.state == ImportJob.State.PREVIEW, job.issues
    assert (job.counts["new"], job.counts["errors"]) == (6, 0)
    service.confirm_import(by=clerk, job=job)
    members = {v.name: v for v in Voter.objects.filter(election=branch_a)}
    assert {name: (v.category, v.status) for name, v in members.items()} == {
        "党员001": ("PARTY_FULL", "registered"),
        "党员002": ("PARTY_PROBATIONARY", "not_registered"),
        "党员003": ("PARTY_FULL", "not_registered"),
        "党员004": ("PARTY_FULL", "suspended"),
        "党员005": ("PARTY_FULL", "suspended"),
        "党员006": ("PARTY_FULL", "registered"),
    }
    assert members["党员002"].not_registered_reason == (
        "预备党员没有表决权、选举权和被选举权（《中国共产党基层组织选举工作条例》（2020年）第5条）")
    assert members["党员003"].not_registered_reason.startswith("受留党察看处分的党员在察看期间没有表决权、选举权和被选举权")
    assert members["党员004"].not_registered_reason.startswith("被留置的党员暂停行使表决权、选举权和被选举权")
    assert members["党员005"].away and members["党员006"].ill
    assert members["党员002"].political_status == "02" and members["党员001"].political_status == "01"
    assert members["党员001"].group_id is None and members["党员001"].org_relation == "本支部"
    assert members["党员001"].party_joined_on == date(1976, 7, 1)
    assert members["党员001"].category_label == "正式党员"


def test_bad_member_rows_are_refused_row_by_row_in_chinese(tmp_path, branch_a, clerk):
    rows = [
        party_member_row(1),
        party_member_row(2, 党员类别="积极分子"),
        party_member_row(3, 党员类别=None),
        party_member_row(4, 处分或强制措施="警告"),
        party_member_row(5, 入党日期=date(2031, 7, 1)),
        party_member_row(6, 公民身份号码="330102198001011235"),
        party_member_row(7, 是否患病="不清楚"),
    ]
    job = upload_members(tmp_path, branch_a, clerk, rows)
    assert job.state == ImportJob.State.REJECTED
    errors = issues_of(job)
    assert (3, "standing_unknown", "“积极分子”不是党员类别，请填写“正式党员”或“预备党员”。") in errors
    assert (4, "standing_missing", "党员类别为空，请填写“正式党员”或“预备党员”。") in errors
    assert (5, "restriction_unknown", "“警告”不是可识别的处分或强制措施。可填写：无、留党察看、留置、被逮捕。") in errors
    assert (6, "joined_after_today", "入党日期2031-07-01晚于今天，请核对。") in errors
    assert any(row == 7 and code.startswith("id_") for row, code, _m in errors)
    assert (8, "ill_unknown", "“不清楚”不是可识别的患病情况，请填写“是”或“否”。") in errors
    assert not Voter.objects.filter(election=branch_a).exists()


def test_excluded_and_suspended_rows_say_why_in_the_preview(tmp_path, branch_a, clerk):
    job = upload_members(tmp_path, branch_a, clerk, [party_member_row(1, 党员类别="预备党员"),
                                                     party_member_row(2, 处分或强制措施="留置")])
    infos = {(row, code) for row, code, _m in issues_of(job, "info")}
    assert {(2, "member_excluded"), (3, "member_suspended")} <= infos


def test_member_workbook_needs_the_standing_column_not_a_group(tmp_path, branch_a, clerk):
    from django.core.exceptions import ValidationError

    header = [h for h in PARTY_HEADER if h != "党员类别"]
    with pytest.raises(ValidationError) as caught:
        upload_members(tmp_path, branch_a, clerk, [party_member_row(1, header=header)], header=header)
    assert "党员类别" in caught.value.messages[0]


def test_a_member_on_another_organisation_register_of_the_round_is_an_error(tmp_path, branch_a, branch_b, clerk):
    service.confirm_import(by=clerk, job=upload_members(tmp_path, branch_b, clerk, [party_member_row(1)], name="b.xlsx"))
    job = upload_members(tmp_path, branch_a, clerk, [party_member_row(1)])
    assert [code for _r, code, _m in issues_of(job)] == ["registered_in_other_organisation"]


def test_a_voter_list_ignores_party_columns_and_says_so(tmp_path, election_a, clerk):
    header = [*wb.HEADER, "入党日期"]
    path = wb.voters_workbook(tmp_path / "v.xlsx", [wb.person(1, 入党日期=date(2001, 7, 1))], header=header)
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename="v.xlsx",
                               background=False)
    assert job.state == ImportJob.State.PREVIEW, job.issues
    assert ("party_column_ignored", "“入党日期”列是党员名册的列，不是选民名单的列，已忽略。") in [
        (i["code"], i["message"]) for i in job.issues]
    service.confirm_import(by=clerk, job=job)
    assert Voter.objects.get(election=election_a).party_joined_on is None


def test_member_template_has_the_party_columns(branch_a):
    book = openpyxl.load_workbook(__import__("io").BytesIO(service.template_workbook(branch_a)))
    sheet = book["党员名册"]
    header = [c.value for c in sheet[3]]
    assert header[:9] == ["姓名", "性别", "民族", "出生日期", "公民身份号码", "文化程度", "入党日期", "党员类别", "处分或强制措施"]
    assert party_members.rights("PARTY_FULL").status == Status.REGISTERED


def test_a_member_register_goes_through_the_same_file_guard(branch_a, clerk):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        service.start_import(by=clerk, election=branch_a, upload=ContentFile("姓名,公民身份号码\n张三,330102\n".encode()),
                             filename="党员.csv", background=False)
    assert refused.value.code == "csv_not_supported"
    assert "CSV" in refused.value.messages[0]


def test_reimporting_the_member_register_updates_a_member_who_became_a_full_member(tmp_path, branch_a, clerk):
    service.confirm_import(by=clerk, job=upload_members(tmp_path, branch_a, clerk, [party_member_row(2, 党员类别="预备党员")]))
    job = upload_members(tmp_path, branch_a, clerk, [party_member_row(2)], name="again.xlsx")
    assert (job.counts["updated"], job.counts["new"]) == (1, 0)
    service.confirm_import(by=clerk, job=job)
    member = Voter.objects.get(election=branch_a)
    assert (member.category, member.status, member.not_registered_reason, member.political_status) == (
        "PARTY_FULL", "registered", "", "01")
