"""Voter registration by Excel in a real browser: a liaison officer downloads the village's template,
uploads a messy list, reads the errors, downloads the marked-up copy, uploads the corrected list and
confirms it; the register then shows the voters with masked ID numbers. Screenshots 10-… to 19-…."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.voters import workbooks as wb
from villages.models import Election
from voters.idnumber import mask_id_number

pytestmark = pytest.mark.e2e

GROUPS = ["东山组", "上坞组", "下坞组", "竹林组", "茶园组"]  # 东山村 in the demo
TITLE_ROWS = [["青山镇东山村第十二届村民委员会选举选民登记表"], ["填报单位：东山村村民选举委员会"]]
FIRST_DATA_ROW = 4  # two title rows, then the header on row 3


def villager(n: int, group: str, **cells) -> dict:
    """The n-th villager of the workbook builders, in one of 东山村's groups."""
    return wb.person(n, 村民小组=group, **cells)


def minor(election_day) -> dict:
    """村民6, a woman who is seventeen on election day, with an ID number that matches."""
    born = election_day.replace(year=election_day.year - 17)
    return villager(6, "下坞组", 出生日期=born, 公民身份号码=wb.valid_id_number(born, 112))


def messy_rows(election_day) -> list[dict]:
    """Rows 4–10 of the first upload: one mistake of each kind liaison officers make."""
    first = villager(1, "东山组")
    number_id = float(wb.person(3)["公民身份号码"])  # typed into a number cell: the last digits are lost
    return [
        first,  # row 4
        villager(2, "上坞组"),  # row 5
        villager(3, "上坞组", 公民身份号码=number_id),  # row 6
        dict(first),  # row 7: the same person entered twice
        villager(5, "第九组"),  # row 8: no such group
        minor(election_day),  # row 9: under eighteen on election day
        villager(7, "竹林组"),  # row 10
    ]


def corrected_rows(election_day) -> list[dict]:
    """The same list after the liaison officer fixed it from the marked-up copy."""
    return [
        villager(1, "东山组"),
        villager(2, "上坞组"),
        villager(3, "上坞组"),
        villager(5, "茶园组"),
        {**minor(election_day), "备注": "不予登记：未满十八周岁"},
        villager(7, "竹林组"),
    ]


def issue_table(page) -> list[list[str]]:
    """[row, column, level, code, message]: the code comes from data-code, the page shows none."""
    rows = page.locator("#import-issues tbody tr")
    table = []
    for row in rows.all():
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        table.append(cells[:3] + [row.get_attribute("data-code")] + cells[3:])
    return table


def count(page, name: str):
    return page.locator(f'#import-counts [data-count="{name}"]')


def upload(page, path) -> None:
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("h1")).to_contain_text(f"导入选民名单：{path.name}")


def download(page, link_name: str, target):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    info.value.save_as(target)
    return info.value


def open_registration_as_clerk(sign_in, shoot) -> None:
    page = sign_in("clerk")
    page.get_by_role("link", name="东山村").first.click()
    page.get_by_role("button", name="进入“选民登记”").click()
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已进入“选民登记”阶段")
    shoot("10-clerk-opens-registration")


