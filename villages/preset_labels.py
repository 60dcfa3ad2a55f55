"""Chinese labels and explanations for every rule-preset parameter, and the display of its value.

The preset page shows these instead of the parameter names and Python values of ``villages.presets``
(issue 13: no internal English codes in front of users). A test checks that every parameter has a label.
Pure module: no ORM.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .kinds.party_branch import (
    BASE_ELECTORATE,
    BASE_VOTED,
    EXCUSED_ABROAD,
    EXCUSED_AWAY,
    EXCUSED_FRAIL,
    EXCUSED_ILL,
    EXCUSED_SENTENCED,
    RATIO_OF_CANDIDATES,
    RATIO_OF_SEATS,
)
from .kinds.party_branch import NOMINATION_METHOD_LABELS as PARTY_NOMINATION_LABELS
from .kinds.party_congress import NOMINATION_METHOD_LABELS as CONGRESS_NOMINATION_LABELS
from .presets import (
    CASCADE_DOWN,
    CLOSE_RELATIVES,
    PROXY_RELATIONS_EXTRA,
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

# 人大代表选举 (villages.kinds.deputies.DeputyRuleParameters).
DEPUTY_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("代表名额（选举法第十二条）", ("county_base", "county_per", "county_cap", "county_cap_above_population",
                          "county_small_below_population", "township_base", "township_per", "township_cap",
                          "township_small_below_population", "extra_percent")),
    ("选区划分", ("district_seats_min", "district_seats_max", "district_deviation_percent",
              "county_district_may_split_village")),
    ("选举委员会与选民登记", ("committee_member_leaves_when_nominated", "register_valid_long_term",
                      "voter_list_publish_days_before", "voter_appeal_window_days", "voter_appeal_decision_days",
                      "court_filing_days_before", "count_start_day", "unreachable_reregister_days_before",
                      "leap_day_birthday_turns_on_march_1", "minimum_age", "late_appeals_refused",
                      "register_change_reasons")),
    ("提名与候选人名单", ("nomination_methods", "joint_nominators_min", "nominations_per_nominator_max_is_seats",
                   "surplus_min", "surplus_max", "initial_candidate_list_days_before",
                   "formal_candidate_list_days_before", "candidate_order")),
    ("投票", ("proxy_max_per_holder", "proxy_needs_committee_consent", "proxy_holder_relations",
            "proxy_request_days_before", "proxy_publish_days_before", "proxy_holder_not_candidate",
            "proxy_must_be_announced", "mobile_box_min_staff", "mobile_box_needs_township_approval",
            "invalidate_scope", "invalid_ballot_warning_percent")),
    ("选举结果与另行选举", ("validity_share", "validity_strict", "win_share", "win_strict", "runoff_min_share",
                    "runoff_min_strict", "runoff_candidates_for_one_seat", "runoff_within_days",
                    "further_runoff_allowed")),
)
DEPUTY_PARAMETERS: dict[str, tuple[str, str, str]] = {
    "county_base": ("县级代表名额基数", "名", "县级人大代表名额基数为一百四十名。"),
    "county_per": ("县级每增加一名代表的人口", "人", "每五千人可以增加一名代表。"),
    "county_cap": ("县级代表名额上限", "名", "人口超过一百五十五万的，代表总名额不得超过四百五十名。"),
    "county_cap_above_population": ("适用县级上限的人口", "人", "人口超过该数时适用上限。"),
    "county_small_below_population": ("县级可少于基数的人口", "人", "人口不足五万的，代表总名额可以少于一百四十名。"),
    "township_base": ("乡级代表名额基数", "名", "乡镇人大代表名额基数为四十五名。"),
    "township_per": ("乡级每增加一名代表的人口", "人", "每一千五百人可以增加一名代表。"),
    "township_cap": ("乡级代表名额上限", "名", "代表总名额不得超过一百六十名。"),
    "township_small_below_population": ("乡级可少于基数的人口", "人", "人口不足二千的，代表总名额可以少于四十五名。"),
    "extra_percent": ("可以另加的比例", "%", "聚居少数民族多或者人口居住分散的，经省级人大常委会决定，可以另加百分之五。"),
    "district_seats_min": ("每一选区最少应选代表", "名", "每一选区选一名至三名代表（选举法第二十五条）。"),
    "district_seats_max": ("每一选区最多应选代表", "名", "同上。"),
    "district_deviation_percent": ("每名代表所代表人口的偏离提示", "%", "某选区每名代表所代表的人口偏离平均数超过该比例时提示（办公室检查，非法定标准）。"),
    "county_district_may_split_village": ("县级选区可以分割行政村", "", "县级选区一般由一个或者几个相邻的村组成。"),
    "committee_member_leaves_when_nominated": ("成员被提名为候选人即辞去选举委员会职务", "", "选举法第十条。"),
    "register_valid_long_term": ("选民资格长期有效", "", "经登记确认的选民资格长期有效，每次选举前只登记增减（选举法第二十七条）。"),
    "voter_list_publish_days_before": ("选民名单公布时限", "日前", "选举日的二十日以前公布（选举法第二十八条）。"),
    "voter_appeal_window_days": ("申诉期限", "日内", "对选民名单有不同意见的，可以在名单公布之日起五日内申诉。"),
    "voter_appeal_decision_days": ("申诉处理期限", "日内", "选举委员会应在三日内作出处理决定。"),
    "court_filing_days_before": ("向法院起诉的期限", "日前", "对处理决定不服的，可以在选举日的五日以前向人民法院起诉。"),
    "count_start_day": ("起算日计入期限", "", "“否”：按民法典第二百零一条，开始的当日不计入。"),
    "unreachable_reregister_days_before": ("无法联系者补登截止", "日前", "登记期间无法联系的，选举日前该日数以前可以补登（如浙江十二日）；不填表示无此要求。"),
    "leap_day_birthday_turns_on_march_1": ("2月29日出生者满18周岁之日为3月1日", "", "“否”则为2月28日。"),
    "minimum_age": ("选民年龄", "周岁", "年满十八周岁（算至选举日）。"),
    "nomination_methods": ("推荐方式", "", "各政党、各人民团体联合或者单独推荐；选民十人以上联名推荐（选举法第三十条）。"),
    "joint_nominators_min": ("联名推荐最少人数", "人", "选民十人以上联名可以推荐代表候选人。"),
    "nominations_per_nominator_max_is_seats": ("推荐人数不超过应选名额", "", "政党、人民团体推荐的和每一选民参加联名推荐的人数，均不得超过本选区应选代表名额。"),
    "surplus_min": ("差额下限", "", "候选人应多于应选代表名额三分之一（选举法第三十一条）。"),
    "surplus_max": ("差额上限", "", "至多多于应选名额一倍。"),
    "initial_candidate_list_days_before": ("初步候选人名单公布时限", "日前", "选举日的十五日以前公布（选举法第三十二条）。"),
    "formal_candidate_list_days_before": ("正式候选人名单公布时限", "日前", "选举日的七日以前公布。"),
    "candidate_order": ("候选人名单排列方式", "", "按姓氏笔画排列；经预选的按得票多少排列。"),
    "proxy_max_per_holder": ("每人最多接受委托", "人", "每一选民接受的委托不得超过三人（选举法第四十二条）。"),
    "proxy_needs_committee_consent": ("委托须经选举委员会同意", "", "选举法第四十二条。"),
    "proxy_holder_relations": ("受托人范围", "", "选民可以书面委托其他选民代为投票（选举法第四十二条）。"),
    "proxy_request_days_before": ("委托申请截止", "日前", "不填表示选举日前均可申请。"),
    "proxy_publish_days_before": ("委托投票名单公布时限", "日前", "如浙江：选举委员会可以在选举日前公布；不填表示不作要求。"),
    "proxy_holder_not_candidate": ("候选人不得接受委托", "", "法律未作规定。"),
    "proxy_must_be_announced": ("委托投票名单须公布", "", "法律未作规定；浙江为“可以”公布。"),
    "late_appeals_refused": ("逾期申诉不予受理", "", "名单公布之日起五日后提出的申诉不予受理。"),
    "register_change_reasons": ("选民登记增减原因", "", "新满十八周岁、恢复政治权利、迁入的登记；死亡、被剥夺政治权利、迁出的除名（选举法第二十七条）。"),
    "mobile_box_min_staff": ("流动票箱最少工作人员", "人", "如浙江：至少二人；不填表示无此要求。"),
    "mobile_box_needs_township_approval": ("流动票箱须经批准", "", "设立流动票箱须经选举委员会以外的机关批准（法律未作规定）。"),
    "invalidate_scope": ("多选的无效范围", "", "所选的人数多于应选代表名额的选票作废（选举法第四十四条）。"),
    "invalid_ballot_warning_percent": ("无效票提示比例", "%", "某投票站无效票达到该比例时提示核实（办公室检查，非法定标准）。"),
    "validity_share": ("选举有效的投票人数比例", "", "选区全体选民过半数参加投票，选举有效（选举法第四十五条）。"),
    "validity_strict": ("有效比例为“超过”", "", "“是”：须超过该比例，恰好一半不算。"),
    "win_share": ("当选所需票数比例", "", "获得参加投票的选民过半数的选票始得当选。"),
    "win_strict": ("当选比例为“超过”", "", "“是”：须超过该比例。"),
    "runoff_min_share": ("另行选举当选票数下限", "", "另行选举时得票多的当选，但不得少于选票的三分之一。"),
    "runoff_min_strict": ("另行选举下限为“超过”", "", "“否”：不少于该比例即可。"),
    "runoff_candidates_for_one_seat": ("只选一人时的另行选举候选人数", "人", "只选一人的，候选人应为二人。"),
    "runoff_within_days": ("另行选举期限", "日内", "选举日后多少日内另行选举；不填表示当日或不限（法律未作规定）。"),
    "further_runoff_allowed": ("仍不足时可再次另行选举", "", "法律未明确；浙江规定不再另行选举。"),
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
    **PROXY_RELATIONS_EXTRA,
    "party_organisation": "各政党、各人民团体推荐",
    "voters_jointly": "选民十人以上联名推荐",
    **PARTY_NOMINATION_LABELS,
    **CONGRESS_NOMINATION_LABELS,
    EXCUSED_ILL: "因病不能表达本人意志",
    EXCUSED_ABROAD: "自费出国",
    EXCUSED_SENTENCED: "正在服刑",
    EXCUSED_FRAIL: "年老体弱卧床不起",
    EXCUSED_AWAY: "外出未转组织关系",
    BASE_VOTED: "参加投票（推荐）的人数",
    BASE_ELECTORATE: "应参加投票（推荐）的人数",
    RATIO_OF_SEATS: "应选名额",
    RATIO_OF_CANDIDATES: "正式候选人数",
}

# 党组织选举 (villages.kinds.party_branch and party_congress): what both kinds share, then each kind's own.
_PARTY_TERM = ("任期与审批", ("term_years", "term_delay_max_years", "plan_needs_upper_approval",
                          "results_need_upper_approval", "delegate_meeting_members_min"))
_PARTY_ATTENDANCE = ("应到会人数与到会人数", ("excused_categories", "excused_away_months_min", "excusal_needs_upper_consent",
                                      "excusal_needs_meeting_vote", "quorum_share", "quorum_strict"))
_PARTY_VOTING = ("投票", ("proxy_allowed", "writer_not_candidate", "write_in_allowed", "invalidate_scope"))
_PARTY_WINNING = ("当选", ("win_share", "win_strict", "shortfall_filled_from_below_half", "seats_may_be_reduced",
                         "secretary_elected_by_committee"))
PARTY_BRANCH_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    _PARTY_TERM,
    ("组织设置与委员职数", ("branch_members_min", "committee_members_min", "branch_committee_size_min",
                    "branch_committee_size_max", "deputy_secretary_max", "committee_size_population_threshold",
                    "committee_size_up_to_threshold", "committee_size_above_threshold")),
    _PARTY_ATTENDANCE,
    ("推荐与信任投票", ("nomination_methods", "recommendation_min_share", "recommendation_min_strict",
                  "recommendation_share_base", "confidence_min_share", "confidence_min_strict",
                  "confidence_share_base", "stage_turnout_min_share", "preliminary_ratio", "preliminary_ratio_base")),
    ("候选人", ("member_surplus_share", "secretary_contested", "candidate_order")),
    _PARTY_VOTING,
    _PARTY_WINNING,
)
PARTY_CONGRESS_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    _PARTY_TERM,
    ("代表名额", ("delegates_usual_min", "delegates_usual_max", "delegates_max")),
    _PARTY_ATTENDANCE,
    ("代表候选人", ("nomination_methods", "preliminary_ratio", "preliminary_ratio_base", "delegate_surplus_share",
               "member_surplus_share", "secretary_contested", "candidate_order")),
    ("代表结构", ("cadre_max_share", "young_min_share", "young_age_max", "women_not_below_members",
              "minorities_not_below_members")),
    _PARTY_VOTING,
    _PARTY_WINNING,
)
_PARTY_PARAMETERS: dict[str, tuple[str, str, str]] = {
    "term_years": ("任期", "年", "村党组织和乡镇党委每届任期五年（农村基层组织工作条例）。"),
    "term_delay_max_years": ("延期或者提前换届的期限", "年", "任期届满应当按期换届；需要延期或者提前的，报上级党组织批准，一般不超过一年（基层组织选举工作条例第三条）。"),
    "plan_needs_upper_approval": ("候选人预备人选报上级党组织审查同意", "", "委员候选人预备人选经上级党组织审查同意后，提交党员酝酿（基层组织选举工作条例第十四条）。"),
    "results_need_upper_approval": ("选举结果报上级党组织批准", "", "选出的委员和书记、副书记，报上级党组织批准。"),
    "delegate_meeting_members_min": ("可以召开党员代表大会的党员人数", "名", "党员人数达到该数的，经上级党组织批准，可以召开党员代表大会进行选举（基层组织选举工作条例第四条）。"),
    "excused_categories": ("不列入应到会人数的情形", "", "经上级党组织同意并经党员大会通过，这些党员可以不列入应到会人数（中央组织部答复）。"),
    "excused_away_months_min": ("自费出国、外出的时间", "个月以上", "自费出国、外出未转组织关系达到该时间的，可以不列入应到会人数（半年）。"),
    "excusal_needs_upper_consent": ("不列入应到会人数须经上级党组织同意", "", "中央组织部答复。"),
    "excusal_needs_meeting_vote": ("不列入应到会人数须经党员大会通过", "", "中央组织部答复。"),
    "quorum_share": ("进行选举的到会人数比例", "", "有选举权的到会人数超过应到会人数的五分之四，会议有效。"),
    "quorum_strict": ("到会比例为“超过”", "", "“是”：须超过该比例，恰好五分之四不够；有的地方写作“不少于”。"),
    "member_surplus_share": ("委员候选人差额比例", "", "委员候选人的差额不少于应选人数的20%（基层组织选举工作条例第十三条）。"),
    "secretary_contested": ("书记、副书记差额选举", "", "“否”：书记、副书记实行等额选举（地方选举办法；2020年条例此点未核实）。"),
    "candidate_order": ("候选人名单排列方式", "", "委员候选人按姓氏笔画排列；书记、副书记候选人按上级党组织批复的顺序（基层组织选举工作条例第二十四条）。"),
    "proxy_allowed": ("可以委托投票", "", "选举人不得委托他人代为投票（基层组织选举工作条例第二十四条）。"),
    "writer_not_candidate": ("代写选票者不得为候选人", "", "选举人不能填写选票的，可以委托非候选人按照选举人的意志代为填写。"),
    "write_in_allowed": ("可以另选他人", "", "选举人对候选人可以投赞成票、不赞成票，也可以弃权；另选他人按照本地选举办法。"),
    "invalidate_scope": ("多选的无效范围", "", "所选人数多于应选人数的选票无效。"),
    "win_share": ("当选所需赞成票比例", "", "被选举人获得的赞成票超过实到会有选举权的人数的一半，始得当选；恰好一半不能当选。"),
    "win_strict": ("当选比例为“超过”", "", "“是”：须超过半数。"),
    "shortfall_filled_from_below_half": ("缺额从得票未过半数者中递补", "", "当选人数少于应选名额时，不得从得票未过半数的人中依次递补。"),
    "seats_may_be_reduced": ("缺额可以减少名额", "", "对缺额另行选举；当选人数接近应选名额的，经党员大会过半数同意，也可以减少名额，不再选举（基层党务工作手册）。"),
    "secretary_elected_by_committee": ("书记、副书记由委员会选举", "", "新当选的委员会选举书记、副书记；实行公推直选的，由党员大会直接选举。"),
}
PARTY_BRANCH_PARAMETERS: dict[str, tuple[str, str, str]] = {
    **_PARTY_PARAMETERS,
    "branch_members_min": ("成立党支部的正式党员人数", "名", "正式党员三名以上的，成立党支部（支部工作条例）。"),
    "committee_members_min": ("设立支部委员会的正式党员人数", "名", "正式党员七名以上的党支部设立支部委员会；不足七名的不设，设书记一名，必要时设副书记一名。"),
    "branch_committee_size_min": ("支部委员会委员职数下限", "名", "支部委员会由三至五人组成，一般不超过七人（支部工作条例）。"),
    "branch_committee_size_max": ("支部委员会委员职数上限", "名", "同上。"),
    "deputy_secretary_max": ("副书记职数上限", "名", "必要时设副书记一名。"),
    "committee_size_population_threshold": ("按村人口确定委员职数的人口界线", "人", "如崇仁县试点：2000人以下配3名，2000人以上配5名；恰为界线人数的按较少职数。"),
    "committee_size_up_to_threshold": ("人口在界线及以下的委员职数", "名", "按村人口确定时适用。"),
    "committee_size_above_threshold": ("人口在界线以上的委员职数", "名", "按村人口确定时适用。"),
    "nomination_methods": ("候选人产生方式", "", "两推一选、公推直选、两票制。"),
    "recommendation_min_share": ("两推一选：推荐票比例要求", "", "有的县规定群众推荐票未超过参选人数50%的不予审批。"),
    "recommendation_min_strict": ("推荐票比例为“超过”", "", "“是”：须超过该比例；“否”：达到即可。"),
    "recommendation_share_base": ("推荐票比例的计算基数", "", "按参加推荐的人数或者应参加推荐的人数计算。"),
    "confidence_min_share": ("两票制：成为候选人所需信任票比例", "", "获得过半数信任票的才能成为候选人；崇仁县试点为70%以上。"),
    "confidence_min_strict": ("信任票比例为“超过”", "", "“是”：须超过该比例；“否”：达到即可（“以上”）。"),
    "confidence_share_base": ("信任票比例的计算基数", "", "按参加投票的人数或者应参加投票的人数计算（未见明确规定）。"),
    "stage_turnout_min_share": ("推荐、信任投票的参加率要求", "", "如山西一试点要求党员推荐参加率85%以上。"),
    "preliminary_ratio": ("确定预备人选的比例", "", "在达到要求的人中按得票多少、以该比例确定预备人选（如崇仁县试点1:1.5），舍去小数。"),
    "preliminary_ratio_base": ("预备人选比例的计算基数", "", "按正式候选人数或者应选名额计算。"),
}
PARTY_CONGRESS_PARAMETERS: dict[str, tuple[str, str, str]] = {
    **_PARTY_PARAMETERS,
    "delegates_usual_min": ("代表名额一般下限", "名", "党员代表大会代表名额一般为一百至二百名，最多不超过三百名（基层组织选举工作条例）。"),
    "delegates_usual_max": ("代表名额一般上限", "名", "同上。"),
    "delegates_max": ("代表名额上限", "名", "同上。"),
    "delegate_surplus_share": ("代表候选人差额比例", "", "代表候选人的差额不少于应选代表的20%（基层组织选举工作条例第九条）。"),
    "nomination_methods": ("代表候选人产生方式", "", "党组织推荐和党员推荐；两推两评一选。"),
    "preliminary_ratio": ("确定初步人选的比例", "", "按推荐票多少、以该比例确定代表候选人初步人选（如某区试点1:3），舍去小数。"),
    "preliminary_ratio_base": ("初步人选比例的计算基数", "", "按应选名额或者正式候选人数计算。"),
    "cadre_max_share": ("党员干部代表比例上限", "", "乡镇、村、经济组织、社会组织的党员干部代表的比例不超过该比例（某省要求60%）。"),
    "young_min_share": ("年轻代表比例下限", "", "年龄在规定岁数以下的代表的比例不少于该比例（某省要求50%）。"),
    "young_age_max": ("年轻代表的年龄", "周岁以下", "含该岁数（某省为45岁以下）。"),
    "women_not_below_members": ("女代表比例不低于女党员比例", "", "妇女党员代表的比例一般不少于本乡镇女党员占党员总数的比例。"),
    "minorities_not_below_members": ("少数民族代表比例不低于少数民族党员比例", "", "少数民族党员代表的比例一般不少于本乡镇少数民族党员占党员总数的比例。"),
}
# What an unset (None) parameter means, where "不限" / "无此要求" would mislead.
NONE_SHOWN = {
    "committee_size_population_threshold": "不按人口确定",
    "preliminary_ratio": "不按比例（达到要求者均列入）",
}
# Every kind's labels; ``parameter_rows`` takes the set that names every parameter it is given.
LABEL_SETS = (
    (SECTIONS, PARAMETERS),
    (DEPUTY_SECTIONS, DEPUTY_PARAMETERS),
    (PARTY_BRANCH_SECTIONS, PARTY_BRANCH_PARAMETERS),
    (PARTY_CONGRESS_SECTIONS, PARTY_CONGRESS_PARAMETERS),
)


def parameter_rows(params: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The preset page's sections: (section, [(label, value shown, explanation)]), for the kind of
    election whose parameters ``params`` are."""
    sections, labels = next((s, labels) for s, labels in LABEL_SETS if set(params) <= set(labels))
    return [
        (section, [(labels[name][0], display_value(name, params[name], labels), labels[name][2])
                   for name in names if name in params])
        for section, names in sections
    ]


def display_value(name: str, value: Any, labels: dict[str, tuple[str, str, str]] | None = None) -> str:
    """The value of parameter ``name`` in Chinese: 是/否, 不限, units, choices, shares and 差额 ranges."""
    unit = (labels or next(labels for _s, labels in LABEL_SETS if name in labels))[name][1]
    if value is None and name in NONE_SHOWN:
        return NONE_SHOWN[name]
    if name.endswith("_share") and value is None:
        return "不作要求"
    if name.endswith("_share") or name in ("surplus_min", "surplus_max"):
        numerator, denominator = value
        return f"{numerator}/{denominator}"
    if name == "preliminary_ratio":
        numerator, denominator = value
        return f"1:{(Decimal(numerator) / Decimal(denominator)).quantize(Decimal('0.01')).normalize():f}"
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
