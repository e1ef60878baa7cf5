"""`selaras pb`: run the selection rules on pabulib (.pb) files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from selaras.cli._selection_texts import (
    COMPLETION_TEXTS,
    PRESET_TEXTS,
    RULE_TEXTS,
    UTILITY_TEXTS,
    choices_help,
    preset_label,
    rule_label,
)

if TYPE_CHECKING:
    from selaras.engines.selection import SelectionInstance
    from selaras.formats.pabulib import PbElection

app = typer.Typer(no_args_is_help=True)

RULES = ("mes", "ees", "greedy", "greedy-cost", "phragmen", "exact")
COMPLETIONS = ("greedy", "add1", "add-opt", "none")


def pb_instance(election: PbElection) -> tuple[SelectionInstance, int]:
    """The engine instance of a parsed .pb election, with the money scale (see `money()`).

    Every vote type becomes a set of supported projects (ballot order kept as rank); points of
    cumulative/scoring ballots do not change who supports what (pabutools' Cost_Sat likewise
    counts membership only).
    """
    from selaras.engines.selection import SelectionInstance

    costs, budget, scale = election.money()
    inst = SelectionInstance.build(
        election.project_ids, costs, budget, election.ballots()
    )
    return inst, scale


@app.command("select")
def select_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Berkas .pb"),  # noqa: B008
    rule: str = typer.Option("mes", "--rule", help=choices_help("Aturan seleksi", RULE_TEXTS, RULES)),
    completion: str | None = typer.Option(
        None, "--completion", help=choices_help(
            "Pelengkap Metode Bagi Rata, untuk uang yang belum terpakai (bawaan: greedy untuk mes, add-opt untuk ees)",
            COMPLETION_TEXTS, COMPLETIONS)
    ),
    variant: str | None = typer.Option(
        None, "--preset", help=choices_help("Varian Metode Bagi Rata siap pakai", PRESET_TEXTS)
    ),
    official: bool = typer.Option(
        False, "--official", help="Jalankan varian yang disebut metadata berkas (aturan dan tanggalnya)"
    ),
    utility: str = typer.Option("cost", "--utility", help=choices_help(
        "Untuk mes: nilai usulan bagi pendukungnya", UTILITY_TEXTS)),
    as_json: bool = typer.Option(False, "--json", help="Cetak satu objek JSON"),
    reasons: bool = typer.Option(False, "--reasons", help="Sertakan alasan per proyek"),
) -> None:
    """Pilih proyek dari berkas .pb dengan satu aturan seleksi."""
    from selaras.engines.selection import SelectionError, prepare, reason_text, select
    from selaras.engines.selection.variants import MesOptions, official_variant, preset
    from selaras.formats.pabulib import PbFormatError, read_pb

    if rule not in RULES:
        raise typer.BadParameter(f"aturan harus salah satu dari {', '.join(RULES)}", param_hint="--rule")
    if completion is not None and completion not in COMPLETIONS:
        raise typer.BadParameter(
            f"pelengkap harus salah satu dari {', '.join(COMPLETIONS)}", param_hint="--completion"
        )
    chosen: dict[str, object] | None = None
    try:
        election = read_pb(file)
        options: MesOptions | None = None
        if official:
            found = official_variant(election.meta)
            rule = found.rule
            options = found.options
            chosen = {"rule": rule, "preset": options.preset if options else None, "why": found.why,
                      "meta_rule": election.meta.get("rule"), "date_end": election.meta.get("date_end")}
        elif variant is not None:
            options = preset(variant)
            rule = "ees" if options.completion == "add-opt" else "mes"
        elif rule in ("mes", "ees"):
            default = "add-opt" if rule == "ees" else "greedy"
            options = MesOptions(completion=completion or default, utility=utility,  # type: ignore[arg-type]
                                 final_greedy=not (rule == "ees" and (completion or default) == "add-opt"))
        inst, scale = pb_instance(election)
        if rule == "mes":
            prepare()  # load the compiled kernel outside the rule's own time
        result = select(
            inst,
            rule,
            completion=None,
            utility=utility,
            increment=scale,
            options=options,
            money_unit=scale,
        )
    except (PbFormatError, SelectionError, ValueError) as exc:
        typer.echo(f"Galat: {exc}", err=True)
        raise typer.Exit(2) from exc
    cost = result.cost / scale
    payload: dict[str, object] = {
        "selected": list(result.selected),
        "cost": int(cost) if cost == int(cost) else cost,
        "rule": rule,
        "completion": result.completion,
        "seconds": round(result.seconds, 6),
    }
    if options is not None:
        payload["options"] = options.as_dict()
        payload["variant"] = options.describe()
        keep = ("add1_increments", "add1_stopped", "per_voter_budget", "ees_endowment", "ees_rounds",
                "add_opt_steps", "add_opt_stopped", "add_opt_seconds_per_step", "comparison")
        payload["details"] = {k: result.details[k] for k in keep if k in result.details}
    if chosen is not None:
        payload["official"] = chosen
    if reasons:
        payload["projects"] = [
            {
                "id": o.project_id,
                "selected": o.selected,
                "reason": o.reason.as_dict(),
                "text": reason_text(o.reason),
            }
            for o in result.outcomes.values()
        ]
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    typer.echo(f"Aturan: {rule_label(rule)}  terpilih: {len(result.selected)}  biaya: {payload['cost']}")
    if options is not None and options.preset:
        typer.echo(f"Varian: {preset_label(options.preset)}")
    for o in result.outcomes.values():
        mark = "✓" if o.selected else "✗"
        typer.echo(f"{mark} {o.project_id}: {reason_text(o.reason)}")
