"""The `selaras` command line. Each area has its own module with a typer sub-app."""

from __future__ import annotations

import typer

from selaras.cli import (
    align,
    backup,
    classify,
    demo,
    duplicates,
    pb,
    proposals,
    reference,
    select,
    serve,
    stats,
    worker,
)

app = typer.Typer(
    name="selaras",
    help="Selaras: perencanaan pembangunan daerah.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(reference.app, name="reference", help="Data referensi: wilayah dan nomenklatur.")
app.add_typer(demo.app, name="demo", help="Daerah contoh: buat, muat, jalankan.")
app.add_typer(pb.app, name="pb", help="Berkas pabulib (.pb): pilih proyek dengan aturan seleksi.")
app.add_typer(proposals.app, name="import", help="Impor usulan dari Excel/CSV.")
app.add_typer(select.app, name="select", help="Seleksi usulan di bawah pagu.")
app.add_typer(align.app, name="align", help="Sinkronisasi: periksa keselarasan rencana.")
app.add_typer(duplicates.app, name="duplicates", help="Usulan mirip (calon usulan ganda).")
app.add_typer(classify.app, name="classify", help="Saran perangkat daerah dan sub kegiatan.")
app.command("serve", help="Jalankan aplikasi web.")(serve.serve)
app.command("worker", help="Jalankan proses tugas latar (impor); `serve` sudah memulainya.")(worker.worker)
app.command("stats", help="Hitungan data (wilayah, nomenklatur, rencana, usulan).")(stats.stats)
app.command("backup", help="Cadangkan seluruh basis data ke satu berkas.")(backup.backup)
app.command("restore", help="Pulihkan basis data dari berkas cadangan (isi sekarang diganti).")(backup.restore)


def main() -> None:
    app()
