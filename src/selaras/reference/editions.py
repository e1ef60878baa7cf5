"""The editions of reference data shipped with this version of Selaras."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class EditionInfo:
    """One packaged edition. `files[0]` is the main table (see readers); for regions
    `files[1]` and `files[2]` hold population and area. `replaces` names the key of the edition
    this one follows, and `mapping_file` (CSV: from_code, to_code, note) the codes that changed
    between them; a code absent from the mapping is taken to be unchanged."""

    kind: str  # "region" | "nomenclature"
    key: str
    regulation: str
    source: str
    licence: str
    files: tuple[str, ...]
    replaces: str = ""
    mapping_file: str = ""


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

# Every edition shipped, oldest first per kind; `load_reference()` loads them all. The two
# constants above are the editions in force (the defaults for new plans and for look-ups).
PACKAGED_EDITIONS: tuple[EditionInfo, ...] = (REGION_EDITION, NOMENCLATURE_EDITION)
