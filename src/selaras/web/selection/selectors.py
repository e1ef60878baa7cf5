"""Read queries of selection: runs, outcomes with reasons, comparison of two runs, a proposal's reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from selaras.domain.selection import REASON_LABELS, Reason, ReasonCode, reason_text
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.proposals.models import Proposal
from selaras.web.selection.models import OutcomeBlock, RunApplication, RunKind, SelectionRun
from selaras.web.selection.storage import (
    CACHE,
    OutcomeRecord,
    RunOutcomes,
    decode_block,
    find_in_block,
)

__all__ = [
    "runs_for",
    "outcome_reason",
    "outcomes_of",
    "run_outcomes",
    "outcome_of",
    "records_of",
    "OutcomeRow",
    "OutcomeList",
    "RunComparison",
    "compare_runs",
    "reason_for_proposal",
    "applied_runs",
    "visible_runs",
    "is_staff_of",
    "district_names",
    "moved_rows",
]


GROUP_KINDS = {"kecamatan": "kecamatan", "perangkat_daerah": "perangkat daerah"}


def runs_for(government: LocalGovernment | None, year: int | None = None) -> QuerySet[SelectionRun]:
    qs = SelectionRun.objects.select_related("created_by", "base_run")
    if government is None:
        return qs.none()
    qs = qs.filter(government=government)
    return qs.filter(year=year) if year else qs


def _district_name(code: str) -> str:
    """A kecamatan's name from the reference data (kecamatan codes are national), '' when unknown."""
    from selaras.web.reference.models import Region

    return Region.objects.filter(code=code).order_by("-edition").values_list("name", flat=True).first() or ""


def _agency_name(code: str, government_id: int | None) -> str:
    """An agency's short name (else its name) by its code, in its government when known."""
    agencies = Agency.objects.filter(code=code)
    if government_id is not None:
        agencies = agencies.filter(government_id=government_id)
    found = agencies.order_by("id").values_list("short_name", "name").first()
    return (found[0] or found[1]) if found else ""


def outcome_reason(code: str, params: dict[str, Any], government_id: int | None = None) -> str:
    """The Bahasa Indonesia sentence of a stored reason (unknown codes shown as they are). A group
    is named as people know it: "kecamatan Tarumajaya (32.16.01)", "perangkat daerah Disperkimtan
    (1.04.2.10.0.00.01.0000)" (citizens read these on the tracker: a bare code told them nothing)."""
    params = dict(params or {})
    for count in ("round", "supporters", "capped"):  # counts read the Indonesian way: putaran ke-15.480
        if type(params.get(count)) is int:
            params[count] = f"{params[count]:,}".replace(",", ".")
    group = params.get("group")
    if isinstance(group, str) and ":" in group:  # "kecamatan:32.16.01" -> "kecamatan Tarumajaya (32.16.01)"
        kind, _, key = group.partition(":")
        name = (_district_name(key) if kind == "kecamatan"
                else _agency_name(key, government_id) if kind == "perangkat_daerah" else "")
        params["group"] = f"{GROUP_KINDS.get(kind, kind)} {name} ({key})" if name else f"{GROUP_KINDS.get(kind, kind)} {key}"
    try:
        reason = Reason(ReasonCode(code), params)
    except ValueError:
        return code
    try:
        return reason_text(reason)
    except (ValueError, KeyError, TypeError):
        return code


def run_outcomes(run: SelectionRun) -> RunOutcomes:
    """Every outcome of a run as arrays (decoded once per process and run: runs never change)."""
    key = (run.pk, run.created_at)
    cached = CACHE.get(key)
    if cached is None:
        blobs = OutcomeBlock.objects.filter(run_id=run.pk).order_by("first_proposal").values_list("data", flat=True)
        cached = RunOutcomes(decode_block(b) for b in blobs)
        CACHE.put(key, cached)
    return cached


def records_of(run: SelectionRun) -> list[OutcomeRecord]:
    """Every outcome of a run as plain records, in proposal-id order (tests, exports)."""
    outcomes = run_outcomes(run)
    return [outcomes.record(i) for i in range(len(outcomes))]


