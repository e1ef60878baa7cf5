"""The selection options of the command line speak to planners: every rule, completion and named
Equal Shares variant is described in Bahasa Indonesia by what it does; the research library the
variants were compared with is named in docs/selection.md, never in a help text (its name stays
only as the value typed, `--preset pabutools`, unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from selaras.cli import app, pb
from selaras.cli._selection_texts import COMPLETION_TEXTS, PRESET_TEXTS, RULE_NAMES, RULE_TEXTS
from selaras.domain.selection import Completion, Rule
from selaras.engines.selection.variants import PRESETS
from tests.unit.selection.test_cli_pb import PB


def _help(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "240", "TERMINAL_WIDTH": "240"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.replace("│", " ").split())


def test_every_value_has_planner_words() -> None:
    assert set(PRESET_TEXTS) == set(PRESETS)
    assert set(RULE_TEXTS) == set(RULE_NAMES) >= {r.value for r in Rule} | set(pb.RULES)
    assert set(COMPLETION_TEXTS) == {c.value for c in Completion} >= set(pb.COMPLETIONS)


@pytest.mark.parametrize("command", [("pb", "select"), ("select", "run")], ids=" ".join)
def test_selection_help_describes_each_option_without_naming_the_library(command: tuple[str, ...]) -> None:
    text = _help(*command)
    for key, words in PRESET_TEXTS.items():
        assert f"{key} = {words}" in text, key
    assert f"mes = {RULE_TEXTS['mes']}" in text and f"greedy = {COMPLETION_TEXTS['greedy']}" in text
    # the preset's name is a value to type, nothing more: no library, version or English variant name
    assert "pabutools" not in text.replace("pabutools = ", ""), text
    for jargon in ("1.2.3", "Equal Shares bernama", "Seperti pabutools"):
        assert jargon not in text


def test_pb_select_says_what_it_ran_in_planner_words(tmp_path: Path) -> None:
    path = tmp_path / "x.pb"
    path.write_text(PB, encoding="utf-8")
    result = CliRunner().invoke(app, ["pb", "select", str(path), "--preset", "pabutools"])
    assert result.exit_code == 0, result.output
    assert "Aturan: Metode Bagi Rata (mes)" in result.output
    assert f"Varian: {PRESET_TEXTS['pabutools']}" in result.output
    assert "pabutools" not in result.output
