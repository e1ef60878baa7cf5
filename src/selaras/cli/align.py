"""`selaras align`: run the sinkronisasi check of a government and year."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from selaras.cli._government import RegionEdition, resolve_government

app = typer.Typer(invoke_without_command=True, no_args_is_help=False,
                  help="Sinkronisasi: periksa keselarasan rencana.")


@app.callback(invoke_without_command=True)
def align(
    ctx: typer.Context,
    government: Annotated[str | None, typer.Option("--government", "-g",
                                                   help="Kode wilayah pemerintah daerah, mis. 32.16.")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Tahun RKPD yang diperiksa.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak temuan sebagai JSON.")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Tulis juga laporan Excel ke berkas ini.")] = None,
    min_district_share: Annotated[str | None, typer.Option(
        "--min-district-share", help="Porsi minimal anggaran dikelola kecamatan (bawaan 0.05).")] = None,
    region_edition: RegionEdition = None,
) -> None:
    """Periksa keselarasan RPJMD, Renstra, RKPD, Renja dan usulan; cetak temuan."""
    if ctx.invoked_subcommand is not None:
        return
    if not government or year is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)
    from selaras.cli import _django

    _django.migrate()
    from selaras.engines.alignment import AlignmentConfig
    from selaras.web.alignment import selectors

    chosen = resolve_government(government, region_edition, exit_code=1)
    config = selectors.default_config()
    if min_district_share is not None:
        config = AlignmentConfig(min_district_share=Decimal(min_district_share))
    report = selectors.run_report(chosen, year, config)
    if xlsx is not None:
        from selaras.web.alignment import export

        xlsx.write_bytes(export.report_workbook(report))
    if as_json:
        typer.echo(json.dumps(_as_json(report), ensure_ascii=False, indent=1, default=str))
        return
    for row in report.rows:
        f = row.finding
        typer.echo(f"{f.severity.value:7} {f.code:40} {row.agency or '-':12} {f.location.line:22} {row.message}")
    counts = report.counts
    typer.echo(f"{counts['total']} temuan ({counts['error']} galat, {counts['warning']} peringatan) "
               f"dalam {report.seconds:.2f} detik.")
    if counts["error"]:
        raise typer.Exit(1)


def _as_json(report: object) -> dict[str, object]:
    from selaras.web.alignment.selectors import AlignmentReport

    assert isinstance(report, AlignmentReport)
    return {
        "government": report.government.region_code,
        "year": report.year,
        "counts": report.counts,
        "seconds": round(report.seconds, 3),
        "coverage": report.coverage.as_dict(),
        "findings": [
            {"code": row.finding.code, "severity": row.finding.severity.value, "agency": row.agency,
             "location": {"document": row.finding.location.document, "line": row.finding.location.line,
                          "code": row.finding.location.code, "year": row.finding.location.year},
             "params": row.finding.params, "message": row.message}
            for row in report.rows
        ],
    }
