from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from selaras.cli import app

PB = """META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost
7;60
8;50
9;40
VOTES
voter_id;vote
1;7,9
2;7
3;8,9
4;9
"""


def pb_with(**meta: str) -> str:
    """PB with more META rows (key;value) after vote_type."""
    rows = "".join(f"{k};{v}\n" for k, v in meta.items())
    return PB.replace("vote_type;approval\n", "vote_type;approval\n" + rows, 1)


def test_pb_select_json(tmp_path: Path) -> None:
    f = tmp_path / "x.pb"
    f.write_text(PB, encoding="utf-8")
    runner = CliRunner()
    for rule in ("mes", "greedy", "greedy-cost", "phragmen", "exact"):
        res = runner.invoke(app, ["pb", "select", str(f), "--rule", rule, "--json"])
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert set(out) >= {"selected", "cost", "rule", "seconds"}
        assert out["rule"] == rule
        assert out["cost"] <= 100
    res = runner.invoke(app, ["pb", "select", str(f), "--completion", "add1", "--json"])
    assert json.loads(res.stdout)["selected"] == ["9", "7"]
    res = runner.invoke(app, ["pb", "select", str(f), "--completion", "none", "--reasons", "--json"])
    out = json.loads(res.stdout)
    assert {p["id"] for p in out["projects"]} == {"7", "8", "9"}


def test_pb_select_rejects_unknown_rule(tmp_path: Path) -> None:
    f = tmp_path / "x.pb"
    f.write_text(PB, encoding="utf-8")
    res = CliRunner().invoke(app, ["pb", "select", str(f), "--rule", "borda"])
    assert res.exit_code != 0
