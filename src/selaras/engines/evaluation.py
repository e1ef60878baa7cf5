"""Evaluation (monev) of plan results: the roll-up formulas and the tables E.78–E.81.

Pure: dataclasses in, rows out; no database, no Django. The web app (`selaras.web.evaluation`)
builds the inputs from the stored plans and realisation, H-DOCS renders the same rows into the
official Excel/PDF layouts (Permendagri 86/2017, annex E).

Numbers: performance values (K, *kinerja*) are `Decimal` in the indicator's unit; money (Rp) is
`int` rupiah; an achievement is a `Decimal` percent rounded to two places (ROUND_HALF_UP). No
function here returns NaN or infinity: a ratio that cannot be computed gives `percent=None` with
an `AchievementState` saying why.

The formulas
------------
**Year value** (`year_value`): an additive indicator (`Aggregation.SUM`: km of road built,
people trained) is the sum of the quarters reported; a percentage, rate or level indicator
(`Aggregation.LAST`: coverage %, stunting prevalence, an index) is the last value reported in
the year (the value is already cumulative). Money is always the sum of the quarters.
`aggregation_for_unit` guesses the kind from the unit ("%", "indeks", "per 1.000 …" are levels).

**Achievement** (`achievement`):

- higher is better: realisation / target × 100;
- lower is better (stunting, poverty, maternal mortality): target / realisation × 100;
- no direction known: treated as higher is better (the regulation's default formula);
- a *band* target (`Target.minimum`/`Target.maximum`, e.g. poverty 0.6–1.8 %): a value inside
  the band scores 100. Outside it, on a side that the direction calls bad (either side when the
  direction is `WITHIN_BAND` or unknown), it scores against the nearer edge: below the band realisation / minimum
  × 100, above it maximum / realisation × 100. Outside on the good side (poverty *below* a
  lower-is-better band, coverage *above* a higher-is-better band) it scores 100: the band is met
  and doing better is not penalised (state `BEYOND_BAND`, so a page can say so).
- a one-sided band (only minimum, or only maximum) is a floor or a ceiling: meeting it scores 100,
  missing it scores the ratio to the edge as above.

Cases that have no ratio, with their state: no target (`NO_TARGET`), nothing reported
(`NO_REALISATION`), a target of 0 for higher is better (`ZERO_TARGET`), a realisation of 0 for
lower is better (`ZERO_REALISATION`: the target is met in full, rated *very high* although the
ratio is undefined), a negative value in a ratio (`NEGATIVE`: e.g. a negative growth rate;
a ratio of signed values means nothing).

**Rating classes** (`rating_of`): very high ≥ 91 %, high 76–90 %, medium 66–75 %, low 51–65 %,
very low ≤ 50 %. Percents between the printed classes (90.5) belong to the lower class: the
thresholds are 91, 76, 66 and 51.

**E.81** (`e81_table`, Renja of an agency, one year Y): col 5 Renstra target at the end of the
period; col 6 realisation of the Renstra in the years before Y (the regulation's "up to n-2" when
Y = n-1); col 7 the Renja target of Y; cols 8–11 the quarters; col 12 the year value (above);
col 13 = 12 / 7 (achievement rules above; Rp always realisation / budget); col 14 = 6 + 12 for
additive K and Rp, the latest known value for level K; col 15 = 14 / 5. Programme and activity
rows carry the Rp sums of their sub-activities; their K columns stay empty unless given.

**E.79** (`e79_table`): the same columns per programme of each agency for the RKPD year (rows
built with `rollup` from the E.81 inputs of all agencies). **E.80 / E.78** (`multi_year_table`):
per indicator (or Renstra line) the baseline, targets and realisation of years 1–5, the
achievement of each year and at the end of the period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from selaras.domain.plans import Direction, LineLevel

__all__ = [
    "Achievement",
    "AchievementState",
    "Aggregation",
    "E81Input",
    "E81Row",
    "MultiYearInput",
    "MultiYearRow",
    "Rating",
    "RATING_LABELS",
    "Target",
    "achievement",
    "aggregation_for_unit",
    "average_achievement",
    "cumulative_value",
    "e79_table",
    "e81_row",
    "e81_table",
    "money_achievement",
    "multi_year_table",
    "percent",
    "period_target",
    "rating_of",
    "rollup",
    "year_money",
    "year_value",
]

HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


class Aggregation(StrEnum):
    """How quarterly (or yearly) values of an indicator roll up."""

    SUM = "sum"  # additive: the year is the sum of its quarters
    LAST = "last"  # percentage, rate, level or end value: the latest value reported


class AchievementState(StrEnum):
    OK = "ok"
    IN_BAND = "in_band"
    BEYOND_BAND = "beyond_band"  # outside the band on the good side: scored 100
    NO_TARGET = "no_target"
    NO_REALISATION = "no_realisation"
    ZERO_TARGET = "zero_target"
    ZERO_REALISATION = "zero_realisation"
    NEGATIVE = "negative"


class Rating(StrEnum):
    """Tingkat capaian (kriteria penilaian)."""

    VERY_HIGH = "very_high"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    VERY_LOW = "very_low"


RATING_LABELS: dict[Rating, str] = {
    Rating.VERY_HIGH: "Sangat tinggi",
    Rating.HIGH: "Tinggi",
    Rating.MEDIUM: "Sedang",
    Rating.LOW: "Rendah",
    Rating.VERY_LOW: "Sangat rendah",
}

#: Lower bound (inclusive) of each class, best first.
RATING_THRESHOLDS: tuple[tuple[Decimal, Rating], ...] = (
    (Decimal(91), Rating.VERY_HIGH),
    (Decimal(76), Rating.HIGH),
    (Decimal(66), Rating.MEDIUM),
    (Decimal(51), Rating.LOW),
)

#: Units whose values are levels (percentages, rates, indices), not amounts that add up.
_LEVEL_UNITS = ("%", "persen", "indeks", "index", "nilai", "skor", "poin", "rasio", "predikat", "per 1", "per 100",
                "tahun", "opini", "peringkat", "kategori", "level")


@dataclass(frozen=True, slots=True)
class Target:
    """A target: one value, or a band (`minimum`..`maximum`, either end may be open)."""

    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def is_band(self) -> bool:
        return self.minimum is not None or self.maximum is not None

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.is_band

    @classmethod
    def of(cls, value: Decimal | int | str | None) -> Target:
        return cls(value=None if value is None else Decimal(value))


@dataclass(frozen=True, slots=True)
class Achievement:
    """An achievement percent (None when it cannot be computed), why, and its rating class."""

    percent: Decimal | None
    state: AchievementState
    rating: Rating | None

    @property
    def rating_label(self) -> str:
        return RATING_LABELS[self.rating] if self.rating else ""


def percent(numerator: Decimal | int, denominator: Decimal | int) -> Decimal:
    """numerator / denominator × 100, rounded to 0.01 (the caller guarantees denominator ≠ 0)."""
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)


def rating_of(value: Decimal | None) -> Rating | None:
    """The class of an achievement percent (None for None)."""
    if value is None:
        return None
    for bound, rating in RATING_THRESHOLDS:
        if value >= bound:
            return rating
    return Rating.VERY_LOW


def _result(value: Decimal | None, state: AchievementState = AchievementState.OK) -> Achievement:
    return Achievement(value, state, rating_of(value))


def _none(state: AchievementState) -> Achievement:
    rating = Rating.VERY_HIGH if state is AchievementState.ZERO_REALISATION else None
    return Achievement(None, state, rating)


def aggregation_for_unit(unit: str) -> Aggregation:
    """`LAST` for units of levels (%, indeks, per 1.000 …), `SUM` for amounts (km, unit, orang …)."""
    text = unit.strip().lower()
    if any(word in text for word in _LEVEL_UNITS):
        return Aggregation.LAST
    return Aggregation.SUM


def year_value(quarters: Sequence[Decimal | None], aggregation: Aggregation) -> Decimal | None:
    """The year's value from its quarters (None where a quarter is not reported).

    SUM: the sum of the reported quarters; LAST: the value of the last reported quarter.
    None when no quarter is reported.
    """
    reported = [q for q in quarters if q is not None]
    if not reported:
        return None
    if aggregation is Aggregation.SUM:
        return sum(reported, Decimal(0))
    return reported[-1]


def year_money(quarters: Sequence[int | None]) -> int | None:
    """Rp spent in the year: the sum of the reported quarters (None when none is reported)."""
    reported = [q for q in quarters if q is not None]
    return sum(reported) if reported else None


def cumulative_value(values: Iterable[Decimal | None], aggregation: Aggregation) -> Decimal | None:
    """Several periods rolled into one: the sum (SUM) or the latest known value (LAST)."""
    return year_value(list(values), aggregation)


def period_target(yearly: Sequence[Decimal | None], aggregation: Aggregation) -> Decimal | None:
    """Target at the end of a plan period from its yearly targets (sum, or the last year's)."""
    return year_value(list(yearly), aggregation)


def achievement(realisation: Decimal | None, target: Target, direction: Direction | str) -> Achievement:
    """The achievement of `realisation` against `target` (see the module docstring)."""
    direction = Direction(direction) if direction in Direction._value2member_map_ else Direction.UNKNOWN
    if target.is_empty:
        return _none(AchievementState.NO_TARGET)
    if realisation is None:
        return _none(AchievementState.NO_REALISATION)
    if target.is_band:
        return _band(realisation, target, direction)
    assert target.value is not None
    goal = target.value
    if realisation < 0 or goal < 0:
        return _none(AchievementState.NEGATIVE)
    if direction is Direction.LOWER_IS_BETTER:
        if realisation == 0:
            return _none(AchievementState.ZERO_REALISATION)
        return _result(percent(goal, realisation))
    if goal == 0:
        return _none(AchievementState.ZERO_TARGET)
    return _result(percent(realisation, goal))


def _band(realisation: Decimal, target: Target, direction: Direction) -> Achievement:
    low, high = target.minimum, target.maximum
    if realisation < 0 or (low is not None and low < 0) or (high is not None and high < 0):
        return _none(AchievementState.NEGATIVE)
    below = low is not None and realisation < low
    above = high is not None and realisation > high
    if not below and not above:
        return _result(HUNDRED, AchievementState.IN_BAND)
    bad_below = direction is not Direction.LOWER_IS_BETTER
    bad_above = direction is not Direction.HIGHER_IS_BETTER
    if below and not bad_below or above and not bad_above:
        return _result(HUNDRED, AchievementState.BEYOND_BAND)
    if below:
        assert low is not None
        if low == 0:  # pragma: no cover - realisation < 0 is refused above
            return _none(AchievementState.ZERO_TARGET)
        return _result(percent(realisation, low))
    assert high is not None
    if realisation == 0:  # pragma: no cover - 0 > high needs a negative high, refused above
        return _none(AchievementState.ZERO_REALISATION)
    return _result(percent(high, realisation))


def money_achievement(spent: int | None, budget: int | None) -> Achievement:
    """Financial achievement: Rp spent / Rp budgeted × 100 (higher is better)."""
    if budget is None:
        return _none(AchievementState.NO_TARGET)
    if spent is None:
        return _none(AchievementState.NO_REALISATION)
    if spent < 0 or budget < 0:
        return _none(AchievementState.NEGATIVE)
    if budget == 0:
        return _none(AchievementState.ZERO_TARGET)
    return _result(percent(spent, budget))


def average_achievement(items: Iterable[Achievement], cap: Decimal = HUNDRED) -> Achievement:
    """The achievement of a group (an agency, a programme): the mean of its lines' percents, each
    capped at `cap` (100 %) so that one over-achieved line does not hide the lines behind. A line
    met in full without a ratio (`ZERO_REALISATION`) counts as `cap`; lines without a percent
    otherwise are left out. `NO_REALISATION` when no line has one.
    """
    values: list[Decimal] = []
    for item in items:
        if item.percent is not None:
            values.append(min(item.percent, cap))
        elif item.state is AchievementState.ZERO_REALISATION:
            values.append(cap)
    if not values:
        return _none(AchievementState.NO_REALISATION)
    mean = (sum(values, Decimal(0)) / len(values)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return _result(mean)


# ---------------------------------------------------------------------------------- E.81


@dataclass(frozen=True, slots=True)
class E81Input:
    """One sub-activity (or any line with its own figures) of the Renja evaluated.

    `previous_years` holds the year values (K, Rp) of the Renstra years before the evaluated
    year, oldest first (None where nothing was reported). `quarters_k`/`quarters_rp` have four
    entries, None for a quarter not reported.
    """

    code: str
    name: str
    objective: str = ""
    indicator: str = ""
    unit: str = ""
    level: LineLevel = LineLevel.SUB_ACTIVITY
    direction: Direction = Direction.HIGHER_IS_BETTER
    aggregation: Aggregation = Aggregation.SUM
    renstra_target: Target = field(default_factory=Target)
    renstra_budget: int | None = None
    previous_years: tuple[tuple[Decimal | None, int | None], ...] = ()
    year_target: Target = field(default_factory=Target)
    year_budget: int | None = None
    quarters_k: tuple[Decimal | None, ...] = (None, None, None, None)
    quarters_rp: tuple[int | None, ...] = (None, None, None, None)
    responsible_unit: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class E81Row:
    """One row of E.81 (and E.79). `k_*`/`rp_*` are the K and Rp halves of the columns 5–15."""

    number: str
    level: LineLevel
    objective: str
    code: str
    name: str
    indicator: str
    unit: str
    k_renstra_target: Decimal | None  # 5
    rp_renstra_target: int | None
    k_previous: Decimal | None  # 6
    rp_previous: int | None
    k_year_target: Decimal | None  # 7
    rp_year_target: int | None
    k_quarters: tuple[Decimal | None, ...]  # 8-11
    rp_quarters: tuple[int | None, ...]
    k_year: Decimal | None  # 12
    rp_year: int | None
    k_year_achievement: Achievement  # 13
    rp_year_achievement: Achievement
    k_cumulative: Decimal | None  # 14
    rp_cumulative: int | None
    k_renstra_achievement: Achievement  # 15
    rp_renstra_achievement: Achievement
    responsible_unit: str  # 16
    notes: str  # 17
    year_target: Target = field(default_factory=Target)  # the band, when col 7 is one
    renstra_target: Target = field(default_factory=Target)

    @property
    def quarter_pairs(self) -> list[tuple[Decimal | None, int | None]]:
        """(K, Rp) of quarters I-IV, for layouts that print them side by side."""
        return list(zip(self.k_quarters, self.rp_quarters, strict=True))


def _target_number(target: Target) -> Decimal | None:
    """What a single number column shows of a target: its value, else the band's upper end."""
    if target.value is not None:
        return target.value
    return target.maximum if target.maximum is not None else target.minimum


def _sum_known(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def e81_row(line: E81Input, number: str = "") -> E81Row:
    """The computed row of one line (columns 5–17)."""
    quarters_k = tuple(line.quarters_k) + (None,) * (4 - len(line.quarters_k))
    quarters_rp = tuple(line.quarters_rp) + (None,) * (4 - len(line.quarters_rp))
    k_previous = cumulative_value((k for k, _ in line.previous_years), line.aggregation)
    rp_previous = _sum_known(rp for _, rp in line.previous_years)
    k_year = year_value(quarters_k[:4], line.aggregation)
    rp_year = year_money(quarters_rp[:4])
    k_cumulative = cumulative_value([k_previous, k_year], line.aggregation)
    rp_cumulative = _sum_known([rp_previous, rp_year])
    return E81Row(
        number=number, level=line.level, objective=line.objective, code=line.code, name=line.name,
        indicator=line.indicator, unit=line.unit,
        k_renstra_target=_target_number(line.renstra_target), rp_renstra_target=line.renstra_budget,
        k_previous=k_previous, rp_previous=rp_previous,
        k_year_target=_target_number(line.year_target), rp_year_target=line.year_budget,
        k_quarters=quarters_k[:4], rp_quarters=quarters_rp[:4],
        k_year=k_year, rp_year=rp_year,
        k_year_achievement=achievement(k_year, line.year_target, line.direction),
        rp_year_achievement=money_achievement(rp_year, line.year_budget),
        k_cumulative=k_cumulative, rp_cumulative=rp_cumulative,
        k_renstra_achievement=achievement(k_cumulative, line.renstra_target, line.direction),
        rp_renstra_achievement=money_achievement(rp_cumulative, line.renstra_budget),
        responsible_unit=line.responsible_unit, notes=line.notes,
        year_target=line.year_target, renstra_target=line.renstra_target,
    )


def _parent_code(code: str, level: LineLevel) -> str:
    parts = code.split(".")
    return ".".join(parts[:3] if level is LineLevel.PROGRAM else parts[:5])


def rollup(lines: Sequence[E81Input], level: LineLevel, code: str, name: str, *, objective: str = "",
           indicator: str = "", unit: str = "", responsible_unit: str = "") -> E81Input:
    """A programme or activity line whose Rp columns are the sums of `lines` (K left empty)."""

    def total(values: Iterable[int | None]) -> int | None:
        return _sum_known(values)

    years = max((len(line.previous_years) for line in lines), default=0)
    previous = tuple(
        (None, total(line.previous_years[i][1] for line in lines if i < len(line.previous_years)))
        for i in range(years)
    )
    return E81Input(
        code=code, name=name, objective=objective, indicator=indicator, unit=unit, level=level,
        renstra_budget=total(line.renstra_budget for line in lines), previous_years=previous,
        year_budget=total(line.year_budget for line in lines),
        quarters_rp=tuple(total(line.quarters_rp[q] for line in lines) for q in range(4)),
        responsible_unit=responsible_unit or (lines[0].responsible_unit if lines else ""),
    )


def e81_table(lines: Sequence[E81Input], names: Mapping[str, str] | None = None,
              parents: Mapping[str, E81Input] | None = None) -> tuple[list[E81Row], E81Row]:
    """E.81 rows of a Renja in code order, each programme and activity before its sub-activities,
    and the total row (Rp sums of the sub-activities; K empty).

    `names` gives programme/activity names by code; `parents` may give a programme/activity line
    with its own K figures (its Rp are still summed from the sub-activities).
    """
    names = names or {}
    parents = parents or {}
    subs = sorted((line for line in lines if line.level is LineLevel.SUB_ACTIVITY), key=lambda x: _code_key(x.code))
    rows: list[E81Row] = []
    programs: dict[str, list[E81Input]] = {}
    activities: dict[str, list[E81Input]] = {}
    for line in subs:
        programs.setdefault(_parent_code(line.code, LineLevel.PROGRAM), []).append(line)
        activities.setdefault(_parent_code(line.code, LineLevel.ACTIVITY), []).append(line)
    seen_program: set[str] = set()
    seen_activity: set[str] = set()
    counters = [0, 0, 0]
    for line in subs:
        program = _parent_code(line.code, LineLevel.PROGRAM)
        activity = _parent_code(line.code, LineLevel.ACTIVITY)
        if program not in seen_program:
            seen_program.add(program)
            counters = [counters[0] + 1, 0, 0]
            rows.append(e81_row(_parent(programs[program], LineLevel.PROGRAM, program, names, parents),
                                f"{counters[0]}"))
        if activity not in seen_activity:
            seen_activity.add(activity)
            counters = [counters[0], counters[1] + 1, 0]
            rows.append(e81_row(_parent(activities[activity], LineLevel.ACTIVITY, activity, names, parents),
                                f"{counters[0]}.{counters[1]}"))
        counters[2] += 1
        rows.append(e81_row(line, f"{counters[0]}.{counters[1]}.{counters[2]}"))
    total = e81_row(rollup(subs, LineLevel.PROGRAM, "", "Jumlah"), "")
    return rows, total


def _parent(children: Sequence[E81Input], level: LineLevel, code: str, names: Mapping[str, str],
            parents: Mapping[str, E81Input]) -> E81Input:
    summed = rollup(children, level, code, names.get(code, code), objective=children[0].objective)
    given = parents.get(code)
    if given is None:
        return summed
    return E81Input(
        code=code, name=given.name or summed.name, objective=given.objective or summed.objective,
        indicator=given.indicator, unit=given.unit, level=level, direction=given.direction,
        aggregation=given.aggregation, renstra_target=given.renstra_target, renstra_budget=summed.renstra_budget,
        previous_years=tuple((k, rp) for (k, _), (_, rp) in zip(
            given.previous_years or tuple((None, None) for _ in summed.previous_years),
            summed.previous_years, strict=False)),
        year_target=given.year_target, year_budget=summed.year_budget, quarters_k=given.quarters_k,
        quarters_rp=summed.quarters_rp, responsible_unit=given.responsible_unit or summed.responsible_unit,
        notes=given.notes,
    )


def _code_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((1, p.zfill(6)) if p.isdigit() else (0, p) for p in code.split("."))


def e79_table(lines_by_agency: Mapping[str, Sequence[E81Input]],
              names: Mapping[str, str] | None = None) -> tuple[list[E81Row], E81Row]:
    """E.79 (RKPD year against the RPJMD): one row per programme of each agency (agency names as
    the keys, shown as the responsible unit), Rp summed from its sub-activities; and the total."""
    names = names or {}
    rows: list[E81Row] = []
    everything: list[E81Input] = []
    number = 0
    for agency, lines in lines_by_agency.items():
        subs = [line for line in lines if line.level is LineLevel.SUB_ACTIVITY]
        everything.extend(subs)
        programs: dict[str, list[E81Input]] = {}
        for line in subs:
            programs.setdefault(_parent_code(line.code, LineLevel.PROGRAM), []).append(line)
        for code in sorted(programs, key=_code_key):
            number += 1
            children = programs[code]
            rows.append(e81_row(rollup(children, LineLevel.PROGRAM, code, names.get(code, code),
                                       objective=children[0].objective, responsible_unit=agency), str(number)))
    total = e81_row(rollup(everything, LineLevel.PROGRAM, "", "Jumlah"), "")
    return rows, total


# -------------------------------------------------------------------------- E.80 / E.78


@dataclass(frozen=True, slots=True)
class MultiYearInput:
    """An indicator (E.78) or Renstra line (E.80) over the years of its plan.

    `years` are the plan's years in order; `targets` and `realisation` are keyed by year (a year
    may be missing); `budgets`/`spent` are Rp by year (E.80 lines; empty for indicators).
    """

    code: str
    name: str
    unit: str
    years: tuple[int, ...]
    direction: Direction = Direction.HIGHER_IS_BETTER
    aggregation: Aggregation = Aggregation.LAST
    baseline: Decimal | None = None
    targets: Mapping[int, Target] = field(default_factory=dict)
    realisation: Mapping[int, Decimal] = field(default_factory=dict)
    budgets: Mapping[int, int] = field(default_factory=dict)
    spent: Mapping[int, int] = field(default_factory=dict)
    end_target: Target | None = None  # default: from the yearly targets (period_target)
    level: str = ""
    group: str = ""  # objective / programme the row sits under
    responsible_unit: str = ""


@dataclass(frozen=True, slots=True)
class MultiYearRow:
    code: str
    name: str
    unit: str
    level: str
    group: str
    baseline: Decimal | None
    years: tuple[int, ...]
    targets: tuple[Decimal | None, ...]
    realisation: tuple[Decimal | None, ...]
    achievements: tuple[Achievement, ...]
    budgets: tuple[int | None, ...]
    spent: tuple[int | None, ...]
    money_achievements: tuple[Achievement, ...]
    end_target: Decimal | None
    end_realisation: Decimal | None
    end_achievement: Achievement
    end_budget: int | None
    end_spent: int | None
    end_money_achievement: Achievement
    responsible_unit: str
    direction: Direction
    #: True when the latest realisation moved the wrong way from the one before (a worsening
    #: trend: up for lower is better, down for higher is better).
    worsening: bool


def _worsening(values: Sequence[Decimal | None], direction: Direction) -> bool:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return False
    last, before = known[-1], known[-2]
    if direction is Direction.LOWER_IS_BETTER:
        return last > before
    return last < before


def multi_year_row(item: MultiYearInput) -> MultiYearRow:
    """One row of E.78/E.80: per year target, realisation, achievement; end of period."""
    targets = tuple(item.targets.get(year, Target()) for year in item.years)
    realisation = tuple(item.realisation.get(year) for year in item.years)
    budgets = tuple(item.budgets.get(year) for year in item.years)
    spent = tuple(item.spent.get(year) for year in item.years)
    end_target = item.end_target
    if end_target is None:
        band_last = next((t for t in reversed(targets) if t.is_band), None)
        if band_last is not None and item.aggregation is Aggregation.LAST:
            end_target = band_last
        else:
            end_target = Target(value=period_target([t.value for t in targets], item.aggregation))
    end_realisation = cumulative_value(realisation, item.aggregation)
    end_budget = _sum_known(budgets)
    end_spent = _sum_known(spent)
    return MultiYearRow(
        code=item.code, name=item.name, unit=item.unit, level=item.level, group=item.group,
        baseline=item.baseline, years=item.years,
        targets=tuple(_target_number(t) for t in targets), realisation=realisation,
        achievements=tuple(achievement(r, t, item.direction) for r, t in zip(realisation, targets, strict=True)),
        budgets=budgets, spent=spent,
        money_achievements=tuple(money_achievement(s, b) for s, b in zip(spent, budgets, strict=True)),
        end_target=_target_number(end_target), end_realisation=end_realisation,
        end_achievement=achievement(end_realisation, end_target, item.direction),
        end_budget=end_budget, end_spent=end_spent,
        end_money_achievement=money_achievement(end_spent, end_budget),
        responsible_unit=item.responsible_unit, direction=item.direction,
        worsening=_worsening(realisation, item.direction),
    )


def multi_year_table(items: Iterable[MultiYearInput]) -> list[MultiYearRow]:
    """E.78 (RPJMD indicators) or E.80 (Renstra lines and indicators): one row per input, in order."""
    return [multi_year_row(item) for item in items]
