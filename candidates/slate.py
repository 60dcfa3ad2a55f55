"""Pure checks on a candidate list (候选人名单) and on one voter's nomination ballot.

It decides whether each post is contested with the preset's 差额, whether a woman stands for the member
posts, whether a person stands for more than one post, and in which order the formal list is printed.
It never imports the ORM (STYLE.md §4a); every finding has a stable code and a Chinese message taken from
``MESSAGES``.

The post codes and their rank live here because candidates come before ballots in the app chain
(STYLE.md §1): ``ballots`` reads them from this module, and models can use them as choices.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from villages.law import OL_2018, ZHEJIANG_2020, Citation
from villages.presets import EXCLUSIVE, ORDER_BY_STROKES, RuleParameters

CHAIR = "chair"
VICE_CHAIR = "vice_chair"
MEMBER = "member"
WOMAN_MEMBER = "woman_member"  # 妇女委员: a member seat filled from women only (LAW.md §2.2)

POST_LABELS = {CHAIR: "主任", VICE_CHAIR: "副主任", MEMBER: "委员", WOMAN_MEMBER: "妇女委员"}
POST_ORDER = (CHAIR, VICE_CHAIR, MEMBER, WOMAN_MEMBER)
# The women's seat sits at the member level: neither post is higher than the other.
POST_RANK = {CHAIR: 1, VICE_CHAIR: 2, MEMBER: 3, WOMAN_MEMBER: 3}

FEMALE = "F"
MALE = "M"

ERROR = "error"
WARNING = "warning"

MESSAGES = {
    "surplus_too_small": "{post_label}应选{seats}名，候选人{count}名，差额{extra}名，少于规定的{allowed}",
    "surplus_too_large": "{post_label}应选{seats}名，候选人{count}名，差额{extra}名，多于规定的{allowed}",
    "unknown_post": "{name}被提名的职务“{post_text}”不在本次选举的职务之中",
    "duplicate_candidate": "{name}在{post_label}候选人名单中出现了{count}次",
    "nominated_for_several_posts": "{name}同时被提名为{posts_text}候选人，须书面确认只参选其中一个职务",
    "woman_seat_post_missing": "本规则要求单独设立妇女委员职位，但本次选举的职务中没有妇女委员",
    "woman_seat_candidate_not_woman": "{name}不是女性，不能作为妇女委员候选人",
    "no_woman_member_candidate": "委员候选人{count}名中没有妇女，须至少有一名妇女候选人",
    "no_woman_candidate": "候选人{count}名中没有妇女，而村民委员会成员中应当有妇女成员",
    "too_many_nominations": "{post_label}应选{seats}名，该提名票提名了{count}人，超过应选名额，该职务的提名无效",
    "duplicate_nomination": "该提名票对{post_label}重复提名{name}",
    "same_person_several_posts": "该提名票将{name}同时提名为{posts_text}，对其的提名无效",
}


@dataclass(frozen=True)
class SlatePost:
    """One post (职务) with its seats (职数); ``gender_required="F"`` marks the women's seat."""

    code: str
    seats: int
    gender_required: str | None = None

    @property
    def label(self) -> str:
        return post_label(self.code)


@dataclass(frozen=True)
class SlateCandidate:
    """A person on the list for one post; ``key`` identifies the person across posts."""

    key: str
    name: str
    post: str
    sex: str = ""
    nomination_votes: int = 0


@dataclass(frozen=True)
class SlateProblem:
    code: str
    severity: str
    message: str
    post: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()


def post_label(code: str) -> str:
    return POST_LABELS.get(code, code)


def _problem(
    code: str, *, severity: str = ERROR, post: str | None = None, citations: tuple[Citation, ...] = (), **data: Any
) -> SlateProblem:
    if post is not None:
        data.setdefault("post_label", post_label(post))
    return SlateProblem(
        code=code,
        severity=severity,
        message=MESSAGES[code].format(**data),
        post=post,
        data=data,
        citations=citations,
    )


def _allowed_text(min_extra: int, max_extra: int | None) -> str:
    if max_extra is None:
        return f"至少{min_extra}名"
    if max_extra == min_extra:
        return f"{min_extra}名"
    return f"{min_extra}至{max_extra}名"


