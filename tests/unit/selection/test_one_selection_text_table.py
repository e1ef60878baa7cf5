"""Each selection option is described once, in the lowest layer that needs it: rules and
completions in `domain.selection`, named Equal Shares variants and tie-break criteria in
`engines.selection.variants`. The command line, the web pages and the job page's step say those
words; the copies they kept disagreed ('menurut urutan dukungan' and 'menurut jumlah pendukung';
'equalshares-2023' said filled in one, not in the other; the web form named a site and a city in
its labels, and the job page read '... (Exact Equal Shares)')."""

from __future__ import annotations

import re

import pytest

from selaras.cli import _selection_texts as cli_texts
from selaras.domain.selection import (
    COMPLETION_TEXTS,
    LEFTOVER_FILLED,
    LEFTOVER_KEPT,
    RULE_NAMES,
    RULE_TEXTS,
    Completion,
    Rule,
)
from selaras.engines.selection.ties import tie_text
from selaras.engines.selection.variants import (
    PRESET_TEXTS,
    PRESETS,
    TIE_CRITERIA,
    TIE_TEXTS,
    MesOptions,
)

#: a second way of saying the leftover's filling, or a site or city named in a label
OTHER_WORDS = re.compile(r"urutan dukungan|jumlah pendukung|equalshares\.net|situs|Assen|\bkota\b|(?-i:Seperti)|"
                         r"Equal Shares|greedy|tambah-", re.IGNORECASE)


def test_the_command_line_says_the_one_table() -> None:
    assert cli_texts.RULE_NAMES is RULE_NAMES and cli_texts.RULE_TEXTS is RULE_TEXTS
    assert cli_texts.COMPLETION_TEXTS is COMPLETION_TEXTS and cli_texts.PRESET_TEXTS is PRESET_TEXTS


def test_the_web_labels_are_the_one_table() -> None:
    from selaras.web.selection.forms import RunForm
    from selaras.web.selection.models import COMPLETION_LABELS, RULE_LABELS
    from selaras.web.selection.parameters import PRESET_LABELS

    assert PRESET_LABELS is PRESET_TEXTS
    assert set(RULE_LABELS) == set(RULE_NAMES) == {r.value for r in Rule}
    for rule, name in RULE_NAMES.items():
        assert RULE_LABELS[rule] == name[0].upper() + name[1:]
    assert set(COMPLETION_LABELS) == set(COMPLETION_TEXTS) == {c.value for c in Completion}
    for completion, text in COMPLETION_TEXTS.items():
        assert COMPLETION_LABELS[completion] == text[0].upper() + text[1:]
    form = RunForm()
    shown = dict(form.fields["preset"].choices)  # type: ignore[attr-defined]
    assert {key: shown[key] for key in PRESETS} == PRESET_TEXTS
    for label in [*shown.values(), *dict(form.fields["rule"].choices).values(),  # type: ignore[attr-defined]
                  *dict(form.fields["completion"].choices).values()]:  # type: ignore[attr-defined]
        assert not OTHER_WORDS.search(label), label


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_variant_says_what_its_options_do(name: str) -> None:
    options, text = PRESETS[name], PRESET_TEXTS[name]
    assert not OTHER_WORDS.search(text), text
    filled = options.final_greedy
    assert (LEFTOVER_FILLED in text) is filled and (LEFTOVER_KEPT in text) is (not filled), text
    assert ("dibulatkan" in text) is options.integral_start
    assert ("melampaui anggaran" in text) is (options.add1_stop.value == "overspend")
    assert ("titik terbaik" in text) is (options.completion is Completion.ADD_OPT)
    assert ("pendukungnya lebih banyak" in text) is ("votes" in options.tie_breaking)
    assert LEFTOVER_FILLED in options.describe() if filled else LEFTOVER_KEPT in options.describe()


def test_equalshares_2023_fills_the_leftover() -> None:
    assert PRESETS["equalshares-2023"].final_greedy
    assert f"lalu {LEFTOVER_FILLED}" in PRESET_TEXTS["equalshares-2023"]


@pytest.mark.parametrize("completion", list(Completion))
def test_completion_words_are_said_one_way(completion: Completion) -> None:
    text = COMPLETION_TEXTS[completion.value]
    assert not OTHER_WORDS.search(text), text
    if completion is not Completion.NONE:  # every completion without a named variant fills the leftover
        assert text.endswith(LEFTOVER_FILLED), text
    assert not OTHER_WORDS.search(MesOptions(completion=completion).describe())


def test_rule_words_name_no_english_rule() -> None:
    for rule in Rule:
        assert RULE_TEXTS[rule.value].startswith(RULE_NAMES[rule.value])
        assert not OTHER_WORDS.search(RULE_NAMES[rule.value] + RULE_TEXTS[rule.value])


@pytest.mark.parametrize("criterion", [c for c in TIE_CRITERIA if c != "id"])
def test_tie_order_is_said_alike_in_the_description_and_the_result(criterion: str) -> None:
    options = MesOptions(completion=Completion.ADD1, tie_breaking=(criterion,), tie_order=("9",))
    for said in (options.describe(), tie_text(options)):
        assert f"didahulukan {TIE_TEXTS[criterion]}, lalu {TIE_TEXTS['id']}" in said, said


def test_a_run_of_a_variant_that_keeps_the_leftover_says_so() -> None:
    from selaras.web.selection.models import SelectionRun

    for name in ("assen", "ees-add-opt"):
        options = PRESETS[name]
        run = SelectionRun(rule="mes", completion=options.completion.value,
                           parameters={"mes_options": options.as_dict()})
        assert run.completion_label.endswith(LEFTOVER_KEPT), run.completion_label
    plain = SelectionRun(rule="mes", completion="add1", parameters={})
    assert plain.completion_label.endswith(LEFTOVER_FILLED) and plain.rule_label == "Metode Bagi Rata"
    assert SelectionRun(rule="mes", completion="", parameters={}).completion_label == ""
