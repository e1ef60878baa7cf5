"""Benchmark: reference editions — import from a file, derive a mapping, move a district.

Runs in a temporary SQLite data directory (or SELARAS_DATABASE_URL), prints one JSON object:

- `import_region_seconds`: `import_edition` of the 2023 region codes (91,591 rows, CSV) — goal < 10 s;
- `import_nomenclature_seconds`: `import_edition` of the 2027 update in the SIPD export layout
  (7,581 rows, xlsx, built here from the shipped data) — goal < 10 s;
- `derive_region_mapping_seconds`: `derive_and_store` 2023 -> 2025 (91k codes) — goal < 10 s;
- with `--move`: `move_seconds`: preview + apply of the demo district (Kabupaten Bekasi, 32.16,
  ~163k proposals) to the 2027 nomenclature — goal < 30 s. When SELARAS_DATA_DIR already holds the
  district (the Bekasi-scale benchmark database) it is moved as it is; otherwise it is generated
  and loaded first (slow, not timed). The move writes: point SELARAS_DATA_DIR at a copy
  (`cp -r /work/bench /tmp/bench-ref`), never at a database others use.

The imported editions (and their mapping rows) are deleted again at the end, so the script can
run twice on the same database.

With `--confirm` a reviewer first confirms the first candidate of every code in use that waits for
review (untimed), and the sinkronisasi of the RKPD year afterwards is checked: lines still on the
old edition, and how many sit on a code with a confirmed successor (goal 0).

    SELARAS_DATA_DIR=/tmp/bench-ref .venv/bin/python benchmarks/reference_editions.py [--move [--confirm]] [--scale bekasi]
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _sipd_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from selaras.reference import editions as E
    from selaras.reference import read_nomenclature

    records = read_nomenclature(E.NOMENCLATURE_EDITION_2027)
    names = {(r.code, r.government_level): r.name for r in records}
    level = {"provinsi": "PROV", "kab/kota": "KABKOT"}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["JENIS PEMDA", "BIDANG", "PROGRAM", "KEGIATAN", "SUBKEGIATAN", "KINERJA", "INDIKATOR", "SATUAN",
                  "TAG", "DEFINISI OPERASIONAL", "PELAKSANA", "SPM", "JENIS", "SUBKEGIATAN SEBELUMNYA"])
    for r in records:
        if r.level != "sub_activity":
            continue
        parts = r.code.split(".")
        cells = [level[r.government_level]]
        cells += [f"{'.'.join(parts[:cut])} {names[('.'.join(parts[:cut]), r.government_level)]}" for cut in (2, 3, 5)]
        cells += [f"{r.code} {r.name}", r.performance, r.indicator, r.unit, "[null]", r.definition, r.implementer,
                  r.spm, r.service_type, f"{r.previous_code} {r.previous_name}" if r.previous_code else None]
        sheet.append([ILLEGAL_CHARACTERS_RE.sub(" ", c) if isinstance(c, str) else c for c in cells])
    workbook.save(path)


def run(move: bool, scale: str, confirm: bool = False) -> dict[str, object]:
    from selaras.cli import _django

    _django.migrate()
    from selaras.reference import editions as E
    from selaras.reference.editions import DATA_DIR
    from selaras.web.reference.mappings import derive_and_store
    from selaras.web.reference.services import import_edition, load_reference

    started = time.perf_counter()
    load_reference()
    result: dict[str, object] = {"benchmark": "reference_editions", "untimed_reference_load_seconds":
                                 round(time.perf_counter() - started, 2),
                                 "load_average_at_start": round(os.getloadavg()[0], 2)}
    work = Path(tempfile.mkdtemp(prefix="selaras-ref-"))
    try:
        region_csv = work / "wilayah_2023.csv"
        region_csv.write_bytes(lzma.decompress((DATA_DIR / E.REGION_EDITION_2023.files[0]).read_bytes()))
        with region_csv.open(encoding="utf-8") as handle:
            rows = sum(1 for _ in csv.reader(handle)) - 1
        started = time.perf_counter()
        import_edition(str(region_csv), kind="region", key="bench-wilayah-2023", valid_from=2023, valid_to=2024)
        result["import_region_rows"] = rows
        result["import_region_seconds"] = round(time.perf_counter() - started, 2)
        sipd = work / "sipd.xlsx"
        _sipd_xlsx(sipd)
        started = time.perf_counter()
        done = import_edition(str(sipd), kind="nomenclature", key="bench-sipd-2027", valid_from=2027)
        result["import_nomenclature_rows"] = done["rows"]
        result["import_nomenclature_seconds"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        counts = derive_and_store("bench-wilayah-2023", E.REGION_EDITION.key)
        result["derive_region_mapping_seconds"] = round(time.perf_counter() - started, 2)
        result["region_mapping_counts"] = counts
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _drop_editions("bench-wilayah-2023", "bench-sipd-2027")
    if move:
        result.update(_move(scale, confirm))
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    result["goals_seconds"] = {"import": 10, "derive": 10, "move": 30}
    return result


def _drop_editions(*keys: str) -> None:
    from django.db import transaction
    from django.db.models import Q

    from selaras.web.reference.models import CodeMapping, Edition, NomenclatureItem, Region

    with transaction.atomic():
        for key in keys:
            Region.objects.filter(edition=key).delete()
            NomenclatureItem.objects.filter(edition=key).delete()
            CodeMapping.objects.filter(Q(from_edition=key) | Q(to_edition=key)).delete()
            Edition.objects.filter(key=key).delete()


def _confirm_all(preview: dict[str, Any], new: str) -> dict[str, str]:
    """A reviewer confirms the first candidate of every code in use that waits for review."""
    from django.contrib.auth import get_user_model

    from selaras.web.reference import mappings
    from selaras.web.reference.models import CodeMapping

    user, _ = get_user_model().objects.get_or_create(username="bench_pemeriksa")
    confirmed = {}
    for change in preview["changes"]:
        if change["state"] != "needs_person":
            continue
        row = CodeMapping.objects.filter(from_edition=preview["from_edition"], to_edition=new,
                                         from_code=change["code"], status="review").order_by("to_code").first()
        if row is not None and row.to_code:
            mappings.confirm(row.pk, user)
            confirmed[row.from_code] = row.to_code
    return confirmed


def _sinkronisasi_after(government: Any, old: str, new: str, confirmed: dict[str, str]) -> dict[str, object]:
    """Sinkronisasi of the RKPD year after the move: lines still on the old edition, and how many of
    them sit on a code that had a confirmed (or otherwise accepted single) successor (goal: 0)."""
    from django.db.models import Max

    from selaras.engines.alignment import run_alignment
    from selaras.web.alignment.snapshot import build_plan_set
    from selaras.web.plans.models import AnnualPlan
    from selaras.web.reference.mappings import successor_table

    government.refresh_from_db()  # apply_move saved its own copy (now on the new edition)
    year = AnnualPlan.objects.filter(government=government).aggregate(y=Max("year"))["y"]
    started = time.perf_counter()
    findings = run_alignment(build_plan_set(government, year))
    seconds = time.perf_counter() - started
    superseded = [f for f in findings if f.code == "codes.superseded_edition" and f.params.get("edition") == old]
    table, new_codes = successor_table(old, new)
    wrong = [f.location.code for f in superseded if f.location.code in confirmed
             or (table.get(f.location.code) and table[f.location.code].state == "maps")
             or (f.location.code not in table and f.location.code in new_codes)]
    return {"sinkronisasi_year": year, "untimed_sinkronisasi_seconds": round(seconds, 2),
            "superseded_lines_after_move": len(superseded),
            "superseded_lines_with_confirmed_successor": len(wrong)}


def _move(scale: str, confirm: bool) -> dict[str, object]:
    from selaras.demo import generate_district
    from selaras.reference import editions as E
    from selaras.web.demo.loader import demo_government, load_district
    from selaras.web.plans.models import RenjaLine, RenstraLine
    from selaras.web.proposals.models import Proposal
    from selaras.web.reference.moves import apply_move, preview_move

    started = time.perf_counter()
    government = demo_government("32.16")
    existing = government is not None
    if government is None:
        government = load_district(generate_district("32.16", scale, 2025))
    elif government.nomenclature_edition == E.NOMENCLATURE_EDITION_2027.key:
        raise SystemExit("The district is already on the 2027 nomenclature: use a fresh copy of the database.")
    setup = time.perf_counter() - started
    lines = (RenstraLine.objects.filter(renstra__agency__government=government).count()
             + RenjaLine.objects.filter(renja__rkpd__government=government).count())
    load_before = os.getloadavg()[0]
    new = E.NOMENCLATURE_EDITION_2027.key
    started = time.perf_counter()
    preview = preview_move(government.pk, "nomenclature", new)
    previewed = time.perf_counter()
    confirmed = _confirm_all(preview, new) if confirm else {}
    before_apply = time.perf_counter()
    move = apply_move(government.pk, "nomenclature", new)
    applied = time.perf_counter()
    extra: dict[str, object] = {}
    if confirm:
        extra = {"confirmed_codes": len(confirmed), "untimed_confirm_seconds": round(before_apply - previewed, 2),
                 **_sinkronisasi_after(government, preview["from_edition"], new, confirmed)}
    return {"untimed_demo_setup_seconds": round(setup, 1), "district_from_data_dir": existing,
            "proposals": Proposal.objects.filter(government=government).count(), "plan_lines": lines,
            "move_preview_seconds": round(previewed - started, 2), "move_apply_seconds": round(applied - before_apply, 2),
            "move_seconds": round(previewed - started + applied - before_apply, 2), "move_preview_rows": preview["rows"],
            **extra,
            "move_changes": len(move.changes),
            "load_average_before_move": round(load_before, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--move", action="store_true")
    parser.add_argument("--scale", default="bekasi")
    parser.add_argument("--confirm", action="store_true",
                        help="with --move: a reviewer confirms every waiting code in use first (untimed), and the "
                             "sinkronisasi afterwards is checked for lines on codes with a confirmed successor")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="selaras-bench-")
    os.environ.setdefault("SELARAS_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selaras.web.settings")
    try:
        print(json.dumps(run(args.move, args.scale, args.confirm)))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        print(f"(data dir {data_dir} removed)", file=sys.stderr)


if __name__ == "__main__":
    main()
