"""The README's command list cannot drift from the real command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selaras.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def _documented_commands() -> list[list[str]]:
    section = README.read_text(encoding="utf-8").split("## Command line", 1)[1].split("```")[1]
    commands = []
    for line in section.splitlines():
        if not line.startswith("selaras "):
            continue
        words = line.split()[1:]
        path = [w for w in words[:2] if re.fullmatch(r"[a-z]+", w)]
        commands.append(path)
    return commands


def test_readme_lists_commands():
    assert len(_documented_commands()) >= 8


@pytest.mark.parametrize("path", _documented_commands(), ids=" ".join)
def test_documented_command_exists(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "No such command" not in result.output
