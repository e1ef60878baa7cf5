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
    valid_from: int | None = None  # first planning year the edition applies to
    valid_to: int | None = None  # last planning year (None: still in force)
    autoload: bool = True  # loaded by `selaras reference load`; False: on request only
    derive_mapping: bool = False  # derive the mapping from `replaces` when the edition loads


REGION_EDITION = EditionInfo(
    kind="region",
    key="kepmendagri-300.2.2-2430-2025",
    regulation="Kepmendagri 300.2.2-2430/2025",
    source="cahyadsn/wilayah, commit b7ad440a, db/wilayah.sql (lihat data/PROVENANCE.md)",
    licence="MIT (data/LICENSE-wilayah)",
    files=("wilayah_2025.csv.gz", "wilayah_penduduk_2025.csv.gz", "wilayah_luas_2025.csv.gz"),
    replaces="kepmendagri-100.1.1-6117-2022",
    valid_from=2025,
)

# The region codes in force 2023-2024. Shipped for moving older plans and proposals; loaded on
# request (`selaras reference load --edition kepmendagri-100.1.1-6117-2022`), with the mapping
# to the 2025 edition derived at that time.
REGION_EDITION_2023 = EditionInfo(
    kind="region",
    key="kepmendagri-100.1.1-6117-2022",
    regulation="Kepmendagri 100.1.1-6117/2022",
    source="cahyadsn/wilayah, commit b7ad440a, db/archive/wilayah_2023.sql (lihat data/PROVENANCE.md)",
    licence="MIT (data/LICENSE-wilayah)",
    files=("wilayah_2023_kepmendagri_100.1.1-6117_2022.csv.xz",),
    valid_from=2023,
    valid_to=2024,
    autoload=False,
)

NOMENCLATURE_EDITION = EditionInfo(
    kind="nomenclature",
    key="kepmendagri-050-3708-2020",
    regulation="Permendagri 90/2019 jo. Kepmendagri 050-3708/2020",
    source="simda-id/simcan, commit 94540f83, backup_dbmaster/update_parameter_kep050.sql",
    licence="Teks peraturan, tidak dilindungi hak cipta (UU 28/2014 pasal 42)",
    files=("nomenklatur_kepmendagri_050-3708-2020.csv.gz",),
    valid_to=2026,
)

# The nomenclature SIPD uses for planning year 2027 ("versi pemutakhiran 2027"), with kinerja,
# indikator and satuan per sub-activity and the official previous code on 346 rows.
NOMENCLATURE_EDITION_2027 = EditionInfo(
    kind="nomenclature",
    key="sipd-pemutakhiran-2027",
    regulation="Nomenklatur sub kegiatan SIPD versi pemutakhiran 2027 (pasca Kepmendagri 900.1.15.5-3406/2024)",
    source="allweDepth/sesendok, commit 7645f423, public/upload/peraturan/"
           "nomenklatur-subkegiatan-20260123005058_versi_pemutakhiran_2027_1.xlsx (lihat data/PROVENANCE.md)",
    licence="Teks peraturan, tidak dilindungi hak cipta (UU 28/2014 pasal 42)",
    files=("nomenklatur_pemutakhiran_2027.csv.xz",),
    replaces="kepmendagri-050-3708-2020",
    valid_from=2027,
    derive_mapping=True,
)

# Every edition shipped, oldest first per kind; `load_reference()` loads those with `autoload`.
# REGION_EDITION and NOMENCLATURE_EDITION are the look-up defaults (and what existing plans were
# written in); `nomenclature_edition_for_year` gives the edition a new plan of a year starts on.
PACKAGED_EDITIONS: tuple[EditionInfo, ...] = (
    REGION_EDITION_2023, REGION_EDITION, NOMENCLATURE_EDITION, NOMENCLATURE_EDITION_2027,
)


def packaged_edition(key: str) -> EditionInfo | None:
    """The packaged edition with this key, or None."""
    return next((e for e in PACKAGED_EDITIONS if e.key == key), None)


def edition_for_year(kind: str, year: int) -> EditionInfo:
    """The packaged edition of `kind` ("region" | "nomenclature") a plan of planning `year`
    starts on: the latest whose validity covers the year (editions without a start year cover
    every year before the next one). Older plans keep the edition they were written in."""
    candidates = [e for e in PACKAGED_EDITIONS if e.kind == kind
                  and (e.valid_from is None or e.valid_from <= year)
                  and (e.valid_to is None or year <= e.valid_to)]
    if not candidates:
        candidates = [e for e in PACKAGED_EDITIONS if e.kind == kind and (e.valid_from or 0) <= year]
    if not candidates:
        return REGION_EDITION if kind == "region" else NOMENCLATURE_EDITION
    return max(candidates, key=lambda e: e.valid_from or 0)


def nomenclature_edition_for_year(year: int) -> EditionInfo:
    """The nomenclature for planning `year`: 050-3708/2020 up to 2026, the 2027 update from 2027."""
    return edition_for_year("nomenclature", year)
