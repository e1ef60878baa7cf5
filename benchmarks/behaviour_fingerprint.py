"""Fingerprint of the product's behaviour on the demo district, to compare two commits.

Loads the demo district (Bekasi scale by default) through the command line into a fresh SQLite
data directory, runs greedy and MES selections and the sinkronisasi check, then reads the
database back and prints one JSON object: a digest and a count per part (proposal statuses,
decisions, each selection's outcomes with reasons, alignment findings). Proposal numbers are
left out of the digests (their format is not behaviour); everything is keyed by row id.
Only the command line and the database file are used, so the script runs unchanged on commits
whose internal modules differ.

    .venv/bin/python benchmarks/behaviour_fingerprint.py [--scale bekasi] [--dump DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

YEAR = 2026


def _selaras(env: dict[str, str], *args: str) -> str:
    exe = str(Path(sys.executable).parent / "selaras")
    done = subprocess.run([exe, *args], env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"selaras {' '.join(args)} failed ({done.returncode})")
    return done.stdout


def _digest(rows: list[Any]) -> str:
    blob = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _outcomes(db: sqlite3.Connection, run_id: int) -> list[Any]:
    """A run's outcomes as rows (proposal, selected, round, reason code, reason parameters as the
    JSON text Django stored, cost): from the compressed blocks since they exist, else from the
    one-row-per-proposal table of older commits (the same rows either way)."""
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "selection_outcomeblock" not in tables:
        return [list(r) for r in db.execute(
            "SELECT proposal_id, selected, round, reason_code, reason_params, cost"
            " FROM selection_selectionoutcome WHERE run_id = ? ORDER BY proposal_id", (run_id,))]
    from selaras.web.selection.storage import RunOutcomes, decode_block

    blobs = [b for (b,) in db.execute("SELECT data FROM selection_outcomeblock WHERE run_id = ?"
                                      " ORDER BY first_proposal", (run_id,))]
    outcomes = RunOutcomes(decode_block(b) for b in blobs)
    rows = []
    for i in range(len(outcomes)):
        o = outcomes.record(i)
        rows.append([o.proposal_id, int(o.selected), o.round, o.reason_code, json.dumps(o.reason_params), o.cost])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="bekasi")
    parser.add_argument("--dump", help="write each part as JSON lines into this folder")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="selaras-fingerprint-")
    env = {**os.environ, "SELARAS_DATA_DIR": data_dir, "SELARAS_DATABASE_URL": "", "SELARAS_AXES": "0"}
    started = time.perf_counter()
    try:
        _selaras(env, "demo", "generate", "--scale", args.scale, "--no-users")
        _selaras(env, "select", "run", "-g", "32.16", "-y", str(YEAR), "--rule", "greedy", "--json")
        _selaras(env, "select", "run", "-g", "32.16", "-y", str(YEAR), "--rule", "mes",
                 "--completion", "greedy", "--json")
        report = json.loads(_selaras(env, "align", "-g", "32.16", "-y", str(YEAR), "--json"))
        db = sqlite3.connect(Path(data_dir) / "selaras.sqlite3")
        parts: dict[str, list[Any]] = {}
        parts["proposals"] = [list(r) for r in db.execute(
            "SELECT id, year, channel, stage, status, village_code, district_code, agency_id,"
            " CAST(volume AS TEXT), unit, estimated_cost, sub_activity_code, priority_rank,"
            " district_rank, councillor_name, title FROM proposals_proposal ORDER BY id")]
        parts["decisions"] = [list(r) for r in db.execute(
            "SELECT proposal_id, stage, outcome, reason, actor_role, new_cost, merged_into_id,"
            " postponed_to_year FROM proposals_decision ORDER BY proposal_id, id")]
        for run_id, rule in db.execute("SELECT id, rule FROM selection_selectionrun ORDER BY id").fetchall():
            parts[f"selection_{rule}"] = _outcomes(db, run_id)
        numbers = dict(db.execute("SELECT number, id FROM proposals_proposal"))
        findings = []
        for f in report["findings"]:
            params = {k: (f"#{numbers[v]}" if isinstance(v, str) and v in numbers else v)
                      for k, v in f["params"].items()}
            findings.append([f["code"], f["severity"], f["agency"], f["location"], params])
        parts["findings"] = sorted(findings, key=lambda x: json.dumps(x, sort_keys=True, default=str))
        out = {"scale": args.scale, "seconds": round(time.perf_counter() - started, 1),
               "parts": {k: {"rows": len(v), "digest": _digest(v)} for k, v in parts.items()}}
        if args.dump:
            folder = Path(args.dump)
            folder.mkdir(parents=True, exist_ok=True)
            for name, rows in parts.items():
                with open(folder / f"{name}.jsonl", "w") as fh:
                    for row in rows:
                        fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) + "\n")
        print(json.dumps(out, indent=1))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
