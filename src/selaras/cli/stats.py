"""`selaras stats`: counts of what the database holds."""

from __future__ import annotations

import json

import typer

from selaras.cli import _django


def stats(as_json: bool = typer.Option(False, "--json", help="Cetak sebagai JSON.")) -> None:
    _django.migrate()
    from selaras.web.api.stats import collect_stats

    data = collect_stats()
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for section, values in data.items():
        typer.echo(f"{section}:")
        for key, value in (values.items() if isinstance(values, dict) else [("jumlah", values)]):
            typer.echo(f"  {key}: {value:,}".replace(",", "."))