def outcome_of(run: SelectionRun | int, proposal_id: int) -> OutcomeRecord | None:
    """One proposal's outcome in one run (one block read), or None when the run did not judge it."""
    run_id = getattr(run, "pk", run)
    blobs = OutcomeBlock.objects.filter(run_id=run_id, first_proposal__lte=proposal_id,
                                        last_proposal__gte=proposal_id).values_list("data", flat=True)[:1]
    for blob in blobs:
        return find_in_block(decode_block(blob), proposal_id)
    return None


@dataclass
class OutcomeRow:
    """One outcome with its proposal, for pages and the API (attributes as the templates use them)."""

    record: OutcomeRecord
    proposal: Proposal | None
    agency: Agency | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)

    @property
    def reason(self) -> str:
        return outcome_reason(self.record.reason_code, self.record.reason_params,
                              self.proposal.government_id if self.proposal is not None else None)


class OutcomeList:
    """A run's outcomes in display order, sliced lazily (Paginator-friendly: len + slicing)."""

    def __init__(self, outcomes: RunOutcomes, rows: np.ndarray) -> None:
        self.outcomes = outcomes
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def count(self) -> int:
        return len(self.rows)

    def __getitem__(self, item: slice) -> list[OutcomeRow]:
        if not isinstance(item, slice):
            return self[item:item + 1]
        records = [self.outcomes.record(int(i)) for i in self.rows[item]]
        proposals = Proposal.objects.in_bulk([r.proposal_id for r in records])
        agency_ids = {r.agency_id for r in records if r.agency_id is not None}
        agencies = Agency.objects.in_bulk(list(agency_ids)) if agency_ids else {}
        return [OutcomeRow(r, proposals.get(r.proposal_id), agencies.get(r.agency_id) if r.agency_id else None)
                for r in records]


def outcomes_of(run: SelectionRun, *, selected: bool | None = None, district: str = "", agency: int | None = None,
                query: str = "") -> OutcomeList:
    """A run's outcomes with their proposals, selected first in selection order, then by proposal."""
    outcomes = run_outcomes(run)
    mask = np.ones(len(outcomes), dtype=bool)
    if selected is not None:
        mask &= outcomes.selected == selected
    if district:
        mask &= outcomes.district_mask(district)
    if agency:
        mask &= outcomes.agency_ids == agency
    if query:
        ids = (Proposal.objects.filter(government_id=run.government_id, year=run.year)
               .filter(Q(title__icontains=query) | Q(number__icontains=query)).values_list("id", flat=True))
        mask &= np.isin(outcomes.proposal_ids, np.fromiter(ids, dtype=np.int64))
    rows = np.flatnonzero(mask)
    # selected first, in selection order (round), then proposal order
    keys = (rows, outcomes.rounds[rows], ~outcomes.selected[rows])
    return OutcomeList(outcomes, rows[np.lexsort(keys)])


def district_names(government: LocalGovernment, codes: list[str]) -> dict[str, str]:
    from selaras.web.reference.models import Region

    wanted = [c for c in codes if c]
    return dict(Region.objects.filter(edition=government.region_edition, code__in=wanted)
                .values_list("code", "name"))


@dataclass
class RunComparison:
    """Two runs side by side: totals, per kecamatan, and the proposals on which they differ."""

    a: SelectionRun
    b: SelectionRun
    only_a: list[int] = field(default_factory=list)  # proposal ids selected by a only (moved out)
    only_b: list[int] = field(default_factory=list)  # selected by b only (moved in)
    both: int = 0
    only_a_cost: int = 0
    only_b_cost: int = 0
    districts: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return len(self.only_a) + len(self.only_b)


def _selected(run: SelectionRun) -> dict[int, int]:
    return run_outcomes(run).selected_cost()


