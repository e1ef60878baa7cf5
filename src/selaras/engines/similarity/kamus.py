"""Kamus usulan: proposal texts as villages write them, with the sub-activity they belong to.

A kamus teaches the classifier words the nomenclature does not use ("betonisasi gang", "PJU",
"rutilahu"). Each entry counts as one decided proposal at retraining. Selaras ships a small
default kamus (`kamus_usulan.csv` beside this module): short phrases written for Selaras from
public facts only (the names of the sub-activities in the nomenclature and common Indonesian
abbreviations and synonyms of village proposals); its `sumber` column says which. A government
adds its own kamus at retraining (`selaras classify --retrain --kamus FILE.csv`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from importlib import resources

from selaras.engines.similarity.classify import Example

__all__ = ["DEFAULT_KAMUS", "HISTORY_ENOUGH", "KamusError", "default_kamus", "parse_kamus", "shipped_for"]

DEFAULT_KAMUS = "kamus_usulan.csv"
TEXT_COLUMNS = ("usulan", "teks", "judul", "uraian")
SUB_COLUMNS = ("kode_sub_kegiatan", "sub_kegiatan")
AGENCY_COLUMNS = ("kode_perangkat_daerah", "perangkat_daerah", "kode_pd")


#: From this many decided proposals on, a government's own practice says which sub-activities it
#: uses: the shipped kamus then only adds words to sub-activities its history names (an entry of a
#: sub-activity the government never uses would draw proposals away from the ones it does).
HISTORY_ENOUGH = 1000


class KamusError(ValueError):
    """The file has no column for the proposal text or the sub-activity code."""


def parse_kamus(text: str) -> list[Example]:
    """Entries of a kamus CSV (comma, semicolon or tab; header row with `usulan`,
    `kode_sub_kegiatan` and optionally `kode_perangkat_daerah`; other columns are ignored)."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return []
    header = {h.strip().lower(): h for h in rows[0] if h}

    def column(names: tuple[str, ...]) -> str | None:
        return next((header[n] for n in names if n in header), None)

    text_col, sub_col, agency_col = column(TEXT_COLUMNS), column(SUB_COLUMNS), column(AGENCY_COLUMNS)
    if text_col is None or sub_col is None:
        raise KamusError("Kamus usulan perlu kolom 'usulan' dan 'kode_sub_kegiatan'.")
    return [Example((r.get(text_col) or "").strip(), (r.get(agency_col) or "").strip() if agency_col else "",
                    (r.get(sub_col) or "").strip())
            for r in rows if (r.get(text_col) or "").strip() and (r.get(sub_col) or "").strip()]


def default_kamus(sub_activity_codes: Iterable[str] | None = None) -> list[Example]:
    """The kamus shipped with Selaras; with `sub_activity_codes`, only entries whose sub-activity
    is among them (the nomenclature in force)."""
    data = resources.files("selaras.engines.similarity").joinpath(DEFAULT_KAMUS).read_text(encoding="utf-8")
    entries = parse_kamus(data)
    if sub_activity_codes is None:
        return entries
    wanted = set(sub_activity_codes)
    return [e for e in entries if e.sub_activity_code in wanted]


def shipped_for(sub_activity_codes: Iterable[str], history: Iterable[Example]) -> list[Example]:
    """The shipped kamus entries to train with: those of sub-activities in force (`sub_activity_codes`)
    and, once the history holds `HISTORY_ENOUGH` examples, only of sub-activities it names."""
    entries = default_kamus(sub_activity_codes)
    history = list(history)
    if len(history) < HISTORY_ENOUGH:
        return entries
    named = {e.sub_activity_code for e in history}
    return [e for e in entries if e.sub_activity_code in named]
