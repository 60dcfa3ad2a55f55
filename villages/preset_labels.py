"""Chinese labels and explanations for every rule-preset parameter, and the display of its value.

The preset page shows these instead of the parameter names and Python values of ``villages.presets``
(issue 13: no internal English codes in front of users). A test checks that every parameter has a label.
Pure module: no ORM.
"""

from __future__ import annotations

from typing import Any

from .presets import (
    CASCADE_DOWN,
    CLOSE_RELATIVES,
    EXCLUSIVE,
    INVALIDATE_BALLOT,
    INVALIDATE_POST,
    MODE_CANDIDATES,
    MODE_NO_CANDIDATE,
    MODE_SELF_NOMINATION,
    ORDER_BY_STROKES,
    ORDER_BY_VOTES,
    Surplus,
)

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("村委会组成", ("committee_size_min", "committee_size_max", "vice_chair_max", "term_years", "require_woman_member",
                "require_minority_member_if_multiethnic", "woman_seat_reserved")),
    ("村民选举委员会", ("election_committee_size_min", "election_committee_size_max", "election_committee_size_odd",
                  "committee_member_leaves_when_nominated", "relatives_leave_committee")),
    ("选民登记与申诉", ("voter_list_publish_days_before", "voter_appeal_window_days", "voter_appeal_decision_days",
                  "count_start_day", "final_list_days_before", "appeals_written_only", "late_appeals_refused",
                  "leap_day_birthday_turns_on_march_1", "category3_residence_years", "register_change_reasons")),
    ("提名候选人", ("nomination_modes", "surplus_chair", "surplus_vice_chair", "surplus_member",
               "nominations_per_voter_max_is_seats", "candidate_list_days_before", "candidate_order",
               "self_nominee_register_days_before", "candidate_withdraw_days_before")),
    ("投票与计票", ("multi_post_mode", "invalidate_scope", "separate_sheets_per_post",
               "mobile_box_needs_township_approval", "mobile_box_min_staff", "invalid_ballot_warning_percent")),
    ("另行选举", ("runoff_within_days", "runoff_min_share_numerator", "runoff_min_share_denominator",
              "runoff_spoiled_counted_in_total", "runoff_two_tier", "vacancy_allowed_if_elected_at_least")),
    ("委托投票", ("proxy_max_per_holder", "proxy_request_days_before", "proxy_publish_days_before",
              "proxy_holder_not_candidate", "proxy_must_be_announced", "proxy_holder_relations")),
    ("选举之后", ("handover_days", "seal_handover_same_day", "ballots_kept_years")),
)

