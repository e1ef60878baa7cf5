from __future__ import annotations

import itertools

import pytest

from selaras.engines.selection import (
    Group,
    ReasonCode,
    SelectionError,
    SelectionInstance,
    reason_text,
    select,
)


def inst(**kw: object) -> SelectionInstance:
    base: dict[str, object] = {
        "project_ids": ["a", "b", "c", "d"],
        "costs": [40, 30, 30, 20],
        "budget": 70,
        "ballots": [["a", "b"], ["a"], ["a", "c"], ["b", "c"], ["d"], ["c"]],
    }
    base.update(kw)
    return SelectionInstance.build(**base)  # type: ignore[arg-type]


def test_greedy_by_approvals_skips_what_does_not_fit() -> None:
    r = select(inst(), "greedy")
    # a: 3, c: 3, b: 2, d: 1 -> a (40), then c (30) = 70; b and d do not fit
    assert r.selected == ("a", "c")
    assert r.cost == 70
    assert r.outcomes["b"].reason.code is ReasonCode.REJECTED_BUDGET
    assert r.outcomes["a"].order == 1


def test_ties_go_to_the_smaller_id_string() -> None:
    i = SelectionInstance.build(["p10", "p9"], [5, 5], 5, [["p10"], ["p9"]])
    assert select(i, "greedy").selected == ("p10",)  # "p10" < "p9" as strings
    assert select(i, "mes").selected == ("p10",)
    assert select(i, "phragmen").selected == ("p10",)


def test_greedy_cost_prefers_cheap_support() -> None:
    r = select(inst(), "greedy-cost")
    assert r.selected[0] == "c"  # 3 approvals / 30


def test_mes_pays_from_equal_shares_and_explains() -> None:
    r = select(inst(), "mes", completion="none")
    # each of 6 voters holds 70/6; a: 3 supporters can pay 35 < 40; c: 3 supporters pay 30
    assert r.selected[0] == "c"
    why = r.outcomes["c"].reason
    assert why.code is ReasonCode.SELECTED_EQUAL_SHARES
    assert why.params["round"] == 1 and why.params["supporters"] == 3
    assert why.params["payment"] == pytest.approx(10.0)
    assert r.outcomes["a"].reason.code is ReasonCode.REJECTED_SUPPORTERS_BUDGET
    assert "Rp" in reason_text(r.outcomes["a"].reason)


def test_mes_completion_spends_the_rest() -> None:
    none = select(inst(), "mes", completion="none")
    full = select(inst(), "mes")
    assert set(none.selected) <= set(full.selected)
    assert full.cost >= none.cost
    assert full.completion == "greedy"


def test_ceiling_is_respected_and_named() -> None:
    g = Group("perangkat_daerah:01", ("a", "c"), ceiling=50)
    r = select(inst(groups=[g]), "greedy")
    assert r.selected == ("a", "b")
    why = r.outcomes["c"].reason
    assert why.code is ReasonCode.REJECTED_CEILING
    assert why.params["group"] == "perangkat_daerah:01"


def test_floor_is_filled_first() -> None:
    g = Group("kecamatan:02", ("d",), floor=20)
    r = select(inst(groups=[g]), "greedy")
    assert r.selected[0] == "d"
    assert r.outcomes["d"].reason.code is ReasonCode.SELECTED_FLOOR
    assert not r.floor_shortfalls


def test_unreachable_floor_is_reported() -> None:
    g = Group("kecamatan:02", ("d",), floor=25)
    r = select(inst(groups=[g]), "mes")
    assert [(f.group, f.floor, f.achieved) for f in r.floor_shortfalls] == [("kecamatan:02", 25, 20)]


def test_mandatory_first_and_ineligible_never() -> None:
    r = select(inst(mandatory=["d"], ineligible={"a": "di_luar_kewenangan"}), "greedy")
    assert r.selected[0] == "d"
    assert r.outcomes["d"].reason.code is ReasonCode.SELECTED_MANDATORY
    assert "a" not in r.selected
    assert r.outcomes["a"].reason.params["rule"] == "di_luar_kewenangan"


def test_mandatory_beyond_a_ceiling_is_reported() -> None:
    g = Group("sektor:x", ("a",), ceiling=10)
    r = select(inst(groups=[g], mandatory=["a"]), "greedy")
    assert "a" in r.selected and r.ceiling_violations == ("sektor:x",)


def test_exact_maximises_value_under_all_limits() -> None:
    scores = [5.0, 4.0, 4.0, 1.0]
    g = Group("kecamatan:02", ("d",), floor=20)
    i = inst(scores=scores, groups=[g])
    r = select(i, "greedy-score")
    e = select(i, "exact")
    best = 0.0
    for k in range(5):
        for combo in itertools.combinations(range(4), k):
            cost = sum([40, 30, 30, 20][j] for j in combo)
            if cost <= 70 and 3 in combo:
                best = max(best, sum(scores[j] for j in combo))
    assert e.details["solver_status"] == "Optimal"
    got = sum(scores["abcd".index(p)] for p in e.selected)
    assert got == best == 6.0
    assert "d" in e.selected and e.cost <= 70
    assert e.outcomes[e.selected[0]].reason.code is ReasonCode.SELECTED_OPTIMAL
    assert r.cost <= 70


def test_exact_reports_infeasible_floors_and_still_selects() -> None:
    g = Group("kecamatan:02", ("d",), floor=25)
    e = select(inst(scores=[1.0, 1.0, 1.0, 1.0], groups=[g]), "exact")
    assert e.details["floors_relaxed"] is True
    assert e.floor_shortfalls[0].achieved == 20


def test_add1_raises_budgets_in_units() -> None:
    r = select(inst(), "mes", completion="add1")
    assert r.cost <= 70
    assert "add1_increments" in r.details


def test_bad_input_is_refused() -> None:
    with pytest.raises(SelectionError):
        SelectionInstance.build(["a", "a"], [1, 1], 1, [])
    with pytest.raises(SelectionError):
        SelectionInstance.build(["a"], [1], 1, [["zz"]])
    with pytest.raises(SelectionError):
        SelectionInstance.build(["a"], [-1], 1, [])
    with pytest.raises(SelectionError, match="terlalu besar"):
        SelectionInstance.build(["a", "b"], [2**61, 2**61], 1, [])  # costs sum to 2^62
    with pytest.raises(SelectionError, match="terlalu besar"):
        SelectionInstance.build(["a"], [1], 1, [], groups=[Group("g", ("a",), ceiling=2**62)])
    with pytest.raises(SelectionError):
        select(inst(), "greedy", completion="add1")
    with pytest.raises(SelectionError):
        select(inst(), "greedy-score")  # no scores


def test_weights_count_as_repeated_voters() -> None:
    heavy = inst(ballots=[["a"], ["b"]], weights=[3, 1])
    plain = inst(ballots=[["a"], ["a"], ["a"], ["b"]])
    for rule in ("greedy", "mes", "phragmen"):
        assert select(heavy, rule).selected == select(plain, rule).selected


def test_result_as_dict_is_json_ready() -> None:
    import json

    d = select(inst(), "mes").as_dict()
    text = json.dumps(d)
    assert '"selected"' in text and len(d["projects"]) == 4  # type: ignore[arg-type]
