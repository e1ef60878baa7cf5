"""Pieces every document shares: the government's printed name, place names, signature blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from selaras.formats.documents.model import Signature
from selaras.formats.documents.numbers import long_date
from selaras.web.documents.models import Signatory
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.reference.models import NomenclatureItem, Region


def government_title(government: LocalGovernment) -> str:
    """"Pemerintah Kabupaten Bekasi" (the name as stored, prefixed once)."""
    name = government.name.strip()
    return name if name.lower().startswith("pemerintah") else f"Pemerintah {name}"


def seat(government: LocalGovernment) -> str:
    """The place a document is signed in, by default: the government's name without its level."""
    name = government.name.strip()
    for prefix in ("Pemerintah ", "Kabupaten ", "Kota ", "Provinsi "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name


def region_names(government: LocalGovernment, codes: Iterable[str]) -> dict[str, str]:
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    rows = Region.objects.filter(edition=government.region_edition, code__in=wanted).values_list("code", "name")
    return dict(rows)


def nomenclature_names(government: LocalGovernment, codes: Iterable[str]) -> dict[str, str]:
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    rows = NomenclatureItem.objects.filter(edition=government.nomenclature_edition, code__in=wanted)
    names = dict(rows.values_list("code", "name"))
    missing = wanted - names.keys()
    if missing:  # a code from another edition: any edition's name is better than none
        for code, name in NomenclatureItem.objects.filter(code__in=missing).values_list("code", "name"):
            names.setdefault(code, name)
    return names


def program_code(code: str) -> str:
    """U.BB.PP of a programme, activity or sub-activity code."""
    return ".".join(code.split(".")[:3]) if code else ""


def signature_for(government: LocalGovernment, agency: Agency | None, *, default_position: str,
                  day: dt.date | None = None, caption: str = "") -> Signature:
    """The signature block of the agency's (or, agency None, the government's) signatory; an empty
    name and NIP print as dotted lines to fill in by hand."""
    found = Signatory.objects.filter(government=government, agency=agency).first()
    date = long_date(day) if day else ""
    if found is None:
        return Signature(position=default_position, place=seat(government), date=date, caption=caption)
    return Signature(position=found.position, name=found.name, nip=found.nip, place=found.place or seat(government),
                     date=date, caption=caption)
