"""Formatting filters only (STYLE.md §24)."""

from django import template

from candidates.slate import post_label

register = template.Library()


@register.filter
def post_name(code: str) -> str:
    """chair → 主任"""
    return post_label(code)


@register.filter
def dash(value) -> str:
    """None (a blank sheet) → an empty line to write on."""
    return "" if value is None else value
