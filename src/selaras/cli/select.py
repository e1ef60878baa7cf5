"""`selaras select`: run a selection over a government's proposals, list and compare runs.

    selaras select run --government 32.16 --year 2026 --rule mes --completion greedy --json
    selaras select list --government 32.16
    selaras select compare 12 13 --json
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from selaras.cli import _django
from selaras.cli._government import RegionEdition, resolve_government
from selaras.cli._selection_texts import (
    COMPLETION_TEXTS,
    PRESET_TEXTS,
    RULE_TEXTS,
    choices_help,
    rule_label,
)

app = typer.Typer(no_args_is_help=True)

#: the rules and completions a government's run takes (`selaras pb select` has its own)
_RULES = ("greedy", "greedy-cost", "greedy-score", "greedy-score-cost", "mes", "phragmen", "exact")
_COMPLETIONS = ("none", "greedy", "add1")


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send anything written to file descriptor 1 (e.g. the MILP solver's banner) to stderr,
    so that `--json` prints one clean JSON object."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _summary(run: Any) -> dict[str, Any]:
    totals = run.totals or {}
    return {
        "run": run.pk, "kind": run.kind, "base_run": run.base_run_id, "government": run.government.region_code,
        "year": run.year, "rule": run.rule, "completion": run.completion or None, "budget": run.budget,
        "proposals": run.proposal_count, "eligible": totals.get("eligible_count"),
        "selected": run.selected_count, "cost": run.selected_cost, "seconds": round(run.seconds, 3),
        "timing": totals.get("timing", {}), "floor_shortfalls": len(totals.get("floor_shortfalls", [])),
        "voters": totals.get("voters", {}), "mes_options": (run.parameters or {}).get("mes_options"),
        "fairness": {k: v for k, v in (totals.get("fairness") or {}).items()
                     if k in ("cohesive_groups", "violations", "violations_up_to_one", "fair_share", "served")},
    }


@app.command("run")
def run_command(
    government: Annotated[str, typer.Option("--government", "-g", help="Kode wilayah pemda, mis. 32.16")],
    year: Annotated[int, typer.Option("--year", "-y", help="Tahun rencana")],
    rule: Annotated[str, typer.Option("--rule", "-r", help=choices_help("Aturan seleksi", RULE_TEXTS,
                                                                        _RULES))] = "mes",
    completion: Annotated[str | None, typer.Option("--completion", "-c", help=choices_help(
        "Untuk mes: pelengkap, untuk uang yang belum terpakai", COMPLETION_TEXTS, _COMPLETIONS, "greedy"))] = None,
    budget: Annotated[int | None, typer.Option("--budget", help="Anggaran (Rp); bawaan: pagu RKPD")] = None,
    preset: Annotated[str | None, typer.Option(
        "--preset", help=choices_help("Varian Metode Bagi Rata siap pakai", PRESET_TEXTS))] = None,
    channel: Annotated[list[str] | None, typer.Option(
        "--channel", help="Jalur yang diikutkan (boleh berulang); bawaan: semua")] = None,
    note: Annotated[str, typer.Option("--note", help="Catatan")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Cetak ringkasan sebagai JSON")] = False,
    region_edition: RegionEdition = None,
) -> None:
    """Jalankan seleksi atas usulan satu pemda untuk satu tahun dan simpan hasilnya."""
    _django.migrate()
    from selaras.domain.errors import SelarasError
    from selaras.web.errors.messages import error_text
    from selaras.web.selection import services
    from selaras.web.selection.parameters import RunParameters

    params = RunParameters(budget=budget)
    if channel:
        params = params.with_changes(channels=list(channel))
    gov = resolve_government(government, region_edition)
    try:
        with _stdout_to_stderr():
            run = services.start_run(gov, year, rule=rule, completion=completion, params=params, note=note,
                                     check=False, options=preset or None)
    except SelarasError as exc:
        typer.echo(f"Gagal: {error_text(exc)}", err=True)
        raise typer.Exit(1) from exc
    summary = _summary(run)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    typer.echo(f"Seleksi #{run.pk}, {rule_label(run.rule)}: {run.selected_count} dari {run.proposal_count} usulan terpilih, "
               f"Rp {run.selected_cost:,} dari Rp {run.budget:,}; {run.seconds:.2f} detik.".replace(",", "."))


@app.command("list")
def list_command(
    government: Annotated[str | None, typer.Option("--government", "-g")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Daftar seleksi yang tersimpan."""
    _django.migrate()
    from selaras.web.selection.models import SelectionRun

    qs = SelectionRun.objects.select_related("government")
    if government:
        qs = qs.filter(government__region_code=government)
    if year:
        qs = qs.filter(year=year)
    rows = [_summary(r) for r in qs[:200]]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"#{r['run']} {r['kind']} {r['government']} {r['year']} {r['rule']}: {r['selected']} terpilih, "
                   f"Rp {r['cost']:,}".replace(",", "."))


@app.command("compare")
def compare_command(
    run_a: Annotated[int, typer.Argument(help="Seleksi A")],
    run_b: Annotated[int, typer.Argument(help="Seleksi B")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Bandingkan dua seleksi: usulan yang masuk dan keluar, per kecamatan."""
    _django.migrate()
    from selaras.web.proposals.models import Proposal
    from selaras.web.selection.models import SelectionRun
    from selaras.web.selection.selectors import compare_runs

    runs = {r.pk: r for r in SelectionRun.objects.filter(pk__in=[run_a, run_b]).select_related("government")}
    if run_a not in runs or run_b not in runs:
        typer.echo("Seleksi tidak ditemukan.", err=True)
        raise typer.Exit(2)
    c = compare_runs(runs[run_a], runs[run_b])
    numbers = dict(Proposal.objects.filter(pk__in=c.only_a + c.only_b).values_list("id", "number"))
    out: dict[str, Any] = {
        "a": run_a, "b": run_b, "both": c.both,
        "moved_in": sorted(numbers[i] for i in c.only_b), "moved_out": sorted(numbers[i] for i in c.only_a),
        "moved_in_cost": c.only_b_cost, "moved_out_cost": c.only_a_cost,
        "districts": [{k: d[k] for k in ("code", "a_cost", "b_cost", "delta")} for d in c.districts],
    }
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    typer.echo(f"Terpilih di keduanya: {c.both}; masuk di B: {len(c.only_b)}; keluar di B: {len(c.only_a)}")
    for d in out["districts"]:
        typer.echo(f"  {d['code'] or '(tanpa lokasi)'}: A Rp {d['a_cost']:,} · B Rp {d['b_cost']:,}".replace(",", "."))
