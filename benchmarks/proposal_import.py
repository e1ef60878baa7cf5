"""Benchmark: import the demo district's Pra-Renja file (~163k rows) into a fresh SQLite DB.

Builds the file (from `selaras.demo.generate_district` when it offers Pra-Renja proposals, else
an equivalent file generated here from the packaged reference data), writes it as .xlsx, sets
up a fresh SQLite database (migrate + reference load, not timed), then times a full validated
import and prints one JSON object: rows, seconds per phase, peak memory.

    .venv/bin/python benchmarks/proposal_import.py [--rows 163000] [--seed 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

GOVERNMENT_CODE = "32.16"
DEFAULT_ROWS = 143_101 + 9_946 + 9_883  # the demo district's proposals of one cycle (~163k)


def _generated_rows(rows: int, seed: int) -> tuple[list[tuple[str, str]], list[list[object]]]:
    """(agencies, rows) in the agency_draft template layout, from packaged reference data."""
    from selaras.formats.proposal_table import columns_for
    from selaras.reference.readers import read_nomenclature, read_regions

    rng = random.Random(seed)
    villages = [r.code for r in read_regions() if r.level == 4 and r.code.startswith(GOVERNMENT_CODE + ".")]
    subs = [n for n in read_nomenclature()
            if n.level == "sub_activity" and n.government_level == "kab/kota" and n.active]
    by_sector: dict[str, list[str]] = {}
    for n in subs:
        by_sector.setdefault(".".join(n.code.split(".")[:2]), []).append(n.code)
    sectors = sorted(by_sector)
    agencies = []
    for i, sector in enumerate(sectors[:40], start=1):
        agencies.append((f"{sector}.0.00.0.00.{i:02d}.0000", f"Dinas Contoh {i:02d} ({sector})"))
    units = ["paket", "unit", "meter", "kegiatan", "dokumen", "orang", "m2", "titik"]
    headers = [c.header for c in columns_for("agency_draft")]
    out: list[list[object]] = []
    for i in range(rows):
        agency_code, _ = agencies[i % len(agencies)]
        sector = agency_code.split(".")[0] + "." + agency_code.split(".")[1]
        sub = rng.choice(by_sector[sector])
        village = rng.choice(villages)
        district = village.rsplit(".", 1)[0]
        out.append([agency_code, sub, f"Usulan Pra-Renja {i + 1}: kegiatan {sub}",
                    "Kebutuhan hasil pendataan perangkat daerah", district, village,
                    f"Lokasi {i % 97}", rng.randint(1, 500), rng.choice(units),
                    rng.randint(1, 400) * 1_000_000, ""])
    assert len(headers) == len(out[0])
    return agencies, out


def _demo_rows(seed: int) -> tuple[list[tuple[str, str]], list[list[object]]] | None:
    """Pra-Renja rows of `selaras.demo.generate_district` (its deliberate mess included)."""
    try:
        from selaras.demo import generate_district
    except ImportError:
        return None
    district = generate_district(GOVERNMENT_CODE, "bekasi", seed)
    p = district.proposals
    agencies = [(a.code, a.name) for a in district.agencies]
    rows = [[p.agency_code[i], p.sub_activity_code[i], p.title[i], p.description[i], p.district_code[i],
             p.village_code[i], p.address[i], p.volume[i], p.unit[i], p.estimated_cost[i], p.proposer_name[i]]
            for i in range(len(p)) if p.channel[i] == "agency_draft"]
    return agencies, rows


def _fill(rows: list[list[object]], target: int) -> list[list[object]]:
    """Grow the demo's 143k Pra-Renja rows to `target` (the whole cycle's ~163k) by re-using rows."""
    extra = []
    for i in range(max(0, target - len(rows))):
        row = list(rows[i % len(rows)])
        row[2] = f"{row[2]} (lanjutan {i + 1})"
        extra.append(row)
    return rows + extra


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from selaras.formats.proposal_table import columns_for
    from selaras.formats.xlsx_util import stream_workbook

    headers = [c.header for c in columns_for("agency_draft")]
    stream_workbook("Usulan", headers, rows, [18] * len(headers), target=str(path))


def _time_lists(government_id: int) -> dict[str, float]:
    """Milliseconds for one page + capped count of the internal list, per filter, on the imported data."""
    from selaras.web.proposals import list_selectors as sel
    from selaras.web.proposals.models import Proposal

    sample = Proposal.objects.filter(government_id=government_id).exclude(village_code="").order_by("id").first()
    if sample is None:
        return {}
    cases = {
        "all_newest": {},
        "channel_year": {"channel": "agency_draft", "year": "2027"},
        "district": {"district": sample.district_code},
        "village": {"village": sample.village_code},
        "agency": {"agency": str(sample.agency_id or "")},
        "sub_activity_prefix": {"sub_activity": ".".join(sample.sub_activity_code.split(".")[:3])},
        "cost_range_sorted": {"cost_min": "100000000", "cost_max": "200000000", "sort": "biaya_tertinggi"},
        "free_text": {"q": "jalan"},
        "number_sorted": {"sort": "nomor"},
    }
    out = {}
    for name, query in cases.items():
        filters = sel.ListFilters.from_query(query)
        qs = sel.filtered(Proposal.objects.filter(government_id=government_id), filters)
        clock = time.perf_counter()
        page = sel.page_of(qs, filters)
        sel.count_capped(qs)
        if page.next_token:  # and the next page, by keyset
            sel.page_of(qs, filters, after=page.next_token)
        out[name] = round((time.perf_counter() - clock) * 1000, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--all-or-nothing", action="store_true",
                        help="import nothing when a row fails (default: valid rows, rejects workbook)")
    parser.add_argument("--reuse", action="store_true", help="reuse the file already built in --keep DIR")
    parser.add_argument("--generated", action="store_true", help="skip the demo generator")
    parser.add_argument("--trace", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the work directory here")
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="selaras-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    db_dir = work / "data"
    if db_dir.exists():
        shutil.rmtree(db_dir)
    db_dir.mkdir()
    os.environ["SELARAS_DATA_DIR"] = str(db_dir)
    os.environ.pop("SELARAS_DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    clock = time.perf_counter()
    xlsx = work / "pra_renja_32.16.xlsx"
    agencies_file = work / "agencies.json"
    if args.reuse and xlsx.exists() and agencies_file.exists():
        source = "reused"
        agencies = [tuple(a) for a in json.loads(agencies_file.read_text())]
    else:
        source = "demo"
        built = None if args.generated else _demo_rows(args.seed)
        if built is None:
            source = "generated"
            built = _generated_rows(args.rows, args.seed)
        agencies, rows = built
        rows = _fill(rows, args.rows)
        _write_xlsx(xlsx, rows)
        agencies_file.write_text(json.dumps(agencies))
        del rows, built
    build_seconds = time.perf_counter() - clock

    from selaras.cli._django import migrate

    migrate()
    from selaras.web.plans.models import Agency, LocalGovernment
    from selaras.web.proposals.import_service import import_file
    from selaras.web.proposals.models import Proposal
    from selaras.web.reference.models import Region
    from selaras.web.reference.services import load_reference

    load_reference()
    region = Region.objects.get(code=GOVERNMENT_CODE)
    government, _ = LocalGovernment.objects.get_or_create(
        region_code=GOVERNMENT_CODE, defaults={"name": region.name, "level": "regency"})
    Agency.objects.bulk_create([Agency(government=government, code=c, name=n) for c, n in agencies],
                               ignore_conflicts=True)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.trace:
        tracemalloc.start()
    clock = time.perf_counter()
    outcome = import_file(xlsx, xlsx.name, government=government, channel="agency_draft", year=2027,
                          valid_only=not args.all_or_nothing)
    total = time.perf_counter() - clock
    peak = tracemalloc.get_traced_memory()[1] if args.trace else 0
    tracemalloc.stop()
    stored = Proposal.objects.filter(government=government).count()
    list_ms = _time_lists(government.pk)
    print(json.dumps({
        "benchmark": "proposal_import",
        "source": source,
        "rows": outcome.total_rows,
        "imported": outcome.imported,
        "rejected": outcome.rejected,
        "mode": "all_or_nothing" if args.all_or_nothing else "valid_only",
        "stored": stored,
        "errors": len(outcome.errors),
        "first_errors": outcome.messages(3) if not outcome.imported else [],
        "error_codes": dict(Counter(f.code for f in outcome.errors).most_common()),
        "file_mb": round(xlsx.stat().st_size / 1e6, 1),
        "build_file_seconds": round(build_seconds, 2),
        "seconds": {**outcome.seconds, "total": round(total, 2)},
        "cpu_seconds": {**outcome.cpu_seconds, "total": round(sum(outcome.cpu_seconds.values()), 2)},
        "load_average_1m": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
        "peak_traced_mb": round(peak / 1e6, 1) if args.trace else None,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "max_rss_before_import_mb": round(rss_before / 1024, 1),
        "goal_seconds": 60,
        "list_page_count_next_ms": list_ms,
        "database": "sqlite",
    }))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