def _side_by_side(rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]], limit_key: str) -> list[dict[str, Any]]:
    keys = sorted({r["code"] for r in rows_a} | {r["code"] for r in rows_b})
    index_a = {r["code"]: r for r in rows_a}
    index_b = {r["code"]: r for r in rows_b}
    out = []
    for key in keys:
        ra = index_a.get(key, {})
        rb = index_b.get(key, {})
        out.append({
            "code": key, "name": ra.get("name") or rb.get("name") or "",
            "a_count": ra.get("selected_count", 0), "b_count": rb.get("selected_count", 0),
            "a_cost": ra.get("selected_cost", 0), "b_cost": rb.get("selected_cost", 0),
            "a_limit": ra.get(limit_key), "b_limit": rb.get(limit_key),
            "delta": rb.get("selected_cost", 0) - ra.get("selected_cost", 0),
        })
    return out


def compare_runs(a: SelectionRun, b: SelectionRun) -> RunComparison:
    """What `b` selects that `a` does not (moved in), and the reverse (moved out)."""
    sa = _selected(a)
    sb = _selected(b)
    only_a = sorted(set(sa) - set(sb))
    only_b = sorted(set(sb) - set(sa))
    comparison = RunComparison(
        a=a, b=b, only_a=only_a, only_b=only_b, both=len(set(sa) & set(sb)),
        only_a_cost=sum(sa[p] for p in only_a), only_b_cost=sum(sb[p] for p in only_b),
        districts=_side_by_side(a.totals.get("districts", []), b.totals.get("districts", []), "floor"),
        agencies=_side_by_side(a.totals.get("agencies", []), b.totals.get("agencies", []), "ceiling"),
    )
    names = district_names(a.government, [r["code"] for r in comparison.districts])
    for row in comparison.districts:
        row["name"] = names.get(row["code"], "")
    return comparison


def moved_rows(comparison: RunComparison, ids: list[int]) -> list[dict[str, Any]]:
    """Proposals (by id) with the outcome and reason of each run, for the comparison table."""
    if not ids:
        return []
    proposals = Proposal.objects.in_bulk(ids)
    rows: dict[int, dict[str, Any]] = {i: {"proposal": proposals[i]} for i in ids if i in proposals}
    for run_key, run in (("a", comparison.a), ("b", comparison.b)):
        outcomes = run_outcomes(run)
        for pid, row_at in outcomes.index_of(ids).items():
            if pid not in rows:
                continue
            o = outcomes.record(row_at)
            rows[pid][run_key] = {"selected": o.selected,
                                  "reason": outcome_reason(o.reason_code, o.reason_params, run.government_id),
                                  "round": o.round}
    return [rows[i] for i in ids if i in rows]


def applied_runs() -> QuerySet[SelectionRun]:
    """Runs Bappeda has applied to the proposals (`RunApplication`): the only runs the public sees.

    A run that was never applied (a trial, a what-if simulation) is material for discussion, not a
    decision: its outcomes and reasons stay behind the login."""
    return SelectionRun.objects.filter(kind=RunKind.RUN, pk__in=RunApplication.objects.values("run_id"))


def is_staff_of(user: Any, government: LocalGovernment | int) -> bool:
    """True when `user` signs in with a role in `government` (or is a superuser): staff may read
    trial runs, as the pages under /seleksi/ show them."""
    from selaras.web.proposals.permissions import membership_of

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return membership is not None and membership.government_id == getattr(government, "pk", government)


def visible_runs(user: Any) -> QuerySet[SelectionRun]:
    """Runs `user` may read through the API: a superuser every run, a member of a government
    every run of it plus the applied runs of others, everybody else the applied runs only."""
    from selaras.web.proposals.permissions import membership_of

    if user is None or not getattr(user, "is_authenticated", False):
        return applied_runs()
    if getattr(user, "is_superuser", False):
        return SelectionRun.objects.all()
    membership = membership_of(user)
    if membership is None:
        return applied_runs()
    return SelectionRun.objects.filter(Q(government_id=membership.government_id)
                                       | Q(pk__in=applied_runs().values("pk")))


