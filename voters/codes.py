"""Standard code lists for voter records, as plain data (LAW.md §5.1–§5.4).

Ethnic groups GB/T 3304-1991, education GB/T 4658 (1984 《文化程度代码》 and 2006 《学历代码》; store the code
**and** the edition), political status GB/T 4762-1984, sex GB/T 2261.1. The ``lookup_*`` helpers read a
label as typed in an Excel voter list ("汉", "党员", "大专", "男") and return the code, or None for
anything they do not recognise: the import reports an unknown label rather than guessing one.

Pure module: no Django.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

# --- Ethnic groups, GB/T 3304-1991 (LAW.md §5.1) ---------------------------------------------------

_ETHNIC_TABLE = (
    ("01", "HA", "汉族"), ("02", "MG", "蒙古族"), ("03", "HU", "回族"), ("04", "ZA", "藏族"),
    ("05", "UG", "维吾尔族"), ("06", "MH", "苗族"), ("07", "YI", "彝族"), ("08", "ZH", "壮族"),
    ("09", "BY", "布依族"), ("10", "CS", "朝鲜族"), ("11", "MA", "满族"), ("12", "DO", "侗族"),
    ("13", "YA", "瑶族"), ("14", "BA", "白族"), ("15", "TJ", "土家族"), ("16", "HN", "哈尼族"),
    ("17", "KZ", "哈萨克族"), ("18", "DA", "傣族"), ("19", "LI", "黎族"), ("20", "LS", "傈僳族"),
    ("21", "VA", "佤族"), ("22", "SH", "畲族"), ("23", "GS", "高山族"), ("24", "LH", "拉祜族"),
    ("25", "SU", "水族"), ("26", "DX", "东乡族"), ("27", "NX", "纳西族"), ("28", "JP", "景颇族"),
    ("29", "KG", "柯尔克孜族"), ("30", "TU", "土族"), ("31", "DU", "达斡尔族"), ("32", "ML", "仫佬族"),
    ("33", "QI", "羌族"), ("34", "BL", "布朗族"), ("35", "SL", "撒拉族"), ("36", "MN", "毛南族"),
    ("37", "GL", "仡佬族"), ("38", "XB", "锡伯族"), ("39", "AC", "阿昌族"), ("40", "PM", "普米族"),
    ("41", "TA", "塔吉克族"), ("42", "NU", "怒族"), ("43", "UZ", "乌孜别克族"), ("44", "RS", "俄罗斯族"),
    ("45", "EW", "鄂温克族"), ("46", "DE", "德昂族"), ("47", "BN", "保安族"), ("48", "YG", "裕固族"),
    ("49", "GI", "京族"), ("50", "TT", "塔塔尔族"), ("51", "DR", "独龙族"), ("52", "OR", "鄂伦春族"),
    ("53", "HZ", "赫哲族"), ("54", "MB", "门巴族"), ("55", "LB", "珞巴族"), ("56", "JN", "基诺族"),
)
HAN = "01"
ETHNIC_GROUPS = {code: name for code, _alpha, name in _ETHNIC_TABLE}
ETHNIC_ALPHA_CODES = {code: alpha for code, alpha, _name in _ETHNIC_TABLE}
# Local extensions seen in real systems, not verified as part of GB/T 3304 (LAW.md §5.1 [U]).
ETHNIC_GROUPS_LOCAL = {"97": "其他（未识别民族）", "98": "外国血统中国籍人士"}

_ETHNIC_VARIANTS = {
    # Short forms and names still found in old household records.
    "维族": "05", "蒙族": "02", "僮族": "08", "佧佤族": "21", "崩龙族": "46", "毛难族": "36",
    "未识别民族": "97", "未识别": "97", "其他民族": "97", "其他": "97", "外国血统": "98",
    "外国血统中国籍": "98", "外国人入籍": "98",
}

_ETHNIC_BY_ALPHA = {alpha: code for code, alpha in ETHNIC_ALPHA_CODES.items()}
_ETHNIC_BY_NAME = {
    **{name: code for code, name in ETHNIC_GROUPS.items()},
    **{name.removesuffix("族"): code for code, name in ETHNIC_GROUPS.items()},
    **_ETHNIC_VARIANTS,
}


def is_minority(code: str) -> bool:
    """少数民族 for reports and for the OL §6 multi-ethnic rule: one of the 55 groups 02–56.

    The local codes 97/98 are not counted: neither names one of the recognised minority groups.
    """
    return code in ETHNIC_GROUPS and code != HAN


def lookup_ethnic_group(label: object) -> str | None:
    """Code for "汉", "汉族", "01", "1", "HA", "维族", "未识别民族"…; None if unknown."""
    text = _clean(label)
    if not text:
        return None
    if text.isdigit():
        code = text.zfill(2)
        return code if code in ETHNIC_GROUPS or code in ETHNIC_GROUPS_LOCAL else None
    if text.upper() in _ETHNIC_BY_ALPHA:
        return _ETHNIC_BY_ALPHA[text.upper()]
    return _ETHNIC_BY_NAME.get(text)


# --- Education, GB/T 4658 (LAW.md §5.2) ------------------------------------------------------------

EDUCATION_EDITION_1984 = "1984"  # GB/T 4658-1984 《文化程度代码》
EDUCATION_EDITION_2006 = "2006"  # GB/T 4658-2006 《学历代码》
EDUCATION_EDITIONS = (EDUCATION_EDITION_1984, EDUCATION_EDITION_2006)

EDUCATION_1984 = {
    "10": "研究生",
    "20": "大学本科",
    "30": "大学专科和专科学校",
    "40": "中等专业学校或中等技术学校",
    "50": "技工学校",
    "60": "高中",
    "70": "初中",
    "80": "小学",
    "90": "文盲或半文盲",
}
EDUCATION_2006 = {
    "10": "研究生教育", "11": "博士研究生毕业", "12": "博士研究生结业", "13": "博士研究生肄业",
    "14": "硕士研究生毕业", "15": "硕士研究生结业", "16": "硕士研究生肄业",
    "17": "研究生班毕业", "18": "研究生班结业", "19": "研究生班肄业",
    "20": "大学本科教育", "21": "大学本科毕业", "22": "大学本科结业", "23": "大学本科肄业",
    "28": "大学普通班毕业",
    "30": "大学专科教育", "31": "大学专科毕业", "32": "大学专科结业", "33": "大学专科肄业",
    "40": "中等职业教育", "41": "中等专科毕业", "42": "中等专科结业", "43": "中等专科肄业",
    "44": "职业高中毕业", "45": "职业高中结业", "46": "职业高中肄业",
    "47": "技工学校毕业", "48": "技工学校结业", "49": "技工学校肄业",
    "60": "普通高级中学教育", "61": "普通高中毕业", "62": "普通高中结业", "63": "普通高中肄业",
    "70": "初级中学教育", "71": "初中毕业", "73": "初中肄业",
    "80": "小学教育", "81": "小学毕业", "83": "小学肄业",
    "90": "其他",
}
EDUCATION_CODES = {EDUCATION_EDITION_1984: EDUCATION_1984, EDUCATION_EDITION_2006: EDUCATION_2006}

# The three buckets of DOMAIN.md "What reports show". LAW.md §5.2 has four; its 小学及以下 (80–90)
# is folded into 初中及以下 here because the township reports do so.
BUCKET_JUNIOR_OR_BELOW = "初中及以下"
BUCKET_SENIOR_SECONDARY = "高中/中专"
BUCKET_COLLEGE_OR_ABOVE = "大专及以上"
EDUCATION_BUCKETS = (BUCKET_JUNIOR_OR_BELOW, BUCKET_SENIOR_SECONDARY, BUCKET_COLLEGE_OR_ABOVE)


def education_bucket(code: str, edition: str) -> str | None:
    """Report bucket of an education code (LAW.md §5.2 table); None for a code not in that edition.

    Both editions share the decades: 10–33 college and above, 40–63 senior secondary (including the
    1984 edition's 50 技工学校), 70–90 junior secondary or below (2006's 90 其他 is where LAW.md §5.2
    puts the illiterate).
    """
    if code not in EDUCATION_CODES[edition]:
        return None
    if int(code) < 40:
        return BUCKET_COLLEGE_OR_ABOVE
    if int(code) < 70:
        return BUCKET_SENIOR_SECONDARY
    return BUCKET_JUNIOR_OR_BELOW


# Labels typed in voter lists → (1984 code, 2006 level code, 2006 code for 毕业 or None). A bare
# label takes the level; "本科毕业", "初中肄业" take a 2006 sub-code (毕业 +0, 结业 +1, 肄业 +2) when
# the standard has one, else the level.
_EDUCATION_LABELS = {
    "研究生": ("10", "10", None), "研究生班": ("10", "10", "17"),
    "博士": ("10", "10", "11"), "博士研究生": ("10", "10", "11"),
    "硕士": ("10", "10", "14"), "硕士研究生": ("10", "10", "14"),
    "大学": ("20", "20", "21"), "本科": ("20", "20", "21"), "大学本科": ("20", "20", "21"),
    "大本": ("20", "20", "21"),
    "大专": ("30", "30", "31"), "专科": ("30", "30", "31"), "大学专科": ("30", "30", "31"),
    "中专": ("40", "40", "41"), "中等专科": ("40", "40", "41"), "中技": ("40", "40", None),
    "中等专业学校": ("40", "40", "41"), "中职": ("40", "40", None), "中等职业教育": ("40", "40", None),
    "技校": ("50", "40", "47"), "技工学校": ("50", "40", "47"),
    "职高": ("60", "40", "44"), "职业高中": ("60", "40", "44"),
    "高中": ("60", "60", "61"), "普高": ("60", "60", "61"), "普通高中": ("60", "60", "61"),
    "初中": ("70", "70", "71"), "初级中学": ("70", "70", "71"),
    "小学": ("80", "80", "81"),
    "文盲": ("90", "90", None), "半文盲": ("90", "90", None), "文盲或半文盲": ("90", "90", None),
    "文盲半文盲": ("90", "90", None), "不识字": ("90", "90", None),
}
_COMPLETION_OFFSETS = {"毕业": 0, "结业": 1, "肄业": 2}

_EDUCATION_BY_NAME = {
    EDUCATION_EDITION_1984: {name: code for code, name in EDUCATION_1984.items()},
    # 其他 is left out: as a typed label it says nothing about schooling.
    EDUCATION_EDITION_2006: {name: code for code, name in EDUCATION_2006.items() if name != "其他"},
}


def lookup_education(label: object, *, edition: str = EDUCATION_EDITION_2006) -> str | None:
    """Code in ``edition`` for "大专", "初中", "本科毕业", "70"…; None if unknown.

    A numeric label must be a code of that edition. 文盲 becomes 90 in both editions; in 2006 that is
    其他, and LAW.md §5.2 asks the record to keep a local flag for it.
    """
    codes = EDUCATION_CODES[edition]
    text = _clean(label)
    if not text:
        return None
    if text.isdigit():
        return text if text in codes else None
    exact = _EDUCATION_BY_NAME[edition].get(text)
    if exact:
        return exact
    text = text.removesuffix("文化").removesuffix("学历").removesuffix("文化程度")
    offset = None
    for word, value in _COMPLETION_OFFSETS.items():
        if text.endswith(word):
            text, offset = text.removesuffix(word), value
    if text not in _EDUCATION_LABELS:
        return None
    code_1984, level_2006, graduated_2006 = _EDUCATION_LABELS[text]
    if edition == EDUCATION_EDITION_1984:
        return code_1984
    if offset is not None and graduated_2006 is not None:
        sub_code = str(int(graduated_2006) + offset)
        if sub_code in EDUCATION_2006:
            return sub_code
    return level_2006


# --- Political status, GB/T 4762-1984 (LAW.md §5.3) -----------------------------------------------


class PoliticalStatus(NamedTuple):
    full: str
    short: str


PARTY_MEMBER = "01"
PROBATIONARY_PARTY_MEMBER = "02"
MASSES = "13"
POLITICAL_STATUS = {
    "01": PoliticalStatus("中国共产党党员", "中共党员"),
    "02": PoliticalStatus("中国共产党预备党员", "中共预备党员"),
    "03": PoliticalStatus("中国共产主义青年团团员", "共青团员"),
    "04": PoliticalStatus("中国国民党革命委员会会员", "民革会员"),
    "05": PoliticalStatus("中国民主同盟盟员", "民盟盟员"),
    "06": PoliticalStatus("中国民主建国会会员", "民建会员"),
    "07": PoliticalStatus("中国民主促进会会员", "民进会员"),
    "08": PoliticalStatus("中国农工民主党党员", "农工党党员"),
    "09": PoliticalStatus("中国致公党党员", "致公党党员"),
    "10": PoliticalStatus("九三学社社员", "九三学社社员"),
    "11": PoliticalStatus("台湾民主自治同盟盟员", "台盟盟员"),
    "12": PoliticalStatus("无党派民主人士", "无党派人士"),
    "13": PoliticalStatus("群众", "群众"),
}

_POLITICAL_VARIANTS = {
    "党员": "01", "中共": "01", "共产党员": "01", "中国共产党": "01", "正式党员": "01",
    "预备党员": "02", "中共预备": "02",
    "团员": "03", "共青团": "03", "共青团员": "03",
    "民革": "04", "民盟": "05", "民建": "06", "民进": "07", "农工党": "08", "农工": "08",
    "致公党": "09", "致公": "09", "九三学社": "10", "九三": "10", "台盟": "11",
    "无党派": "12", "无党派人士": "12",
    "群众": "13", "普通群众": "13",
}

_POLITICAL_BY_NAME = {
    **{status.full: code for code, status in POLITICAL_STATUS.items()},
    **{status.short: code for code, status in POLITICAL_STATUS.items()},
    **_POLITICAL_VARIANTS,
}


def is_party_member(code: str, *, include_probationary: bool = False) -> bool:
    """党员 in reports is 01; 02 (预备党员) only when asked (LAW.md §5.3)."""
    if code == PARTY_MEMBER:
        return True
    return include_probationary and code == PROBATIONARY_PARTY_MEMBER


def lookup_political_status(label: object) -> str | None:
    """Code for "中共党员", "党员", "预备党员", "团员", "群众", "13"…; None if unknown."""
    text = _clean(label)
    if not text:
        return None
    if text.isdigit():
        code = text.zfill(2)
        return code if code in POLITICAL_STATUS else None
    return _POLITICAL_BY_NAME.get(text)


# --- Sex, GB/T 2261.1 (LAW.md §5.4) ----------------------------------------------------------------

SEX_UNKNOWN = "0"
SEX_MALE = "1"
SEX_FEMALE = "2"
SEX_NOT_STATED = "9"
SEX = {SEX_UNKNOWN: "未知的性别", SEX_MALE: "男", SEX_FEMALE: "女", SEX_NOT_STATED: "未说明的性别"}
# idnumber.IdNumber.sex uses "M"/"F"; this maps it to the stored code.
SEX_FROM_ID = {"M": SEX_MALE, "F": SEX_FEMALE}

_SEX_LABELS = {
    "男": SEX_MALE, "男性": SEX_MALE, "M": SEX_MALE, "MALE": SEX_MALE,
    "女": SEX_FEMALE, "女性": SEX_FEMALE, "F": SEX_FEMALE, "FEMALE": SEX_FEMALE,
    "未知": SEX_UNKNOWN, "未知的性别": SEX_UNKNOWN, "未说明": SEX_NOT_STATED, "未说明的性别": SEX_NOT_STATED,
}


def lookup_sex(label: object) -> str | None:
    """GB/T 2261.1 code for "男", "女", "男性", "1", "F"…; None if unknown."""
    text = _clean(label).upper()
    if text in SEX:
        return text
    return _SEX_LABELS.get(text)


def _clean(label: object) -> str:
    # Excel cells arrive with full-width characters and stray spaces (ENVIRONMENT.md); a numeric
    # cell arrives as int or as a float like 1.0.
    if label is None or isinstance(label, bool):
        return ""
    if isinstance(label, float) and label.is_integer():
        label = int(label)
    text = unicodedata.normalize("NFKC", str(label))
    return "".join(ch for ch in text if not ch.isspace())
