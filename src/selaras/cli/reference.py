"""`selaras reference`: load the packaged reference data, look up a code."""

from __future__ import annotations

import time
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from selaras.cli import _django
from selaras.domain.codes import AgencyCode, NomenclatureCode, RegionCode
from selaras.domain.errors import InvalidCode
from selaras.web.errors.messages import error_text

app = typer.Typer(no_args_is_help=True, help="Data referensi: wilayah dan nomenklatur.")

COUNT_LABELS = {
    "regions": "wilayah", "provinces": "  provinsi", "regencies_cities": "  kabupaten/kota",
    "districts": "  kecamatan", "villages": "  desa/kelurahan",
    "nomenclature": "nomenklatur", "affairs": "  urusan", "sectors": "  bidang urusan",
    "programs": "  program", "activities": "  kegiatan", "sub_activities": "  sub kegiatan",
}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@app.command("load")
def load() -> None:
    """Muat kode wilayah dan nomenklatur bawaan ke basis data (aman diulang)."""
    _django.migrate()
    from selaras.web.reference.services import load_reference

    console = Console()
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"Memuat {stage}", total=total)
            bar.update(tasks[stage], completed=done, total=total)

        counts = load_reference(progress)
    elapsed = time.perf_counter() - started
    table = Table(title="Data referensi di basis data")
    table.add_column("jenis")
    table.add_column("jumlah", justify="right")
    for key, label in COUNT_LABELS.items():
        table.add_row(label, _number(counts[key]))
    console.print(table)
    if counts["editions_loaded"]:
        console.print(f"{counts['editions_loaded']} edisi dimuat, {_number(counts['rows_written'])} "
                      f"baris ditulis dalam {elapsed:.1f} detik.")
    else:
        console.print(f"Sudah mutakhir: tidak ada yang berubah ({elapsed:.1f} detik).")


def _parse(code: str) -> RegionCode | NomenclatureCode | AgencyCode:
    """The grammar the code belongs to; the grammars do not overlap (the first part of a region
    code has two digits, of a nomenclature code one sign; agency codes have eight parts)."""
    text = code.strip()
    parts = text.split(".")
    if len(parts) == 8:
        return AgencyCode.parse(text)
    if len(parts[0]) == 2 and parts[0].isdigit():
        return RegionCode.parse(text)
    return NomenclatureCode.parse(text, allow_unknown_affair=True)


@app.command("show")
def show(code: str = typer.Argument(..., help="Kode wilayah, nomenklatur atau perangkat daerah.")) -> None:
    """Periksa sebuah kode dan tampilkan artinya menurut data referensi."""
    console = Console()
    try:
        parsed = _parse(code)
    except InvalidCode as error:
        console.print(f"[red]{error_text(error)}[/red]", soft_wrap=True)
        raise typer.Exit(1) from error
    _django.migrate()
    from selaras.web.reference import selectors

    if isinstance(parsed, RegionCode):
        found = _show_region(console, parsed, selectors)
    elif isinstance(parsed, NomenclatureCode):
        found = _show_nomenclature(console, parsed, selectors)
    else:
        found = _show_agency(console, parsed, selectors)
    if not found:
        if selectors.edition_of("region") is None or selectors.edition_of("nomenclature") is None:
            console.print("Data referensi belum dimuat: jalankan [bold]selaras reference load[/bold].")
        raise typer.Exit(1)


def _show_region(console: Console, code: RegionCode, selectors: Any) -> bool:
    path = selectors.region_path(str(code))
    kind = code.village_kind.value if code.village_kind else ""
    if path is None:
        console.print(f"Kode wilayah {code} sah (tingkat {int(code.level)}{', ' + kind if kind else ''}), "
                      "tetapi tidak ada pada edisi yang dimuat.")
        return False
    region = path.region
    console.print(f"[bold]{region.code}[/bold] {region.name}")
    console.print(f"  tingkat: {region.get_level_display()} ({region.kind})")
    if code.is_customary_village:
        console.print("  desa adat (N = 3), diperlakukan sebagai desa")
    if path.ancestors:
        console.print("  induk: " + " › ".join(f"{a.code} {a.name}" for a in path.ancestors))
    if region.population is not None:
        console.print(f"  penduduk: {_number(region.population)} jiwa")
    if region.area_km2 is not None:
        console.print(f"  luas: {region.area_km2} km²")
    below = selectors.region_level_counts(region.code)
    names = {2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}
    if below:
        console.print("  di dalamnya: " + ", ".join(f"{_number(n)} {names[lv]}" for lv, n in sorted(below.items())))
    return True


def _show_nomenclature(console: Console, code: NomenclatureCode, selectors: Any) -> bool:
    rows = list(selectors.search_nomenclature(str(code)).filter(code=str(code)))
    if not rows:
        console.print(f"Kode nomenklatur {code} sah (tingkat {code.level.value}), tetapi tidak ada "
                      "pada edisi yang dimuat.")
        return False
    console.print(f"[bold]{code}[/bold] {rows[0].name}")
    console.print(f"  tingkat: {rows[0].get_level_display()}")
    if not code.affair_known:
        console.print("  urusan '?': bidang kekhususan Aceh, urusannya tidak tercantum pada sumber")
    if code.is_supporting_program:
        console.print("  program penunjang (program 01)")
    for row in rows:
        status = "aktif" if row.active else "tidak aktif"
        console.print(f"  {row.government_level or 'semua tingkat'}: {status}"
                      + (f" · {row.name}" if row.name != rows[0].name else ""))
    ancestors = selectors.nomenclature_ancestors(str(code), rows[0].government_level or None)
    if ancestors:
        console.print("  induk: " + " › ".join(f"{a.code} {a.name}" for a in ancestors))
    children = selectors.nomenclature_children(str(code)).count()
    if children:
        console.print(f"  di bawahnya: {_number(children)} baris")
    return True


def _show_agency(console: Console, code: AgencyCode, selectors: Any) -> bool:
    console.print(f"[bold]{code}[/bold] kode perangkat daerah")
    console.print(f"  organisasi {code.organisation}, unit {code.unit}"
                  + (" (perangkat daerah induk)" if code.is_main_unit else ""))
    for sector in code.sectors:
        item = selectors.nomenclature_item(str(sector))
        console.print(f"  bidang urusan {sector}: {item.name if item else '(tidak ada pada edisi yang dimuat)'}")
    return True
