"""Reading a roster workbook (last term's committee, the Party branch committee) into members.

Shape comes from ``voters.workbook`` (the same messy-sheet reader as voter lists); meaning is
checked here: the ID number (birth date and sex come from it), the codes, and the post. Every
problem is collected as (row, column, message); nothing is written unless there are none.
Pure module: no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from voters import codes
from voters.idnumber import IdNumberError, check_against, parse_id_number
from voters.workbook import COLUMN_LABELS, read_voter_workbook

COMMITTEE_POSTS = {"主任": "chair", "村委会主任": "chair", "副主任": "vice_chair", "委员": "member", "妇女委员": "member"}
BRANCH_POSTS = {
    "书记": "secretary",
    "党支部书记": "secretary",
    "党总支书记": "secretary",
    "党委书记": "secretary",
    "副书记": "deputy_secretary",
    "委员": "member",
}
REQUIRED = ("name", "id_number", "post")

MESSAGES = {
    "name_missing": "姓名不能为空。",
    "post_unknown": "职务“{value}”无法识别，应为：{allowed}。",
    "ethnicity_unknown": "民族“{value}”无法识别。",
    "education_unknown": "文化程度“{value}”无法识别。",
    "political_status_unknown": "政治面貌“{value}”无法识别。",
    "duplicate": "公民身份号码与第{row}行重复。",
    "village_missing": "全乡镇名册的每一行都要填写所在的村（社区）。",
    "village_unknown": "本乡镇没有名为“{value}”的村（社区），请填写村名或12位村级代码。",
}


@dataclass(frozen=True)
class MemberRow:
    name: str
    id_number: str
    sex: str
    birth_date: date
    ethnicity: str
    education: str
    political_status: str
    post: str
    village: int | None = None  # township-wide rosters: the key of the row's village


@dataclass
class RosterParse:
    members: list[MemberRow] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column label, message)


def parse_roster(
    source, *, filename: str, branch: bool, today: date, villages: dict[str, int] | None = None
) -> RosterParse:
    """Read and check a roster workbook. Raises ``voters.workbook.WorkbookRejected`` for a bad file.

    ``villages`` makes it a township-wide roster: each row names its village in a 村（社区） column
    (name or 12-digit code, the keys of ``villages``), and an ID number may appear once in the file."""
    required = REQUIRED + (("village",) if villages is not None else ())
    workbook = read_voter_workbook(source, filename=filename, required=required)
    posts = BRANCH_POSTS if branch else COMMITTEE_POSTS
    result = RosterParse()
    seen: dict[str, int] = {}
    for row in workbook.rows():
        values, number = row.values, row.row_number
        problems = [(number, issue.column_label, issue.message) for issue in row.issues]

        def problem(key, code, **params):
            problems.append((number, COLUMN_LABELS[key], MESSAGES[code].format(**params)))

        name = values.get("name") or ""
        if not name:
            problem("name", "name_missing")
        parsed = None
        try:
            parsed = parse_id_number(values.get("id_number"), today=today)
        except IdNumberError as exc:
            problems.append((number, COLUMN_LABELS["id_number"], exc.message))
        if parsed:
            for mismatch in check_against(parsed, birth_date=values.get("birth_date"), sex=_sex(values.get("sex"))):
                problems.append((number, COLUMN_LABELS["id_number"], mismatch.message))
            if parsed.number in seen:
                problem("id_number", "duplicate", row=seen[parsed.number])
            seen.setdefault(parsed.number, number)
        post = posts.get(str(values.get("post") or "").strip())
        if post is None:
            problem("post", "post_unknown", value=values.get("post") or "", allowed="、".join(posts))
        village = None
        if villages is not None:
            label = str(values.get("village") or "").strip()
            village = villages.get(label)
            if not label:
                problem("village", "village_missing")
            elif village is None:
                problem("village", "village_unknown", value=label)
        ethnicity = _code(values, "ethnicity", codes.lookup_ethnic_group, "01", problem)
        education = _code(values, "education", codes.lookup_education, "", problem)
        political = _code(values, "political_status", codes.lookup_political_status, "13", problem)
        if problems:
            result.problems.extend(problems)
        elif parsed:
            result.members.append(
                MemberRow(name, parsed.number, parsed.sex, parsed.birth_date, ethnicity, education, political, post,
                          village)
            )
    return result


def _sex(label) -> str | None:
    return codes.lookup_sex(label) if label else None


def _code(values, key, lookup, default, problem) -> str:
    label = values.get(key)
    if not label:
        return default
    code = lookup(label)
    if code is None:
        problem(key, f"{key}_unknown", value=label)
        return default
    return code
