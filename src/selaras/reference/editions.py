"""The editions of reference data shipped with this version of Selaras."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class EditionInfo:
    kind: str  # "region" | "nomenclature"
    key: str
    regulation: str
    source: str
    licence: str
    files: tuple[str, ...]


REGION_EDITION = EditionInfo(
    kind="region",
    key="kepmendagri-300.2.2-2430-2025",
    regulation="Kepmendagri 300.2.2-2430/2025",
    source="cahyadsn/wilayah, commit b7ad440a, db/wilayah.sql (lihat data/PROVENANCE.md)",
    licence="MIT (data/LICENSE-wilayah)",
    files=("wilayah_2025.csv.gz", "wilayah_penduduk_2025.csv.gz", "wilayah_luas_2025.csv.gz"),
)

NOMENCLATURE_EDITION = EditionInfo(
    kind="nomenclature",
    key="kepmendagri-050-3708-2020",
    regulation="Permendagri 90/2019 jo. Kepmendagri 050-3708/2020",
    source="simda-id/simcan, commit 94540f83, backup_dbmaster/update_parameter_kep050.sql",
    licence="Teks peraturan, tidak dilindungi hak cipta (UU 28/2014 pasal 42)",
    files=("nomenklatur_kepmendagri_050-3708-2020.csv.gz",),
)
