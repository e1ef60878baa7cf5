"""What the dashboards show, as plain data plus their SVG charts: Bappeda (whole government), one
agency, and the public (targets and achievements only; never a note typed by an agency).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils.safestring import SafeString

from selaras.domain.plans import Direction, LineLevel
from selaras.domain.proposals import CHANNEL_LABELS, STATUS_LABELS, Channel, ProposalStatus
from selaras.engines.evaluation import (
    RATING_LABELS,
    Achievement,
    Aggregation,
    E81Input,
    E81Row,
    MultiYearRow,
    Rating,
    Target,
    average_achievement,
    e81_row,
    money_achievement,
)
from selaras.web.alignment.models import HigherLevelTarget
from selaras.web.evaluation import charts
from selaras.web.evaluation.models import QUARTER_LABELS, QuarterClosure, Realisation
from selaras.web.evaluation.selectors import AgencyE81, e78, e81_all, renstra_indicators
from selaras.web.plans.models import AgencyAnnualPlan, LocalGovernment, RenjaLine
from selaras.web.proposals.models import Decision, Proposal
from selaras.web.reference.models import Region

__all__ = ["AgencySummary", "Trajectory", "agency_dashboard", "bappeda_dashboard", "default_year",
           "public_dashboard", "reported_through"]

QUARTERS = ("TW I", "TW II", "TW III", "TW IV")


def default_year(government: LocalGovernment) -> int | None:
    """The latest year with reported realisation, else the latest RKPD year."""
    latest = (Realisation.objects.filter(line__renja__rkpd__government=government)
              .order_by("-line__renja__rkpd__year").values_list("line__renja__rkpd__year", flat=True).first())
    if latest is not None:
        return int(latest)
    year = (AgencyAnnualPlan.objects.filter(rkpd__government=government).order_by("-rkpd__year")
            .values_list("rkpd__year", flat=True).first())
    return int(year) if year is not None else None


def reported_through(government: LocalGovernment, year: int, agency_id: int | None = None) -> int | None:
    """The quarter the dashboards measure `year` up to: the later of the last quarter Bappeda closed
    and the last quarter reported; None when neither. For one agency, the last quarter it entered
    itself. For the district, the last quarter at least half of the agencies with a Renja have
    entered (else the earliest quarter any has reached): one agency entering quarter III early must
    not rate every other agency against three quarters of its year (all read "sangat rendah", also
    to citizens, after a single line of quarter III was saved)."""
    closed = QuarterClosure.objects.filter(government=government, year=year).aggregate(m=Max("quarter"))["m"]
    entered_rows = Realisation.objects.filter(line__renja__rkpd__government=government, line__renja__rkpd__year=year)
    entered: int | None
    if agency_id is not None:
        entered = entered_rows.filter(line__renja__agency_id=agency_id).aggregate(m=Max("quarter"))["m"]
    else:
        reached = [int(m) for _, m in entered_rows.values("line__renja__agency_id").annotate(m=Max("quarter"))
                   .values_list("line__renja__agency_id", "m")]
        agencies = AgencyAnnualPlan.objects.filter(rkpd__government=government, rkpd__year=year).count()
        entered = next((q for q in (4, 3, 2, 1) if 2 * sum(1 for r in reached if r >= q) >= max(agencies, 1)),
                       min(reached, default=None))
    found = [int(q) for q in (entered, closed) if q is not None]
    return max(found) if found else None


def _share(value: Decimal | None, through: int) -> Decimal | None:
    return None if value is None else value * through / 4


def due_by(line: E81Input, through: int) -> E81Input:
    """The line with the target and pagu due by the end of quarter `through`: an additive indicator
    (the year is the sum of its quarters) and money are due a quarter of the year's per quarter; a
    level, rate or percentage (the latest value, already cumulative) is measured against the year's
    target as it is (EVALUATION.md). Quarter IV gives the line unchanged (the official E.81)."""
    if through >= 4:
        return line
    target = line.year_target
    if line.aggregation is Aggregation.SUM:
        target = Target(value=_share(target.value, through), minimum=_share(target.minimum, through),
                        maximum=_share(target.maximum, through))
    budget = None if line.year_budget is None else int(
        (Decimal(line.year_budget) * through / 4).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return replace(line, year_target=target, year_budget=budget)


@dataclass
class AgencySummary:
    agency_id: int
    name: str
    lines: int
    reported: int
    k: Achievement
    rp: Achievement
    budget: int
    spent: int
    due_budget: int = 0
    ratings: Counter[Rating | None] = field(default_factory=Counter)

    @property
    def rating_label(self) -> str:
        return self.k.rating_label or "belum dinilai"


def summarise(item: AgencyE81) -> AgencySummary:
    """One agency's sub-activities summed up, from `item.rows` (the rows measured against what was
    due: `_summaries`); `budget` is the year's whole pagu, `due_budget` the part due so far."""
    subs = [r for r in item.rows if r.level is LineLevel.SUB_ACTIVITY]
    budget = sum(i.year_budget or 0 for i in item.inputs if i.level is LineLevel.SUB_ACTIVITY)
    due = sum(r.rp_year_target or 0 for r in subs)
    spent = sum(r.rp_year or 0 for r in subs)
    return AgencySummary(
        agency_id=item.agency.pk, name=str(item.agency), lines=len(subs),
        reported=sum(1 for r in subs if r.k_year is not None or r.rp_year is not None),
        k=average_achievement(r.k_year_achievement for r in subs),
        rp=money_achievement(spent if any(r.rp_year is not None for r in subs) else None, due),
        budget=budget, spent=spent, due_budget=due,
        ratings=Counter(r.k_year_achievement.rating for r in subs),
    )