def reason_for_proposal(proposal: Any, *, public: bool = False) -> dict[str, Any] | None:
    """The latest selection run's outcome for a proposal (what-if simulations are skipped).

    Staff (the default) get the latest run, applied or not (a trial is labelled as such). With
    `public` (the tracker, the open API) only the run whose application is in force counts: a run
    Bappeda has not applied is never shown to citizens, so the answer is None until one is.
    Returns None when no run has judged the proposal, else a dict: selected (bool), reason
    (Bahasa Indonesia sentence), reason_code, round, score, run_id, rule, rule_label, run_date,
    year, applied (the run was applied to the proposals and is in force).
    """
    pk = int(getattr(proposal, "pk", proposal))
    blocks = OutcomeBlock.objects.filter(first_proposal__lte=pk, last_proposal__gte=pk, run__kind=RunKind.RUN)
    if public:
        in_force = RunApplication.objects.filter(replaced_by__isnull=True).values("run_id")
        return _reason_in(blocks.filter(run_id__in=in_force), pk)
    return _reason_in(blocks, pk)


def _reason_in(blocks: QuerySet[OutcomeBlock], pk: int) -> dict[str, Any] | None:
    rows = blocks.order_by("-run__created_at", "-run_id").values_list("run_id", "data")
    for run_id, blob in rows.iterator(chunk_size=4):
        outcome = find_in_block(decode_block(blob), pk)
        if outcome is None:
            continue
        run = SelectionRun.objects.get(pk=run_id)
        return {
            "selected": outcome.selected,
            "reason": outcome_reason(outcome.reason_code, outcome.reason_params, run.government_id),
            "reason_code": outcome.reason_code,
            "round": outcome.round,
            "score": outcome.score,
            "run_id": run.pk,
            "rule": run.rule,
            "rule_label": run.rule_label,
            "run_date": run.created_at,
            "year": run.year,
            "applied": RunApplication.objects.filter(run_id=run.pk, replaced_by__isnull=True).exists(),
        }
    return None


KIND_LABELS = {
    "village_forum": "Forum desa/kelurahan",
    "district_forum": "Forum kecamatan",
    "councillor": "Anggota DPRD (Pokir)",
    "agency": "Perangkat daerah (Pra-Renja)",
    "pemilih": "Pendukung",
}


#: The fairness row of the proposals that name no kecamatan.
UNLOCATED = "Tanpa lokasi kecamatan"


def fairness_of(run: SelectionRun) -> dict[str, Any] | None:
    """The fairness figures stored with a run (engines/selection/fairness.py), or None for runs
    stored before they were computed."""
    data = (run.totals or {}).get("fairness")
    return data if isinstance(data, dict) else None


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}".replace(".", ",") + "%"


POPULATION_UNKNOWN = "penduduk belum diisi"
NOT_A_DISTRICT = "tidak berlaku"  # proposals without a kecamatan have no population to compare with


def _population_text(area: str, share: float | None) -> str:
    """The population share of a fairness row in words when there is no figure."""
    if not area:
        return NOT_A_DISTRICT
    return POPULATION_UNKNOWN if share is None else _pct(share)


