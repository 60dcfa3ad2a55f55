"""Reading and writing voter workbooks (voters/workbook.py, voters/workbook_writer.py): shape only,
no database. The messy workbooks are built by tests/voters/workbooks.py."""

from __future__ import annotations

import io
import types
from datetime import date, datetime

import openpyxl
import pytest

from tests.voters import workbooks as wb
from voters.workbook import (
    MESSAGES,
    REQUIRED_COLUMNS,
    CellIssue,
    RawRow,
    WorkbookRejected,
    column_letter,
    header_key,
    read_voter_workbook,
)
from voters.workbook_writer import ERROR_FILL, TEMPLATE_COLUMNS, annotate_workbook, build_template_workbook


def read_all(path, filename="名单.xlsx"):
    parsed = read_voter_workbook(path, filename=filename)
    return parsed, list(parsed.rows())


def rejection(source, filename) -> str:
    with pytest.raises(WorkbookRejected) as caught:
        read_voter_workbook(source, filename=filename)
    assert caught.value.message == MESSAGES[caught.value.code].format(**caught.value.params)
    return caught.value.code


def codes(parsed) -> list[str]:
    return [notice.code for notice in parsed.notices]


# --- Finding the header ------------------------------------------------------------------------

def test_reads_clean_list_with_excel_row_numbers(tmp_path):
    parsed, rows = read_all(wb.clean_workbook(tmp_path / "a.xlsx"))
    assert (parsed.sheet_name, parsed.header_row, parsed.last_row) == ("选民名单", 1, 3)
    assert [r.row_number for r in rows] == [2, 3]
    assert rows[0].values == {
        "name": "张三", "sex": "男", "ethnicity": "汉族", "birth_date": date(1980, 1, 1),
        "id_number": wb.ZHANG_SAN_ID, "education": "初中", "political_status": "群众", "group": "第一组",
        "address": "青山镇东山村1号", "residence": "在村居住", "phone": "13800138000",
        "category": "户籍在村且居住", "away": "否", "remarks": None,
    }
    assert rows[1].values["id_number"] == wb.LI_SI_ID
    assert parsed.issues == [] and parsed.notices == [] and parsed.blank_rows == 0


def test_finds_header_below_title_rows_and_merged_cells(tmp_path):
    parsed, rows = read_all(wb.titled_workbook(tmp_path / "a.xlsx"))
    assert parsed.header_row == 4
    assert [(r.row_number, r.values["name"]) for r in rows] == [(5, "张三"), (6, "李四")]


def test_table_starting_in_column_c_keeps_the_sheet_letters(tmp_path):
    parsed, rows = read_all(wb.offset_workbook(tmp_path / "a.xlsx"))
    assert parsed.header_row == 3
    assert column_letter(parsed.columns["name"].index) == "C"
    assert column_letter(parsed.columns["id_number"].index) == "G"
    assert rows[0].row_number == 4 and rows[0].values["id_number"] == wb.ZHANG_SAN_ID


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("身份证号", "id_number"), ("身份证号码", "id_number"), ("公民身份号码", "id_number"), ("身份证", "id_number"),
        ("公民身份号码（18位）", "id_number"), ("*身份证号码", "id_number"), ("身 份 证 号", "id_number"),
        ("公民身份\n号码", "id_number"), ("出生年月", "birth_date"), ("出生日期(年月日)", "birth_date"),
        ("组别", "group"), ("小组", "group"), ("住址", "address"), ("家庭住址", "address"), ("手机", "phone"),
        ("选民类别", "category"), ("学历", "education"), ("是否在村居住", "residence"), ("外出", "away"),
        ("来村居住时间", "residence_since"), ("本人表示参加日期", "statement_date"), ("同意会议", "approval_meeting"),
        ("姓名：", "name"), ("　姓　名　", "name"), ("家庭人口", None), ("", None), (None, None), (1, None),
    ],
)
def test_header_name_variants(label, key):
    assert header_key(label) == key