def period(government: LocalGovernment, year: int, agency_id: int | None = None) -> dict[str, Any]:
    """Which quarters the dashboard's figures cover: `through` (1-4 or None), its label, and
    `provisional` (True before quarter IV: a rating so far, not the year's final one); of one
    agency when `agency_id` is given (`reported_through`)."""
    through = reported_through(government, year, agency_id)
    if through is None and agency_id is not None:  # nothing of its own yet: the district's period
        through = reported_through(government, year)
    label = QUARTER_LABELS[through] if through else ""
    return {"through": through, "through_label": label, "provisional": through is not None and through < 4,
            "period_label": f"s.d. {label}" if label else ""}


def achievement_chart(summaries: Sequence[AgencySummary], year: int, ident: str = "capaian-pd",
                      through: int | None = 4) -> SafeString:
    bars = [charts.Bar(s.name, s.k.percent, charts.RATING_COLOURS[s.k.rating], s.k.rating_label.lower())
            for s in summaries]
    so_far = f" s.d. {QUARTER_LABELS[through]}" if through and through < 4 else ""
    due = " terhadap target yang jatuh tempo" if so_far else ""
    return charts.bar_chart(bars, title=f"Capaian kinerja per perangkat daerah{so_far}, tahun {year}",
                            desc=f"Rata-rata capaian kinerja sub kegiatan{so_far}{due} (%), warna menurut "
                                 "kriteria capaian.",
                            ident=ident, reference=100, scale_max=120,
                            fmt=lambda v: charts.plain(v) + " %")


@dataclass
class Trajectory:
    key: str
    name: str
    unit: str
    direction: Direction
    years: tuple[int, ...]
    baseline: Decimal | None
    targets: tuple[Decimal | None, ...]
    realisation: tuple[Decimal | None, ...]
    higher: list[tuple[str, tuple[Decimal | None, ...]]]
    worsening: bool
    achievement: Achievement
    chart: SafeString | None = None

    @property
    def rows(self) -> list[tuple[int, Decimal | None, Decimal | None, list[Decimal | None]]]:
        """(year, target, realisation, higher-level targets) for the table beside the chart."""
        return [(y, self.targets[i], self.realisation[i], [values[i] for _, values in self.higher])
                for i, y in enumerate(self.years)]