def _posts_text(codes: Iterable[str]) -> str:
    return "、".join(post_label(c) for c in codes)


def check_slate(
    *, candidates: Sequence[SlateCandidate], posts: Sequence[SlatePost], params: RuleParameters
) -> list[SlateProblem]:
    """Every problem with a candidate list, errors and warnings, in a stable order.

    - 差额: each post needs more candidates than seats (OL Art. 15 ¶1), and the excess must lie within
      ``params.surplus_for(post)`` (BJ Art. 16, SH Art. 12, HA Art. 24).
    - A person stands for one post only in exclusive mode and confirms one post in writing (ZJ Art. 17, 18).
    - The women's seat: when the preset reserves it the post must exist, its candidates are women, and a
      woman must be among the member candidates (ZJ Art. 21 ¶3).
    - Without a reserved seat, a list with no woman at all is a warning: the committee should include a
      woman (OL Art. 6 ¶2), and only a write-in could bring one in.
    """
    problems: list[SlateProblem] = []
    by_code = {p.code: p for p in posts}
    per_post: dict[str, list[SlateCandidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.post not in by_code:
            problems.append(_problem("unknown_post", name=candidate.name, key=candidate.key,
                                     post_code=candidate.post, post_text=post_label(candidate.post)))
            continue
        per_post[candidate.post].append(candidate)

    for post in posts:
        entries = per_post.get(post.code, [])
        for key, count in sorted(Counter(c.key for c in entries).items()):
            if count > 1:
                name = next(c.name for c in entries if c.key == key)
                problems.append(_problem("duplicate_candidate", post=post.code, name=name, key=key, count=count))
        problems.extend(_check_surplus(post=post, count=len({c.key for c in entries}), params=params))
        if post.gender_required == FEMALE:
            for c in entries:
                if c.sex != FEMALE:
                    problems.append(_problem("woman_seat_candidate_not_woman", post=post.code, name=c.name, key=c.key,
                                             citations=(ZHEJIANG_2020.art(21, 3),)))

    if params.multi_post_mode == EXCLUSIVE:
        posts_of: dict[str, list[str]] = defaultdict(list)
        names: dict[str, str] = {}
        for post in posts:
            for c in per_post.get(post.code, []):
                if post.code not in posts_of[c.key]:
                    posts_of[c.key].append(post.code)
                names.setdefault(c.key, c.name)
        for key, codes in posts_of.items():
            if len(codes) > 1:
                problems.append(_problem("nominated_for_several_posts", name=names[key], key=key, posts=codes,
                                         posts_text=_posts_text(codes), citations=(ZHEJIANG_2020.art(17),)))

    problems.extend(_check_women(posts=posts, per_post=per_post, params=params))
    return problems


def _check_surplus(*, post: SlatePost, count: int, params: RuleParameters) -> list[SlateProblem]:
    """差额 for one post: ``seats + min_extra <= candidates <= seats + max_extra`` (OL Art. 15 ¶1)."""
    surplus = params.surplus_for(post.code)
    extra = count - post.seats
    allowed = _allowed_text(surplus.min_extra, surplus.max_extra)
    data = dict(post=post.code, seats=post.seats, count=count, extra=extra, allowed=allowed,
                min_extra=surplus.min_extra, max_extra=surplus.max_extra, citations=(OL_2018.art(15, 1),))
    if extra < surplus.min_extra:
        return [_problem("surplus_too_small", **data)]
    if surplus.max_extra is not None and extra > surplus.max_extra:
        return [_problem("surplus_too_large", **data)]
    return []


def _check_women(
    *, posts: Sequence[SlatePost], per_post: Mapping[str, list[SlateCandidate]], params: RuleParameters
) -> list[SlateProblem]:
    has_woman_seat = any(p.gender_required == FEMALE for p in posts)
    if params.woman_seat_reserved and not has_woman_seat:
        return [_problem("woman_seat_post_missing", citations=(ZHEJIANG_2020.art(21, 3),))]
    everyone = [c for entries in per_post.values() for c in entries]
    if has_woman_seat or params.woman_seat_reserved:
        members = [c for p in posts if POST_RANK.get(p.code) == POST_RANK[MEMBER] for c in per_post.get(p.code, [])]
        if not any(c.sex == FEMALE for c in members):
            return [_problem("no_woman_member_candidate", count=len({c.key for c in members}),
                             citations=(ZHEJIANG_2020.art(21, 3), OL_2018.art(6, 2)))]
    elif params.require_woman_member and everyone and not any(c.sex == FEMALE for c in everyone):
        return [_problem("no_woman_candidate", severity=WARNING, count=len({c.key for c in everyone}),
                         citations=(OL_2018.art(6, 2),))]
    return []


def check_nomination_ballot(
    *,
    nominations: Mapping[str, Sequence[str]],
    posts: Sequence[SlatePost],
    params: RuleParameters,
    names: Mapping[str, str] | None = None,
) -> list[SlateProblem]:
    """Problems with one voter's nomination ballot: post code -> keys of the persons nominated.

    A voter nominates at most as many persons as a post has seats (ZJ Art. 17, BJ Art. 16, HA Art. 24;
    ``params.nominations_per_voter_max_is_seats``). In exclusive mode, naming the same person for two or
    more posts voids that person's nomination on this ballot (ZJ Art. 17).
    """
    names = names or {}
    problems: list[SlateProblem] = []
    seats = {p.code: p.seats for p in posts}
    posts_of: dict[str, list[str]] = defaultdict(list)
    for post_code, keys in nominations.items():
        if post_code not in seats:
            for key in keys:
                problems.append(_problem("unknown_post", name=names.get(key, key), key=key,
                                         post_code=post_code, post_text=post_label(post_code)))
            continue
        for key, count in sorted(Counter(keys).items()):
            if count > 1:
                problems.append(_problem("duplicate_nomination", post=post_code, name=names.get(key, key), key=key))
        distinct = list(dict.fromkeys(keys))
        if params.nominations_per_voter_max_is_seats and len(distinct) > seats[post_code]:
            problems.append(_problem("too_many_nominations", post=post_code, seats=seats[post_code],
                                     count=len(distinct), citations=(ZHEJIANG_2020.art(17),)))
        for key in distinct:
            posts_of[key].append(post_code)
    if params.multi_post_mode == EXCLUSIVE:
        for key, codes in posts_of.items():
            if len(codes) > 1:
                problems.append(_problem("same_person_several_posts", name=names.get(key, key), key=key,
                                         posts=codes, posts_text=_posts_text(codes),
                                         citations=(ZHEJIANG_2020.art(17),)))
    return problems


# Stroke counts (总笔画数) of about 750 characters common in surnames and given names, grouped by count.
# Taken from the Unicode Unihan database (kTotalStrokes, first value = the simplified form, Unicode 15.0),
# © Unicode, Inc., used under the Unicode License. A full dictionary would not fit a rule module.
_STROKE_TABLE = {
    1: "一",
    2: "丁七乃九了二人入八几刁力十卜又",
    3: "万丈三上下与个丸久么义之也习乡于亿凡千卫口土士大女子寸小山川己已干广弓才门飞马",
    4: (
        "不丑专中丰丹为乌乏书予云互五什仁仅仆仇今介仍从仓以允元公六内凤凶分切劝办勾勿匀化"
        "匹区升午历友双反天太夫孔少尤尹尺屯巨巴币幻引心忆户手扎支文斗斤方无日月木欠止比毛"
        "氏气水火爪父片牙牛犬王瓦艺见计订认贝车邓长队韦风"
    ),
    5: (
        "且世丘丙业丛东丝主乎乐仔他仗付仙代令仪们兄兰冉册写冬冯出击刊功加务包匆北半占卡卢"
        "印厉去发古句另叨只叫召叮可台史右叶号司叹叼四圣处外央失头奴奶孕宁它对尼左巧市布帅"
        "平幼归必扑扒打扔斥旦旧未末本术正母民永汁汇汉灭犯玉瓜甘生用甩田由甲申电白皮目矛石"
        "示礼禾穴立纠艾节讨让训议讯记轧边辽邝闪饥鸟龙"
    ),
    6: (
        "乔亚仲任伊伍伟伦先光全关兴军农刘刚匡华危向吕如孙宇安巩庄庆成旭有朱权毕江池汤百祁"
        "米红纪芝衣许贞邢邬闫阮阳齐"
    ),
    7: (
        "严丽伯何佘余兵冷利吴妍孝宋宏岑巫应张志怀时李杜来杨汪沈沙灿甫秀肖良芦芬芮花芳芹苏"
        "谷财轩辛连迟邱邵邹闵阿陆陈麦"
    ),
    8: (
        "佳冼凯卓单叔周和国坤妮妹孟季学宗官宝居屈岳庞建忠怡房承旺昊昌明易杭杰松林欣欧武河"
        "治波泽狐竺练罗苑苗苟英茂范诗贤郁郎郑金雨青"
    ),
    9: (
        "亮侯俊俞信俭勇姚姜娅娇娜宫封思政施春柏柔查柯柳树段洁洋洪炳玲珊珍皇祝禹秋美胜胡茜"
        "荣贵费贺赵郝钟钢钦闻项顺饶香骆"
    ),
    10: (
        "倩倪健凌唐夏奚娟娥家容峰徐悦振敖晋晏晓柴根栾桂桑殷泰浦浩海涂涛爱班祥秦素继耿聂艳"
        "莉莫莲莹袁诸谈贾郭钰钱铁陶顾高"
    ),
    11: "商婉婧尉屠崔常康彩彬戚敏晨曹曼梁梅梓梦涵淑清焕盖盛章符菊菲萍铭银阎隋雪鸿麻黄龚",
    12: (
        "傅储博喜喻婷媛富强彭惠揭敬斌斯景晶智曾朝植温游湖滑焦然琦琪琳琴琼程童粟舒葛董蒋覃"
        "谢超辉锋锐雅韩鲁"
    ),
    13: "勤廉新楚满煜照瑞甄福窦简蒙蒲蓉蓝虞裘褚解訾詹赖路锦雍雷靳韵颖鲍鹏",
    14: "嘉廖慕熊熙瑶睿管缪翟翠蔡蔺裴谭豪静",
    15: "德慧暴樊毅滕潘瑾璇磊禤颜鹤黎",
    16: "燕穆蕾薇薛霍霖",
    17: "戴璐霞鞠魏",
    20: "耀馨",
    21: "露",
    24: "鑫",
}
STROKES = {char: count for count, chars in _STROKE_TABLE.items() for char in chars}
# Characters missing from the table sort after every known one, so a gap never hides inside the list.
UNKNOWN_STROKES = 99


def stroke_key(name: str) -> tuple[tuple[int, int], ...]:
    """Sort key for 按姓氏笔画排序 (ZJ Art. 20): character by character, stroke count then code point.

    Known limitation: the official rule breaks equal stroke counts by the first stroke's shape
    (横、竖、撇、点、折); we have no stroke-order data and use the code point instead, which is stable but
    not the official order. Characters outside ``STROKES`` are ranked after all known characters of the same
    position; ``characters_without_strokes`` lists them so the office can check the printed order by hand.
    """
    return tuple((STROKES.get(ch, UNKNOWN_STROKES), ord(ch)) for ch in name)


def characters_without_strokes(name: str) -> str:
    return "".join(ch for ch in name if ch not in STROKES)


def order_candidates(candidates: Iterable[SlateCandidate], *, params: RuleParameters) -> list[SlateCandidate]:
    """The printed order of the formal list, grouped by post from the top.

    ``ORDER_BY_VOTES``: most nomination votes first (ZJ Art. 18, BJ Art. 20, SH Art. 12), equal votes in stroke
    order. ``ORDER_BY_STROKES``: surname stroke order (ZJ Art. 20 for self-nominees). The key person ``key``
    closes every tie, so the order never depends on input order.
    """

    def post_position(code: str) -> int:
        return POST_ORDER.index(code) if code in POST_ORDER else len(POST_ORDER)

    if params.candidate_order == ORDER_BY_STROKES:
        return sorted(candidates, key=lambda c: (post_position(c.post), c.post, stroke_key(c.name), c.key))
    return sorted(
        candidates,
        key=lambda c: (post_position(c.post), c.post, -c.nomination_votes, stroke_key(c.name), c.key),
    )
