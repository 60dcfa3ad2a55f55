"""Formatting filters for reports only (STYLE.md §24): rounding of shares and averages happens here,
once, at display."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template

from reports.figures import Share

register = template.Library()


@register.filter
def pct(share: Share) -> str:
    """24.6% (rounded half up to one decimal); — for a zero base."""
    return str(share) if isinstance(share, Share) else "—"


@register.filter
def share(share: Share, unit: str = "人") -> str:
    """31人，占24.6%（31/126）: the count, the percentage and the base it is a share of."""
    if not isinstance(share, Share):
        return "—"
    if not share.denominator:
        return f"{share.numerator}{unit}（基数为0）"
    return f"{share.numerator}{unit}，占{share}（{share.numerator}/{share.denominator}）"


@register.filter
def cell(value) -> str:
    """One cell of a report table (``reports.tables``)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Share):
        return str(value)
    if isinstance(value, Fraction):
        return one_decimal(value)
    return str(value)


@register.filter
def one_decimal(value: Fraction) -> str:
    if value is None:
        return "—"
    number = Decimal(value.numerator) / Decimal(value.denominator)
    return str(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@register.filter
def is_numeric(value) -> bool:
    return isinstance(value, (int, Share, Fraction)) and not isinstance(value, bool)


@register.filter
def css_string(value) -> str:
    """Text for a CSS ``content: "…"`` inside <style> (a raw-text element: HTML escaping would show)."""
    from django.utils.safestring import mark_safe

    text = str(value if value is not None else "")
    out = []
    for ch in text:
        if ch in '\\"<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return mark_safe("".join(out))