def trajectories(government: LocalGovernment, rows: Sequence[MultiYearRow], keys: Sequence[str] | None = None,
                 ident: str = "lintasan") -> list[Trajectory]:
    """Targets vs realisation by year for indicators (with RPJMN / provincial targets of the same key)."""
    chosen = [r for r in rows if keys is None or r.code in keys]
    seen: set[str] = set()
    unique = []
    for r in chosen:
        if r.code not in seen:
            seen.add(r.code)
            unique.append(r)
    higher: dict[str, dict[str, dict[int, Decimal | None]]] = defaultdict(lambda: defaultdict(dict))
    province = government.region_code.split(".")[0]
    for t in HigherLevelTarget.objects.filter(indicator__key__in=[r.code for r in unique]).values(
            "indicator__key", "indicator__plan__name", "indicator__plan__level", "indicator__plan__region_code",
            "year", "value"):
        if t["indicator__plan__level"] != "national" and t["indicator__plan__region_code"] not in ("", province):
            continue
        higher[t["indicator__key"]][t["indicator__plan__name"]][t["year"]] = t["value"]
    out = []
    for n, r in enumerate(unique):
        years = r.years
        labels = ["awal", *[str(y) for y in years]]
        extra = [(name, tuple(values.get(y) for y in years)) for name, values in sorted(higher[r.code].items())]
        series = [
            charts.Series("Target", [None, *r.targets], "#2f6fb0", dashed=True),
            charts.Series("Realisasi", [r.baseline, *r.realisation], "#0b6e4f"),
            *[charts.Series(name, [None, *values], charts.PALETTE[(i + 2) % len(charts.PALETTE)], dashed=True)
              for i, (name, values) in enumerate(extra)],
        ]
        item = Trajectory(key=r.code, name=r.name, unit=r.unit, direction=r.direction, years=years,
                          baseline=r.baseline, targets=r.targets, realisation=r.realisation, higher=extra,
                          worsening=r.worsening, achievement=_latest(r))
        item.chart = charts.line_chart(labels, series, title=f"{r.name} ({r.unit})",
                                       desc=f"Target dan realisasi {r.name} per tahun.", ident=f"{ident}-{n}")
        out.append(item)
    return out


def _latest(row: MultiYearRow) -> Achievement:
    for value, achieved in zip(reversed(row.realisation), reversed(row.achievements), strict=True):
        if value is not None:
            return achieved
    return row.achievements[0] if row.achievements else money_achievement(None, None)


@dataclass(frozen=True)
class QuarterRow:
    label: str
    spent: int | None
    cumulative: int | None
    share: Achievement | None


def quarter_money(government: LocalGovernment, year: int, agency_id: int | None = None) -> dict[str, Any]:
    """Rp spent per quarter against the year's pagu (and its cumulative share)."""
    lines = RenjaLine.objects.filter(renja__rkpd__government=government, renja__rkpd__year=year)
    if agency_id is not None:
        lines = lines.filter(renja__agency_id=agency_id)
    budget = int(lines.aggregate(total=Sum("budget"))["total"] or 0)
    spent_rows = (Realisation.objects.filter(line__in=lines).values("quarter").annotate(total=Sum("spent"))
                  .order_by("quarter"))
    spent = {r["quarter"]: int(r["total"] or 0) for r in spent_rows}
    rows: list[QuarterRow] = []
    running = 0
    for q in (1, 2, 3, 4):
        value = spent.get(q)
        running += value or 0
        rows.append(QuarterRow(QUARTERS[q - 1], value, running if value is not None else None,
                               money_achievement(running, budget) if value is not None else None))
    chart = charts.grouped_bar_chart(
        [r.label for r in rows],
        [charts.Series("Realisasi triwulan", [r.spent for r in rows], "#0b6e4f"),
         charts.Series("Kumulatif", [r.cumulative for r in rows], "#2f6fb0")],
        title=f"Realisasi keuangan per triwulan, tahun {year}",
        desc=f"Rupiah terealisasi per triwulan dan kumulatif terhadap pagu {charts.rupiah_short(budget)}.",
        ident="triwulan" if agency_id is None else "triwulan-pd", label_width=90)
    return {"rows": rows, "budget": budget, "chart": chart}


@dataclass(frozen=True)
class CeilingRow:
    name: str
    agency_id: int
    pagu: int
    ceiling: int

    @property
    def over(self) -> bool:
        return self.pagu > self.ceiling


def ceilings(government: LocalGovernment, year: int) -> dict[str, Any]:
    """Renja pagu (sum of its lines) vs the agency's indicative ceiling, per agency."""
    renjas = list(AgencyAnnualPlan.objects.filter(rkpd__government=government, rkpd__year=year)
                  .select_related("agency").annotate(pagu=Sum("lines__budget")).order_by("agency__code"))
    rows = [CeilingRow(str(r.agency), r.agency_id, int(r.pagu or 0), r.ceiling) for r in renjas]
    chart = charts.grouped_bar_chart(
        [r.name for r in rows],
        [charts.Series("Pagu Renja", [r.pagu for r in rows], "#0b6e4f"),
         charts.Series("Pagu indikatif (plafon)", [r.ceiling for r in rows], "#8c959f")],
        title=f"Pagu Renja terhadap pagu indikatif per perangkat daerah, tahun {year}",
        desc="Jumlah pagu baris Renja dan pagu indikatif tiap perangkat daerah.", ident="pagu")
    return {"rows": rows, "chart": chart}


