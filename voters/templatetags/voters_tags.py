"""Formatting filters for the register's pages (STYLE.md §24)."""

from django import template

register = template.Library()


@register.filter
def label_of(code, labels) -> str:
    """The label of ``code`` in a dict of labels (四增四减 reasons, relations), or the code itself."""
    if not code:
        return ""
    return labels.get(code, code) if hasattr(labels, "get") else code


@register.filter
def cn_numeral(value) -> str:
    """12 → 十二 (第十二届)."""
    from ..documents import cn_numeral as to_numeral

    return to_numeral(int(value))