def _ratio_note(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    if ratio < 0.8:
        return "di bawah bagiannya"
    if ratio > 1.25:
        return "di atas bagiannya"
    return "sebanding"


def fairness_view(run: SelectionRun, other: SelectionRun | None = None) -> dict[str, Any] | None:
    """Everything the fairness section shows: table rows with names, the SVG chart, forums served,
    the fair-share and cohesive-group checks. With `other`, the money shares of both runs."""
    from selaras.web.selection.charts import Series, share_chart

    data = fairness_of(run)
    if data is None:
        return None
    data_b = fairness_of(other) if other is not None else None
    areas = [a for a in data.get("areas", []) if a.get("area")]
    # Proposals without a kecamatan (most Pra-Renja and Pokir) hold a part of the eligible proposals:
    # left out, the kecamatan's proposal shares would not add up to 100 % while their money shares
    # do, and every kecamatan would look served above its share. They close the table and are said
    # under the chart (drawn, their bar would squeeze the kecamatan's bars to slivers).
    areas += [a for a in data.get("areas", []) if not a.get("area") and (a.get("proposals") or a.get("selected"))]
    names = district_names(run.government, [a["area"] for a in areas if a["area"]])
    b_money = {a["area"]: a["money_share"] for a in (data_b or {}).get("areas", [])}
    rows = []
    for a in areas:
        b_share = b_money.get(a["area"]) if data_b is not None else None
        known = a.get("population_share") is not None
        note = (_ratio_note(a.get("ratio")) if known
                else POPULATION_UNKNOWN if a["area"] else "tanpa kecamatan")
        rows.append({**a, "name": names.get(a["area"], "") if a["area"] else UNLOCATED,
                     "note": note,
                     "b_money_share": b_share, "money_pct": _pct(a.get("money_share")),
                     "b_money_pct": _pct(b_share),
                     "population_pct": _population_text(a["area"], a.get("population_share")),
                     "proposal_pct": _pct(a.get("proposal_share"))})
    unlocated = next((r for r in rows if not r["area"]), None)
    table_rows, rows = rows, [r for r in rows if r["area"]]
    labels = [r["name"] or r["area"] for r in rows]
    # without kecamatan population in the reference data the money is compared with proposals only
    has_population = any(r.get("population_share") is not None for r in rows)
    missing_population = sum(1 for r in rows if r.get("population_share") is None)
    synthetic_population = _synthetic_population(run, [r["area"] for r in rows if r.get("population_share") is not None])
    population = [Series("Bagian penduduk", [r["population_share"] for r in rows])] if has_population else []
    if data_b is not None and other is not None:
        series = [Series(f"Bagian anggaran seleksi #{run.pk}", [r["money_share"] for r in rows]),
                  Series(f"Bagian anggaran seleksi #{other.pk}", [r["b_money_share"] for r in rows]),
                  *population]
        if not has_population:
            series.append(Series("Bagian usulan memenuhi syarat", [r["proposal_share"] for r in rows]))
        title = f"Bagian anggaran per kecamatan: seleksi #{run.pk} dan #{other.pk}"
    else:
        series = [Series("Bagian anggaran terpilih", [r["money_share"] for r in rows]), *population,
                  Series("Bagian usulan memenuhi syarat", [r["proposal_share"] for r in rows])]
        title = f"Bagian anggaran per kecamatan, seleksi #{run.pk}"
    served = [{**s, "label": KIND_LABELS.get(s["kind"], s["kind"]), "none": s["voters"] - s["served"]}
              for s in data.get("served", [])]
    fair = data.get("fair_share", {})
    by_kind = [{"label": KIND_LABELS.get(k, k), **v} for k, v in (fair.get("by_kind") or {}).items()]
    below = sum(1 for r in rows if r.get("ratio") is not None and r["ratio"] < 0.8)

    def side(d: dict[str, Any] | None) -> dict[str, Any] | None:
        if d is None:
            return None
        f = d.get("fair_share", {})
        return {"served": sum(s["served"] for s in d.get("served", [])),
                "voters": sum(s["voters"] for s in d.get("served", [])),
                "fair": f.get("satisfied", 0), "cohesive": d.get("cohesive_groups", 0),
                "violations": d.get("violations", 0), "violations_up_to_one": d.get("violations_up_to_one", 0)}

    return {
        "rows": table_rows, "unlocated": unlocated, "chart": share_chart(title, labels, series), "served": served,
        "fair": fair, "fair_by_kind": by_kind, "cohesive_groups": data.get("cohesive_groups", 0),
        "violations": data.get("violations", 0), "violations_up_to_one": data.get("violations_up_to_one", 0),
        "examples": _with_titles(run, data.get("violation_examples", [])[:10]), "below": below,
        "has_population": has_population, "missing_population": missing_population,
        "synthetic_population": synthetic_population,
        "run": run, "a": side(data), "b": side(data_b), "other": other,
    }


def _synthetic_population(run: SelectionRun, codes: list[str]) -> int:
    """How many of these kecamatan hold a demo's synthetic population (`Region.population_synthetic`)."""
    from selaras.web.reference.models import Region

    if not codes:
        return 0
    return Region.objects.filter(edition=run.government.region_edition, code__in=codes,
                                 population_synthetic=True).count()


def _with_titles(run: SelectionRun, examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The EJR examples with their proposals' titles (a number alone tells a reader nothing)."""
    titles = dict(Proposal.objects.filter(government=run.government, number__in=[e["project"] for e in examples])
                  .values_list("number", "title"))
    return [{**e, "title": titles.get(e["project"], "")} for e in examples]


def reason_counts(totals: dict[str, Any]) -> list[tuple[str, int]]:
    """A run's reasons counted, each with its short label."""
    labels = {code.value: text for code, text in REASON_LABELS.items()}
    return [(labels.get(code, code), n) for code, n in (totals.get("reasons") or {}).items()]


def tie_breaking_text(totals: dict[str, Any]) -> str:
    """How a run broke ties, in words a planner reads. Runs stored before recorded a sentence that
    named a research library, or (with a named variant) "Seri diputus menurut pendukung terbanyak,
    lalu ... id proyek (urutan string); ... (pecahan rasional)": each reads as today's sentence."""
    from selaras.engines.selection.engine import TIE_BREAKING, TIE_BREAKING_BEFORE
    from selaras.engines.selection.ties import tie_text_today

    text = str((totals or {}).get("tie_breaking") or "")
    return TIE_BREAKING if text == TIE_BREAKING_BEFORE else tie_text_today(text)


def voter_counts(totals: dict[str, Any]) -> list[tuple[str, int]]:
    """A run's supporters per kind, with labels."""
    return [(KIND_LABELS.get(kind, kind), n) for kind, n in (totals.get("voters") or {}).items()]


def parameter_rows(parameters: dict[str, Any]) -> list[tuple[str, str]]:
    """What a run was asked to do, in words (the stored JSON stays available as it is)."""
    from selaras.domain.proposals import CHANNEL_LABELS, STATUS_LABELS, Channel, ProposalStatus
    from selaras.domain.selection import format_rupiah
    from selaras.web.selection.parameters import (
        CRITERION_LABELS,
        FLOOR_SPREAD_CHOICES,
        PRESET_LABELS,
        SUPPORTER_LABELS,
    )

    def label(table: dict[Any, str], key: str, kind: type) -> str:
        try:
            return table.get(kind(key), key)
        except ValueError:
            return key

    p = parameters
    rows: list[tuple[str, str]] = []
    if p.get("budget") is not None:
        rows.append(("Anggaran", format_rupiah(int(p["budget"]))))
    rows.append(("Jalur usulan", ", ".join(label(CHANNEL_LABELS, c, Channel) for c in p.get("channels", []))))
    rows.append(("Status usulan yang dinilai",
                 ", ".join(label(STATUS_LABELS, c, ProposalStatus) for c in p.get("statuses", []))))
    rows.append(("Bobot kriteria skor", ", ".join(f"{CRITERION_LABELS.get(k, k)} {v:g}"
                                                 for k, v in (p.get("weights") or {}).items())))
    rows.append(("Bobot pendukung", ", ".join(f"{SUPPORTER_LABELS.get(k, k)} {v}"
                                              for k, v in (p.get("supporter_weights") or {}).items())))
    ceilings = p.get("ceilings") or {}
    rows.append(("Pagu perangkat daerah", f"{len(ceilings)} perangkat daerah, "
                                          f"{p.get('ceiling_scale_percent', 100):g}% dari pagu Renja"))
    floors = p.get("floors") or {}
    spread = dict(FLOOR_SPREAD_CHOICES).get(p.get("floor_spread", ""), p.get("floor_spread", ""))
    rows.append(("Batas bawah kecamatan", f"{len(floors)} kecamatan, {p.get('floor_share_percent', 0):g}% "
                                          f"dari anggaran, {spread.lower()}"))
    rows.append(("Desa lokus", f"{len(p.get('locus_villages') or [])} desa/kelurahan"))
    rows.append(("Program prioritas", f"{len(p.get('priority_programs') or [])} program"))
    rows.append(("Hanya usulan dengan perangkat daerah pelaksana", "ya" if p.get("require_agency") else "tidak"))
    if p.get("mes_options"):
        preset = p["mes_options"].get("preset")
        rows.append(("Varian Metode Bagi Rata", PRESET_LABELS.get(preset, preset) if preset else "standar"))
    return rows