def _proposal_state_key(government: LocalGovernment, year: int) -> str:
    """A cache key that changes with every new proposal and every decision (a status, stage or
    cost moves only through a decision)."""
    count = Proposal.objects.filter(government=government, year=year).count()
    latest_proposal = Proposal.objects.filter(government=government).aggregate(m=Max("id"))["m"]
    latest_decision = Decision.objects.aggregate(m=Max("id"))["m"]  # any government's: an index lookup
    return f"{government.pk}:{year}:{count}:{latest_proposal}:{latest_decision}"


def _proposal_counts(government: LocalGovernment, year: int, state: str) -> list[dict[str, Any]]:
    """Proposals and their money per (channel, stage, status, kecamatan), in one scan, cached
    under the proposals' state key (the funnel and the kecamatan shares both read it)."""
    key = f"selaras-evaluasi-usulan:{state}"
    counts: list[dict[str, Any]] | None = cache.get(key)
    if counts is None:
        counts = [dict(row) for row in Proposal.objects.filter(government=government, year=year)
                  .values("channel", "stage", "status", "district_code")
                  .annotate(n=Count("id"), cost=Sum("estimated_cost")).order_by()]
        cache.set(key, counts, 600)
    return counts


@dataclass(frozen=True)
class DistrictShare:
    code: str
    name: str
    accepted: int
    population: int
    money_share: Decimal | None
    population_share: Decimal | None


def district_shares(government: LocalGovernment, year: int, state: str) -> dict[str, Any] | None:
    """Per kecamatan: its share of the money of accepted proposals against its share of the
    population (a kecamatan far below its population share may be left behind)."""
    money: dict[str, int] = defaultdict(int)
    for row in _proposal_counts(government, year, state):
        if row["status"] == ProposalStatus.ACCEPTED.value and row["district_code"]:
            money[row["district_code"]] += int(row["cost"] or 0)
    regions = list(Region.objects.filter(edition=government.region_edition, level=3,
                                         parent_code=government.region_code).order_by("code")
                   .values("code", "name", "population", "population_synthetic"))
    if not regions:
        return None
    total_money = sum(money.values())
    total_people = sum(r["population"] or 0 for r in regions)

    def share(part: int, whole: int) -> Decimal | None:
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else None

    rows = [DistrictShare(r["code"], r["name"], money.get(r["code"], 0), r["population"] or 0,
                          share(money.get(r["code"], 0), total_money), share(r["population"] or 0, total_people))
            for r in regions]
    chart = charts.grouped_bar_chart(
        [r.name for r in rows],
        [charts.Series("Bagian dana usulan diterima (%)", [r.money_share for r in rows], "#0b6e4f"),
         charts.Series("Bagian penduduk (%)", [r.population_share for r in rows], "#8c959f")],
        title=f"Bagian dana usulan diterima dan bagian penduduk per kecamatan, {year}",
        desc="Persentase dana usulan yang diterima tiap kecamatan dibandingkan persentase penduduknya.",
        ident="kecamatan", fmt=lambda v: charts.plain(v) + " %")
    synthetic = sum(1 for r in regions if r["population_synthetic"] and r["population"] is not None)
    return {"year": year, "rows": rows, "chart": chart, "total": total_money, "synthetic": synthetic}


def funnel(government: LocalGovernment) -> dict[str, Any] | None:
    """Proposals of the latest proposal year per channel, by where they stand (status) and stage."""
    year = Proposal.objects.filter(government=government).order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return None
    state = _proposal_state_key(government, year)
    counts = _proposal_counts(government, year, state)
    by_status: dict[str, Counter[str]] = defaultdict(Counter)
    by_stage: dict[str, Counter[str]] = defaultdict(Counter)
    for c in counts:
        by_status[c["channel"]][c["status"]] += c["n"]
        by_stage[c["channel"]][c["stage"]] += c["n"]
    statuses = [s for s in ProposalStatus if any(by_status[ch][s.value] for ch in by_status)]
    channels = [ch for ch in Channel if ch.value in by_status]
    stacks = [charts.Stack(CHANNEL_LABELS[ch], [(STATUS_LABELS[s], by_status[ch.value][s.value]) for s in statuses])
              for ch in channels]
    chart = charts.stacked_bar_chart(stacks, [STATUS_LABELS[s] for s in statuses],
                                     title=f"Usulan tahun {year} per jalur menurut status",
                                     desc="Jumlah usulan tiap jalur, dipecah menurut status terakhir.", ident="corong")
    from selaras.domain.proposals import STAGE_LABELS, Stage
    stages = [s for s in Stage if any(by_stage[ch][s.value] for ch in by_stage)]
    table = [{"channel": CHANNEL_LABELS[ch], "statuses": [by_status[ch.value][s.value] for s in statuses],
              "stages": [by_stage[ch.value][s.value] for s in stages], "total": sum(by_status[ch.value].values())}
             for ch in channels]
    return {"year": year, "chart": chart, "statuses": [STATUS_LABELS[s] for s in statuses],
            "stages": [STAGE_LABELS[s] for s in stages], "rows": table,
            "districts": district_shares(government, year, state)}