@pytest.mark.parametrize(
    "replacements",
    [{"公民身份号码": "身份证号码", "出生日期": "出生年月", "村民小组": "组别"},
     {"公民身份号码": "身份证号", "登记类别": "选民类别", "联系电话": "手机号码"},
     {"姓名": "姓 名", "公民身份号码": "公民身份号码（18位）*"}],
)
def test_reads_lists_whose_headers_use_variants(tmp_path, replacements):
    parsed, rows = read_all(wb.header_variant_workbook(tmp_path / "a.xlsx", replacements))
    assert set(REQUIRED_COLUMNS) <= parsed.columns.keys()
    assert rows[0].values["id_number"] == wb.ZHANG_SAN_ID
    assert rows[0].values["birth_date"] == date(1980, 1, 1)


def test_extra_columns_are_ignored_and_reported(tmp_path):
    parsed, rows = read_all(wb.extra_columns_workbook(tmp_path / "a.xlsx"))
    assert "序号" not in rows[0].values and rows[0].values["name"] == "张三"
    assert [(n.code, n.message) for n in parsed.notices] == [
        ("unknown_column", "第A列“序号”不是选民名单的列，已忽略。"),
        ("unknown_column", "第P列“家庭人口”不是选民名单的列，已忽略。"),
    ]


def test_duplicate_column_reads_the_first(tmp_path):
    header = [*wb.HEADER, "手机"]
    path = wb.write_workbook(tmp_path / "a.xlsx", [header, [*wb.voter_row(), "13900000000"]])
    parsed, rows = read_all(path)
    assert rows[0].values["phone"] == "13800138000"
    assert codes(parsed) == ["duplicate_column"]


def test_two_line_header_under_a_merged_heading(tmp_path):
    parsed, rows = read_all(wb.two_line_header_workbook(tmp_path / "a.xlsx"))
    assert parsed.header_row == 2
    assert rows[0].row_number == 3
    assert rows[0].values["application_date"] == date(2026, 10, 8)
    assert rows[0].values["approval_date"] == date(2026, 10, 20)
    assert rows[0].values["name"] == "张三"


def test_first_voter_with_a_header_word_in_a_cell_is_not_taken_for_a_second_header_line(tmp_path):
    path = wb.write_workbook(tmp_path / "a.xlsx", [wb.HEADER, wb.voter_row(备注="外出"), wb.li_si()])
    parsed, rows = read_all(path)
    assert parsed.header_row == 1
    assert [r.values["remarks"] for r in rows] == ["外出", None]


def test_reads_the_list_from_a_later_sheet_and_skips_hidden_sheets(tmp_path):
    parsed, rows = read_all(wb.instructions_first_workbook(tmp_path / "a.xlsx"))
    assert parsed.sheet_name == "选民名单"
    assert [r.values["name"] for r in rows] == ["张三"]
    assert codes(parsed) == ["other_sheet_used"]


# --- Rows that are not voters ------------------------------------------------------------------

def test_blank_rows_are_skipped_and_counted(tmp_path):
    parsed, rows = read_all(wb.blank_rows_workbook(tmp_path / "a.xlsx"))
    assert [r.row_number for r in rows] == [2, 5]
    assert parsed.blank_rows == 4  # the empty row, the spaces-only row and two numbered empty rows
    assert parsed.issues == []


@pytest.mark.parametrize(
    "totals_row",
    [["合计", "共2人"], ["总计"], ["合 计", None, None, None, None, None, None, None, None, "2"],
     [None, "共计：2人"], [None, "第一组小计"], [None, None, None, None, None, None, None, None, "2", "合计"]],
)
def test_totals_row_is_skipped_reported_and_reading_goes_on(tmp_path, totals_row):
    parsed, rows = read_all(wb.totals_workbook(tmp_path / "a.xlsx", totals_row))
    assert [r.values["name"] for r in rows] == ["张三", "李四"]
    assert [(n.code, n.row_number) for n in parsed.notices if n.row_number] == [("totals_row_skipped", 3)]
    assert parsed.issues == []


