"""Hand-computed cases of the evaluation formulas (engines/evaluation.py) and their properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selaras.domain.plans import Direction, LineLevel
from selaras.engines.evaluation import (
    AchievementState,
    Aggregation,
    E81Input,
    MultiYearInput,
    Rating,
    Target,
    achievement,
    aggregation_for_unit,
    average_achievement,
    e79_table,
    e81_table,
    money_achievement,
    multi_year_table,
    rating_of,
    year_money,
    year_value,
)

UP, DOWN, NONE = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.UNKNOWN


# ------------------------------------------------------------------------- year value


def test_additive_year_is_the_sum_of_the_quarters() -> None:
    assert year_value([D("2.5"), D("3"), None, D("4.5")], Aggregation.SUM) == D("10.0")


def test_level_year_is_the_last_reported_quarter() -> None:
    # coverage 61 %, 64 %, (Q3 not reported), 70 %: the year is 70 %, not 195 %
    assert year_value([D(61), D(64), None, D(70)], Aggregation.LAST) == D(70)
    assert year_value([D(61), D(64), None, None], Aggregation.LAST) == D(64)


def test_nothing_reported_is_none_not_zero() -> None:
    assert year_value([None] * 4, Aggregation.SUM) is None
    assert year_money([None] * 4) is None
    assert year_money([100, None, 250, 0]) == 350


@pytest.mark.parametrize(("unit", "kind"), [
    ("%", Aggregation.LAST), ("Persen", Aggregation.LAST), ("indeks", Aggregation.LAST),
    ("per 1.000 kelahiran hidup", Aggregation.LAST), ("km", Aggregation.SUM), ("unit", Aggregation.SUM),
    ("orang", Aggregation.SUM), ("dokumen", Aggregation.SUM),
])
def test_aggregation_from_the_unit(unit: str, kind: Aggregation) -> None:
    assert aggregation_for_unit(unit) is kind


# ------------------------------------------------------------------------ achievement


def test_higher_is_better() -> None:
    # 42 km built of 50 km: 84 % (high)
    a = achievement(D(42), Target.of(50), UP)
    assert a.percent == D("84.00") and a.rating is Rating.HIGH and a.state is AchievementState.OK


def test_lower_is_better() -> None:
    # stunting target 14 %, realised 16.8 %: 14 / 16.8 = 83.33 % (high)
    a = achievement(D("16.8"), Target.of(14), DOWN)
    assert a.percent == D("83.33") and a.rating is Rating.HIGH
    # better than target: 14 / 12 = 116.67 %
    assert achievement(D(12), Target.of(14), DOWN).percent == D("116.67")


def test_unknown_direction_uses_the_regulation_default() -> None:
    assert achievement(D(3), Target.of(4), NONE).percent == D("75.00")


def test_band_inside_above_and_below() -> None:
    band = Target(minimum=D("0.6"), maximum=D("1.8"))  # poverty 0.6-1.8 %
    inside = achievement(D("1.2"), band, DOWN)
    assert inside.percent == D(100) and inside.state is AchievementState.IN_BAND
    above = achievement(D("2.4"), band, DOWN)  # 1.8 / 2.4 = 75 %
    assert above.percent == D("75.00") and above.rating is Rating.MEDIUM
    better = achievement(D("0.3"), band, DOWN)  # below a lower-is-better band: met
    assert better.percent == D(100) and better.state is AchievementState.BEYOND_BAND
    # a band without direction: both sides are misses; 0.3 / 0.6 = 50 % (very low)
    low = achievement(D("0.3"), band, NONE)
    assert low.percent == D("50.00") and low.rating is Rating.VERY_LOW
    assert achievement(D("0.3"), band, Direction.WITHIN_BAND).percent == D("50.00")
    assert achievement(D("2.4"), band, Direction.WITHIN_BAND).percent == D("75.00")
    # higher is better: below the floor is a miss, above the ceiling is met
    assert achievement(D("0.45"), band, UP).percent == D("75.00")
    assert achievement(D(5), band, UP).state is AchievementState.BEYOND_BAND


def test_one_sided_band() -> None:
    floor = Target(minimum=D(80))
    assert achievement(D(90), floor, UP).percent == D(100)
    assert achievement(D(60), floor, UP).percent == D("75.00")


def test_states_without_a_ratio() -> None:
    assert achievement(D(1), Target(), UP).state is AchievementState.NO_TARGET
    assert achievement(None, Target.of(3), UP).state is AchievementState.NO_REALISATION
    zero_target = achievement(D(0), Target.of(0), UP)
    assert zero_target.percent is None and zero_target.state is AchievementState.ZERO_TARGET
    zero_deaths = achievement(D(0), Target.of(6), DOWN)  # no maternal death: target met in full
    assert zero_deaths.percent is None and zero_deaths.rating is Rating.VERY_HIGH
    negative = achievement(D(-2), Target.of(5), UP)  # negative growth
    assert negative.percent is None and negative.state is AchievementState.NEGATIVE
    assert money_achievement(10, 0).state is AchievementState.ZERO_TARGET
    assert money_achievement(None, 10).state is AchievementState.NO_REALISATION
    assert money_achievement(75, 100).percent == D("75.00")


@pytest.mark.parametrize(("value", "rating"), [
    ("100", Rating.VERY_HIGH), ("91", Rating.VERY_HIGH), ("90.99", Rating.HIGH), ("76", Rating.HIGH),
    ("75.5", Rating.MEDIUM), ("66", Rating.MEDIUM), ("65", Rating.LOW), ("51", Rating.LOW),
    ("50.99", Rating.VERY_LOW), ("50", Rating.VERY_LOW), ("0", Rating.VERY_LOW),
])
def test_rating_classes(value: str, rating: Rating) -> None:
    assert rating_of(D(value)) is rating


# ------------------------------------------------------------------------------ E.81


def _road(**kw: object) -> E81Input:
    base: dict[str, object] = dict(
        code="1.03.10.2.01.0001", name="Pembangunan jalan", indicator="Panjang jalan dibangun", unit="km",
        renstra_target=Target.of(100), renstra_budget=50_000_000_000,
        previous_years=((D(18), 9_000_000_000),),
        year_target=Target.of(20), year_budget=10_000_000_000,
        quarters_k=(D(2), D(5), D(6), D(4)), quarters_rp=(1_000_000_000, 2_500_000_000, 3_000_000_000, 2_300_000_000),
        responsible_unit="Dinas PUPR",
    )
    base.update(kw)
    return E81Input(**base)  # type: ignore[arg-type]


def test_e81_additive_row_by_hand() -> None:
    rows, total = e81_table([_road()], names={"1.03.10": "Program jalan", "1.03.10.2.01": "Kegiatan jalan"})
    assert [r.level for r in rows] == [LineLevel.PROGRAM, LineLevel.ACTIVITY, LineLevel.SUB_ACTIVITY]
    assert [r.number for r in rows] == ["1", "1.1", "1.1.1"]
    assert rows[0].name == "Program jalan"
    row = rows[2]
    assert row.k_year == D(17)  # 12 = 2+5+6+4
    assert row.rp_year == 8_800_000_000
    assert row.k_year_achievement.percent == D("85.00")  # 13 = 17/20
    assert row.rp_year_achievement.percent == D("88.00")
    assert row.k_cumulative == D(35)  # 14 = 18 + 17
    assert row.rp_cumulative == 17_800_000_000
    assert row.k_renstra_achievement.percent == D("35.00")  # 15 = 35/100
    assert row.rp_renstra_achievement.percent == D("35.60")
    # programme and activity: Rp summed, K empty
    assert rows[0].rp_year == 8_800_000_000 and rows[0].k_year is None
    assert rows[0].k_year_achievement.state is AchievementState.NO_TARGET
    assert total.rp_year_target == 10_000_000_000 and total.rp_year == 8_800_000_000


def test_e81_lower_is_better_level_row_by_hand() -> None:
    # stunting prevalence (%) per quarter; the year is the last quarter; 14 / 17.5 = 80 %
    line = _road(code="1.02.02.2.02.0001", unit="%", direction=DOWN, aggregation=Aggregation.LAST,
                 renstra_target=Target.of(10), previous_years=((D("19.0"), 1),), year_target=Target.of(14),
                 quarters_k=(D("18.5"), D("18.0"), D("17.5"), None), quarters_rp=(1, 1, 1, None))
    rows, _ = e81_table([line])
    row = rows[-1]
    assert row.k_year == D("17.5") and row.k_year_achievement.percent == D("80.00")
    assert row.k_cumulative == D("17.5")  # level: the latest value, not 19 + 17.5
    assert row.k_renstra_achievement.percent == D("57.14")  # 10 / 17.5


def test_e81_band_row() -> None:
    line = _road(unit="%", direction=DOWN, aggregation=Aggregation.LAST,
                 year_target=Target(minimum=D("0.6"), maximum=D("1.8")), quarters_k=(None, None, None, D("2.4")))
    row = e81_table([line])[0][-1]
    assert row.k_year_target == D("1.8") and row.k_year_achievement.percent == D("75.00")


def test_e81_groups_and_numbers_several_programmes() -> None:
    lines = [_road(code="1.03.10.2.01.0002"), _road(code="1.03.10.2.01.0001"), _road(code="1.02.02.2.01.0001"),
             _road(code="1.03.10.2.02.0001")]
    rows, total = e81_table(lines)
    assert [(r.number, r.code) for r in rows] == [
        ("1", "1.02.02"), ("1.1", "1.02.02.2.01"), ("1.1.1", "1.02.02.2.01.0001"),
        ("2", "1.03.10"), ("2.1", "1.03.10.2.01"), ("2.1.1", "1.03.10.2.01.0001"), ("2.1.2", "1.03.10.2.01.0002"),
        ("2.2", "1.03.10.2.02"), ("2.2.1", "1.03.10.2.02.0001"),
    ]
    assert rows[3].rp_year_target == 30_000_000_000
    assert total.rp_year == 4 * 8_800_000_000


def test_e79_one_row_per_programme_of_each_agency() -> None:
    rows, total = e79_table({"Dinas PUPR": [_road(), _road(code="1.03.10.2.01.0002")],
                             "Dinas Kesehatan": [_road(code="1.02.02.2.01.0001")]})
    assert [(r.code, r.responsible_unit) for r in rows] == [("1.03.10", "Dinas PUPR"), ("1.02.02", "Dinas Kesehatan")]
    assert rows[0].rp_year == 17_600_000_000 and total.rp_year == 26_400_000_000


# ----------------------------------------------------------------------------- E.78


def test_e78_row_by_hand() -> None:
    years = (2025, 2026, 2027, 2028, 2029)
    stunting = MultiYearInput(
        code="stunting", name="Prevalensi stunting", unit="%", years=years, direction=DOWN,
        aggregation=Aggregation.LAST, baseline=D("21.0"),
        targets={y: Target.of(v) for y, v in zip(years, ("19", "17", "15", "13", "11"), strict=True)},
        realisation={2025: D("19.0"), 2026: D("20.0")},
    )
    (row,) = multi_year_table([stunting])
    assert row.targets == (D(19), D(17), D(15), D(13), D(11))
    assert [a.percent for a in row.achievements[:2]] == [D("100.00"), D("85.00")]
    assert row.achievements[2].state is AchievementState.NO_REALISATION
    assert row.end_target == D(11) and row.end_realisation == D(20)
    assert row.end_achievement.percent == D("55.00")  # 11 / 20
    assert row.worsening  # 19 -> 20 on a lower-is-better indicator
    road = MultiYearInput(code="jalan", name="Jalan dibangun", unit="km", years=years, aggregation=Aggregation.SUM,
                          targets={y: Target.of(20) for y in years}, realisation={2025: D(18), 2026: D(22)},
                          budgets={2025: 100, 2026: 100}, spent={2025: 90, 2026: 95})
    (row,) = multi_year_table([road])
    assert row.end_target == D(100) and row.end_realisation == D(40) and row.end_achievement.percent == D("40.00")
    assert row.end_money_achievement.percent == D("92.50") and not row.worsening


def test_e78_band_row_by_hand() -> None:
    # open unemployment kept within 4.0-6.0 % each year (a band, no better side)
    years = (2025, 2026, 2027, 2028, 2029)
    band = Target(minimum=D("4.0"), maximum=D("6.0"))
    unemployment = MultiYearInput(
        code="tpt", name="Tingkat pengangguran terbuka", unit="%", years=years, direction=Direction.WITHIN_BAND,
        aggregation=Aggregation.LAST, baseline=D("7.1"), targets=dict.fromkeys(years, band),
        realisation={2025: D("5.2"), 2026: D("7.5"), 2027: D("3.2")},
    )
    (row,) = multi_year_table([unemployment])
    assert row.targets == (D(6),) * 5  # a single number column shows the band's upper end
    first, second, third = row.achievements[:3]
    assert first.percent == D(100) and first.state is AchievementState.IN_BAND
    assert second.percent == D("80.00") and second.rating is Rating.HIGH  # 6.0 / 7.5
    assert third.percent == D("80.00")  # below the band: 3.2 / 4.0
    # end of the period: the last band and the latest value (a level), 3.2 / 4.0
    assert row.end_realisation == D("3.2") and row.end_achievement.percent == D("80.00")
    # a lower-is-better band: below it is met (beyond the band), above it 6.0 / 7.5
    poverty = MultiYearInput(code="miskin", name="Kemiskinan", unit="%", years=years, direction=DOWN,
                             aggregation=Aggregation.LAST, targets=dict.fromkeys(years, band),
                             realisation={2025: D("7.5"), 2026: D("3.2")})
    (row,) = multi_year_table([poverty])
    assert [a.percent for a in row.achievements[:2]] == [D("80.00"), D(100)]
    assert row.achievements[1].state is AchievementState.BEYOND_BAND
    assert row.end_achievement.percent == D(100) and not row.worsening


# -------------------------------------------------------------------------- properties

values = st.one_of(st.none(), st.decimals(min_value=-1000, max_value=10**9, allow_nan=False, allow_infinity=False,
                                          places=4))
directions = st.sampled_from(list(Direction))
targets = st.builds(Target, value=values, minimum=values, maximum=values)


@given(values, targets, directions)
def test_achievement_is_finite_or_explained(realisation: D | None, target: Target, direction: Direction) -> None:
    result = achievement(realisation, target, direction)
    if result.percent is None:
        assert result.state not in (AchievementState.OK, AchievementState.IN_BAND)
    else:
        assert result.percent.is_finite() and result.percent >= 0
        assert result.rating is rating_of(result.percent)


@given(st.lists(values, min_size=4, max_size=4), st.sampled_from(list(Aggregation)))
def test_year_value_is_a_reported_value_or_their_sum(quarters: list[D | None], kind: Aggregation) -> None:
    result = year_value(quarters, kind)
    reported = [q for q in quarters if q is not None]
    if not reported:
        assert result is None
    elif kind is Aggregation.LAST:
        assert result == reported[-1]
    else:
        assert result == sum(reported, D(0))


@given(st.decimals(min_value=1, max_value=10**6, places=2), st.decimals(min_value=1, max_value=10**6, places=2))
def test_lower_is_better_mirrors_higher_is_better(a: D, b: D) -> None:
    up = achievement(a, Target.of(b), UP).percent
    down = achievement(b, Target.of(a), DOWN).percent
    assert up == down


@given(st.integers(min_value=-10, max_value=10**15), st.integers(min_value=-10, max_value=10**15))
def test_money_achievement_never_divides_by_zero(spent: int, budget: int) -> None:
    result = money_achievement(spent, budget)
    assert result.percent is None or result.percent.is_finite()


def test_average_achievement_caps_each_line_at_100() -> None:
    items = [achievement(D(150), Target.of(100), UP), achievement(D(40), Target.of(100), UP),
             achievement(D(0), Target.of(5), DOWN), achievement(None, Target.of(5), UP)]
    # (100 + 40 + 100) / 3 = 80
    result = average_achievement(items)
    assert result.percent == D("80.00") and result.rating is Rating.HIGH
    assert average_achievement([]).state is AchievementState.NO_REALISATION