def test_liaison_imports_voter_list_from_excel(sign_in, demo, shoot, live_server, tmp_path):
    election = Election.objects.get(village__name="东山村")
    day = election.election_day
    open_registration_as_clerk(sign_in, shoot)

    page = sign_in("liaison_a")
    page.get_by_role("link", name="东山村").first.click()
    page.get_by_role("link", name="2–4 选民登记、名单公布与申诉").click()
    expect(page.locator("#voter-table tbody")).to_contain_text("没有找到选民。")
    shoot("11-empty-voter-list")

    page.get_by_role("link", name="Excel导入").click()
    expect(page.locator("h1")).to_have_text("导入选民名单")
    shoot("12-import-page")

    template = download(page, "下载东山村的名单模板（.xlsx）", tmp_path / "template.xlsx")
    assert template.suggested_filename == "东山村选民登记表（模板）.xlsx"
    book = load_workbook(tmp_path / "template.xlsx")
    sheet = book["选民名单"]
    header = [cell.value for cell in sheet[3]]
    group_column = sheet.cell(3, header.index("村民小组") + 1).column_letter
    drop_downs = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert drop_downs[f"{group_column}4:{group_column}1048576"] == '"' + ",".join(GROUPS) + '"'

    messy = wb.voters_workbook(tmp_path / "东山村选民名单.xlsx", messy_rows(day), title_rows=TITLE_ROWS)
    upload(page, messy)
    expect(page.locator("#import-outcome")).to_contain_text("没有导入任何数据")
    expect(count(page, "rows")).to_have_text("7")
    expect(count(page, "error")).to_have_text("5")
    expect(count(page, "errors")).to_have_text("5")
    duplicate = "公民身份号码与第{}行相同。同一人只能登记一次，请删除重复的行。"
    lost_digits = ("公民身份号码“3.30102196304041E+17”被Excel存成了数字，末几位已经丢失，无法还原。"
                   "请把该列设置为“文本”格式，再重新录入完整的号码。")
    no_group = "本村没有“第九组”这个村民小组。本村的村民小组有：东山组、上坞组、下坞组、竹林组、茶园组。"
    too_young = (f"到选举日（{day.year}年{day.month}月{day.day}日）未满十八周岁。"
                 "如经村民选举委员会确认不予登记，请在备注中写明“不予登记：原因”。")
    assert issue_table(page) == [
        ["4", "公民身份号码", "错误", "duplicate_in_file", duplicate.format(7)],
        ["6", "公民身份号码", "错误", "id_excel_float", lost_digits],
        ["7", "公民身份号码", "错误", "duplicate_in_file", duplicate.format(4)],
        ["8", "村民小组", "错误", "group_unknown", no_group],
        ["9", "出生日期", "错误", "under_age", too_young],
    ]
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    shoot("13-import-errors")

    download(page, "下载标注错误的工作簿", tmp_path / "annotated.xlsx")
    marked = load_workbook(tmp_path / "annotated.xlsx")["选民名单"]
    header = [cell.value for cell in marked[3]]
    assert header[-1] == "错误说明"
    notes = {row: marked.cell(row, len(header)).value for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 7)}
    assert notes[5] is None and notes[10] is None
    assert "第7行相同" in notes[4] and "被Excel存成了数字" in notes[6] and "第4行相同" in notes[7]
    assert "本村没有“第九组”这个村民小组" in notes[8] and "未满十八周岁" in notes[9]

    page.get_by_role("link", name="重新上传").click()
    corrected = wb.voters_workbook(tmp_path / "东山村选民名单（改正）.xlsx", corrected_rows(day), title_rows=TITLE_ROWS)
    upload(page, corrected)
    expect(page.locator("#import-outcome")).to_contain_text("检查通过：将新登记 6 人，更新 0 人")
    expect(count(page, "new")).to_have_text("6")
    expect(count(page, "errors")).to_have_text("0")
    expect(page.locator("#import-issues")).to_have_count(0)
    shoot("14-import-preview-clean")

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text("已导入：新登记6人，更新0人，0人无变化。")
    shoot("15-import-confirmed")

    page.locator("#import-outcome").get_by_role("link", name="查看选民名单").click()
    voters = page.locator("#voter-table tbody tr")
    expect(voters).to_have_count(6)
    first_id = wb.person(1)["公民身份号码"]
    masked = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
    expect(page.locator("#voter-table tbody td.font-monospace")).to_have_text([masked] * 6)
    expect(voters.filter(has_text="村民1").locator("td").nth(3)).to_have_text(mask_id_number(first_id))
    expect(voters.filter(has_text="村民6")).to_contain_text("不予登记")
    expect(page.locator("#voter-table")).not_to_contain_text(first_id)
    group_counts = page.locator("#group-counts tbody tr")
    expect(group_counts).to_have_text([
        re.compile(rf"^{group}\s*{registered}\s*{refused}\s*0\s*0$")
        for group, registered, refused in [("东山组", 1, 0), ("上坞组", 2, 0), ("下坞组", 0, 1), ("竹林组", 1, 0),
                                           ("茶园组", 1, 0)]
    ])
    expect(page.locator("#group-counts tfoot tr")).to_have_text(re.compile(r"^合计\s*5\s*1\s*0\s*0$"))
    shoot("16-voter-list-after-import")

    other = Election.objects.get(village__name="南湖村")
    response = page.goto(live_server.url + reverse("voters:import-upload", kwargs={"pk": other.pk}))
    assert response.status == 404
    shoot("17-other-village-import-404")