# name → (label, unit or "", explanation)
PARAMETERS: dict[str, tuple[str, str, str]] = {
    "committee_size_min": ("村委会成员职数下限", "人", "村民委员会由主任、副主任和委员共三至七人组成（组织法第六条）。"),
    "committee_size_max": ("村委会成员职数上限", "人", "同上。"),
    "vice_chair_max": ("副主任职数上限", "名", "本省办法允许设置的副主任最多名额。"),
    "term_years": ("任期", "年", "村民委员会每届任期（组织法第十一条）。"),
    "require_woman_member": ("应有妇女成员", "", "村民委员会成员中应当有妇女成员（组织法第六条）。"),
    "require_minority_member_if_multiethnic": ("多民族村应有人数较少民族成员", "",
                                               "多民族村民居住的村应当有人数较少的民族的成员（组织法第六条）。"),
    "woman_seat_reserved": ("单设妇女委员职位", "", "选票上单列妇女委员一栏，只能从女性中选出（如浙江）。"),
    "election_committee_size_min": ("选举委员会人数下限", "人", "村民选举委员会的最少人数（民政部选举规程）。"),
    "election_committee_size_max": ("选举委员会人数上限", "人", "不填表示不限。"),
    "election_committee_size_odd": ("选举委员会人数为单数", "", "选举委员会组成人员应为单数。"),
    "committee_member_leaves_when_nominated": ("成员被提名为候选人即退出选举委员会", "",
                                               "选举委员会成员被提名为候选人的，应当退出，依次递补（组织法第十二条）。"),
    "relatives_leave_committee": ("候选人近亲属退出选举委员会", "", "候选人的近亲属也应退出选举委员会（如浙江）。"),
    "voter_list_publish_days_before": ("选民名单公布时限", "日前", "选举日前多少日公布选民名单（组织法第十四条：二十日）。"),
    "voter_appeal_window_days": ("申诉期限", "日内", "对选民名单有不同意见的，自公布之日起多少日内提出申诉。"),
    "voter_appeal_decision_days": ("申诉处理期限", "日内", "选举委员会自收到申诉之日起多少日内作出处理决定。"),
    "count_start_day": ("起算日计入期限", "", "“否”：按民法典第二百零一条，开始的当日不计入；“是”：当日算第一天。"),
    "final_list_days_before": ("最终选民名单公布时限", "日前", "部分省份要求在选举日前再次公布最终名单；不填表示无此要求。"),
    "appeals_written_only": ("申诉须书面提出", "", "只受理书面申诉。"),
    "late_appeals_refused": ("逾期申诉不予受理", "", "超过申诉期限提出的申诉不予受理。"),
    "leap_day_birthday_turns_on_march_1": ("2月29日出生者满18周岁之日为3月1日", "",
                                          "“否”则为2月28日。法律未明确，按本地做法设置。"),
    "category3_residence_years": ("户籍不在本村者居住年限", "年以上", "户籍不在本村、在本村居住满多少年的，经申请可以参加选举（组织法第十三条）。"),
    "register_change_reasons": ("选民增减原因（四增四减）", "", "选民名单变更时可选的增加、减少原因。"),
    "nomination_modes": ("提名方式", "", "本地允许的候选人产生方式。"),
    "surplus_chair": ("主任差额", "", "主任候选人比应选名额多出的人数（组织法第十五条：差额选举）。"),
    "surplus_vice_chair": ("副主任差额", "", "副主任候选人比应选名额多出的人数。"),
    "surplus_member": ("委员差额", "", "委员候选人比应选名额多出的人数。"),
    "nominations_per_voter_max_is_seats": ("每名选民提名人数不超过应选名额", "", "每一选民提名的人数不得多于应选名额。"),
    "candidate_list_days_before": ("正式候选人名单公布时限", "日前", "选举日前多少日公布正式候选人名单。"),
    "candidate_order": ("候选人名单排列方式", "", "按提名得票多少或按姓氏笔画排列。"),
    "self_nominee_register_days_before": ("自荐报名截止", "日前", "选举日前多少日截止自荐报名；不填表示无此要求。"),
    "candidate_withdraw_days_before": ("候选人退出截止", "日前", "选举日前多少日以后不得退出；不填表示无此要求。"),
    "multi_post_mode": ("一票多职务的计票方式", "",
                        "“不得兼得”：一张选票选同一人任两个职务的无效；“向下累计”：高职务得票计入同一人较低职务。"),
    "invalidate_scope": ("多选的无效范围", "", "某一职务所选人数多于应选名额时，该职务无效或整张选票无效。"),
    "separate_sheets_per_post": ("各职务分列选票", "", "主任、副主任、委员分别印制选票（如河南）。"),
    "mobile_box_needs_township_approval": ("流动票箱须经乡镇批准", "", "设立流动票箱须报乡镇人民政府同意。"),
    "mobile_box_min_staff": ("流动票箱最少工作人员", "人", "每个流动票箱至少由几名工作人员携带。"),
    "invalid_ballot_warning_percent": ("无效票提示比例", "%", "某投票站无效票达到该比例时提示核实（办公室检查，非法定标准）。"),
    "runoff_within_days": ("另行选举期限", "日内", "未当选名额应在选举日后多少日内另行选举；不填表示当日或不限。"),
    "runoff_min_share_numerator": ("另行选举当选票数下限（分子）", "", "另行选举得票数不得少于所投票数的几分之几：分子。"),
    "runoff_min_share_denominator": ("另行选举当选票数下限（分母）", "", "同上：分母（全国为三分之一）。"),
    "runoff_spoiled_counted_in_total": ("另行选举废票计入所投票数", "", "计算三分之一时，无效票是否计入所投票数。"),
    "runoff_two_tier": ("另行选举分两轮", "", "另行选举仍不足时再行选举（如河南第三十八条）。"),
    "vacancy_allowed_if_elected_at_least": ("当选人数达到即可空缺", "人", "当选人数达到该数时，不足名额可以暂缺。"),
    "proxy_max_per_holder": ("每人最多接受委托", "人", "每一选民接受委托投票的人数上限；不填表示不限。"),
    "proxy_request_days_before": ("委托投票办理截止", "日前", "选举日前多少日办理委托手续；不填表示无此要求。"),
    "proxy_publish_days_before": ("委托投票名单公布时限", "日前", "选举日前多少日公布委托投票名单；不填表示无此要求。"),
    "proxy_holder_not_candidate": ("候选人不得接受委托", "", "候选人不得作为受托人。"),
    "proxy_must_be_announced": ("委托投票须公告", "", "委托人和受托人名单须张榜公布。"),
    "proxy_holder_relations": ("受托人范围（近亲属）", "", "可以接受委托的近亲属（民法典第一千零四十五条）。"),
    "handover_days": ("工作移交期限", "日内", "新一届村委会产生后多少日内完成工作移交（组织法第二十条）。"),
    "seal_handover_same_day": ("印章当日移交", "", "公章须在新一届村委会产生当日移交。"),
    "ballots_kept_years": ("选票保存年限", "年", "选票封存保管的年限（如河南三年）。"),
}

