"""`selaras reference`: load the packaged reference data, look up a code."""

from __future__ import annotations

import time
from typing import Annotated, Any

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
def load(edition: str = typer.Option("", "--edition", help="Muat satu edisi bawaan (mis. edisi wilayah 2023).")) -> None:
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

        counts = load_reference(progress, only=edition or None)
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


KINDS = {"wilayah": "region", "nomenklatur": "nomenclature", "region": "region", "nomenclature": "nomenclature"}


def _fail(console: Console, error: Exception) -> typer.Exit:
    from selaras.domain.errors import SelarasError

    text = error_text(error) if isinstance(error, SelarasError) else str(error)
    console.print(f"[red]{text}[/red]", soft_wrap=True)
    return typer.Exit(1)


@app.command("import-edition")
def import_edition(
    file: str = typer.Argument(..., help="Berkas: ekspor SIPD (.xlsx), CSV (kode,nama / susunan bawaan) atau SQL INSERT."),
    kind: str = typer.Option(..., "--kind", help="wilayah atau nomenklatur"),
    name: str = typer.Option(..., "--name", help="Kunci edisi, mis. kepmendagri-900.1.15.5-3406-2024"),
    legal_basis: str = typer.Option("", "--legal-basis", help="Dasar hukum, mis. 'Kepmendagri 900.1.15.5-3406/2024'"),
    valid_from: int | None = typer.Option(None, "--valid-from", help="Berlaku mulai tahun perencanaan"),
    valid_to: int | None = typer.Option(None, "--valid-to", help="Berlaku sampai tahun perencanaan"),
    replaces: str = typer.Option("", "--replaces", help="Kunci edisi yang digantikan (pemetaan diturunkan)"),
    source: str = typer.Option("", "--source", help="Sumber berkas"),
    licence: str = typer.Option("", "--licence", help="Lisensi"),
    replace: bool = typer.Option(False, "--ganti", help="Ganti edisi impor dengan kunci yang sama"),
) -> None:
    """Muat satu edisi kode wilayah atau nomenklatur dari berkas (ditolak utuh bila ada baris salah)."""
    console = Console()
    if kind not in KINDS:
        console.print("[red]--kind harus 'wilayah' atau 'nomenklatur'.[/red]")
        raise typer.Exit(2)
    _django.migrate()
    from selaras.domain.errors import SelarasError
    from selaras.web.reference.services import import_edition as run

    started = time.perf_counter()
    try:
        result = run(file, kind=KINDS[kind], key=name, regulation=legal_basis, valid_from=valid_from,
                     valid_to=valid_to, replaces=replaces, source=source, licence=licence, replace=replace)
    except SelarasError as error:
        raise _fail(console, error) from error
    console.print(f"Edisi {result['edition']} ({result['layout']}): {_number(result['rows'])} baris dimuat "
                  f"dalam {time.perf_counter() - started:.1f} detik.")
    if "mapping" in result:
        console.print("Pemetaan dari " + replaces + ": " + ", ".join(f"{k} {_number(v)}" for k, v in result["mapping"].items()))


@app.command("editions")
def editions(as_json: bool = typer.Option(False, "--json", help="Cetak sebagai JSON")) -> None:
    """Daftar edisi yang dimuat (bawaan dan impor)."""
    import json

    _django.migrate()
    from selaras.web.reference.models import Edition

    rows = [{"key": e.key, "kind": e.kind, "regulation": e.regulation, "rows": e.row_count,
             "valid_from": e.valid_from, "valid_to": e.valid_to, "replaces": e.replaces, "origin": e.origin,
             "source": e.source, "licence": e.licence, "loaded_at": e.loaded_at.isoformat()}
            for e in Edition.objects.order_by("kind", "valid_from", "key")]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title="Edisi referensi")
    for column in ("kunci", "jenis", "dasar hukum", "baris", "berlaku", "asal"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r["key"]), str(r["kind"]), str(r["regulation"]), _number(int(str(r["rows"]))),
                      f"{r['valid_from'] or ''}–{r['valid_to'] or ''}", str(r["origin"]))
    Console().print(table)