def test_footer_and_repeated_header_are_skipped(tmp_path):
    parsed, rows = read_all(wb.footer_workbook(tmp_path / "a.xlsx"))
    assert [r.values["name"] for r in rows] == ["张三", "李四"]
    assert [(n.code, n.row_number) for n in parsed.notices] == [
        ("repeated_header_skipped", 3), ("footer_row_skipped", 6)]
    assert parsed.blank_rows == 1 and parsed.issues == []


def test_voter_without_id_number_is_still_a_row(tmp_path):
    _, rows = read_all(wb.one_voter_workbook(tmp_path / "a.xlsx", 公民身份号码=None))
    assert rows[0].values["name"] == "张三" and rows[0].values["id_number"] is None


# --- Normalising text --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("label", "typed", "key", "expected"),
    [
        ("姓名", "张 三", "name", "张三"), ("姓名", " 李四\u3000", "name", "李四"), ("姓名", "王\u200b五", "name", "王五"),
        ("姓名", "阿依古丽.买买提", "name", "阿依古丽·买买提"), ("姓名", "阿依古丽 • 买买提", "name", "阿依古丽·买买提"),
        ("姓名", "John  Smith", "name", "John Smith"), ("姓名", "张三.", "name", "张三."),
        ("公民身份号码", "３３０１０２１９８００１０１１２３４", "id_number", wb.ZHANG_SAN_ID),
        ("公民身份号码", " 330102 19800101 1234 ", "id_number", wb.ZHANG_SAN_ID),
        ("公民身份号码", "33010219850315002x", "id_number", wb.LI_SI_ID),
        ("公民身份号码", "'330102198001011234", "id_number", wb.ZHANG_SAN_ID),
        ("公民身份号码", "12345", "id_number", "12345"),  # shape only: the checksum is checked later
        ("公民身份号码", 330102800101123, "id_number", "330102800101123"),  # 15 digits: Excel keeps them all
        ("村民小组", "　第１组 ", "group", "第1组"), ("村民小组", 3, "group", "3"),
        ("联系电话", 13800138000, "phone", "13800138000"), ("联系电话", "138 0013  8000", "phone", "138 0013 8000"),
        ("户籍地址", "东山村\n  ５号", "address", "东山村 5号"), ("性别", "男性", "sex", "男性"),
        ("是否外出", True, "away", "是"), ("备注", "   ", "remarks", None),
    ],
)
def test_text_is_normalised(tmp_path, label, typed, key, expected):
    parsed, rows = read_all(wb.one_voter_workbook(tmp_path / "a.xlsx", **{label: typed}))
    assert rows[0].values[key] == expected
    assert parsed.issues == []


# --- Dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "typed",
    ["1980-01-01", "1980/1/1", "1980.01.01", "1980.1.1", "19800101", "1980年1月1日", "1980年01月01日",
     "１９８０年１月１日", " 1980 - 01 - 01 ", "1980-01-01 00:00:00", "1980－01－01", "1980年1月1号",
     date(1980, 1, 1), 19800101, 29221],
)
def test_birth_date_forms(tmp_path, typed):
    parsed, rows = read_all(wb.one_voter_workbook(tmp_path / "a.xlsx", 出生日期=typed))
    assert rows[0].values["birth_date"] == date(1980, 1, 1)
    assert parsed.issues == []


def test_excel_datetime_cell_becomes_a_date(tmp_path):
    _, rows = read_all(wb.one_voter_workbook(tmp_path / "a.xlsx", 出生日期=datetime(1980, 1, 1, 0, 0)))
    assert rows[0].values["birth_date"] == date(1980, 1, 1)


