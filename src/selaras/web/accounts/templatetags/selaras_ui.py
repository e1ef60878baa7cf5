"""Small display helpers shared by every page: years, status colours, names before codes.

Usage: `{% load selaras_ui %}` then `{{ year|tahun }}` (2027, never '2.027'), `{{ status|status_class }}`
('status-accepted', the shared colour of a status badge), `{% status_badge value label %}`.
Number and money formatting stay in `selaras_format` (`angka`, `rupiah`).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from selaras.domain.roles import role_label

register = template.Library()

__all__ = ["format_year", "status_css", "tahun", "status_class", "status_badge", "region_name", "place", "peran"]

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


def _region_names(context: Any, codes: list[str]) -> dict[str, tuple[str, str]]:
    """(name, kind) of region codes, looked up once per request (a page names the same places often)."""
    from selaras.web.reference.models import Region

    request = context.get("request")
    cache: dict[str, tuple[str, str]] = getattr(request, "_selaras_region_names", None) or {}
    missing = [c for c in codes if c and c not in cache]
    if missing:
        for code, name, kind in Region.objects.filter(code__in=missing).order_by("edition").values_list(
                "code", "name", "kind"):
            cache[code] = (name, kind)  # the latest edition last: it wins
        for code in missing:
            cache.setdefault(code, ("", ""))
        if request is not None:
            request._selaras_region_names = cache
    return cache


@register.simple_tag(name="region_name", takes_context=True)
def region_name(context: Any, code: object) -> str:
    """The name of a region code ('32.16.01' -> 'Tarumajaya'); the code itself when unknown."""
    text = str(code or "")
    return _region_names(context, [text]).get(text, ("", ""))[0] or text


@register.simple_tag(name="place", takes_context=True)
def place(context: Any, village_code: object = "", district_code: object = "", address: object = "") -> SafeString:
    """Where a proposal is, names first: 'Jl. Melati, Kelurahan Setia Asih, Kecamatan Tarumajaya
    (32.16.01.1007)'; codes only as secondary text, and only when no name is known."""
    village, district = str(village_code or ""), str(district_code or "")
    if village and not district:
        district = village.rsplit(".", 1)[0]
    names = _region_names(context, [village, district])
    parts: list[str] = []
    if address:
        parts.append(str(address))
    village_name, village_kind = names.get(village, ("", ""))
    if village:
        named = f"{village_kind.capitalize()} {village_name}".strip() if village_name else village
        if not parts or parts[-1].strip().casefold() != named.casefold():  # an address that only repeats it
            parts.append(named)
    district_name = names.get(district, ("", ""))[0]
    if district:
        parts.append(f"Kecamatan {district_name}" if district_name else district)
    code = village or district
    text = ", ".join(parts) or "—"
    if code and (village_name or district_name):
        return format_html('{} <span class="muted code">({})</span>', text, code)
    return format_html("{}", text)


@register.simple_tag(name="nomenclature", takes_context=True)
def nomenclature(context: Any, code: object) -> SafeString:
    """A nomenclature code with its name first: 'Rehabilitasi Jalan (1.03.10.2.01.0009)'; '—' when empty."""
    from selaras.web.reference.models import NomenclatureItem

    text = str(code or "").strip()
    if not text:
        return mark_safe("—")
    request = context.get("request")
    cache: dict[str, str] = getattr(request, "_selaras_nomenclature_names", None) or {}
    if text not in cache:
        cache[text] = (NomenclatureItem.objects.filter(code=text).order_by("-edition")
                       .values_list("name", flat=True).first() or "")
        if request is not None:
            request._selaras_nomenclature_names = cache
    if cache[text]:
        return format_html('{} <span class="muted code">({})</span>', cache[text], text)
    return format_html('<span class="code">{}</span>', text)


@register.filter(name="mutlak", is_safe=True)
def mutlak(value: object) -> object:
    """The absolute value of a number (an overrun shown as 'Melebihi pagu Rp 5.000', not '-Rp 5.000')."""
    try:
        return abs(value)  # type: ignore[arg-type]
    except TypeError:
        return value


@register.filter(name="peran")
def peran(value: object) -> str:
    """A stored role value as its label: 'village_operator' -> 'Operator Desa/Kelurahan'."""
    return role_label(str(value or ""))
