"""Small display helpers shared by every page: years, status colours, names before codes.

Usage: `{% load selaras_ui %}` then `{{ year|tahun }}` (2027, never '2.027'), `{{ status|status_class }}`
('status-accepted', the shared colour of a status badge), `{% status_badge value label %}`.
Number and money formatting stay in `selaras_format` (`angka`, `rupiah`).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

__all__ = ["format_year", "status_css", "tahun", "status_class", "status_badge"]

#: Statuses with their own badge colour (selaras.css `.badge.status-*`); others are neutral.
KNOWN_STATUSES = frozenset({"draft", "in_review", "accepted", "merged", "postponed", "rejected", "returned"})


def format_year(value: object) -> str:
    """A year (or any whole number shown as an identifier) in plain digits: 2027 -> '2027'."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    digits = text.replace(".", "").replace(",", "").replace("\u00a0", "").replace(" ", "")
    return digits if digits.isascii() and digits.isdigit() else text


def status_css(status: object) -> str:
    """The CSS class of a proposal status badge ('status-accepted'); 'status-other' when unknown."""
    value = str(status or "")
    return f"status-{value.replace('_', '-')}" if value in KNOWN_STATUSES else "status-other"


@register.filter(name="tahun", is_safe=True)
def tahun(value: object) -> str:
    return format_year(value)


@register.filter(name="status_class", is_safe=True)
def status_class(value: object) -> str:
    return status_css(value)


@register.simple_tag(name="status_badge")
def status_badge(status: object, label: object) -> SafeString:
    """`<span class="badge status-…">label</span>`: the one look of a status on every page."""
    return format_html('<span class="badge {}">{}</span>', status_css(status), label)