@pytest.mark.parametrize(
    ("typed", "code"),
    [("1980-02-30", "date_invalid"), ("19801301", "date_invalid"), ("1980.01", "date_incomplete"),
     ("1980年1月", "date_incomplete"), ("198001", "date_incomplete"), (1980.01, "date_incomplete"),
     (1980, "date_incomplete"), ("一九八〇年一月", "date_unparseable"), ("80-1-1", "date_unparseable"),
     ("不详", "date_unparseable"), (1.5, "date_unparseable")],
)
def test_unreadable_birth_date_is_a_cell_issue(tmp_path, typed, code):
    parsed, rows = read_all(wb.one_voter_workbook(tmp_path / "a.xlsx", 出生日期=typed))
    assert rows[0].values["birth_date"] is None
    [issue] = parsed.issues
    assert issue == rows[0].issues[0]
    assert (issue.row_number, issue.column_key, issue.column_label, issue.code) == (2, "birth_date", "出生日期", code)
    shown = typed if isinstance(typed, str) else f"{typed:.15G}"
    assert issue.message == MESSAGES[code].format(value=shown)


# --- ID numbers saved as numbers ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "shown"),
    [(3.30102198001011e17, "3.30102198001011E+17"), (330102198001011234, "3.30102198001011E+17"),
     ("3.30102198001011E+17", "3.30102198001011E+17"), ("3.30102E+17", "3.30102E+17"),
     ("330102198001011000.0", "330102198001011000.0"), ("３．３０１０２Ｅ＋１７", "3.30102E+17"),
     (3301021980010112.0, "3.30102198001011E+15"), (330102.5, "330102.5")],
)
def test_id_saved_as_a_number_is_reported_never_guessed(tmp_path, typed, shown):
    parsed, rows = read_all(wb.one_voter_workbook(tmp_path / "a.xlsx", 公民身份号码=typed))
    assert rows[0].values["id_number"] is None
    [issue] = parsed.issues
    assert (issue.code, issue.column_key, issue.column_label, issue.row_number) == (
        "id_excel_float", "id_number", "公民身份号码", 2)
    assert f"“{shown}”" in issue.message


def test_issues_of_several_cells_and_rows_are_all_collected(tmp_path):
    rows = [wb.HEADER, wb.voter_row(出生日期="1980.01", 公民身份号码=3.3e17), wb.li_si(出生日期="不详")]
    parsed, parsed_rows = read_all(wb.write_workbook(tmp_path / "a.xlsx", rows))
    assert [(i.row_number, i.column_key, i.code) for i in parsed.issues] == [
        (2, "birth_date", "date_incomplete"),
        (2, "id_number", "id_excel_float"),
        (3, "birth_date", "date_unparseable"),
    ]
    assert all(isinstance(i, CellIssue) for i in parsed.issues)
    assert [len(r.issues) for r in parsed_rows] == [2, 1]


# --- Refusing what is not an .xlsx ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("make", "filename", "code"),
    [
        (lambda tmp: wb.xls_bytes(), "名单.xls", "xls_not_supported"),
        (lambda tmp: wb.xls_bytes(), "名单.xlsx", "xls_not_supported"),  # the bytes decide, not the name
        (lambda tmp: wb.xls_bytes(), "名单.et", "xls_not_supported"),
        (lambda tmp: wb.encrypted_xlsx_bytes(), "名单.xlsx", "encrypted_workbook"),
        (lambda tmp: wb.xls_bytes()[:8] + b"\xff" * 600, "名单.xls", "xls_not_supported"),  # damaged header
        (lambda tmp: wb.csv_bytes(), "名单.csv", "csv_not_supported"),
        (lambda tmp: wb.csv_bytes(), "名单.xlsx", "csv_not_supported"),
        (lambda tmp: wb.png_bytes(), "名单.xlsx", "not_excel"),
        (lambda tmp: wb.docx_like_bytes(tmp / "a.docx"), "名单.xlsx", "not_excel"),
        (lambda tmp: "<html><table><tr><td>姓名</td></tr></table></html>".encode(), "名单.xls", "not_excel"),
        (lambda tmp: wb.clean_workbook(tmp / "a.xlsx").read_bytes()[:3000], "名单.xlsx", "corrupt_workbook"),
        (lambda tmp: b"", "名单.xlsx", "empty_file"),
        (lambda tmp: wb.empty_workbook(tmp / "a.xlsx").read_bytes(), "名单.xlsx", "empty_workbook"),
        (lambda tmp: wb.no_header_workbook(tmp / "a.xlsx").read_bytes(), "名单.xlsx", "header_not_found"),
        (lambda tmp: wb.header_only_workbook(tmp / "a.xlsx").read_bytes(), "名单.xlsx", "no_data_rows"),
    ],
)
def test_refuses_files_it_cannot_read(tmp_path, make, filename, code):
    assert rejection(make(tmp_path), filename) == code