@app.command("diff")
def diff(
    old: str = typer.Argument(..., help="Kunci edisi lama"),
    new: str = typer.Argument(..., help="Kunci edisi baru"),
    as_json: bool = typer.Option(False, "--json", help="Cetak jumlah dan pemetaan tiap kode lama sebagai JSON"),
    xlsx: str = typer.Option("", "--xlsx", help="Tulis pemetaan ke berkas Excel"),
    derive: bool = typer.Option(False, "--turunkan", help="Turunkan ulang pemetaan sebelum dicetak"),
) -> None:
    """Perubahan kode dari edisi OLD ke NEW: jumlah per jenis (tetap, ganti nama, pindah, pecah, gabung, hapus)."""
    import json

    console = Console()
    _django.migrate()
    from selaras.domain.errors import SelarasError
    from selaras.web.reference import mappings
    from selaras.web.reference.models import CodeMapping

    try:
        if derive or not CodeMapping.objects.filter(from_edition=old, to_edition=new).exists():
            mappings.derive_and_store(old, new)
        result = mappings.diff(old, new)
    except SelarasError as error:
        raise _fail(console, error) from error
    if xlsx:
        _write_diff_xlsx(xlsx, result)
    if as_json:
        # every old code, the unchanged ones too (kind, new codes, confidence, status, reason)
        print(json.dumps(mappings.diff(old, new, include_unchanged=True), ensure_ascii=False))
        return
    table = Table(title=f"{old} → {new}")
    table.add_column("jenis")
    table.add_column("jumlah", justify="right")
    for kind, count in result["counts"].items():
        table.add_row(kind, _number(count))
    console.print(table)


def _write_diff_xlsx(path: str, result: dict[str, Any]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pemetaan")
    sheet.append(["kode lama", "nama lama", "jenis", "kode baru", "keyakinan", "status", "dasar", "diperiksa oleh"])
    for m in result["mapping"]:
        sheet.append([m["from_code"], "'" + m["from_name"] if str(m["from_name"]).startswith("=") else m["from_name"],
                      m["kind"], ", ".join(m["to_codes"]), m["confidence"], m["status"], m["reason"],
                      m["reviewed_by"] or ""])
    counts = workbook.create_sheet("Jumlah")
    for kind, count in result["counts"].items():
        counts.append([kind, count])
    workbook.save(path)


@app.command("move")
def move(
    government: int = typer.Argument(..., help="id pemerintah daerah"),
    to_edition: str = typer.Argument(..., help="Kunci edisi tujuan"),
    kind: str = typer.Option("nomenklatur", "--kind", help="wilayah atau nomenklatur"),
    apply: bool = typer.Option(False, "--apply", help="Terapkan (tanpa ini: pratinjau saja)"),
    choose: Annotated[list[str] | None, typer.Option(
        "--pilih", help="Pilihan untuk kode yang perlu diputuskan: LAMA=BARU (boleh berulang)")] = None,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Pindahkan Renstra, Renja, RKPD dan usulan satu pemerintah daerah ke edisi baru (pratinjau dulu)."""
    import json

    console = Console()
    choices: dict[str, str] = {}
    for item in choose or []:
        old_code, sep, new_code = item.partition("=")
        if not sep or not old_code.strip() or not new_code.strip():
            console.print(f"[red]--pilih harus berbentuk KODE_LAMA=KODE_BARU, bukan '{item}'.[/red]")
            raise typer.Exit(2)
        choices[old_code.strip()] = new_code.strip()
    _django.migrate()
    from selaras.domain.errors import SelarasError
    from selaras.web.reference.moves import apply_move, preview_move

    try:
        result: dict[str, Any] = preview_move(government, KINDS.get(kind, kind), to_edition)
        if apply:
            done = apply_move(government, KINDS.get(kind, kind), to_edition, choices=choices)
            result = {"applied": done.pk, "summary": done.summary, "preview": result["rows"]}
    except SelarasError as error:
        raise _fail(console, error) from error
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    if apply:
        console.print(f"Diterapkan (catatan #{result['applied']}): " + json.dumps(result["summary"], ensure_ascii=False))
    else:
        console.print(f"Pratinjau {result['from_edition']} → {result['to_edition']}: baris "
                      + ", ".join(f"{k} {_number(v)}" for k, v in result["rows"].items())
                      + "; kode " + ", ".join(f"{k} {_number(v)}" for k, v in result["codes"].items()))
