"""What `selaras pb select --json` says about the variant it ran ("variant", "official.why") and the
tie-break sentence every result records are planner words: no research library ("pabutools",
"lexico_tie_breaking"), no option value ("Add1", "add-opt", "seri: votes, cost, id"), no English
rule name. The keys, the option values and the JSON field names stay as they were."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selaras.cli import app
from selaras.engines.selection import TIE_BREAKING
from selaras.engines.selection.variants import PRESET_TEXTS, PRESETS, MesOptions, official_variant
from tests.unit.selection.test_cli_pb import pb_with

#: words a planner does not read: library, option values, English names
JARGON = re.compile(r"pabutools|lexico|equalshares|add1|add-opt|greedy|seri:|votes|\bcost\b|\bid\b|string|"
                    r"rasional|tie|preset", re.IGNORECASE)


def _plain(text: str) -> None:
    assert text and not JARGON.search(text), text


def test_tie_breaking_sentence_is_plain() -> None:
    _plain(TIE_BREAKING)
    assert "sama kuat" in TIE_BREAKING and "eksak" in TIE_BREAKING


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_texts_and_descriptions_are_plain(name: str) -> None:
    _plain(PRESET_TEXTS[name])
    _plain(PRESETS[name].describe())


@pytest.mark.parametrize("options", [
    MesOptions(completion="add1", comparison="satisfaction", tie_breaking=("votes", "cost-desc")),  # type: ignore[arg-type]
    MesOptions(completion="add1", add1_stop="overspend", integral_start=True, final_greedy=False,  # type: ignore[arg-type]
               comparison="exclusion", tie_breaking=("number", "list"), tie_order=("9",)),
    MesOptions(completion="add-opt", max_seconds=120, final_greedy=False),  # type: ignore[arg-type]
    MesOptions(completion="none"),  # type: ignore[arg-type]
    MesOptions(),
])
def test_every_description_is_plain(options: MesOptions) -> None:
    _plain(options.describe())


def test_equalshares_ties_are_said_in_words() -> None:
    text = PRESETS["equalshares"].describe()
    assert "bila sama kuat, didahulukan yang pendukungnya lebih banyak, lalu yang lebih murah" in text


@pytest.mark.parametrize(("meta", "preset"), [
    ({"rule": "greedy"}, None),
    ({"rule": "equalshares/add1", "date_end": "2024-05-01"}, "pabutools"),
    ({"rule": "equalshares/add1", "date_end": "01.03.2022"}, "equalshares-2023"),
    ({"rule": "equalshares/add1", "unit": "Assen", "date_end": "2024-05-01"}, "assen"),
])
def test_official_variant_reason_is_plain(meta: dict[str, str], preset: str | None) -> None:
    found = official_variant(meta)
    assert (found.options.preset if found.options else None) == preset
    _plain(found.why)


def test_pb_select_json_keeps_its_fields_and_speaks_plainly(tmp_path: Path) -> None:
    path = tmp_path / "x.pb"
    path.write_text(pb_with(rule="equalshares/add1", date_end="2024-05-01", unit="Kota"), encoding="utf-8")
    result = CliRunner().invoke(app, ["pb", "select", str(path), "--official", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"selected", "cost", "rule", "options", "variant", "official"} <= set(payload)
    assert payload["official"]["preset"] == "pabutools" and payload["options"]["tie_breaking"] == ["id"]
    _plain(payload["variant"])
    _plain(payload["official"]["why"])
    for name in ("equalshares", "assen"):
        result = CliRunner().invoke(app, ["pb", "select", str(path), "--preset", name, "--json"])
        assert result.exit_code == 0, result.output
        payload = json.loads(result.output)
        assert payload["options"]["tie_breaking"] == ["votes", "cost"]
        _plain(payload["variant"])


@pytest.mark.parametrize("options", [
    MesOptions(completion="add1", tie_breaking=("votes", "cost", "id")),  # type: ignore[arg-type]
    MesOptions(completion="add1", tie_breaking=("number", "list"), tie_order=("9",)),  # type: ignore[arg-type]
])
def test_a_given_tie_order_is_stated_plainly(options: MesOptions) -> None:
    from selaras.engines.selection.ties import tie_text

    _plain(tie_text(options))


def test_a_run_stored_before_reads_the_plain_sentence() -> None:
    from selaras.engines.selection.engine import TIE_BREAKING_BEFORE
    from selaras.web.selection.selectors import tie_breaking_text

    assert tie_breaking_text({"tie_breaking": TIE_BREAKING_BEFORE}) == TIE_BREAKING
    assert tie_breaking_text({"tie_breaking": TIE_BREAKING}) == TIE_BREAKING


#: the sentence a run with a named variant recorded before December 2026, and its criteria
OLD_TIE_SENTENCES = [
    ("Seri diputus menurut pendukung terbanyak, lalu biaya termurah, lalu id proyek (urutan string); "
     "keputusan dibandingkan secara eksak (pecahan rasional).", ("votes", "cost", "id")),
    ("Seri diputus menurut biaya termahal, lalu nomor proyek (sebagai angka), lalu urutan yang diberikan, "
     "lalu id proyek (urutan string); keputusan dibandingkan secara eksak (pecahan rasional).",
     ("cost-desc", "number", "list", "id")),
    # the wording of the first hours of December 7, 2026
    ("Bila dua usulan sama kuat, didahulukan menurut pendukung terbanyak, lalu biaya termurah, lalu kode usulan "
     "menurut urutan huruf dan angka; perbandingan dihitung eksak, tanpa pembulatan.", ("votes", "cost", "id")),
]


@pytest.mark.parametrize(("stored", "criteria"), OLD_TIE_SENTENCES)
def test_a_run_stored_with_a_variant_reads_todays_sentence(stored: str, criteria: tuple[str, ...]) -> None:
    from selaras.engines.selection.ties import tie_text
    from selaras.web.selection.selectors import tie_breaking_text

    today = tie_text(MesOptions(tie_breaking=criteria, tie_order=("9",) if "list" in criteria else ()))
    shown = tie_breaking_text({"tie_breaking": stored})
    assert shown == today
    _plain(shown)
    assert tie_breaking_text({"tie_breaking": today}) == today


def test_equalshares_run_stored_before_reads_in_words() -> None:
    from selaras.web.selection.selectors import tie_breaking_text

    assert tie_breaking_text({"tie_breaking": OLD_TIE_SENTENCES[0][0]}) == (
        "Bila dua usulan sama kuat, didahulukan yang pendukungnya lebih banyak, lalu yang lebih murah, lalu yang "
        "kodenya lebih dahulu menurut urutan huruf dan angka; perbandingan dihitung eksak, tanpa pembulatan.")


@pytest.mark.parametrize("stored", [
    "Seri diputus menurut bulan purnama; keputusan dibandingkan secara eksak (pecahan rasional).",
    "Seri diputus menurut pendukung terbanyak",
    "",
    "Catatan lain.",
])
def test_an_unknown_tie_sentence_is_shown_as_it_was_stored(stored: str) -> None:
    from selaras.web.selection.selectors import tie_breaking_text

    assert tie_breaking_text({"tie_breaking": stored}) == stored


def test_the_default_order_is_the_sentence_every_rule_records() -> None:
    from selaras.engines.selection.ties import tie_sentence

    assert tie_sentence(("id",)) == TIE_BREAKING