def test_xls_message_says_to_save_as_xlsx():
    with pytest.raises(WorkbookRejected) as caught:
        read_voter_workbook(wb.xls_bytes(), filename="名单.xls")
    assert "请在Excel中另存为 .xlsx 格式后重新上传" in caught.value.message


def test_missing_required_columns_are_named_in_one_error(tmp_path):
    with pytest.raises(WorkbookRejected) as caught:
        read_voter_workbook(wb.missing_columns_workbook(tmp_path / "a.xlsx"), filename="名单.xlsx")
    assert caught.value.code == "missing_columns"
    assert caught.value.params == {"columns": "公民身份号码、登记类别"}


def test_xlsx_content_with_an_xls_name_is_read(tmp_path):
    data = wb.clean_workbook(tmp_path / "a.xlsx").read_bytes()
    renamed = tmp_path / "名单.xls"
    renamed.write_bytes(data)
    _, rows = read_all(renamed, filename="名单.xls")
    assert [r.values["name"] for r in rows] == ["张三", "李四"]


class _DjangoTemporaryUpload(io.BytesIO):
    """Stands in for Django's TemporaryUploadedFile, which offers the path of its temporary file."""

    def __init__(self, path):
        super().__init__(b"")
        self.path = path

    def temporary_file_path(self):
        return str(self.path)


@pytest.mark.parametrize("kind", ["str", "path", "bytes", "file", "upload"])
def test_accepts_paths_bytes_and_uploaded_files(tmp_path, kind):
    path = wb.clean_workbook(tmp_path / "a.xlsx")
    source = {"str": str(path), "path": path, "bytes": path.read_bytes(), "file": io.BytesIO(path.read_bytes()),
              "upload": _DjangoTemporaryUpload(path)}[kind]
    _, rows = read_all(source)
    assert [r.values["name"] for r in rows] == ["张三", "李四"]


def test_rows_stream_once(tmp_path):
    parsed = read_voter_workbook(wb.clean_workbook(tmp_path / "a.xlsx"), filename="a.xlsx")
    stream = parsed.rows()
    assert isinstance(stream, types.GeneratorType)
    assert isinstance(next(stream), RawRow)
    with pytest.raises(RuntimeError):
        parsed.rows()


# --- The template --------------------------------------------------------------------------------

ETHNIC = ["汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族"]
CHOICES = {"sex": ["男", "女"], "ethnicity": ETHNIC, "education": ["小学", "初中", "高中"],
           "political_status": ["中共党员", "共青团员", "群众"], "category": ["户籍在村且居住", "户籍在村不居住", "居住一年以上"]}


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_template_has_header_instructions_and_hidden_lists():
    book = load(build_template_workbook(groups=["第一组", "第二组"], choices=CHOICES))
    assert book.sheetnames == ["选民名单", "填写说明", "选项"]
    assert [s.sheet_state for s in book.worksheets] == ["visible", "visible", "hidden"]
    sheet = book["选民名单"]
    assert sheet["A1"].value == "村民委员会选举选民登记表" and "A1:S1" in sheet.merged_cells
    assert [c.value for c in sheet[3]][:5] == ["姓名", "性别", "民族", "出生日期", "公民身份号码"]
    assert sheet.freeze_panes == "B4"
    assert sheet.column_dimensions["E"].width >= 20
    assert "公民身份号码" in [row[0] for row in book["填写说明"].iter_rows(values_only=True)]


