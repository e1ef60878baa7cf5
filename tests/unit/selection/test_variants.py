"""Equal Shares variants (MesOptions): one test per option on small hand-made instances, the
presets, and the official outcomes of Świecie 2023 and Assen 2024 reproduced by `--official`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selaras.cli import app
from selaras.engines.selection import SelectionInstance, select
from selaras.engines.selection.variants import PRESETS, MesOptions, official_variant, preset
from tests.pabulib_corpus import CORPUS, unpack

STOP = SelectionInstance.build(
    ["a", "b", "c", "d", "e"], [10, 2, 2, 10, 9], 26,
    [["b", "e", "d", "c"], ["e", "a"], ["d", "c", "b", "a"], ["a", "e", "b", "d", "c"], ["b"],
     ["a", "d", "e", "b", "c"]],
)


def test_options_round_trip_and_validation() -> None:
    for name, opts in PRESETS.items():
        back = MesOptions.from_dict(opts.as_dict())
        assert back == opts and back.preset == name
        assert opts.describe()
    assert preset("assen", increment=5).increment == 5
    with pytest.raises(ValueError):
        MesOptions(increment=0)
    with pytest.raises(ValueError):
        MesOptions(tie_breaking=("luck",))
    with pytest.raises(ValueError):
        MesOptions(tie_breaking=("list",))
    with pytest.raises(ValueError):
        MesOptions.from_dict({"colour": "red"})
    with pytest.raises(ValueError):
        preset("nowhere")


def test_default_options_are_the_old_behaviour() -> None:
    for completion in ("none", "greedy", "add1"):
        old = select(STOP, "mes", completion=completion)
        new = select(STOP, "mes", options=MesOptions(completion=completion))  # type: ignore[arg-type]
        assert old.selected == new.selected
        assert new.details["mes_options"] == MesOptions(completion=completion).as_dict()  # type: ignore[arg-type]


def test_add1_stop_rule_exhaustive_versus_overspend() -> None:
    ex = select(STOP, "mes", options=MesOptions(completion="add1", final_greedy=False))  # type: ignore[arg-type]
    ov = select(STOP, "mes", options=MesOptions(completion="add1", add1_stop="overspend", final_greedy=False))  # type: ignore[arg-type]
    assert ex.selected == ("b", "a", "c", "e") and ex.details["add1_stopped"] == "exhaustive"
    assert ov.selected == ("b", "a", "c", "d") and ov.details["add1_stopped"] == "overspend"
    assert ex.details["add1_increments"] == 1 and ov.details["add1_increments"] == 2


def test_final_greedy_integral_start_and_increment() -> None:
    inst = SelectionInstance.build(["x", "y", "z"], [6, 5, 1], 10, [["x"], ["x"], ["y"], ["z"]])
    # shares 2.5: nobody affords anything but z; greedy then takes x (2 supporters)
    none = select(inst, "mes", options=MesOptions(completion="none"))  # type: ignore[arg-type]
    greedy = select(inst, "mes", options=MesOptions(completion="greedy"))  # type: ignore[arg-type]
    assert none.selected == ("z",) and greedy.selected == ("z", "x")
    # integral start: floor(10 / 4) = 2 per voter; increments of 1 and of 3
    one = select(inst, "mes", options=MesOptions(completion="add1", integral_start=True, final_greedy=False))  # type: ignore[arg-type]
    assert one.details["per_voter_budget"] in (2.0, 3.0)
    three = select(inst, "mes", options=MesOptions(completion="add1", integral_start=True, increment=3, final_greedy=False))  # type: ignore[arg-type]
    assert (three.details["per_voter_budget"] - 2.0) % 3 == 0
    for r in (one, three):
        assert r.cost <= 10


def test_comparison_step_switches_and_reports_counts() -> None:
    inst = SelectionInstance.build(["a", "b", "c", "d"], [12, 8, 5, 12], 15, [["c"], ["a"], ["a"]])
    kept = select(inst, "mes", options=MesOptions(completion="none"))  # type: ignore[arg-type]
    assert kept.selected == ("c",)
    for how in ("exclusion", "satisfaction"):
        r = select(inst, "mes", options=MesOptions(completion="none", comparison=how))  # type: ignore[arg-type]
        assert r.selected == ("a",)
        assert r.details["comparison"] == {
            "by": how, "prefer_equal_shares": 1, "prefer_greedy": 2, "switched_to_greedy": True,
        }
    # more voters behind c: equal shares is kept, counts still reported
    inst2 = SelectionInstance.build(["a", "c"], [12, 5], 15, [["c"], ["c"], ["c"], ["a"], ["a"]])
    r2 = select(inst2, "mes", options=MesOptions(completion="none", comparison="satisfaction"))  # type: ignore[arg-type]
    g2 = select(inst2, "greedy")
    assert r2.details["comparison"]["switched_to_greedy"] is False  # type: ignore[index]
    assert r2.details["comparison"]["prefer_equal_shares"] >= r2.details["comparison"]["prefer_greedy"]  # type: ignore[index]
    assert set(r2.selected) != set(g2.selected) or r2.details["comparison"]["prefer_greedy"] == 0  # type: ignore[index]


def test_tie_breaking_orders() -> None:
    # two projects of the same price for the same single voter: ties decide alone
    inst = SelectionInstance.build(["10", "9", "b"], [5, 5, 4], 5, [["10", "9", "b"]])
    assert select(inst, "mes", options=MesOptions(completion="none")).selected == ("10",)  # type: ignore[arg-type]
    by_number = select(inst, "mes", options=MesOptions(completion="none", tie_breaking=("number",)))  # type: ignore[arg-type]
    assert by_number.selected == ("9",)
    assert "angka" in by_number.tie_breaking
    cheap = select(inst, "mes", options=MesOptions(completion="none", tie_breaking=("cost",)))  # type: ignore[arg-type]
    assert cheap.selected == ("b",)
    listed = select(inst, "mes", options=MesOptions(completion="none", tie_breaking=("list",), tie_order=("b", "9")))  # type: ignore[arg-type]
    assert listed.selected == ("b",)
    assert list(listed.outcomes) == ["10", "9", "b"]  # outcomes stay in id order


def test_official_variant_from_metadata() -> None:
    assert official_variant({"rule": "greedy"}).rule == "greedy"
    early = official_variant({"rule": "equalshares/add1", "date_end": "01.06.2023"})
    assert early.options is not None and early.options.add1_stop == "overspend"
    late = official_variant({"rule": "equalshares/add1", "date_end": "25.09.2023"})
    assert late.options is not None and late.options.add1_stop == "exhaustive-or-overspend"
    for meta in ({"rule": "greedy-no-skip"}, {"rule": "unknown"}, {}, {"rule": "equalshares/add1"}):
        with pytest.raises(ValueError):
            official_variant(meta)


@pytest.mark.parametrize("name", ["Poland_Swiecie_2023", "Netherlands_Assen_2024"])
def test_official_outcomes_reproduced(name: str, tmp_path: Path) -> None:
    from selaras.formats.pabulib import read_pb

    path = unpack(CORPUS / f"{name}.pb.xz", tmp_path)
    election = read_pb(path)
    official = sorted(r["project_id"] for r in election.projects if r.get("selected", "").strip() == "1")
    res = CliRunner().invoke(app, ["pb", "select", str(path), "--official", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert sorted(out["selected"]) == official
    assert out["official"]["meta_rule"] == "equalshares/add1"
    assert out["official"]["preset"] == ("assen" if "Assen" in name else "pabutools")


def test_official_refuses_what_it_cannot_reproduce(tmp_path: Path) -> None:
    f = tmp_path / "x.pb"
    f.write_text("META\nkey;value\nbudget;10\nrule;greedy-threshold\nPROJECTS\nproject_id;cost\n1;5\n"
                 "VOTES\nvoter_id;vote\n1;1\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["pb", "select", str(f), "--official", "--json"])
    assert res.exit_code == 2
    assert "greedy-threshold" in res.output


def test_cli_rule_ees_add_opt(tmp_path: Path) -> None:
    path = unpack(CORPUS / "Netherlands_Assen_2024.pb.xz", tmp_path)
    res = CliRunner().invoke(app, ["pb", "select", str(path), "--rule", "ees", "--completion", "add-opt", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["rule"] == "ees" and out["completion"] == "add-opt"
    assert out["cost"] <= 100000 and out["details"]["add_opt_stopped"] in ("overspend", "no_change")
    bad = CliRunner().invoke(app, ["pb", "select", str(path), "--rule", "mes", "--completion", "add-opt"])
    assert bad.exit_code == 2


def test_tie_breaking_by_votes_and_by_dearer_cost() -> None:
    # approval utility: a (2, one supporter) and b (4, two supporters) both cost each payer 2
    inst = SelectionInstance.build(["a", "b"], [2, 4], 4, [["a", "b"], ["b"]])
    def run(*crit: str) -> tuple[str, ...]:
        opts = MesOptions(completion="none", utility="approval", tie_breaking=crit)  # type: ignore[arg-type]
        return select(inst, "mes", options=opts).selected
    assert run("id") == ("a",)  # a first; its supporter has nothing left for b
    assert run("votes") == ("b",)  # more supporters first
    assert run("cost-desc") == ("b",)  # dearer first
    assert run("cost") == ("a",)  # cheaper first
