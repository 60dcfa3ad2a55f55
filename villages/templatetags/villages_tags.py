"""Formatting filters only (STYLE.md §24): one Chinese date format, one percent format."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2026年11月21日"""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


@register.filter
def percent(ratio, places: int = 1) -> str:
    """A ratio (Fraction, or an object with numerator and denominator) as a percentage, rounded
    half up once, here at display. A zero denominator shows as —."""
    if ratio is None:
        return "—"
    numerator, denominator = getattr(ratio, "numerator", None), getattr(ratio, "denominator", None)
    if numerator is None or not denominator:
        return "—"
    value = Decimal(numerator) * 100 / Decimal(denominator)
    quantum = Decimal(1).scaleb(-int(places))
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP)}%"


@register.filter
def as_fraction(numerator, denominator):
    return Fraction(int(numerator), int(denominator)) if denominator else None


@register.filter
def yesno_cn(value) -> str:
    return "是" if value else "否"


@register.filter
def days_left(deadline) -> str:
    """还有3天 / 今天到期 / 已逾期2天, counted from today (Asia/Shanghai)."""
    if not deadline:
        return ""
    from django.utils import timezone

    days = (deadline - timezone.localdate()).days
    if days > 0:
        return f"还有{days}天"
    return "今天到期" if days == 0 else f"已逾期{-days}天"


@register.filter
def rounded(value, places: int = 0) -> str:
    """A Fraction or number rounded half up once, at display (e.g. population per deputy)."""
    if value is None:
        return "—"
    number = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    quantum = Decimal(1).scaleb(-int(places))
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP):,}"
