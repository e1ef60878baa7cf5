"""`selaras pb`: run the selection rules on pabulib (.pb) files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from selaras.engines.selection import SelectionInstance
    from selaras.formats.pabulib import PbElection

app = typer.Typer(no_args_is_help=True)

RULES = ("mes", "greedy", "greedy-cost", "phragmen", "exact")
COMPLETIONS = ("greedy", "add1", "none")


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
    rule: str = typer.Option("mes", "--rule", help="mes | greedy | greedy-cost | phragmen | exact"),
    completion: str | None = typer.Option(
        None, "--completion", help="Untuk mes: greedy (bawaan) | add1 | none"
    ),
    utility: str = typer.Option("cost", "--utility", help="Untuk mes: cost | approval"),
    as_json: bool = typer.Option(False, "--json", help="Cetak satu objek JSON"),
    reasons: bool = typer.Option(False, "--reasons", help="Sertakan alasan per proyek"),
) -> None:
    """Pilih proyek dari berkas .pb dengan satu aturan seleksi."""
    from selaras.engines.selection import SelectionError, prepare, reason_text, select
    from selaras.formats.pabulib import PbFormatError, read_pb

    if rule not in RULES:
        raise typer.BadParameter(f"aturan harus salah satu dari {', '.join(RULES)}", param_hint="--rule")
    if completion is not None and completion not in COMPLETIONS:
        raise typer.BadParameter(
            f"pelengkap harus salah satu dari {', '.join(COMPLETIONS)}", param_hint="--completion"
        )
    try:
        election = read_pb(file)
        inst, scale = pb_instance(election)
        if rule == "mes":
            prepare()  # load the compiled kernel outside the rule's own time
        result = select(
            inst,
            rule,
            completion=completion if rule == "mes" else None,
            utility=utility,
            increment=scale,
        )
    except (PbFormatError, SelectionError) as exc:
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
    typer.echo(f"Aturan: {payload['rule']}  terpilih: {len(result.selected)}  biaya: {payload['cost']}")
    for o in result.outcomes.values():
        mark = "✓" if o.selected else "✗"
        typer.echo(f"{mark} {o.project_id}: {reason_text(o.reason)}")
