"""What the audit log shows a person: a Chinese name for every action code (``voters.voter.updated`` →
修改选民信息), for every changed field (``group`` → 村民小组) and for coded values (``registration`` →
选民登记). Entries keep their codes; only the screen, the history pages and the Excel export translate
them (issue 13: no internal English codes in front of users).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

ACTIONS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "auth.password_changed": "修改密码",
    "auth.lockout_cleared": "解除登录锁定",
    "archive.complaint.created": "登记信访件",
    "archive.complaint.updated": "更新信访件",
    "archive.document.destroyed": "销毁到期档案",
    "archive.document.downloaded": "下载档案文件",
    "archive.document.filed": "生成归档文件",
    "archive.document.uploaded": "上传扫描件",
    "archive.filing.requested": "申请生成归档文件",
    "archive.handover.item_recorded": "登记移交事项",
    "archive.index.printed": "打印档案目录",
    "archive.result.certified": "认定选举结果",
    "archive.retention.created": "新增保管期限",
    "archive.retention.updated": "修改保管期限",
    "archive.unlock.approved": "批准解锁",
    "archive.unlock.requested": "申请解锁",
    "ballots.ballot.printed": "打印选票",
    "ballots.ballot_quantities.printed": "打印选票印制数量表",
    "ballots.certificates.printed": "打印当选证书",
    "ballots.elected_deputies.printed": "打印当选代表名单",
    "ballots.election_day_notice.printed": "打印选举日公告",
    "ballots.results_notice.printed": "打印选举结果公告",
    "ballots.voter_cards.printed": "打印选民证",


    "ballots.ballot_count.finished": "唱票计票结束，生成计票结果",
    "ballots.ballot_count.started": "开始唱票计票",
    "ballots.counted_ballot.withdrawn": "撤销录错的选票",
    "ballots.counting_options.saved": "保存计票设置",
    "ballots.mobile_box.approved": "批准流动票箱",
    "ballots.mobile_box.voters_set": "确定流动票箱投票人",
    "ballots.result.voided": "宣布选举结果无效",
    "ballots.results.announced": "公布选举结果",
    "ballots.results_report.printed": "打印选举结果报告单",
    "ballots.party_upper_report.printed": "打印报上级党委的选举结果报告",
    "ballots.round.opened": "开始一轮投票",
    "ballots.round.attendance_recorded": "登记党员大会实到会人数",
    "ballots.shortfall.decided": "登记缺额处理决定",
    "ballots.committee_post.voted": "登记书记、副书记选举结果",
    "ballots.round.voided": "宣布本轮投票无效",
    "ballots.station.created": "新增投票站",
    "ballots.station.created_per_group": "按村民小组设立投票站",
    "ballots.station.updated": "修改投票站",
    "ballots.tally.double_entry_differs": "双人录入结果不一致",
    "ballots.tally.double_entry_matched": "双人录入结果一致",
    "ballots.tally.double_entry_resolved": "核对双人录入结果",
    "ballots.tally.recorded": "录入计票结果",
    "ballots.tally_sheet.printed": "打印计票结果报告单",
    "ballots.write_in.ruled": "认定另选他人",
    "candidates.candidate.nominated": "提名候选人",
    "candidates.candidate.not_replaced": "候选人退出后不再递补",
    "candidates.candidate.replaced": "递补候选人",
    "candidates.candidate.votes_updated": "修改提名得票",
    "candidates.candidate.withdrawn": "候选人退出",
    "candidates.candidate_list.printed": "打印候选人名单",
    "candidates.committee_member.left": "选举委员会成员退出",
    "candidates.committee_member.not_replaced": "选举委员会成员不再递补",
    "candidates.committee_member.replaced": "递补选举委员会成员",
    "candidates.list.published": "公布候选人名单",
    "candidates.deputy.nominated": "提名代表候选人",
    "candidates.initial_list.published": "公布初步代表候选人名单",
    "candidates.primary.recorded": "登记预选结果",
    "candidates.nomination.added": "登记提名",
    "candidates.party_method.chosen": "确定村党组织候选人产生方式",
    "candidates.party_stage.recorded": "登记推荐、信任投票结果",
    "candidates.party_review.recorded": "登记乡镇党委审查意见",
    "candidates.party_review.cleared": "推荐、信任投票结果更改后撤销审查意见",
    "candidates.party_list.published": "公布村党组织正式候选人名单",
    "candidates.party_paper.printed": "打印推荐票、信任投票票",
    "reports.report.exported": "导出统计报表",
    "reports.deputy_report.exported": "导出人大代表选举统计报表",
    "reports.two_committee_report.exported": "导出村“两委”换届选举统计报表",
    "reports.branch_process.exported": "导出村党组织换届选举过程统计报表",
    "reports.congress_report.exported": "导出乡镇党代表大会代表结构统计报表",
    "reports.roster.imported": "导入成员名册",
    "reports.roster_template.exported": "下载空白名册",
    "villages.audit.exported": "导出操作日志",
    "villages.backup.created": "备份数据",
    "villages.backup.restored": "恢复数据",
    "villages.campaign.opened": "开始换届选举",
    "villages.congress.opened": "开始乡镇党代表大会代表选举",
    "villages.congress.unit_added": "设立党代表大会选举单位",
    "villages.congress.total_set": "确定党代表大会代表名额",
    "villages.congress.allocated": "分配党代表大会代表名额",
    "candidates.congress.list_published": "确定党代表大会代表候选人名单",
    "candidates.congress.composition_printed": "打印党代表大会代表结构情况",
    "candidates.congress.body_voted": "登记党代表大会选举党委委员、纪委委员的结果",
    "candidates.congress.body_result_printed": "打印党代表大会选举党委委员、纪委委员的结果",
    "villages.campaign.closed": "结束换届选举",
    "villages.date.explained": "说明超出法定期限的日期",
    "villages.county.created": "新增县（区）",
    "villages.preset.created": "新增规则预设",
    "villages.preset.updated": "修改规则预设",
    "villages.committee_member.created": "新增选举委员会成员",
    "villages.committee_member.left_on_nomination": "选举委员会成员因被提名为候选人辞去职务",
    "villages.deputy_round.opened": "开始人大代表换届选举",
    "villages.district_plan.printed": "打印选区划分和代表名额分配方案",
    "villages.district_unit.created": "新增选区单位",
    "villages.district_unit.updated": "修改选区单位",
    "villages.seat_decision.recorded": "记录代表名额决定",
    "villages.seat_decision.updated": "修改代表名额决定",
    "villages.committee_member.updated": "修改选举委员会成员",
    "villages.constituency.created": "新增选区",
    "villages.constituency.updated": "修改选区",
    "villages.district_election.opened": "建立选区选举",
    "villages.district_election.seats_changed": "选区选举代表名额随选区调整",
    "villages.election.postponed": "选举日顺延",
    "villages.election.party_seats_updated": "修改村党组织委员会职数",
    "villages.election.plan_approved": "记录乡镇党委对选举工作方案和委员职数的批复",
    "villages.election.stage_advanced": "进入下一阶段",
    "villages.election.updated": "修改选举设置",
    "villages.group.created": "新增村民小组",
    "villages.group.updated": "修改村民小组",
    "villages.township.created": "新增乡镇",
    "villages.township.updated": "修改乡镇",
    "villages.user.created": "新增用户",
    "villages.user.updated": "修改用户",
    "villages.village.created": "新增村",
    "villages.village.updated": "修改村",
    "voters.amendment.created": "新增选民名单变更",
    "voters.amendment.published": "公布选民名单变更",
    "voters.amendments.printed": "打印选民增减名单",
    "voters.appeal.decided": "处理选民资格申诉",
    "voters.appeal.decision_published": "公布申诉处理决定",
    "voters.appeal.filed": "受理选民资格申诉",
    "voters.appeals.printed": "打印申诉及处理决定",
    "voters.excusal.recorded": "登记不列入应到会人数的党员",
    "voters.excusal.withdrawn": "撤销不列入应到会人数",
    "voters.import.confirmed": "确认导入选民名单",
    "voters.import.checked_only": "只检查选民名单，不导入",
    "voters.import.voters_created": "导入新增选民",
    "voters.import.voter_created": "导入新增选民",  # one entry per voter, written before 2026-12
    "voters.import.voter_updated": "导入修改选民信息",
    "voters.import.uploaded": "上传选民名单",
    "voters.import_annotated.exported": "下载标注错误的名单",
    "voters.list.published": "公布选民名单",
    "voters.person.searched": "按身份号码查找选民",
    "voters.proxy.approved": "同意委托投票",
    "voters.proxy.registered": "登记委托投票",
    "voters.proxy.revoked": "撤销委托投票",
    "voters.proxy_list.printed": "打印委托投票名单",
    "voters.proxy_certificates.printed": "打印委托书和委托投票证",
    "voters.proxy_list.published": "公布委托投票名单",
    "voters.published_list.exported": "导出选民名单",
    "voters.published_list.printed": "打印选民名单",
    "voters.voter.change_reason_recorded": "记录选民增减原因",
    "voters.voter.created": "新增选民",
    "voters.voter.carried_forward": "沿用上届选民登记",
    "voters.register.carried_forward": "沿用上届选民名单",
    "voters.voter.listed": "列入选民名单",
    "voters.voter.unlisted": "移出选民名单",
    "voters.voter.updated": "修改选民信息",
}

# For codes without their own entry (new ones): the verb and the object, composed as 打印 + 选民名单.
VERBS = {
    "created": "新增", "updated": "修改", "deleted": "删除", "printed": "打印", "exported": "导出",
    "imported": "导入", "published": "公布", "approved": "批准", "revoked": "撤销", "requested": "申请",
    "recorded": "登记", "saved": "保存", "opened": "开始", "voided": "宣布无效", "announced": "公布",
    "certified": "认定", "uploaded": "上传", "downloaded": "下载", "filed": "归档", "destroyed": "销毁",
    "decided": "处理", "nominated": "提名", "withdrawn": "退出", "replaced": "递补", "changed": "修改",
    "confirmed": "确认", "ruled": "认定", "restored": "恢复", "failed": "失败", "closed": "结束",
}
OBJECTS = {
    "township": "乡镇", "village": "村", "group": "村民小组", "constituency": "选区", "district": "选区",
    "campaign": "换届选举", "election": "选举", "user": "用户", "committee_member": "选举委员会成员",
    "voter": "选民", "import": "选民名单导入", "list": "名单", "published_list": "选民名单",
    "amendment": "选民名单变更", "appeal": "选民资格申诉", "proxy": "委托投票", "proxy_list": "委托投票名单",
    "candidate": "候选人", "candidate_list": "候选人名单", "nomination": "提名", "station": "投票站",
    "tally": "计票结果", "round": "投票", "result": "选举结果", "results": "选举结果", "ballot": "选票",
    "document": "档案", "complaint": "信访件", "unlock": "解锁", "handover": "工作移交", "report": "统计报表",
    "roster": "成员名册", "audit": "操作日志", "backup": "备份", "seats": "代表名额", "password": "密码",
    "session": "登录",
}
OTHER_ACTION = "其他操作"

# Keys of ``changes`` that are not model fields.
KEYS = {
    "filename": "文件名", "bytes": "文件大小（字节）", "query": "筛选条件", "members": "成员人数",
    "password": "密码", "count": "人数", "created": "新增", "updated": "更新", "unchanged": "未变",
    "rows": "行数", "voters": "选民", "reason": "原因", "note": "说明", "ip": "登录地址", "username": "用户名",
    "scope": "范围", "format": "格式", "kind": "类型", "version": "版本", "stage": "阶段", "from": "原值",
    "to": "新值", "state": "状态", "sheets": "工作表", "records": "档案份数", "documents": "文件",
    "station": "投票站", "round": "轮次", "post": "职务", "votes": "票数", "person": "人员",
    "ground": "无效事由", "figures": "认定无效的数字", "ballots": "唱票张数", "marks": "所选", "number": "序号",
    "tally": "计票结果",
}
_LATIN = re.compile(r"[A-Za-z]")


def action_label(code: str) -> str:
    """The Chinese name of an action code; never the code itself."""
    if code in ACTIONS:
        return ACTIONS[code]
    parts = code.split(".")
    verb, obj = VERBS.get(parts[-1]), OBJECTS.get(parts[-2]) if len(parts) >= 2 else None
    if verb and obj:
        return f"{verb}{obj}"
    return OTHER_ACTION


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The Chinese name of a changed field: the model field's verbose name, a known key, or any
    model's field of that name; never the English name."""
    field = _field(model, name)
    if field is not None and not _LATIN.search(str(field.verbose_name)):
        return str(field.verbose_name)
    if name in KEYS:
        return KEYS[name]
    for other in apps.get_models():
        field = _field(other, name)
        if field is not None and not _LATIN.search(str(field.verbose_name)):
            return str(field.verbose_name)
    return "其他内容"