def test_template_id_column_is_text_and_dates_are_formatted():
    sheet = load(build_template_workbook(groups=["第一组"], choices=CHOICES))["选民名单"]
    assert sheet.column_dimensions["E"].number_format == "@"  # 公民身份号码
    assert sheet.column_dimensions["K"].number_format == "@"  # 联系电话
    assert sheet.column_dimensions["D"].number_format == "yyyy-mm-dd"  # 出生日期


def test_template_drop_downs():
    groups = [f"第{n}组" for n in range(1, 13)]
    book = load(build_template_workbook(groups=groups, choices=CHOICES))
    validations = {str(v.sqref): v for v in book["选民名单"].data_validations.dataValidation}
    assert validations["B4:B1048576"].formula1 == '"男,女"'  # short list written inline
    assert validations["G4:G1048576"].formula1 == '"中共党员,共青团员,群众"'
    lists = book["选项"]
    by_header = {lists.cell(1, c).value: c for c in range(1, lists.max_column + 1)}
    ethnic = validations["C4:C1048576"]  # 12 options: on the hidden sheet
    letter = column_letter(by_header["民族"] - 1)
    assert ethnic.type == "list" and ethnic.formula1 == f"'选项'!${letter}$2:${letter}$13"
    assert [lists.cell(r, by_header["民族"]).value for r in range(2, 14)] == ETHNIC
    letter = column_letter(by_header["村民小组"] - 1)
    assert validations["H4:H1048576"].formula1 == f"'选项'!${letter}$2:${letter}$13"
    assert validations["E4:E1048576"].type == "textLength"
    assert {"F4:F1048576", "L4:L1048576"} <= validations.keys()


def test_filled_template_reads_back(tmp_path):
    book = load(build_template_workbook(groups=["第一组"], choices=CHOICES))
    sheet = book["选民名单"]
    sheet.append(["张三", "男", "汉族", date(1980, 1, 1), wb.ZHANG_SAN_ID, None, None, "第一组", None, None, None,
                  "户籍在村且居住"])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed, rows = read_all(buffer.getvalue())
    assert parsed.header_row == 3 and parsed.notices == []
    assert set(parsed.columns) == {key for key, _width in TEMPLATE_COLUMNS} and rows[0].row_number == 4
    assert rows[0].values["id_number"] == wb.ZHANG_SAN_ID and rows[0].values["birth_date"] == date(1980, 1, 1)


def test_empty_template_is_refused_as_having_no_rows():
    assert rejection(build_template_workbook(groups=[], choices={}), "模板.xlsx") == "no_data_rows"


# --- The annotated error copy ----------------------------------------------------------------------

def red(cell) -> bool:
    return cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb


def test_annotated_copy_has_error_column_and_red_cells(tmp_path):
    original = wb.titled_workbook(tmp_path / "a.xlsx").read_bytes()
    data = annotate_workbook(original, issues_by_row={5: ["出生日期无法识别", "身份证号码校验码错误"]},
                             cells=[(5, "birth_date"), (5, "id_number"), (6, "no_such_column")])
    sheet = load(data)["选民名单"]
    assert sheet.cell(4, 15).value == "错误说明"
    assert sheet.cell(5, 15).value == "出生日期无法识别；身份证号码校验码错误"
    assert sheet.cell(6, 15).value is None
    assert red(sheet["D5"]) and red(sheet["E5"])
    assert not red(sheet["A5"]) and not red(sheet["D6"])
    assert sheet["A5"].value == "张三" and sheet["A1"].value.startswith("青山镇")  # the user's own content stays


