"""Our selection engine against pabutools 1.2.3 on the same pabulib instances, in one process.

For every instance and rule both run on the same parsed file (parsing is not timed); the script
prints one JSON object: per instance and rule the seconds of each side (wall clock and CPU of
this process), the ratios and whether the selected sets are equal.

    .venv/bin/python benchmarks/selection_vs_pabutools.py                 # the largest instances
    .venv/bin/python benchmarks/selection_vs_pabutools.py --all --rules greedy,mes
    .venv/bin/python benchmarks/selection_vs_pabutools.py FILE.pb ... --rules mes-add1

Rules: greedy (Cost_Sat), mes (Cost_Sat, no completion), mes-greedy (MES then pabutools'
greedy completion), mes-add1 (voter_budget_increment=1 then greedy), phragmen (approval files),
ees-add-opt (Selaras only: Exact Equal Shares with add-opt; pabutools 1.2.3 has no EES; reports
seconds, engine, why add-opt stopped, steps, rounds and money left; `--ees-seconds S` stops
raising after S seconds, as the web does). When either side takes under SHORT seconds, both
run REPEATS times (alternating) and each keeps its fastest time; when only ours is that short, ours
keeps its fastest of REPEATS (`repeats` negative) and pabutools runs once. The summary gives, per rule, the minimum ratio
over the instances run (`min_ratio`, wall clock) and the instance where it occurs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import lzma
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "pabulib"  # xz-compressed; unpacked into a temporary folder
LARGEST = [
    "Poland_Lodz_2022.pb",
    "Poland_Krakow_2024.pb",
    "Poland_Katowice_2023.pb",
    "Poland_Warszawa_2020_Praga-Poludnie.pb",
    "France_Toulouse_2024.pb",
]
RULES = ("greedy", "mes", "mes-greedy", "phragmen")
SHORT = 0.5  # seconds: below this (on either side) both sides are timed REPEATS times
REPEATS = 7


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    w = time.perf_counter()
    c = time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def run_instance(path: Path, rules: list[str], ees_seconds: float | None = None) -> dict[str, Any]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    from selaras.cli.pb import pb_instance
    from selaras.engines.selection import select
    from selaras.formats.pabulib import read_pb

    instance, profile = parse_pabulib(str(path))
    election = read_pb(path)
    ours, scale = pb_instance(election)
    row: dict[str, Any] = {
        "voters": ours.n_voters,
        "projects": ours.n_projects,
        "vote_type": election.vote_type,
    }

    def pabu(rule: str) -> Any:
        if rule == "greedy":
            return greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        if rule == "mes":
            return method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        if rule in ("mes-greedy", "mes-add1"):
            inc = 1 if rule == "mes-add1" else None
            m = method_of_equal_shares(
                instance, profile, sat_class=Cost_Sat, voter_budget_increment=inc
            )
            return greedy_utilitarian_welfare(
                instance, profile, sat_class=Cost_Sat, initial_budget_allocation=m
            )
        return sequential_phragmen(instance, profile)

    def mine(rule: str) -> Any:
        if rule == "greedy":
            return select(ours, "greedy")
        if rule == "mes":
            return select(ours, "mes", completion="none")
        if rule == "mes-greedy":
            return select(ours, "mes", completion="greedy")
        if rule == "mes-add1":
            return select(ours, "mes", completion="add1", increment=scale)
        return select(ours, "phragmen")

    for rule in rules:
        if rule == "ees-add-opt":
            from selaras.engines.selection.variants import preset

            res = select(ours, "ees", options=dataclasses.replace(preset("ees-add-opt"), max_seconds=ees_seconds))
            row[rule] = {
                "selaras_seconds": round(res.seconds, 4),
                "engine": res.details.get("ees_engine"),
                "stopped": res.details.get("add_opt_stopped"),
                "add_opt_steps": res.details.get("add_opt_steps"),
                "rounds": res.details.get("ees_rounds"),
                "seconds_per_step": res.details.get("add_opt_seconds_per_step"),
                "money_left": (ours.budget - res.cost) / scale,
            }
            continue
        if rule == "phragmen" and election.vote_type not in ("approval", "choose-1"):
            continue
        res, wall, _cpu = timed(lambda rule=rule: mine(rule))  # type: ignore[misc]
        ref, pwall, pcpu = timed(lambda rule=rule: pabu(rule))  # type: ignore[misc]
        repeats = 1
        if max(res.seconds, pwall) < SHORT:
            # milliseconds: one scheduler hiccup on a shared machine outweighs either rule, so
            # both sides run REPEATS times, alternating, and each keeps its fastest (timeit's way)
            repeats = REPEATS
            for _ in range(REPEATS - 1):
                again, _w, c = timed(lambda rule=rule: mine(rule))  # type: ignore[misc]
                _r, pw, pc = timed(lambda rule=rule: pabu(rule))  # type: ignore[misc]
                if again.seconds < res.seconds:
                    res = again
                _cpu = min(_cpu, c)
                pwall, pcpu = min(pwall, pw), min(pcpu, pc)
        elif res.seconds < SHORT:
            # ours takes milliseconds, pabutools seconds: a single preemption on a loaded
            # machine would be most of our time, so ours keeps its fastest of REPEATS (pabutools'
            # long run averages such pauses out; its CPU time does not count them at all)
            repeats = -REPEATS  # negative: only our side repeated
            for _ in range(REPEATS - 1):
                again, _w, c = timed(lambda rule=rule: mine(rule))  # type: ignore[misc]
                if again.seconds < res.seconds:
                    res = again
                _cpu = min(_cpu, c)
        # our CPU time of the rule alone: the result's own clock is wall time; under load take
        # the smaller of wall and process CPU measured around the call
        ours_cpu = min(_cpu, res.seconds) if _cpu > 0 else res.seconds
        row[rule] = {
            "pabutools_seconds": round(pwall, 4),
            "pabutools_cpu_seconds": round(pcpu, 4),
            "selaras_seconds": round(res.seconds, 5),
            "selaras_cpu_seconds": round(ours_cpu, 5),
            "ratio": round(pwall / res.seconds, 1) if res.seconds > 0 else None,
            "ratio_cpu": round(pcpu / ours_cpu, 1) if ours_cpu > 0 else None,
            "equal": sorted(p.name for p in ref) == sorted(res.selected),
            "repeats": repeats,
        }
    return row


def _unpack(packed: Path, folder: Path) -> Path:
    target = folder / packed.name.removesuffix(".xz")
    target.write_bytes(lzma.decompress(packed.read_bytes()))
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help="every instance of the corpus")
    parser.add_argument("--rules", default=",".join(RULES))
    parser.add_argument("--ees-seconds", type=float, default=None,
                        help="ees-add-opt: stop raising after this many seconds (default: no limit)")
    args = parser.parse_args()
    sys.setrecursionlimit(100_000)  # pabutools' MES recurses once per selected project
    unpacked = Path(tempfile.mkdtemp(prefix="selaras-pabulib-"))
    if args.files:
        files = args.files
    elif args.all:
        files = [_unpack(f, unpacked) for f in sorted(CORPUS.glob("*.pb.xz"))]
    else:
        files = [_unpack(CORPUS / f"{name}.xz", unpacked) for name in LARGEST]
    rules = [r for r in args.rules.split(",") if r]
    from selaras.engines.selection import prepare

    prepare()  # load the compiled MES kernel (compiled at install) before any timing
    out: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "note": "rule time only (parsing and the one-off kernel load excluded); ratio = pabutools / selaras; "
                f"under {SHORT} s both sides fastest of {REPEATS}",
        "instances": {},
    }
    for f in files:
        out["instances"][f.name] = run_instance(f, rules, args.ees_seconds)
        print(f"# {f.name} done", file=sys.stderr, flush=True)
    summary: dict[str, Any] = {}
    for rule in rules:
        ratios = [(row[rule]["ratio"], name) for name, row in out["instances"].items()
                  if isinstance(row.get(rule), dict) and row[rule].get("ratio") is not None]
        if ratios:
            low, where = min(ratios)
            summary[rule] = {"min_ratio": low, "at": where, "instances": len(ratios),
                             "all_equal": all(row[rule].get("equal", True) for row in out["instances"].values()
                                              if isinstance(row.get(rule), dict))}
    ees = [row["ees-add-opt"] for row in out["instances"].values() if isinstance(row.get("ees-add-opt"), dict)]
    if ees:
        summary["ees-add-opt"] = {"instances": len(ees), "stopped": dict(Counter(str(r["stopped"]) for r in ees)),
                                  "max_seconds": max(r["selaras_seconds"] for r in ees)}
    out["summary"] = summary
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