def _summaries(government: LocalGovernment, year: int, through: int | None,
               agency_ids: Sequence[int] | None = None) -> tuple[list[AgencyE81], list[AgencySummary]]:
    """Each agency's rows measured against what was due by the end of quarter `through` (the
    whole year when it is IV or nothing is reported yet)."""
    items = e81_all(government, year, agency_ids, compute="lines")
    if through is not None and through < 4:
        for item in items:
            item.rows = [e81_row(due_by(line, through)) for line in item.inputs]
    return items, [summarise(item) for item in items]


def bappeda_dashboard(government: LocalGovernment, year: int) -> dict[str, Any]:
    covered = period(government, year)
    _, summaries = _summaries(government, year, covered["through"])
    found = e78(government)
    paths = trajectories(government, found[1]) if found else []
    ratings = Counter(s.k.rating for s in summaries)
    return {
        **covered, "year": year, "summaries": summaries,
        "achievement_chart": achievement_chart(summaries, year, through=covered["through"]),
        "rating_counts": [(RATING_LABELS[r], ratings.get(r, 0), charts.RATING_COLOURS[r]) for r in Rating],
        "behind": sorted([s for s in summaries if s.k.percent is not None], key=lambda s: s.k.percent or 0)[:5],
        "quarters": quarter_money(government, year), "ceilings": ceilings(government, year),
        "funnel": funnel(government), "trajectories": paths,
        "worsening": [t for t in paths if t.worsening],
    }


def agency_dashboard(government: LocalGovernment, year: int, agency_id: int) -> dict[str, Any] | None:
    covered = period(government, year, agency_id)
    items, summaries = _summaries(government, year, covered["through"], [agency_id])
    if not items:
        return None
    item, summary = items[0], summaries[0]
    subs: list[E81Row] = [r for r in item.rows if r.level is LineLevel.SUB_ACTIVITY]
    lowest = sorted([r for r in subs if r.k_year_achievement.percent is not None],
                    key=lambda r: r.k_year_achievement.percent or 0)[:10]
    bars = [charts.Bar(f"{r.code} {r.name}", r.k_year_achievement.percent,
                       charts.RATING_COLOURS[r.k_year_achievement.rating], r.k_year_achievement.rating_label.lower())
            for r in lowest]
    so_far = f" {covered['period_label']}" if covered["provisional"] else ""
    chart = charts.bar_chart(bars, title=f"Sub kegiatan dengan capaian terendah{so_far}, tahun {year}",
                             ident="terendah", reference=100, fmt=lambda v: charts.plain(v) + " %", label_width=300)
    paths = trajectories(government, renstra_indicators(item.agency), ident="lintasan-pd")
    return {**covered, "year": year, "agency": item.agency, "renja": item.renja, "summary": summary, "lowest": lowest,
            "trajectories": paths,
            "lowest_chart": chart, "quarters": quarter_money(government, year, agency_id),
            "rating_counts": [(RATING_LABELS[r], summary.ratings.get(r, 0), charts.RATING_COLOURS[r]) for r in Rating]}


def public_dashboard(government: LocalGovernment, year: int) -> dict[str, Any]:
    """Targets and achievements only: built from computed numbers, never from the notes."""
    covered = period(government, year)
    _, summaries = _summaries(government, year, covered["through"])
    found = e78(government)
    return {
        **covered, "year": year,
        "summaries": [{"name": s.name, "k": s.k, "rp": s.rp, "budget": s.budget, "spent": s.spent,
                       "due_budget": s.due_budget} for s in summaries],
        "achievement_chart": achievement_chart(summaries, year, ident="capaian-publik", through=covered["through"]),
        "trajectories": trajectories(government, found[1], ident="lintasan-publik") if found else [],
        "quarters": quarter_money(government, year),
    }