def test_annotating_again_clears_the_earlier_marks(tmp_path):
    original = wb.styled_workbook(tmp_path / "a.xlsx").read_bytes()
    first = annotate_workbook(original, issues_by_row={2: ["旧错误"]}, cells=[(2, "name")])
    second = load(annotate_workbook(first, issues_by_row={3: ["新错误"]}, cells=[(3, "sex")]))["选民名单"]
    header = [c.value for c in second[1]]
    assert header.count("错误说明") == 1
    column = header.index("错误说明") + 1
    assert second.cell(2, column).value is None and second.cell(3, column).value == "新错误"
    assert not red(second["A2"]) and red(second["B3"])
    assert second["A1"].font.bold  # the user's formatting is kept


def test_annotation_finds_columns_like_the_reader(tmp_path):
    original = wb.offset_workbook(tmp_path / "a.xlsx").read_bytes()
    parsed = read_voter_workbook(original, filename="a.xlsx")
    sheet = load(annotate_workbook(original, issues_by_row={4: ["错"]}, cells=[(4, "id_number")],
                                   sheet_name=parsed.sheet_name))["选民名单"]
    assert red(sheet["G4"]) and not red(sheet["F4"])


def test_annotated_copy_reads_back_with_the_note_column_ignored(tmp_path):
    original = wb.clean_workbook(tmp_path / "a.xlsx").read_bytes()
    parsed, rows = read_all(annotate_workbook(original, issues_by_row={2: ["错"]}, cells=[(2, "name")]))
    assert codes(parsed) == ["unknown_column"] and len(rows) == 2


@pytest.mark.parametrize("label", ["居住状况", "是否在本村居住", "在村居住情况", "常住情况"])
def test_residence_header_variants_reach_their_column(label):
    """Issue 13: a register headed 居住状况 used to skip the residence check without a word."""
    assert header_key(label) == "residence"


@pytest.mark.parametrize("label,expected", [
    ("居住地类型", "居住情况"), ("外出务工情况", "外出"), ("身份证号（18位）备用", "公民身份号码"),
    ("家庭电话号", "联系电话"), ("民族成分", "民族"),
])
def test_a_header_that_looks_like_a_column_is_a_warning_naming_it(label, expected):
    from voters.workbook import locate_header

    match = locate_header([["姓名", "性别", label]])
    notice = next(n for n in match.notices if n.code == "similar_column")
    assert f"“{expected}”" in notice.message and label in notice.message


def test_an_unrelated_header_is_only_noted():
    from voters.workbook import locate_header

    match = locate_header([["姓名", "性别", "序号"]])
    assert [n.code for n in match.notices] == ["unknown_column"]


def test_package_inspection_is_freed_before_calamine_loads_the_sheet(tmp_path, monkeypatch):
    """Issue 14 "Bounded memory": the inspection's per-string tables do not add to calamine's peak."""
    import weakref

    from voters import workbook, xlsx_guard

    inspected, alive_at_load = [], []
    inspect, find = xlsx_guard.inspect_package, workbook._find_voter_sheet

    def remembered(fh, limits=xlsx_guard.Limits()):
        facts = inspect(fh, limits)
        inspected.append(weakref.ref(facts))
        return facts

    def find_sheet(book):
        alive_at_load.append(inspected[0]() is not None)
        return find(book)

    monkeypatch.setattr(xlsx_guard, "inspect_package", remembered)
    monkeypatch.setattr(workbook, "_find_voter_sheet", find_sheet)
    parsed = workbook.read_voter_workbook(wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)]), filename="a.xlsx")
    assert alive_at_load == [False]
    assert parsed.grid_cells > 0 and len(list(parsed.rows())) == 1
