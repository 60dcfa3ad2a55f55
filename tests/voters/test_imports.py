"""The import's row checks (voters/imports.py): plain rows and plain context, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.voters.workbooks import valid_id_number
from villages.presets import RuleParameters
from voters import imports
from voters.idnumber import upgrade_legacy_number
from voters.imports import ERROR, INFO, WARNING, ExistingVoter, ImportContext, lookup_category, lookup_group
from voters.workbook import CellIssue, RawRow

ELECTION_DAY = date(2027, 1, 16)
TODAY = date(2026, 11, 21)
GROUPS = {"第1组": 11, "第2组": 12}
NUMBERS = {1: 11, 2: 12}
ZHANG = valid_id_number(date(1980, 1, 1), 123)  # a man
LI = valid_id_number(date(1985, 3, 15), 124)  # a woman
ALL_COLUMNS = {key: key for key in (
    "name", "sex", "ethnicity", "birth_date", "id_number", "education", "political_status", "group", "address",
    "residence", "phone", "category", "away", "remarks", "statement_date", "residence_since", "application_date",
    "approval_meeting", "approval_date")}


def context(**overrides) -> ImportContext:
    values = dict(election_day=ELECTION_DAY, today=TODAY, params=RuleParameters(), groups=GROUPS,
                  group_numbers=NUMBERS)
    values.update(overrides)
    return ImportContext(**values)


def row(number: int = 2, issues=(), **values) -> RawRow:
    cells = {"name": "张三", "sex": "男", "ethnicity": "汉族", "birth_date": date(1980, 1, 1), "id_number": ZHANG,
             "education": "初中", "political_status": "群众", "group": "第1组", "address": "东山村1号",
             "residence": "在本村居住", "phone": "13800138000", "category": "户籍在本村且在本村居住", "away": "否",
             "remarks": None, "statement_date": None, "residence_since": None, "application_date": None,
             "approval_meeting": None, "approval_date": None}
    cells.update(values)
    return RawRow(number, cells, list(issues))


def check(*rows: RawRow, columns=ALL_COLUMNS, **context_values) -> imports.Report:
    return imports.validate_rows(rows, context(**context_values), columns=columns)


def codes(report: imports.Report, level: str = ERROR) -> list[str]:
    return [issue.code for issue in report.issues if issue.level == level]


def test_clean_row_is_new_with_normalised_values():
    report = check(row())
    result = report.results[0]
    assert (result.outcome, report.issues, report.counts["new"]) == ("new", [], 1)
    values = dict(zip(imports.FIELDS, result.values))
    assert values == {
        "name": "张三", "sex": "M", "ethnicity": "01", "birth_date": date(1980, 1, 1), "id_number": ZHANG,
        "education": "70", "education_edition": "2006", "political_status": "13", "group_id": 11,
        "address": "东山村1号", "lives_in_village": True, "phone": "13800138000", "category": "HUJI_RESIDENT",
        "away": False, "remarks": "", "statement_date": None, "residence_since": None, "application_date": None,
        "approval_meeting": "", "approval_date": None, "status": "registered", "not_registered_reason": "",
        # A Party member register's fields (issue 12): a voter list leaves them at their defaults.
        "party_joined_on": None, "party_restriction": "", "org_relation": "", "ill": False,
    }


@pytest.mark.parametrize("values,code,column", [
    ({"id_number": None}, "id_empty", "id_number"),
    ({"id_number": "33010219800101"}, "id_format", "id_number"),
    ({"id_number": ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")}, "id_checksum", "id_number"),
    ({"id_number": "330102198002301234"}, "id_birth_date_invalid", "id_number"),
    ({"id_number": valid_id_number(date(2027, 1, 1), 123)}, "id_birth_date_future", "id_number"),
    ({"id_number": "3.30102198001011E+17"}, "id_excel_float", "id_number"),
    ({"birth_date": date(1980, 1, 2)}, "id_birth_date_mismatch", "birth_date"),
    ({"sex": "女"}, "id_sex_mismatch", "sex"),
    ({"name": None}, "name_missing", "name"),
    ({"address": "村" * 201}, "text_too_long", "address"),
    ({"sex": "男女"}, "sex_unknown", "sex"),
    ({"ethnicity": None}, "ethnicity_missing", "ethnicity"),
    ({"ethnicity": "火星族"}, "ethnicity_unknown", "ethnicity"),
    ({"education": "幼儿园"}, "education_unknown", "education"),
    ({"political_status": "无业"}, "political_status_unknown", "political_status"),
    ({"group": None}, "group_missing", "group"),
    ({"group": "第9组"}, "group_unknown", "group"),
    ({"category": None}, "category_empty", "category"),
    ({"category": "常住人口"}, "category_unknown", "category"),
    ({"residence": "有时候"}, "residence_unknown", "residence"),
    ({"away": "偶尔"}, "away_unknown", "away"),
    ({"remarks": "不予登记"}, "refusal_reason_missing", "remarks"),
])
def test_reports_each_bad_cell_with_its_code_and_column(values, code, column):
    report = check(row(**values))
    errors = [issue for issue in report.issues if issue.level == ERROR]
    assert [(e.code, e.column, e.row) for e in errors] == [(code, column, 2)]
    assert report.results[0].outcome == "error" and report.results[0].values is None
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 0, "error": 1}


def test_unknown_label_names_the_allowed_values():
    report = check(row(education="幼儿园", group="第9组", category="常住"))
    messages = {issue.code: issue.message for issue in report.issues}
    assert "初中" in messages["education_unknown"] and "大学本科" in messages["education_unknown"]
    assert "第1组、第2组" in messages["group_unknown"]
    assert "户籍在本村且在本村居住" in messages["category_unknown"]


def test_cell_the_reader_could_not_read_is_reported_once():
    unreadable = CellIssue(2, "birth_date", "出生日期", "date_unparseable", "“八零年”不是可识别的日期")
    report = check(row(birth_date=None, issues=[unreadable]))
    assert codes(report) == ["date_unparseable"]
    assert codes(report, WARNING) == []


def test_id_number_stored_by_excel_as_number_is_an_error_never_a_guess():
    unreadable = CellIssue(2, "id_number", "公民身份号码", "id_excel_float", "被Excel存成了数字")
    report = check(row(id_number=None, issues=[unreadable]))
    assert codes(report) == ["id_excel_float"]
    assert report.results[0].values is None


@pytest.mark.parametrize("values,codes_expected", [
    ({"birth_date": date(2009, 1, 17), "id_number": valid_id_number(date(2009, 1, 17), 123)}, ["under_age"]),
    ({"category": "户在人不在", "residence": None}, ["absent_statement_missing"]),
    ({"category": "户籍在本村、不在本村居住、本人表示参加选举", "residence": "不在本村居住",
      "statement_date": date(2027, 2, 1)}, ["absent_statement_after_election_day"]),
    ({"category": "人在户不在"}, ["resident_since_missing", "resident_application_missing", "resident_not_approved"]),
    ({"category": "人在户不在", "residence_since": date(2026, 6, 1), "application_date": date(2026, 10, 1),
      "approval_meeting": "村民代表会议", "approval_date": date(2026, 10, 20)}, ["resident_too_short"]),
    ({"category": "人在户不在", "residence_since": date(2020, 6, 1), "application_date": date(2026, 10, 1),
      "approval_meeting": "村民代表会议", "approval_date": date(2026, 9, 20)}, ["resident_approval_before_application"]),
    ({"category": "人在户不在", "residence_since": date(2020, 6, 1), "application_date": date(2026, 10, 1),
      "approval_meeting": "村委会", "approval_date": date(2026, 10, 20)},
     ["approval_meeting_unknown", "resident_not_approved"]),
])
def test_ineligible_person_is_an_error_row(values, codes_expected):
    report = check(row(**values))
    assert codes(report) == codes_expected
    assert report.results[0].outcome == "error"


def test_eligibility_error_tells_how_to_record_a_refusal():
    report = check(row(birth_date=date(2009, 1, 17), id_number=valid_id_number(date(2009, 1, 17), 123)))
    assert "不予登记：原因" in report.issues[0].message


def test_turns_18_on_election_day_is_eligible():
    born = date(2009, 1, 16)
    assert codes(check(row(birth_date=born, id_number=valid_id_number(born, 123)))) == []


def test_category_3_with_full_evidence_is_eligible():
    report = check(row(category="户籍不在本村、在本村居住一年以上、经同意参加选举", residence_since=date(2020, 6, 1),
                       application_date=date(2026, 10, 1), approval_meeting="村民代表会议", approval_date=date(2026, 10, 20)))
    assert report.issues == []
    values = dict(zip(imports.FIELDS, report.results[0].values))
    assert (values["category"], values["approval_meeting"]) == ("RESIDENT_NON_HUJI", "村民代表会议")


def test_person_marked_not_registered_with_reason_is_stored_as_refusal():
    born = date(2009, 6, 1)
    report = check(row(birth_date=born, id_number=valid_id_number(born, 123), remarks="不予登记：未满十八周岁"))
    assert codes(report) == []
    values = dict(zip(imports.FIELDS, report.results[0].values))
    assert (values["status"], values["not_registered_reason"]) == ("not_registered", "未满十八周岁")


def test_rows_alike_in_their_coded_cells_each_get_their_own_findings():
    """The coded cells' findings are worked out once per combination (``_RowCheck.coded_columns``):
    every row still gets them, under its own row number, whatever rows came between."""
    odd = {"ethnicity": "火星族", "residence": "不在本村居住", "group": "第9组"}
    people = [{**odd}, {}, {**odd}, {"away": "也许"}, {"residence": "不在本村居住"}, {"ethnicity": "回族"}]
    rows = [row(n, birth_date=date(1970, 5, n), id_number=valid_id_number(date(1970, 5, n), 101), **cells)
            for n, cells in enumerate(people, start=2)]
    report = check(*rows)
    odd_findings = ["ethnicity_unknown", "group_unknown", "residence_category_mismatch"]
    assert [(i.row, i.code) for i in report.issues] == [
        *((2, code) for code in odd_findings), *((4, code) for code in odd_findings), (5, "away_unknown"),
        (6, "residence_category_mismatch")]
    assert [r.outcome for r in report.results] == ["error", "new", "error", "error", "new", "new"]
    assert [dict(zip(imports.FIELDS, r.values))["ethnicity"] for r in report.results if r.values] == ["01", "01", "03"]


def test_eligibility_of_rows_alike_in_all_but_the_birth_date_follows_each_birth_date():
    """Eligibility is worked out once per birth date's side of 18 and the other facts: a row born the
    day after the last of age is under age between two rows of age."""
    last = date(2009, 1, 16)  # 18 on the election day, 2027-01-16
    days = [last, last + timedelta(days=1), date(1950, 7, 7), last - timedelta(days=1), last + timedelta(days=300)]
    rows = [row(n, birth_date=day, id_number=valid_id_number(day, 101 + 2 * n)) for n, day in enumerate(days, start=2)]
    report = check(*rows)
    assert [(i.row, i.code) for i in report.issues] == [(3, "under_age"), (6, "under_age")]


def test_eligible_person_marked_not_registered_gets_a_warning():
    report = check(row(remarks="不予登记：经村民选举委员会确认无行为能力"))
    assert (codes(report), codes(report, WARNING)) == ([], ["refused_but_eligible"])
    assert report.results[0].outcome == "new"


def test_blank_sex_and_birth_date_are_taken_from_the_id_number_with_warnings():
    report = check(row(sex=None, birth_date=None))
    assert codes(report, WARNING) == ["sex_from_id", "birth_date_from_id"]
    values = dict(zip(imports.FIELDS, report.results[0].values))
    assert (values["sex"], values["birth_date"]) == ("M", date(1980, 1, 1))


def test_legacy_15_digit_number_is_upgraded_with_a_warning():
    report = check(row(id_number="330102800101123"))
    assert codes(report, WARNING) == ["id_legacy_upgraded"]
    assert report.results[0].id_number == upgrade_legacy_number("330102800101123")
    assert report.results[0].id_number.startswith("33010219800101123")


def test_residence_that_contradicts_category_is_a_warning():
    report = check(row(residence="不在本村居住"))
    assert (codes(report), codes(report, WARNING)) == ([], ["residence_category_mismatch"])
    assert dict(zip(imports.FIELDS, report.results[0].values))["lives_in_village"] is False


def test_missing_ethnicity_column_defaults_with_a_file_warning():
    columns = {k: v for k, v in ALL_COLUMNS.items() if k not in ("ethnicity", "political_status")}
    report = check(row(), columns=columns)
    file_issues = [(i.row, i.code, i.column) for i in report.issues if i.row is None]
    assert file_issues == [
        (None, "column_missing_default", "ethnicity"), (None, "column_missing_default", "political_status")]
    assert dict(zip(imports.FIELDS, report.results[0].values))["ethnicity"] == "01"


def test_duplicate_in_file_marks_every_row_and_names_the_others():
    report = check(row(2), row(3, name="李四"), row(4, name="张三"), row(5, id_number=LI, sex="女",
                                                                          birth_date=date(1985, 3, 15)))
    found = sorted((i.row, i.code, i.message) for i in report.issues)
    assert found == [
        (2, "duplicate_in_file", imports.message("duplicate_in_file", rows="3、4")),
        (3, "duplicate_in_file", imports.message("duplicate_in_file", rows=2)),
        (4, "duplicate_in_file", imports.message("duplicate_in_file", rows=2)),
    ]
    assert [r.outcome for r in report.results] == ["error", "error", "error", "new"]
    assert report.counts == {"new": 1, "updated": 0, "unchanged": 0, "error": 3}


def test_same_person_in_another_village_of_the_round_says_whom_to_contact_not_where():
    report = check(row(), elsewhere={ZHANG: "西岭村"})
    assert codes(report) == ["registered_elsewhere"]
    assert "西岭村" not in report.issues[0].message and "乡镇选举办公室" in report.issues[0].message


def test_registered_elsewhere_is_an_error_even_when_marked_not_registered():
    report = check(row(remarks="不予登记：外出"), elsewhere={ZHANG: "西岭村"})
    assert "registered_elsewhere" in codes(report)


def existing_from(result: imports.RowResult, *, voter_id=7, version=3) -> dict[str, ExistingVoter]:
    return {result.id_number: ExistingVoter(voter_id, version, result.values)}


def test_same_person_already_in_village_is_unchanged():
    first = check(row()).results[0]
    report = check(row(), existing=existing_from(first))
    result = report.results[0]
    assert (result.outcome, result.voter_id, result.version, result.changed) == ("unchanged", 7, 3, ())
    assert report.counts["unchanged"] == 1


def test_changed_fields_make_an_update_listing_them():
    first = check(row()).results[0]
    report = check(row(group="第二组", phone="13900000000"), existing=existing_from(first))
    result = report.results[0]
    assert (result.outcome, result.changed) == ("updated", ("group_id", "phone"))
    assert [(i.code, i.level, i.message) for i in report.issues] == [("row_updated", INFO, "将更新：村民小组、联系电话。")]


def test_changed_name_for_same_id_number_is_a_warning():
    first = check(row()).results[0]
    report = check(row(name="张叁"), existing=existing_from(first))
    assert codes(report, WARNING) == ["name_changed"]
    assert report.results[0].outcome == "updated"


def test_column_missing_from_sheet_keeps_the_stored_value():
    first = check(row(phone="13800138000")).results[0]
    columns = {k: v for k, v in ALL_COLUMNS.items() if k != "phone"}
    report = check(row(), columns=columns, existing=existing_from(first))
    assert report.results[0].outcome == "unchanged"


@pytest.mark.parametrize("label,expected", [
    ("户籍在本村且在本村居住", "HUJI_RESIDENT"),
    ("户籍在本村并且在本村居住", "HUJI_RESIDENT"),
    ("户籍在村且居住", "HUJI_RESIDENT"),
    ("户在人在", "HUJI_RESIDENT"),
    ("1", "HUJI_RESIDENT"),
    ("第一类", "HUJI_RESIDENT"),
    ("户籍在本村、不在本村居住、本人表示参加选举", "HUJI_ABSENT"),
    ("户在人不在", "HUJI_ABSENT"),
    ("户籍不在本村、在本村居住一年以上、经同意参加选举", "RESIDENT_NON_HUJI"),
    ("户籍不在本村、在本村居住一年以上，经同意参加选举", "RESIDENT_NON_HUJI"),
    ("人在户不在", "RESIDENT_NON_HUJI"),
    ("３", "RESIDENT_NON_HUJI"),
    ("户籍", None),
    ("常住", None),
])
def test_lookup_category(label, expected):
    assert lookup_category(label) == expected


@pytest.mark.parametrize("label,expected", [
    ("第1组", 11), ("1", 11), ("1组", 11), ("一组", 11), ("第一组", 11), ("第二组", 12), ("２", 12),
    ("第3组", None), ("张家组", None), ("", None),
])
def test_lookup_group_by_name_or_number(label, expected):
    assert lookup_group(label, names=GROUPS, numbers=NUMBERS) == expected


def test_lookup_group_reads_tens():
    assert lookup_group("第十二组", names={}, numbers={12: 5}) == 5
    assert lookup_group("二十", names={}, numbers={20: 6}) == 6


def test_validator_streams_rows_and_reports_first_duplicate_at_finish():
    validator = imports.RowValidator(context(), columns=ALL_COLUMNS)
    first = validator.check(row(2))
    second = validator.check(row(3))
    assert (first.outcome, second.outcome) == ("new", "error")
    late = validator.finish()
    assert [(i.row, i.code) for i in late] == [(2, "duplicate_in_file")]
    assert validator.counts == {"new": 0, "updated": 0, "unchanged": 0, "error": 2}


# --- Re-import against fingerprints (issue 14, "Bounded memory") ---------------------------------

def test_supplied_fields_follow_the_columns_and_always_include_status_and_residence():
    assert imports.supplied_fields(["name", "id_number", "education"]) == (
        "name", "id_number", "education", "education_edition", "lives_in_village", "status", "not_registered_reason")
    assert imports.supplied_fields(ALL_COLUMNS) == tuple(
        name for name in imports.FIELDS if name not in ("party_joined_on", "party_restriction", "org_relation", "ill"))
    assert imports.supplied_fields([*ALL_COLUMNS, "standing", "joined_on", "restriction", "org_relation", "ill"]) == (
        imports.FIELDS)


def test_fingerprint_is_equal_exactly_when_the_compared_values_are():
    base = ("张三", True, 11, date(1980, 1, 1), None, "")
    at = range(len(base))
    assert imports.fingerprint(base, at) == imports.fingerprint(("张三", 1, 11, date(1980, 1, 1), None, ""), at)
    assert len(imports.fingerprint(base, at)) == 16
    for other in (("张叁", True, 11, date(1980, 1, 1), None, ""), ("张三", False, 11, date(1980, 1, 1), None, ""),
                  ("张三", True, 12, date(1980, 1, 1), None, ""), ("张三", True, 11, "1980-01-01", None, ""),
                  ("张三", True, 11, date(1980, 1, 1), "", ""), ("张三", True, 11, date(1980, 1, 1), None, None)):
        assert imports.fingerprint(other, at) != imports.fingerprint(base, at), other
    # Text is length-prefixed: moving a separator between two fields changes the fingerprint.
    assert imports.fingerprint(("a|sb", ""), range(2)) != imports.fingerprint(("a", "b"), range(2))
    # Only the given positions count.
    assert imports.fingerprint(("x", 1), [1]) == imports.fingerprint(("y", 1), [1])


def fingerprinted(result: imports.RowResult, *, columns=ALL_COLUMNS, voter_id=7, version=3):
    """A register of the one voter ``result`` as the service builds it, and a fetch that records its calls."""
    register = imports.Fingerprints(imports.supplied_fields(columns))
    register.add(voter_id, version, result.values)
    calls = []

    def fetch(numbers):
        calls.append(list(numbers))
        return {n: imports.ExistingVoter(voter_id, version, result.values) for n in numbers if n in register}

    return register, fetch, calls


def test_fingerprints_keep_id_version_and_digest_but_no_values():
    first = check(row()).results[0]
    register, _fetch, _calls = fingerprinted(first)
    stored = register[ZHANG]
    assert (len(register), list(register), ZHANG in register, LI in register) == (1, [ZHANG], True, False)
    assert (stored.voter_id, stored.version, stored.values, len(stored.fingerprint)) == (7, 3, None, 16)
    assert register.get(LI) is None


def test_unchanged_voter_is_told_by_its_fingerprint_without_fetching():
    first = check(row()).results[0]
    register, fetch, calls = fingerprinted(first)
    report = check(row(), existing=register, fetch=fetch)
    result = report.results[0]
    assert (result.outcome, result.voter_id, result.version, result.changed) == ("unchanged", 7, 3, ())
    assert (report.counts["unchanged"], calls) == (1, [])


def test_changed_voter_is_settled_with_the_stored_values_fetched_once_per_batch():
    first = check(row()).results[0]
    register, fetch, calls = fingerprinted(first)
    validator = imports.RowValidator(context(existing=register, fetch=fetch), columns=ALL_COLUMNS)
    rows = [row(2, group="第二组", name="张叁"), row(3, id_number=LI, name="李四", sex="女", birth_date=date(1985, 3, 15))]
    results = list(validator.check_rows(rows, batch=10))
    assert calls == [[ZHANG]]
    assert [(r.row, r.outcome, r.changed) for r in results] == [(2, "updated", ("name", "group_id")), (3, "new", ())]
    assert [(i.code, i.level) for i in results[0].issues] == [("name_changed", WARNING), ("row_updated", INFO)]
    assert (results[0].voter_id, results[0].version, dict(zip(imports.FIELDS, results[0].values))["group_id"]) == (
        7, 3, 12)
    assert validator.counts == {"new": 1, "updated": 1, "unchanged": 0, "error": 0}


def test_a_column_the_sheet_lacks_keeps_the_stored_value_with_fingerprints():
    first = check(row(phone="13800138000")).results[0]
    columns = {k: v for k, v in ALL_COLUMNS.items() if k != "phone"}
    register, fetch, calls = fingerprinted(first, columns=columns)
    report = check(row(phone="13900000000"), columns=columns, existing=register, fetch=fetch)
    assert (report.results[0].outcome, calls) == ("unchanged", [])


def test_voter_removed_before_the_fetch_becomes_new():
    first = check(row()).results[0]
    register, _fetch, _calls = fingerprinted(first)
    report = check(row(group="第二组"), existing=register, fetch=lambda numbers: {})
    assert (report.results[0].outcome, report.counts["new"]) == ("new", 1)


def test_duplicate_of_a_waiting_row_counts_the_first_as_an_error_at_finish():
    first = check(row()).results[0]
    register, fetch, _calls = fingerprinted(first)
    validator = imports.RowValidator(context(existing=register, fetch=fetch), columns=ALL_COLUMNS)
    results = list(validator.check_rows([row(2, group="第二组"), row(3)], batch=10))
    assert [r.outcome for r in results] == ["updated", "error"]
    assert [(i.row, i.code) for i in validator.finish()] == [(2, "duplicate_in_file")]
    assert validator.counts == {"new": 0, "updated": 0, "unchanged": 0, "error": 2}


def test_check_rows_yields_every_row_in_order_across_batches():
    first = check(row()).results[0]
    register, fetch, calls = fingerprinted(first)
    validator = imports.RowValidator(context(existing=register, fetch=fetch), columns=ALL_COLUMNS)
    others = [row(n, id_number=valid_id_number(date(1980, 1, 1), 2 * n + 101)) for n in range(3, 8)]
    results = list(validator.check_rows([*others[:3], row(6 + 10, group="第二组"), *others[3:]], batch=2))
    assert [r.row for r in results] == [3, 4, 5, 16, 6, 7]
    assert [r.outcome for r in results] == ["new", "new", "new", "updated", "new", "new"]
    assert calls == [[ZHANG]]