CHOICE_LABELS = {
    EXCLUSIVE: "不得兼得（一人只能当选一个职务）",
    CASCADE_DOWN: "向下累计（高职务得票计入较低职务）",
    INVALIDATE_POST: "该职务无效",
    INVALIDATE_BALLOT: "整张选票无效",
    ORDER_BY_VOTES: "按提名得票多少",
    ORDER_BY_STROKES: "按姓氏笔画",
    MODE_CANDIDATES: "有候选人选举",
    MODE_SELF_NOMINATION: "自荐直选",
    MODE_NO_CANDIDATE: "无候选人直接选举（海选）",
    **CLOSE_RELATIVES,
}


def parameter_rows(params: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The preset page's sections: (section, [(label, value shown, explanation)])."""
    return [
        (section, [(PARAMETERS[name][0], display_value(name, params[name]), PARAMETERS[name][2])
                   for name in names if name in params])
        for section, names in SECTIONS
    ]


def display_value(name: str, value: Any) -> str:
    """The value of parameter ``name`` in Chinese: 是/否, 不限, units, choices and 差额 ranges."""
    unit = PARAMETERS[name][1]
    if isinstance(value, Surplus) or (isinstance(value, dict) and "min_extra" in value):
        low, high = (value.min_extra, value.max_extra) if isinstance(value, Surplus) else (
            value["min_extra"], value.get("max_extra"))
        return f"多{low}人以上" if high is None else (f"多{low}人" if low == high else f"多{low}至{high}人")
    if value is None:
        return "不限" if unit in ("人", "名", "") else "无此要求"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(str(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return "、".join(CHOICE_LABELS.get(v, str(v)) for v in value)
    if isinstance(value, str):
        return CHOICE_LABELS.get(value, value)
    if unit in ("日前", "日内"):
        return f"{value}{unit}" if unit == "日内" else f"选举日{value}日前"
    return f"{value}{unit}"
