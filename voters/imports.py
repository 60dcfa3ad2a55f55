"""Step 2 of the voter import (STYLE.md §17): check every parsed row against the rules and the
register, and say what confirming would do to it.

``RowValidator`` takes the rows read by ``voters.workbook`` one at a time, plus an ``ImportContext``
of plain data the service gathered with a constant number of queries (this election's voters, the
other villages' ID numbers, the village's groups, the election day and the round's rules). For each
row it returns a ``RowResult``: the normalised voter fields, the outcome (new / updated with the
fields that change / unchanged / error) and every issue as (row, column, code, Chinese message).

Rules applied (DOMAIN.md "Who is registered"; LAW.md §1.3, §5.1–§5.5):
- the ID number is checked by ``voters.idnumber`` and must agree with the birth date and sex typed
  beside it; a blank birth date or sex is taken from the number, with a warning; an ID number that
  Excel stored as a number is an error, never a guess;
- 性别, 民族, 文化程度, 政治面貌 go through ``voters.codes``; an unknown label is an error naming what
  may be written; the 村民小组 must be one of the village's groups;
- eligibility goes through ``voters.eligibility.assess``. An ineligible person is an error row
  unless the election committee decided not to register them and the sheet says so: 备注 begins
  with “不予登记” followed by the reason (e.g. “不予登记：被剥夺政治权利”). Such a row is stored with
  status 不予登记 and the reason, as OL §13 and the committee's record require. A person marked so
  who meets every rule gets a warning, since the committee may have found them 无行为能力;
- one registration per person in a round (OL §13 ¶3): an ID number twice in the file is an error
  on every row concerned, naming the other rows; one registered in another village of the round is
  an error naming that village. One already in this village's register is matched and updated.

Pure module: no ORM, no clock (``today`` and ``election_day`` come in the context).
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from villages.kinds import UNIT_PARTY_ORGANISATION, party_members
from villages.presets import RuleParameters

from . import codes, eligibility, idnumber
from .workbook import COLUMN_LABELS, PARTY_COLUMNS, PARTY_REQUIRED_COLUMNS, REQUIRED_COLUMNS, SHOWN_VALUE, RawRow, clip

ERROR = "error"
WARNING = "warning"
INFO = "info"

NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"
INVALID = "error"
OUTCOMES = (NEW, UPDATED, UNCHANGED, INVALID)

REGISTERED = "registered"  # voters.models.Status, repeated here to keep this module free of the ORM
NOT_REGISTERED = "not_registered"
REFUSAL_MARK = "不予登记"
_CELL_TEXTS = frozenset({"value", "old", "new", "reason", "residence", "category", "number"})
MESSAGE_PART_MAX = 1000

MESSAGES = {
    "name_missing": "姓名为空。",
    "text_too_long": "{label}最多{limit}个字，这里有{length}个字。",
    "sex_unknown": "“{value}”不是有效的性别，请填写“男”或“女”。",
    "sex_from_id": "性别未填写，已按公民身份号码记为“{sex}”。",
    "birth_date_from_id": "出生日期未填写，已按公民身份号码记为{date}。",
    "id_legacy_upgraded": "15位旧号码已按国家标准升级为18位：{number}。",
    "ethnicity_missing": "民族为空，请填写民族名称，如“汉族”。",
    "ethnicity_unknown": "“{value}”不是民族名称。请填写56个民族之一的名称（如汉族、回族、壮族）或两位代码01至56。",
    "education_unknown": "“{value}”不是可识别的文化程度。可填写：{allowed}。",
    "political_status_unknown": "“{value}”不是可识别的政治面貌。可填写：{allowed}。",
    "group_missing": "村民小组为空。{unit}的村民小组有：{allowed}。",
    "group_unknown": "{unit}没有“{value}”这个村民小组。{unit}的村民小组有：{allowed}。",
    "category_empty": "登记类别为空。可填写：{allowed}。",
    "category_unknown": "“{value}”不是登记类别。可填写：{allowed}。",
    "residence_unknown": "“{value}”不是可识别的居住情况，请填写“在{place}居住”或“不在{place}居住”。",
    "residence_category_mismatch": "居住情况（{residence}）与登记类别（{category}）不一致，请核对。",
    "away_unknown": "“{value}”不是可识别的外出情况，请填写“是”或“否”。",
    "approval_meeting_unknown": "“{value}”不能同意登记，请填写“村民会议”或“村民代表会议”。",
    "not_eligible": "{reason}如经{committee}确认不予登记，请在备注中写明“不予登记：原因”。",
    "refusal_reason_missing": "备注写了“不予登记”，但没有写原因。请写成“不予登记：原因”，如“不予登记：被剥夺政治权利”。",
    "refused_but_eligible": "此人符合登记条件，但备注标明不予登记（{reason}）。请确认这是村民选举委员会的决定。",
    "duplicate_in_file": "公民身份号码与第{rows}行相同。同一人只能登记一次，请删除重复的行。",
    # Never the village: the import's findings are shown to the village's liaison officers too.
    "registered_elsewhere": "公民身份号码已在本届换届选举的其他村登记，每人只能在一个村参加选举（村民委员会组织法第十三条）。"
                            "请与乡镇选举办公室联系核实。",
    "name_changed": "此人在{unit}已登记的姓名是“{old}”，本次为“{new}”，请核对是否同一人。",
    "column_missing_default": "文件中没有“{label}”列：新登记的选民{label}记为“{default}”，已登记的选民保持原值。",
    "row_updated": "将更新：{fields}。",
    # A Party member register (``villages.kinds.party_members``).
    "standing_missing": "党员类别为空，请填写“正式党员”或“预备党员”。",
    "standing_unknown": "“{value}”不是党员类别，请填写“正式党员”或“预备党员”。",
    "restriction_unknown": "“{value}”不是可识别的处分或强制措施。可填写：无、留党察看、留置、被逮捕。",
    "ill_unknown": "“{value}”不是可识别的患病情况，请填写“是”或“否”。",
    "joined_after_today": "入党日期{date}晚于今天，请核对。",
    "joined_before_adult": "入党日期{date}时此人未满十八周岁，请核对入党日期和出生日期。",
    "member_excluded": "{reason}。此人列入党员名册，不计入有选举权的党员。",
    "member_suspended": "{reason}。此人列入党员名册，暂停行使选举权利期间不计入有选举权的党员。",
    "registered_in_other_organisation": "公民身份号码已在本届换届选举的其他党组织党员名册中，一名党员只能在组织关系所在的党组织参加选举。"
                                        "请与乡镇党委联系核实。",
    "party_column_ignored": "“{label}”列是党员名册的列，不是选民名单的列，已忽略。",
}
# A 人大 选区's wording where it differs (Election Law Art. 27): the import serves every kind.
DISTRICT_MESSAGES = {
    "registered_elsewhere": "公民身份号码已在本届选举的其他选区登记，每一选民只能在一个选区登记（选举法第二十七条）。"
                            "请与选举委员会联系核实。",
}

# The voter fields an import writes, in the order of ``RowResult.values`` (voters.models.Voter).
FIELDS = (
    "name", "sex", "ethnicity", "birth_date", "id_number", "education", "education_edition",
    "political_status", "group_id", "address", "lives_in_village", "phone", "category", "away",
    "remarks", "statement_date", "residence_since", "application_date", "approval_meeting",
    "approval_date", "status", "not_registered_reason",
    "party_joined_on", "party_restriction", "org_relation", "ill",
)
FIELD_INDEX = {name: index for index, name in enumerate(FIELDS)}
FIELD_LABELS = {
    "name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期", "id_number": "公民身份号码",
    "education": "文化程度", "education_edition": "文化程度代码版本", "political_status": "政治面貌",
    "group_id": "村民小组", "address": "户籍地址", "lives_in_village": "居住情况", "phone": "联系电话",
    "category": "登记类别", "away": "外出", "remarks": "备注", "statement_date": "本人表示参加日期",
    "residence_since": "居住起始日期", "application_date": "申请日期", "approval_meeting": "同意会议",
    "approval_date": "同意日期", "status": "登记状态", "not_registered_reason": "不予登记原因",
    "party_joined_on": "入党日期", "party_restriction": "处分或强制措施", "org_relation": "组织关系", "ill": "患病",
}
# Which fields each column of the sheet supplies. Fields of a column the sheet lacks keep their
# stored value (or the model default for a new voter); status, reason and residence always follow
# the row, because a row in the list is a registration unless it says otherwise.
COLUMN_FIELDS = {
    "name": ("name",), "sex": ("sex",), "ethnicity": ("ethnicity",), "birth_date": ("birth_date",),
    "id_number": ("id_number",), "education": ("education", "education_edition"),
    "political_status": ("political_status",), "group": ("group_id",), "address": ("address",),
    "phone": ("phone",), "category": ("category",), "away": ("away",), "remarks": ("remarks",),
    "statement_date": ("statement_date",), "residence_since": ("residence_since",),
    "application_date": ("application_date",), "approval_meeting": ("approval_meeting",),
    "approval_date": ("approval_date",),
    "standing": ("category", "political_status"), "joined_on": ("party_joined_on",),
    "restriction": ("party_restriction",), "org_relation": ("org_relation",), "ill": ("ill",),
}
ALWAYS_SUPPLIED = ("lives_in_village", "status", "not_registered_reason")
# Model defaults for a new voter when the sheet has no such column (voters.models.Voter).
DEFAULTS: dict[str, Any] = {
    "ethnicity": codes.HAN, "education": "", "education_edition": codes.EDUCATION_EDITION_2006,
    "political_status": codes.MASSES, "address": "", "phone": "", "away": False, "remarks": "",
    "statement_date": None, "residence_since": None, "application_date": None, "approval_meeting": "",
    "approval_date": None, "party_joined_on": None, "party_restriction": "", "org_relation": "", "ill": False,
}
# Defaults worth a warning: a whole village counted as 汉族 or 群众 skews the reports.
WARN_MISSING_COLUMNS = {"ethnicity": "汉族", "political_status": "群众"}
MAX_LENGTHS = {"name": 30, "address": 200, "phone": 30, "remarks": 200, "org_relation": 100}

# The column each eligibility failure is about (voters.eligibility.ERROR_MESSAGES).
ELIGIBILITY_COLUMNS = {
    "birth_date_missing": "birth_date", "under_age": "birth_date", "category_missing": "category",
    "absent_statement_missing": "statement_date", "absent_statement_after_election_day": "statement_date",
    "resident_since_missing": "residence_since", "resident_too_short": "residence_since",
    "resident_application_missing": "application_date",
    "resident_application_after_election_day": "application_date",
    "resident_not_approved": "approval_meeting", "resident_approval_after_election_day": "approval_date",
    "resident_approval_before_application": "approval_date",
}

SEX_LABELS = {"M": "男", "F": "女"}
_SEX_FROM_CODE = {codes.SEX_MALE: "M", codes.SEX_FEMALE: "F"}

# What the template's drop-downs offer, and what an error names as allowed.
CATEGORY_CHOICES = {
    eligibility.HUJI_RESIDENT: "户籍在本村且在本村居住",
    eligibility.HUJI_ABSENT: "户籍在本村、不在本村居住、本人表示参加选举",
    eligibility.RESIDENT_NON_HUJI: "户籍不在本村、在本村居住一年以上、经同意参加选举",
}
EDUCATION_CHOICES = ("研究生", "大学本科", "大学专科", "中专", "技工学校", "职业高中", "高中", "初中", "小学", "文盲或半文盲")
POLITICAL_STATUS_CHOICES = tuple(status.short for status in codes.POLITICAL_STATUS.values())
RESIDENCE_CHOICES = ("在本村居住", "不在本村居住")
# The same drop-downs for a 人大 选区 (the register's categories of Election Law Art. 27).
DISTRICT_CATEGORY_CHOICES = dict(eligibility.DISTRICT_CATEGORIES)
DISTRICT_RESIDENCE_CHOICES = ("在本选区居住", "不在本选区居住")
AWAY_CHOICES = ("否", "是")

# Labels of 登记类别 after _squeeze(): the three legal wordings and what liaison officers write.
_CATEGORY_LABELS = {
    "户籍在居住": eligibility.HUJI_RESIDENT, "户在人在": eligibility.HUJI_RESIDENT,
    "户籍选民": eligibility.HUJI_RESIDENT,
    "户籍在不在居住": eligibility.HUJI_ABSENT, "户籍在不居住": eligibility.HUJI_ABSENT,
    "户籍在外出": eligibility.HUJI_ABSENT, "户在人不在": eligibility.HUJI_ABSENT,
    "户籍不在居住": eligibility.RESIDENT_NON_HUJI, "人在户不在": eligibility.RESIDENT_NON_HUJI,
    "非户籍": eligibility.RESIDENT_NON_HUJI, "外来人员": eligibility.RESIDENT_NON_HUJI,
    "外来": eligibility.RESIDENT_NON_HUJI, "寄居": eligibility.RESIDENT_NON_HUJI,
}
_CATEGORY_NUMBERS = {"1": eligibility.HUJI_RESIDENT, "2": eligibility.HUJI_ABSENT, "3": eligibility.RESIDENT_NON_HUJI}
_CATEGORY_NOISE = re.compile("[本且并和但的、，,；;。.（）()\\s]|第|类")
_RESIDENCE = {
    "在村居住": True, "在本村居住": True, "本村居住": True, "在村": True, "在本村": True, "居住": True,
    "常住": True, "是": True, "在": True,
    "在本选区居住": True, "不在本选区居住": False,
    "不在村居住": False, "不在本村居住": False, "不在村": False, "不在本村": False, "不居住": False,
    "外出": False, "外地": False, "否": False, "不在": False,
}
_AWAY = {
    "是": True, "外出": True, "有": True, "Y": True, "YES": True, "1": True, "√": True,
    "否": False, "未外出": False, "不外出": False, "在家": False, "在村": False, "无": False, "N": False,
    "NO": False, "0": False, "×": False,
}
_MEETINGS = {
    "村民会议": eligibility.VILLAGERS_MEETING, "村民代表会议": eligibility.REPRESENTATIVES_MEETING,
    "代表会议": eligibility.REPRESENTATIVES_MEETING, "村代会": eligibility.REPRESENTATIVES_MEETING,
}
_REFUSAL = re.compile(r"^不予登记[\s:：,，;；、\-—]*(.*)$", re.S)
_GROUP_NUMBER = re.compile(r"^第?([0-9]+|[零〇一二两三四五六七八九十百]+)(?:村民小组|村民组|小组|组|队)?$")
_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class ExistingVoter(NamedTuple):
    """A voter of this election as stored: its key, version and ``FIELDS`` values; or, from a
    ``Fingerprints`` register, its key, version and the ``fingerprint`` of the compared fields only
    (``values`` None: the validator fetches them when the row's fingerprint differs)."""

    voter_id: int
    version: int
    values: tuple | None
    fingerprint: bytes = b""


FETCH_BATCH = 1000  # rows checked before the stored values of the changed ones are fetched at once
ASSESSMENTS_KEPT = 10_000  # eligibility answers remembered per file (about 250 bytes each)
CODED_KEPT = 10_000  # combinations of coded cells remembered per file (_RowCheck.coded_columns)
_CODED_COLUMNS = ("ethnicity", "education", "political_status", "group", "category", "residence", "away",
                  "approval_meeting", "standing", "restriction", "ill")
_NOTHING: frozenset[str] = frozenset()
_RECORD = struct.Struct("<qq16s")  # voter id, version, fingerprint: one bytes object per voter


def is_party_register(params) -> bool:
    """A Party member register (党员名册): the kind's register is its Party organisation's members."""
    return getattr(params, "registration", None) == UNIT_PARTY_ORGANISATION


def required_columns(params) -> tuple[str, ...]:
    """The columns a workbook for this kind's register must have (``voters.workbook``)."""
    return PARTY_REQUIRED_COLUMNS if is_party_register(params) else REQUIRED_COLUMNS


def kind_columns(columns: Mapping[str, str], params) -> dict[str, str]:
    """The sheet's columns this kind's register reads: a voter list ignores a Party member register's own."""
    if is_party_register(params):
        return dict(columns)
    return {key: label for key, label in columns.items() if key not in PARTY_COLUMNS}


def supplied_fields(columns: Iterable[str]) -> tuple[str, ...]:
    """The ``FIELDS`` a sheet with these column keys writes (the others keep their stored value),
    in ``FIELDS`` order: what a re-import compares."""
    supplied = {name for key in columns for name in COLUMN_FIELDS.get(key, ())}
    supplied.update(ALWAYS_SUPPLIED)
    return tuple(name for name in FIELDS if name in supplied)


def fingerprint(values: Sequence[Any], indexes: Iterable[int]) -> bytes:
    """A 16-byte digest of ``values`` at ``indexes`` (positions in ``FIELDS``): equal for two rows
    exactly when those values are equal as the import compares them (``==``: True and 1 alike, a
    date and its text not), so a re-import tells an unchanged voter from its fingerprint alone."""
    parts = []
    for index in indexes:
        value = values[index]
        if value is None:
            parts.append("n")
        elif isinstance(value, (bool, int)):
            parts.append(f"i{int(value)}")
        elif isinstance(value, str):
            parts.append(f"s{len(value)}:{value}")
        elif isinstance(value, date):
            parts.append(f"{'t' if isinstance(value, datetime) else 'd'}{value.isoformat()}")
        else:
            text = repr(value)
            parts.append(f"r{len(text)}:{text}")
    return hashlib.blake2b("|".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Fingerprints(Mapping[str, ExistingVoter]):
    """This election's voters for a re-import in little memory: per ID number, one 32-byte record
    of the voter's id, version and the ``fingerprint`` of the fields the sheet supplies (about 160
    bytes a voter in all, 32 MB for 200,000, against 660 bytes with the stored values). ``get`` gives an
    ``ExistingVoter`` without values; the validator fetches the values (``ImportContext.fetch``)
    only for rows whose fingerprint differs."""

    def __init__(self, supplied: Iterable[str]):
        self.indexes = tuple(FIELD_INDEX[name] for name in supplied)
        self._records: dict[str, bytes] = {}

    def add(self, voter_id: int, version: int, values: Sequence[Any]) -> None:
        self._records[values[FIELD_INDEX["id_number"]]] = _RECORD.pack(
            voter_id, version, fingerprint(values, self.indexes))

    def __getitem__(self, number: str) -> ExistingVoter:
        voter_id, version, digest = _RECORD.unpack(self._records[number])
        return ExistingVoter(voter_id, version, None, digest)

    def get(self, number: str, default: ExistingVoter | None = None) -> ExistingVoter | None:
        record = self._records.get(number)  # most rows of a first import are absent: no KeyError each
        if record is None:
            return default
        voter_id, version, digest = _RECORD.unpack(record)
        return ExistingVoter(voter_id, version, None, digest)

    def __contains__(self, number: object) -> bool:
        return number in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


@dataclass(frozen=True)
class ImportContext:
    """Everything the rules need besides the rows, as plain data.

    ``existing`` holds this election's voters by ID number, with their values or (``Fingerprints``)
    only a fingerprint of them; ``fetch`` then returns the stored ``ExistingVoter`` with values for
    a list of ID numbers (those missing were removed meanwhile). ``elsewhere`` maps the ID numbers
    registered in the round's other villages to the village's name; ``groups`` maps each group's
    name to its id and ``group_numbers`` its number to its id.
    """

    election_day: date
    today: date
    params: RuleParameters
    groups: Mapping[str, int]
    group_numbers: Mapping[int, int]
    existing: Mapping[str, ExistingVoter] = field(default_factory=dict)
    elsewhere: Mapping[str, str] = field(default_factory=dict)
    fetch: Callable[[list[str]], Mapping[str, ExistingVoter]] | None = None
    unit: str = "本村"  # how messages name the electoral unit: 本村, or 本选区 (人大)
    committee: str = "村民选举委员会"  # who decides not to register someone
    categories: Mapping[str, str] = field(default_factory=lambda: CATEGORY_CHOICES)  # the kind's wording

    @property
    def is_district(self) -> bool:
        return self.unit == "本选区"

    @property
    def category_list(self) -> str:
        return "、".join(self.categories.values())


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: ``row`` is the Excel row (None for the whole file), ``column`` a column key of
    ``voters.workbook`` ("" for the whole row), ``level`` ERROR, WARNING or INFO."""

    row: int | None
    column: str
    code: str
    message: str
    level: str = ERROR

    def as_dict(self, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
        label = (labels or {}).get(self.column) or COLUMN_LABELS.get(self.column, "")
        return {"row": self.row, "column": self.column, "label": label, "code": self.code,
                "message": self.message, "level": self.level}


@dataclass(slots=True)
class RowResult:
    """What confirming would do with one row. ``values`` follows ``FIELDS`` (None on error rows);
    ``changed`` names the fields an update writes."""

    row: int
    outcome: str
    values: tuple | None = None
    voter_id: int | None = None
    version: int | None = None
    changed: tuple[str, ...] = ()
    issues: list[Issue] = field(default_factory=list)

    @property
    def id_number(self) -> str | None:
        return self.values[FIELD_INDEX["id_number"]] if self.values else None


@dataclass
class Report:
    """Every row's result, every issue (file-level ones first) and the outcome counts."""

    results: list[RowResult]
    issues: list[Issue]
    counts: dict[str, int]

    @property
    def has_errors(self) -> bool:
        return any(issue.level == ERROR for issue in self.issues)


def message(code: str, **values: object) -> str:
    """The message of ``code``. A quoted cell text is cut to a few dozen characters and any other
    text to ``MESSAGE_PART_MAX``, so that no file makes a huge message (messages are stored on the
    job and in its issues file)."""
    return MESSAGES[code].format(**{
        k: clip(v, limit=SHOWN_VALUE if k in _CELL_TEXTS else MESSAGE_PART_MAX) if isinstance(v, str) else v
        for k, v in values.items()})


def lookup_category(label: object) -> str | None:
    """The registration category for the legal wording, its usual short forms (户在人在, 人在户不在…)
    or the numbers 1–3; None for anything else."""
    if label is None:
        return None
    squeezed = _squeeze(unicodedata.normalize("NFKC", str(label)))
    if squeezed in _CATEGORY_LABELS:
        return _CATEGORY_LABELS[squeezed]
    if squeezed in _CATEGORY_NUMBERS:
        return _CATEGORY_NUMBERS[squeezed]
    if squeezed in ("一", "二", "三"):
        return _CATEGORY_NUMBERS[str("一二三".index(squeezed) + 1)]
    # The legal wordings go on after the residence part ("…、本人表示参加选举", "…一年以上、经同意…").
    for prefix in ("户籍不在居住", "户籍在不在居住", "户籍在居住"):
        if squeezed.startswith(prefix):
            return _CATEGORY_LABELS[prefix]
    return None


def lookup_group(label: object, *, names: Mapping[str, int], numbers: Mapping[int, int]) -> int | None:
    """The id of the village's group written as its name ("第1组", "张家组"), its number ("1", "一组",
    "第一组") or "1组"; None if the village has no such group."""
    if label is None:
        return None
    text = "".join(unicodedata.normalize("NFKC", str(label)).split())
    if text in names:
        return names[text]
    match = _GROUP_NUMBER.fullmatch(text)
    if not match:
        return None
    number = _chinese_number(match.group(1))
    return numbers.get(number) if number is not None else None


class RowValidator:
    """Checks the rows of one file, one at a time, remembering what it needs across rows (the ID
    numbers seen, for duplicates) and nothing else, so that a 200,000-row file is checked in
    constant memory apart from that set.

    ``columns`` maps the column keys present in the sheet to the header as the user wrote it.
    With a ``Fingerprints`` register, ``check_rows`` fetches the stored values of the rows whose
    fingerprint differs ``FETCH_BATCH`` rows at a time; ``check`` fetches them row by row.
    """

    def __init__(self, context: ImportContext, *, columns: Mapping[str, str]):
        self.context = context
        self.party = is_party_register(context.params)
        self.ignored = {key: label for key, label in columns.items() if key not in kind_columns(columns, context.params)}
        columns = kind_columns(columns, context.params)
        self.labels = dict(columns)
        self.counts = dict.fromkeys(OUTCOMES, 0)
        self._supplied = supplied_fields(columns)
        self._supplied_at = tuple(FIELD_INDEX[name] for name in self._supplied)
        self._defaults = tuple(DEFAULTS.get(name) for name in FIELDS)
        self.group_list = "、".join(context.groups) or "（本村尚未设置村民小组）"
        # ID number -> its first row and that row's outcome, packed in one int (row * 4 + outcome)
        # because this is the one structure that grows with the file: 200,000 entries.
        self._seen: dict[str, int] = {}
        self._repeats: dict[str, list[int]] = {}  # ID number -> later rows with it
        self._lookups: dict[tuple[str, object], Any] = {}
        self._coded: dict[tuple, tuple[dict[str, Any], list[tuple]]] = {}  # _RowCheck.coded_columns
        # Eligibility by the facts it reads, the birth date as of age or not: rows repeat them.
        self._assessments: dict[tuple, eligibility.Assessment] = {}
        self._adult_born_by = eligibility.adult_born_by(
            context.election_day,
            leap_day_birthday_turns_on_march_1=getattr(context.params, "leap_day_birthday_turns_on_march_1", True))

    def file_issues(self) -> list[Issue]:
        """Warnings about the sheet as a whole (columns whose absence means a default)."""
        warned = {"ethnicity": WARN_MISSING_COLUMNS["ethnicity"]} if self.party else WARN_MISSING_COLUMNS
        return [
            Issue(None, key, "column_missing_default",
                  message("column_missing_default", label=COLUMN_LABELS[key], default=default), WARNING)
            for key, default in warned.items() if key not in self.labels
        ] + [Issue(None, "", "party_column_ignored", message("party_column_ignored", label=label), INFO)
             for label in self.ignored.values()]

    def check(self, row: RawRow) -> RowResult:
        """Check one row and decide its outcome."""
        return next(self.check_rows((row,)))

    def check_rows(self, rows: Iterable[RawRow], *, batch: int = FETCH_BATCH) -> Iterator[RowResult]:
        """Check ``rows`` in order and yield each result, at most ``batch`` rows behind: a row of a
        voter already registered whose fingerprint differs waits for its stored values, which are
        fetched for the whole batch at once (``context.fetch``; none for a batch without such rows)."""
        waiting: list[tuple[RowResult, dict[str, Any] | None]] = []
        fetch: list[str] = []
        for row in rows:
            result, found = self._first_pass(row)
            waiting.append((result, found))
            if found is not None:
                fetch.append(found["id_number"])
            if len(waiting) >= batch:
                yield from self._settle(waiting, fetch)
                waiting, fetch = [], []
        yield from self._settle(waiting, fetch)

    def finish(self) -> list[Issue]:
        """Issues known only at the end: the first row of each repeated ID number names its repeats."""
        late = []
        for number, rows in self._repeats.items():
            first, outcome = divmod(self._seen[number], 4)
            outcome = OUTCOMES[outcome]
            late.append(Issue(first, "id_number", "duplicate_in_file",
                              message("duplicate_in_file", rows="、".join(map(str, rows)))))
            if outcome != INVALID:
                self.counts[outcome] -= 1
                self.counts[INVALID] += 1
        return late

    def _first_pass(self, row: RawRow) -> tuple[RowResult, dict[str, Any] | None]:
        """The row's checks and, but for a registered voter whose fingerprint differs (returned
        with its fields, to be settled with the stored values), its outcome."""
        if row.issues:
            issues = [Issue(row.row_number, cell.column_key, cell.code, cell.message) for cell in row.issues]
            unreadable = {cell.column_key for cell in row.issues}
        else:
            issues, unreadable = [], _NOTHING
        checker = _RowCheck(self, row, issues, unreadable)
        values = checker.run()
        has_error = bool(issues) and any(issue.level == ERROR for issue in issues)
        number = values["id_number"] if values else None
        if number is not None:
            has_error = self._check_repeats(row.row_number, number, issues) or has_error
        waits = None
        if has_error:
            result = RowResult(row.row_number, INVALID, issues=issues)
        else:
            existing = self.context.existing.get(number)
            if existing is not None and existing.values is None:
                supplied = tuple(map(values.get, FIELDS))
                if fingerprint(supplied, self._supplied_at) == existing.fingerprint:
                    result = RowResult(row.row_number, UNCHANGED, supplied, existing.voter_id, existing.version,
                                       issues=issues)
                else:  # an update, settled once the stored values are fetched
                    result, waits = RowResult(row.row_number, UPDATED, issues=issues), values
            else:
                result = self._outcome(row.row_number, values, issues, existing)
        if number is not None and number not in self._seen:
            self._seen[number] = row.row_number * 4 + OUTCOMES.index(result.outcome)
        if waits is None:
            self.counts[result.outcome] += 1
        return result, waits

    def _settle(self, waiting: list[tuple[RowResult, dict[str, Any] | None]],
                fetch: list[str]) -> Iterator[RowResult]:
        stored = self.context.fetch(fetch) if fetch else {}
        for result, found in waiting:
            if found is not None:
                settled = self._outcome(result.row, found, result.issues, stored.get(found["id_number"]))
                result.outcome, result.values, result.voter_id, result.version, result.changed = (
                    settled.outcome, settled.values, settled.voter_id, settled.version, settled.changed)
                self.counts[result.outcome] += 1
                # A waiting row is its number's first (a repeat is an error): record its outcome.
                self._seen[found["id_number"]] = result.row * 4 + OUTCOMES.index(result.outcome)
            yield result

    def _check_repeats(self, row_number: int, number: str, issues: list[Issue]) -> bool:
        if number not in self._seen:
            return False
        first = self._seen[number] // 4
        self._repeats.setdefault(number, []).append(row_number)
        issues.append(Issue(row_number, "id_number", "duplicate_in_file", message("duplicate_in_file", rows=first)))
        return True

    def _outcome(self, row_number: int, found: dict[str, Any], issues: list[Issue],
                 existing: ExistingVoter | None) -> RowResult:
        if existing is None:
            values = tuple(map(found.get, FIELDS, self._defaults))
            return RowResult(row_number, NEW, values, issues=issues)
        old = existing.values
        values = tuple(map(found.get, FIELDS, old))
        changed = tuple(name for name in self._supplied if values[FIELD_INDEX[name]] != old[FIELD_INDEX[name]])
        if "name" in changed:
            issues.append(Issue(row_number, "name", "name_changed",
                                message("name_changed", old=old[0], new=values[0], unit=self.context.unit), WARNING))
        if not changed:
            return RowResult(row_number, UNCHANGED, values, existing.voter_id, existing.version, issues=issues)
        fields = "、".join(dict.fromkeys(FIELD_LABELS[name] for name in changed if name != "education_edition"))
        issues.append(Issue(row_number, "", "row_updated", message("row_updated", fields=fields), INFO))
        return RowResult(row_number, UPDATED, values, existing.voter_id, existing.version, changed, issues)

    def lookup_group(self, label: object) -> int | None:
        return lookup_group(label, names=self.context.groups, numbers=self.context.group_numbers)

    def cached(self, kind: str, label: object, lookup) -> Any:
        """Code lookups repeat the same few labels thousands of times; remember each answer."""
        key = (kind, label)
        try:
            return self._lookups[key]
        except KeyError:
            value = self._lookups[key] = lookup(label)
            return value


class _RowCheck:
    """The checks of one row, in column order; collects issues and the normalised fields."""

    __slots__ = ("v", "context", "row", "raw", "issues", "unreadable", "found")

    def __init__(self, validator: RowValidator, row: RawRow, issues: list[Issue], unreadable: Set[str]):
        self.v = validator
        self.context = validator.context
        self.row = row
        self.raw = row.values
        self.issues = issues
        self.unreadable = unreadable
        self.found: dict[str, Any] = {}

    def error(self, column: str, code: str, text: str | None = None, level: str = ERROR, **values) -> None:
        self.issues.append(Issue(self.row.row_number, column, code, text or message(code, **values), level))

    def run(self) -> dict[str, Any] | None:
        raw, found, present = self.raw, self.found, self.v.labels
        for key, limit in MAX_LENGTHS.items():
            if key in present:
                value = raw.get(key)
                text = "" if value is None else str(value)
                if len(text) > limit:
                    self.error(key, "text_too_long", label=COLUMN_LABELS[key], limit=limit, length=len(text))
                found[key] = text
        if not found.get("name") and "name" not in self.unreadable:
            self.error("name", "name_missing")
        parsed = self.id_number()
        found["sex"] = self.sex(parsed)
        found["birth_date"] = self.birth_date(parsed)
        if parsed is not None:
            for mismatch in idnumber.check_against(parsed, birth_date=found["birth_date"], sex=found["sex"]):
                column = "birth_date" if mismatch.code == "id_birth_date_mismatch" else "sex"
                self.error(column, mismatch.code, mismatch.message)
        self.coded_columns()
        for key in ("statement_date", "residence_since", "application_date", "approval_date"):
            if key in present:
                found[key] = raw.get(key)
        if self.v.party:
            self.party_rights(parsed)
        else:
            self.eligibility(parsed)
        return found if parsed is not None else None

    def coded_columns(self) -> None:
        """The columns read through a code list or the village's groups. What they find depends on
        their cells alone, and a list repeats a few combinations of them: each is worked out once."""
        if self.unreadable:  # what a blank cell means depends on the row's unreadable cells
            self._coded_columns()
            return
        key = tuple(map(self.raw.get, _CODED_COLUMNS))
        known = self.v._coded.get(key)
        if known is None:
            scratch = _RowCheck(self.v, self.row, [], self.unreadable)
            scratch._coded_columns()
            known = (scratch.found, [(i.column, i.code, i.message, i.level) for i in scratch.issues])
            if len(self.v._coded) < CODED_KEPT:
                self.v._coded[key] = known
        self.found.update(known[0])
        for column, code, text, level in known[1]:
            self.issues.append(Issue(self.row.row_number, column, code, text, level))

    def _coded_columns(self) -> None:
        if self.v.party:
            self._party_columns()
            return
        found, present = self.found, self.v.labels
        if "ethnicity" in present:
            found["ethnicity"] = self.coded("ethnicity", codes.lookup_ethnic_group, required=True)
        if "education" in present:
            found["education"] = self.coded("education", codes.lookup_education) or ""
            found["education_edition"] = codes.EDUCATION_EDITION_2006
        if "political_status" in present:
            found["political_status"] = self.coded("political_status", codes.lookup_political_status) or codes.MASSES
        found["group_id"] = self.group()
        found["category"] = self.category()
        found["lives_in_village"] = self.residence(found["category"])
        if "away" in present:
            found["away"] = self.choice("away", _AWAY, "away_unknown", default=False)
        if "approval_meeting" in present:
            found["approval_meeting"] = self.choice(
                "approval_meeting", _MEETINGS, "approval_meeting_unknown", default="")

    def _party_columns(self) -> None:
        """A Party member's coded cells: the shared ones, the standing (with the political status it implies),
        the measure, away and ill; a 村民小组 only when the sheet gives one."""
        found, present = self.found, self.v.labels
        if "ethnicity" in present:
            found["ethnicity"] = self.coded("ethnicity", codes.lookup_ethnic_group, required=True)
        if "education" in present:
            found["education"] = self.coded("education", codes.lookup_education) or ""
            found["education_edition"] = codes.EDUCATION_EDITION_2006
        found["group_id"] = self.group() if self.raw.get("group") is not None else None
        value = self.raw.get("standing")
        standing = self.v.cached("standing", value, party_members.lookup_standing)
        if value is None and "standing" not in self.unreadable:
            self.error("standing", "standing_missing")
        elif standing is None and value is not None:
            self.error("standing", "standing_unknown", value=value)
        found["category"] = standing
        found["political_status"] = party_members.political_status(standing) if standing else None
        found["lives_in_village"] = True
        restriction = self.v.cached("restriction", self.raw.get("restriction"), party_members.lookup_restriction)
        if restriction is None:
            self.error("restriction", "restriction_unknown", value=self.raw.get("restriction"))
        found["party_restriction"] = restriction or ""
        for key, lookup in (("away", party_members.lookup_away), ("ill", party_members.lookup_ill)):
            if key in present:
                flag = self.v.cached(key, self.raw.get(key), lookup)
                if flag is None:
                    self.error(key, f"{key}_unknown", value=self.raw.get(key))
                found[key] = bool(flag)

    def party_rights(self, parsed: idnumber.IdNumber | None) -> None:
        """The member's status and reason (``party_members.rights``), the joining date's plausibility, and one
        register per member in the round (the organisation holding the member's organisational relationship)."""
        found = self.found
        if "org_relation" in self.v.labels:
            found["org_relation"] = found.get("org_relation", "")
        joined = self.raw.get("joined_on") if "joined_on" in self.v.labels else None
        found["party_joined_on"] = joined
        if joined is not None:
            born = found.get("birth_date")
            if joined > self.context.today:
                self.error("joined_on", "joined_after_today", date=joined.isoformat())
            elif born is not None and born > eligibility.adult_born_by(joined):
                self.error("joined_on", "joined_before_adult", level=WARNING, date=joined.isoformat())
        if found.get("id_number") and self.context.elsewhere.get(found["id_number"]):
            self.error("id_number", "registered_in_other_organisation")
        standing, restriction = found.get("category"), found.get("party_restriction")
        if standing is None or restriction is None:
            found["status"], found["not_registered_reason"] = party_members.ENTITLED, ""
            return
        rights = party_members.rights(standing, restriction)
        found["status"], found["not_registered_reason"] = rights.status, rights.reason[:200]
        if rights.status == party_members.EXCLUDED:
            self.error("standing" if standing == party_members.PROBATIONARY else "restriction", "member_excluded",
                       level=INFO, reason=rights.reason)
        elif rights.status == party_members.SUSPENDED:
            self.error("restriction", "member_suspended", level=INFO, reason=rights.reason)

    def id_number(self) -> idnumber.IdNumber | None:
        value = self.raw.get("id_number")
        if "id_number" in self.unreadable:
            return None
        try:
            parsed = idnumber.parse_id_number(value, today=self.context.today)
        except idnumber.IdNumberError as exc:
            self.error("id_number", exc.code, exc.message)
            return None
        self.found["id_number"] = parsed.number
        if parsed.is_legacy:
            self.error("id_number", "id_legacy_upgraded", level=WARNING, number=parsed.number)
        return parsed

    def sex(self, parsed: idnumber.IdNumber | None) -> str | None:
        value = self.raw.get("sex")
        code = self.v.cached("sex", value, codes.lookup_sex) if value is not None else None
        if code in _SEX_FROM_CODE:
            return _SEX_FROM_CODE[code]
        if value is not None and code is None:
            self.error("sex", "sex_unknown", value=value)
            return None
        if parsed is not None and "sex" not in self.unreadable:
            self.error("sex", "sex_from_id", level=WARNING, sex=SEX_LABELS[parsed.sex])
            return parsed.sex
        return None

    def birth_date(self, parsed: idnumber.IdNumber | None) -> date | None:
        value = self.raw.get("birth_date")
        if value is not None or "birth_date" in self.unreadable:
            return value
        if parsed is not None:
            self.error("birth_date", "birth_date_from_id", level=WARNING, date=parsed.birth_date.isoformat())
            return parsed.birth_date
        return None

    def coded(self, key: str, lookup, *, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required and key not in self.unreadable:
                self.error(key, f"{key}_missing")
            return None
        code = self.v.cached(key, value, lookup)
        if code is None:
            allowed = {"education": EDUCATION_CHOICES, "political_status": POLITICAL_STATUS_CHOICES}.get(key, ())
            self.error(key, f"{key}_unknown", value=value, allowed="、".join(allowed))
        return code

    def group(self) -> int | None:
        value = self.raw.get("group")
        if value is None:
            self.error("group", "group_missing", allowed=self.v.group_list, unit=self.v.context.unit)
            return None
        group_id = self.v.cached("group", value, self.v.lookup_group)
        if group_id is None:
            self.error("group", "group_unknown", value=value, allowed=self.v.group_list, unit=self.v.context.unit)
        return group_id

    def category(self) -> str | None:
        value = self.raw.get("category")
        if value is None:
            self.error("category", "category_empty", allowed=self.v.context.category_list)
            return None
        category = self.v.cached("category", value, lookup_category)
        if category is None:
            self.error("category", "category_unknown", value=value, allowed=self.v.context.category_list)
        return category

    def residence(self, category: str | None) -> bool:
        expected = category != eligibility.HUJI_ABSENT
        if "residence" not in self.v.labels or self.raw.get("residence") is None:
            return expected
        lives = self.choice("residence", _RESIDENCE, "residence_unknown", default=expected,
                            place="本选区" if self.v.context.is_district else "本村")
        if category is not None and lives != expected:
            self.error("residence", "residence_category_mismatch", level=WARNING,
                       residence=self.raw["residence"], category=self.v.context.categories[category])
        return lives

    def choice(self, key: str, table: Mapping[str, Any], code: str, *, default: Any, **values) -> Any:
        value = self.raw.get(key)
        if value is None:
            return default
        text = self.v.cached("text", value, _plain)
        if text not in table:
            self.error(key, code, value=value, **values)
            return default
        return table[text]

    def eligibility(self, parsed: idnumber.IdNumber | None) -> None:
        """Apply ``eligibility.assess`` and the 不予登记 mark in 备注; sets status and reason."""
        found = self.found
        remarks = found.get("remarks")
        refusal = _REFUSAL.match(remarks) if remarks else None
        reason = refusal.group(1).strip() if refusal else ""
        found["status"] = NOT_REGISTERED if refusal else REGISTERED
        found["not_registered_reason"] = reason[:200]
        if refusal and not reason:
            self.error("remarks", "refusal_reason_missing")
        elsewhere = self.context.elsewhere.get(found.get("id_number", ""))
        if elsewhere:
            if self.context.is_district:
                self.error("id_number", "registered_elsewhere", DISTRICT_MESSAGES["registered_elsewhere"])
            else:
                self.error("id_number", "registered_elsewhere", village=elsewhere)
        if parsed is None or found["category"] is None or "birth_date" in self.unreadable:
            return  # the row is already in error; eligibility would only repeat it
        born = found["birth_date"]
        key = (None if born is None else born <= self.v._adult_born_by, found["category"], found.get("statement_date"),
               found.get("residence_since"), found.get("application_date"), found.get("approval_meeting") or None,
               found.get("approval_date"))
        assessment = self.v._assessments.get(key)  # the same failures for every row of the same key
        if assessment is None:
            facts = eligibility.VoterFacts(
                birth_date=born,
                has_political_rights=True,
                capacity_ok=True,
                category=key[1],
                statement_date=key[2],
                residence_since=key[3],
                application_date=key[4],
                approval_meeting=key[5],
                approval_date=key[6],
            )
            assessment = eligibility.assess(facts, election_day=self.context.election_day, params=self.context.params)
            if len(self.v._assessments) < ASSESSMENTS_KEPT:
                self.v._assessments[key] = assessment
        if refusal:
            if assessment.eligible and reason:
                self.error("remarks", "refused_but_eligible", level=WARNING, reason=reason)
            return
        for failure in assessment.failures:
            self.error(ELIGIBILITY_COLUMNS.get(failure.code, ""), failure.code,
                       message("not_eligible", reason=failure.message, committee=self.context.committee))


def validate_rows(rows: Iterable[RawRow], context: ImportContext, *, columns: Mapping[str, str]) -> Report:
    """Check every row and keep every result: for tests and small files (the service streams)."""
    validator = RowValidator(context, columns=columns)
    results = list(validator.check_rows(rows))
    late = validator.finish()
    by_row = {result.row: result for result in results}
    for issue in late:
        result = by_row[issue.row]
        result.issues.append(issue)
        result.outcome, result.values = INVALID, None
    issues = validator.file_issues() + [issue for result in results for issue in result.issues]
    return Report(results, issues, validator.counts)


def _plain(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def _squeeze(text: str) -> str:
    squeezed = _CATEGORY_NOISE.sub("", text).replace("选区", "").replace("村", "")
    return re.sub(r"(.)\1+", r"\1", squeezed)


def _chinese_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if "百" in text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        tens_value = _CHINESE_DIGITS.get(tens, 1) if tens else 1
        ones_value = _CHINESE_DIGITS.get(ones, 0) if ones else 0
        return tens_value * 10 + ones_value
    if len(text) == 1:
        return _CHINESE_DIGITS.get(text)
    return None
