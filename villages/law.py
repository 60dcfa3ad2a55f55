"""Legal citations as data: (law, version, article), never free text.

LAW.md §1.0 asks for this so that citations can be moved to the 2025 numbering of the Organic Law
once its consolidated text is known. A rule module cites a clause with a module constant, e.g.
``OL_2018.art(13, 1)``, and renders it with ``str()``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Law:
    code: str
    title: str
    version: str

    def art(self, article: int, paragraph: int | None = None) -> Citation:
        return Citation(law=self, article=article, paragraph=paragraph)


@dataclass(frozen=True)
class Citation:
    law: Law
    article: int
    paragraph: int | None = None

    def __str__(self) -> str:
        text = f"《{self.law.title}》（{self.law.version}）第{self.article}条"
        if self.paragraph:
            text += f"第{self.paragraph}款"
        return text

    def as_dict(self) -> dict:
        return {
            "law": self.law.code,
            "version": self.law.version,
            "article": self.article,
            "paragraph": self.paragraph,
        }


OL_2018 = Law("VCOL", "中华人民共和国村民委员会组织法", "2018年修正")
CIVIL_CODE = Law("CIVIL", "中华人民共和国民法典", "2020年")
ZHEJIANG_2020 = Law("ZJ-VCE", "浙江省村民委员会选举办法", "2020年修正")
BEIJING_2012 = Law("BJ-VCE", "北京市村民委员会选举办法", "2012年修订")
SHANGHAI_2020 = Law("SH-VCE", "上海市村民委员会选举办法", "2020年修正")
HENAN_2011 = Law("HA-VCOL", "河南省实施《中华人民共和国村民委员会组织法》办法", "2011年")
ELECTION_LAW_2020 = Law("EL", "中华人民共和国全国人民代表大会和地方各级人民代表大会选举法", "2020年修正")
ZHEJIANG_NPC = Law("ZJ-NPC", "浙江省县、乡两级人民代表大会代表选举实施细则", "2021年修正")
PROVISIONS_1983 = Law("NPC-1983", "全国人民代表大会常务委员会关于县级以下人民代表大会代表直接选举的若干规定", "1983年")

# Party elections (LAW.md §4). Article numbers of the 2020 条例 were read in a paraphrased repost [V2].
CPC_ELECTIONS_2020 = Law("CPC-ELECT", "中国共产党基层组织选举工作条例", "2020年")
CPC_ELECTIONS_1990 = Law("CPC-ELECT-1990", "中国共产党基层组织选举工作暂行条例", "1990年")


@dataclass(frozen=True)
class Source:
    """A source cited without an article number: a regulation read only in a summary, an official Q&A, a
    handbook, or one of the reference reports (LAW.md §4, §9). Rendered by its title, as a ``Citation``."""

    code: str
    title: str

    def __str__(self) -> str:
        return self.title

    def as_dict(self) -> dict:
        return {"law": self.code, "version": "", "article": None, "paragraph": None}


# LAW.md §4.2 [V2]: the delegate congress's size, from a news summary of the 2020 条例 (Art. 7 or 8, number [U]).
CPC_ELECTIONS_2020_SUMMARY = Source("CPC-ELECT-SUMMARY", "《中国共产党基层组织选举工作条例》（2020年）新闻摘要（条文序号未核实）")
# LAW.md §4.3 [V2]: both read in secondary summaries, no article numbers.
CPC_BRANCH_RULES_2018 = Source("CPC-BRANCH", "《中国共产党支部工作条例（试行）》（2018年）")
CPC_RURAL_RULES_2019 = Source("CPC-RURAL", "《中国共产党农村基层组织工作条例》（2019年）")
# LAW.md §4.2 [V2]: the 4/5 quorum and the five categories not counted as 应到会 (中组部 answer on 共产党员网).
CPC_QA_ATTENDANCE = Source("CPC-QA-2016", "共产党员网答问（2016年）：应到会人数和选举时的到会人数")
# LAW.md §4.2 [V2]: "赞成票超过实到会有选举权的人数的一半" (Baidu Baike 当选; local rules; a Shenzhen government Q&A).
CPC_PRESENT_MAJORITY = Source("CPC-MAJORITY", "党的基层组织选举实施细则通例：被选举人获得的赞成票超过实到会有选举权的人数的一半，始得当选")
# LAW.md §4.2 [V2]: shortfall, another round or fewer seats (旗帜网, 新编基层党务工作手册).
CPC_HANDBOOK = Source("CPC-HANDBOOK", "《新编基层党务工作手册》（旗帜网）")
# LAW.md §4.2 [U] for the 2020 text: 书记、副书记 等额 (a 2011 township 纪委 sample).
CPC_SAMPLE_2011 = Source("CPC-SAMPLE-2011", "乡镇党委选举办法样本（2011年）")
# The reference reports (../shared/reference): local practice, not law.
REFERENCE_002 = Source("REF-002", "崇仁县“两票制”选任村支部班子试点工作总结")
REFERENCE_003 = Source("REF-003", "XX区乡镇党委换届选举试点工作总结（2023年）")
