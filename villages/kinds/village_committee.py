"""村民委员会选举 as a kind: it wraps the existing parameters (``villages.presets``) unchanged."""

from __future__ import annotations

from ..legal_calendar import build_calendar
from ..presets import BUILTIN_PRESETS, MODE_CANDIDATES, MODE_NO_CANDIDATE, MODE_SELF_NOMINATION, RuleParameters
from . import TOWNSHIP, UNIT_VILLAGE, Kind, Post

CODE = "village_committee"

VILLAGE_COMMITTEE = Kind(
    code=CODE,
    label="村民委员会选举",
    unit=UNIT_VILLAGE,
    unit_label="行政村",
    levels=(TOWNSHIP,),
    # OL §6: 主任 1, 副主任 up to the preset's ``vice_chair_max``, 3 to 7 members in all.
    posts=(
        Post("chair", "主任", 1, 1),
        Post("vice_chair", "副主任", 0, RuleParameters().vice_chair_max),
        Post("member", "委员", 1, RuleParameters().committee_size_max - 1),
    ),
    nomination_methods=(
        (MODE_CANDIDATES, "有候选人"),
        (MODE_SELF_NOMINATION, "自荐"),
        (MODE_NO_CANDIDATE, "无候选人直接选举"),
    ),
    parameters=RuleParameters,
    presets=BUILTIN_PRESETS,
    committee_label="村民选举委员会",
    legal_calendar=build_calendar,
)
