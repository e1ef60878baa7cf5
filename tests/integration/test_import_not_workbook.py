"""The import of a file that is not a workbook, or holds a number no Decimal can quote, ends with
a Bahasa Indonesia finding and writes nothing (no proposal, no decision, no number taken)."""

from __future__ import annotations

import io
import zipfile

import pytest

from selaras.formats import proposal_table as pt
from selaras.formats.xlsx_util import stream_workbook
from selaras.web.proposals.import_service import describe, import_file
from selaras.web.proposals.models import Decision, Proposal
from tests.browser.proposal_world import VILLAGE, add_village_regions, build_world

pytestmark = pytest.mark.django_db

CHANNEL = "musrenbang_village"
HEADERS = [c.header for c in pt.columns_for(CHANNEL)]


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("foto.txt", "bukan lembar kerja")
    return buffer.getvalue()


def _workbook(*volumes: str) -> bytes:
    rows = []
    for i, volume in enumerate(volumes):
        values = {"Usulan": f"Jalan lingkungan {i}", "Kode Desa/Kelurahan": VILLAGE, "Volume": volume,
                  "Satuan": "m", "Perkiraan Biaya (Rp)": "150.000.000", "Pengusul": "Musrenbang Desa"}
        rows.append([values.get(h, "") for h in HEADERS])
    return stream_workbook("Usulan", HEADERS, rows, [12] * len(HEADERS)).getvalue()


def _nothing_written(world) -> bool:
    return not Proposal.objects.filter(government=world.gov).exists() and not Decision.objects.filter(
        proposal__government=world.gov).exists()


@pytest.mark.parametrize(("data", "filename", "said"), [
    (b"Usulan;Volume\nJalan;2,5\n", "usulan.xlsx", "bukan buku kerja Excel"),
    (b"", "usulan.xlsx", "Berkas kosong"),
    (_zip_not_xlsx(), "usulan.xlsx", "bukan buku kerja Excel"),
])
def test_a_file_that_is_not_a_workbook_writes_nothing(data, filename, said):
    world = build_world()
    outcome = import_file(data, filename, government=world.gov, channel=CHANNEL, year=world.year,
                          check_scope=False, valid_only=True)
    assert outcome.imported == 0 and [f.code.startswith("table.") for f in outcome.findings] == [True]
    text = describe(outcome.findings[0])
    assert said in text and "Cannot" not in text
    assert _nothing_written(world)


def test_a_number_cell_beyond_decimal_is_listed_and_nothing_is_written():
    world = build_world()
    add_village_regions(world)
    outcome = import_file(_workbook("2,5", "1e99999999"), "usulan.xlsx", government=world.gov, channel=CHANNEL,
                          year=world.year, check_scope=False)  # all or nothing
    assert outcome.imported == 0 and outcome.rejected == 1
    assert [describe(f) for f in outcome.findings if f.severity.name == "ERROR"] == [
        "Baris 3, kolom 'Volume': angka terlalu besar (1e99999999)."]
    assert _nothing_written(world)