# Values kept as national-standard codes (民族 GB/T 3304, 政治面貌 GB/T 4762…), by model and field, in words:
# each list is registered by the app that keeps it (``register_code_list`` in its ``AppConfig.ready``).
_CODE_LISTS: dict[tuple[str, str], Mapping[str, str]] = {}


def register_code_list(model_label: str, field: str, names: Mapping[str, str]) -> None:
    """Show ``field`` of the model ``model_label`` (``"voters.voter"``) through ``names`` (code → words)."""
    _CODE_LISTS[(model_label, field)] = names


def value_label(model: type[models.Model] | None, name: str, value: Any, related: dict | None = None) -> Any:
    """A coded value in words: a choice's label, a registered code list's name, 是/否, （空）, and with
    ``related`` (a dict the caller keeps for one page or export, so each object is read once) the
    name of the object a foreign key points to (村民小组 2 → 第2组). Other values are returned as they are."""
    if model is not None and isinstance(value, str):
        names = _CODE_LISTS.get((model._meta.label_lower, name))
        if names is not None and value in names:
            return names[value]
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):  # e.g. an import's counts: 新增：12，更新：0，未变：0
        return "，".join(f"{field_label(None, key)}：{value_label(None, key, item)}" for key, item in value.items())
    field = _field(model, name)
    if field is not None and field.choices and isinstance(value, (str, int)):
        return dict(field.flatchoices).get(value, value)
    if related is not None and field is not None and field.many_to_one and type(value) is int:
        key = (field.related_model, value)
        if key not in related:
            target = field.related_model._default_manager.filter(pk=value).first()
            related[key] = str(target) if target is not None else f"（已删除的{field.verbose_name}）"
        return related[key]
    return value


def _field(model, name: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None  # a reverse relation has no name of its own
