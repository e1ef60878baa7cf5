"""The realisation rules of the domain: a year's financial realisation against the line's pagu."""

from __future__ import annotations

from selaras.domain.realisation import spent_over_budget


def test_the_year_is_the_sum_of_the_quarters_against_the_pagu() -> None:
    assert spent_over_budget(100, {1: 40, 2: 60}) == 0
    assert spent_over_budget(100, {1: 40, 2: 60, 3: 1}) == 1
    assert spent_over_budget(100, {1: None, 2: 0, 3: 100}) == 0  # unreported quarters count as nothing
    assert spent_over_budget(0, {1: 1}) == 1  # no pagu: nothing may be spent
    assert spent_over_budget(100, {}) == 0
    assert spent_over_budget(-5, {1: 1}) == 1
