"""Forms of per-ballot counting: one ballot as the counting page posts it, and the finish of a count."""

from __future__ import annotations

import json
import re

from django import forms

from ..ballot_rules import BallotMarks, PostMarks
from ..sheets import SheetLayout

_SEPARATORS = re.compile(r"[,，、;；\n]+")


def marks_from_post(data, layout: SheetLayout) -> BallotMarks:
    """``p.<post>``: keyed candidates (voter ids), ``w.<post>``: written names (separated by 、 or commas),
    ``x.<post>``: the section is illegible, ``x``: the whole ballot is. Anything else is ignored."""
    posts = {}
    for sheet_post in layout.posts:
        code = sheet_post.post
        keyed = [int(v) for v in data.getlist(f"p.{code}") if v.isdigit()]
        written = [n.strip() for n in _SEPARATORS.split(data.get(f"w.{code}", "")) if n.strip()]
        posts[code] = PostMarks(tuple(keyed) + tuple(written), bool(data.get(f"x.{code}")))
    return BallotMarks(posts=posts, illegible=bool(data.get("x")))


def ballots_from_json(body: bytes, layout: SheetLayout, *, limit: int = 200) -> list[tuple[str, BallotMarks]]:
    """The ballots the counting page sends at once: ``{"ballots": [{"key": …, "fields": {name: [values]}}]}``,
    each ``fields`` as ``marks_from_post`` reads a form. Malformed input gives no ballot."""
    try:
        items = json.loads(body or b"{}").get("ballots", [])[:limit]
        return [(str(item.get("key", ""))[:40], marks_from_post(_Fields(item.get("fields", {})), layout))
                for item in items]
    except (ValueError, AttributeError, TypeError):
        return []


class _Fields(dict):
    """A JSON object of lists read like a QueryDict."""

    def getlist(self, name):
        value = super().get(name, [])
        return [str(v) for v in (value if isinstance(value, list) else [value])]

    def get(self, name, default=""):
        values = self.getlist(name)
        return values[-1] if values else default


class FinishForm(forms.Form):
    issued = forms.IntegerField(label="发出选票", min_value=0, help_text="本站发出的选票张数（含流动票箱、委托投票）")
    explanation = forms.CharField(
        label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="无效票较多、收回选票多于本站选民等须书面说明的情况，写在这里，打印在计票结果报告单上",
    )

    def explanations(self, layout: SheetLayout) -> dict[str, str]:
        text = self.cleaned_data.get("explanation", "").strip()
        return {key: text for key in layout.explanation_keys()} if text else {}
