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
