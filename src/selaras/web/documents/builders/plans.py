"""T-C.27 (Renstra of an agency), T-C.33 (Renja programme table), the RKPD programme table and
T-C.14 (RPJMD programmes and funding), laid out by formats/plan_tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from selaras.domain.errors import NotFound
from selaras.domain.roles import Role
from selaras.formats.documents.model import Document, Paper, Row, RowKind, Table
from selaras.formats.plan_tables import (
    renja_programme_table,
    renstra_tc27,
    rkpd_programme_table,
)
from selaras.web.documents.builders.common import (
    government_title,
    nomenclature_names,
    program_code,
    signature_for,
)
from selaras.web.documents.builders.plan_rows import (
    current_payload,
    document_columns,
    leaves,
    snapshot,
    stage_label,
    values,
)
from selaras.web.documents.catalogue import DocKind, ScopeKind
from selaras.web.plans.models import (
    Agency,
    AgencyAnnualPlan,
    AnnualPlan,
    LocalGovernment,
    Renstra,
)

_LEVEL_DEPTH = {"program": 0, "activity": 1, "sub_activity": 2}


def _renstra_for(agency: Agency, year: int) -> Renstra:
    renstras = Renstra.objects.filter(agency=agency)
    found = (renstras.filter(start_year__lte=year, end_year__gte=year).order_by("-start_year", "-id").first()
             or renstras.order_by("-start_year", "-id").first())
    if found is None:
        raise NotFound(f"{agency.name} belum memiliki Renstra.", agency=agency.pk)
    return found


def _text_cells(line: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The text cells of a plan table row as the snapshot line has them: code, name, indicator,
    location and `keys` (a version stored before a cell was in the snapshot prints it empty). One
    rule for every plan table: a printed version never reads the plan as it is now."""
    return {key: line.get(key, "") for key in ("code", "name", "indicator", "location", *keys)}


def build_tc27(government: LocalGovernment, year: int, agency: Agency, version: int | None = None, *,
               day: dt.date | None = None) -> Document:
    renstra = _renstra_for(agency, year)
    payload, label = snapshot(government, "renstra", renstra, version)
    years = [int(y) for y in payload.get("header", {}).get("years", [])] or list(
        range(renstra.start_year, renstra.end_year + 1))
    layout = renstra_tc27(years)
    payload_lines = list(payload.get("lines", []))
    statements = {str(ln.get("key", "")): str(ln.get("name", "")) for ln in payload_lines}
    # the programmes, activities and sub-activities; the goals, objectives and their indicators are
    # lines of the snapshot too, printed in the Tujuan and Sasaran cells of the lines under them
    lines = [ln for ln in payload_lines if ln.get("level") in _LEVEL_DEPTH]
    rows: list[Row] = []
    shown_objective = ""
    for line in lines:
        objective, goal = str(line.get("objective") or ""), str(line.get("goal") or "")
        first = objective != shown_objective
        shown_objective = objective
        targets, money = line.get("targets", {}), line.get("money", {})
        row: dict[str, Any] = {
            **_text_cells(line),
            "goal": statements.get(f"goal:{goal}", "") if first and goal else "",
            "objective": statements.get(f"objective:{objective}", "") if first and objective else "",
            "baseline": targets.get("baseline"), "end_target": targets.get("end"),
            "end_budget": sum(int(v) for v in money.values()),
            "responsible_unit": line.get("responsible_unit") or agency.name, "unit": line.get("unit", ""),
        }
        for y in years:
            row[f"target_{y}"] = targets.get(str(y))
            row[f"budget_{y}"] = money.get(str(y))
        rows.append(Row(values(layout, row), level=_LEVEL_DEPTH[str(line["level"])]))
    rows.append(_total_row(layout, leaves(lines), {f"budget_{y}": str(y) for y in years}, end_key="end_budget"))
    return Document(
        title=layout.title.upper(), government_name=government_title(government),
        period=f"Renstra {agency.name} Tahun {years[0]}–{years[-1]}", subtitle=f"{agency.name} · {label}",
        code=layout.name, blocks=(Table(document_columns(layout), rows),), paper=Paper.F4,  # 20 columns
        signatures=(signature_for(government, agency, default_position=f"Kepala {agency.name}", day=day),))


def _total_row(layout: Any, leaf_lines: list[dict[str, Any]], money_keys: dict[str, str], *,
               end_key: str = "") -> Row:
    totals: dict[str, Any] = {}
    for column_key, money_key in money_keys.items():
        totals[column_key] = sum(int(ln.get("money", {}).get(money_key) or 0) for ln in leaf_lines)
    if end_key:
        totals[end_key] = sum(totals[k] for k in money_keys)
    first = layout.official_columns[0].key
    totals[first] = "JUMLAH"  # once, in the first column (the label spans the empty text cells after it)
    blank = {c.key: "" for c in layout.official_columns if c.kind in ("text", "code")}
    return Row(values(layout, {**blank, **totals}), kind=RowKind.TOTAL)


def _renja_for(government: LocalGovernment, year: int, agency: Agency) -> AgencyAnnualPlan:
    renja = AgencyAnnualPlan.objects.filter(rkpd__government=government, rkpd__year=year, agency=agency).first()
    if renja is None:
        raise NotFound(f"{agency.name} belum memiliki Renja tahun {year}.", agency=agency.pk, year=year)
    return renja


def _hierarchy(government: LocalGovernment, lines: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """Sub-activity lines under their programme and activity (rows made up from the codes, named from
    the nomenclature, money summed), in code order."""
    def activity(code: str) -> str:
        return ".".join(code.split(".")[:5])

    codes = {c for line in lines for c in (program_code(line["code"]), activity(line["code"]))}
    names = nomenclature_names(government, codes)
    groups: dict[str, dict[str, Any]] = {}
    for line in lines:
        for code, depth in ((program_code(line["code"]), 0), (activity(line["code"]), 1)):
            group = groups.setdefault(code, {"code": code, "name": names.get(code, ""), "depth": depth,
                                             "money": {"budget": 0, "forward_estimate": 0}})
            for key in ("budget", "forward_estimate"):
                group["money"][key] += int(line.get("money", {}).get(key) or 0)
    ordered = [(g, int(g["depth"])) for g in groups.values()] + [(line, 2) for line in lines]
    ordered.sort(key=lambda pair: (str(pair[0]["code"]).split("."), pair[1]))
    return ordered


def _annual_row(layout: Any, line: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A T-C.33 / RKPD row, every cell from the snapshot line: the year's location, target, pagu,
    funding source and note, and the forward year's (n+1) target and estimate."""
    money, targets = line.get("money", {}), line.get("targets", {})
    return {**_text_cells(line, "funding_source", "note"), "target": targets.get("target"),
            "budget": money.get("budget"), "forward_target": targets.get("forward_target"),
            "forward_estimate": money.get("forward_estimate"), "unit": line.get("unit", ""), **extra}


def build_tc33(government: LocalGovernment, year: int, agency: Agency, version: int | None = None, *,
               day: dt.date | None = None) -> Document:
    renja = _renja_for(government, year, agency)
    payload, label = snapshot(government, "renja", renja, version)
    layout = renja_programme_table(year)
    lines = list(payload.get("lines", []))
    rows = [Row(values(layout, _annual_row(layout, line, {})), level=depth)
            for line, depth in _hierarchy(government, lines)]
    rows.append(_total_row(layout, lines, {"budget": "budget", "forward_estimate": "forward_estimate"}))
    return Document(
        title=layout.title.upper(), government_name=government_title(government), period=f"Renja Tahun {year}",
        subtitle=f"{agency.name} · {label}", code=layout.name, blocks=(Table(document_columns(layout), rows),),
        signatures=(signature_for(government, agency, default_position=f"Kepala {agency.name}", day=day),))


def build_rkpd(government: LocalGovernment, year: int, scope: Any = None, version: int | None = None, *,
               day: dt.date | None = None) -> Document:
    rkpd = AnnualPlan.objects.filter(government=government, year=year).first()
    if rkpd is None:
        raise NotFound(f"RKPD tahun {year} belum ada.", year=year)
    layout = rkpd_programme_table(year)
    rows: list[Row] = []
    grand = {"budget": 0, "forward_estimate": 0}
    for renja in AgencyAnnualPlan.objects.filter(rkpd=rkpd).select_related("agency").order_by("agency__code"):
        payload = current_payload(renja)
        lines = list(payload.get("lines", []))
        if not lines:
            continue
        rows.append(Row((f"{renja.agency.code} {renja.agency.name}",), kind=RowKind.GROUP))
        for line, depth in _hierarchy(government, lines):
            extra = {"agency": renja.agency.short_name or renja.agency.code} if depth == 2 else {}
            rows.append(Row(values(layout, _annual_row(layout, line, extra)), level=depth))
        for key in grand:
            grand[key] += sum(int(ln.get("money", {}).get(key) or 0) for ln in lines)
    blank = {c.key: "" for c in layout.official_columns if c.kind in ("text", "code")}
    rows.append(Row(values(layout, {**blank, "code": "JUMLAH", **grand}), kind=RowKind.TOTAL))
    return Document(
        title=layout.title.upper(), government_name=government_title(government), period=f"RKPD Tahun {year}",
        subtitle=stage_label(government, "rkpd", rkpd), code=layout.name, blocks=(Table(document_columns(layout), rows),),
        signatures=(signature_for(government, None, default_position="Kepala Bappeda", day=day),))


def register_kinds(register: Callable[[DocKind], DocKind], budget_roles: frozenset[Role]) -> None:
    def tc27(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        return build_tc27(government, year, scope, version, day=day)

    def tc33(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        return build_tc33(government, year, scope, version, day=day)

    def rkpd(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        return build_rkpd(government, year, day=day)

    def tc14(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        from selaras.web.documents.builders.rpjmd import build_tc14

        return build_tc14(government, year, version, day=day)

    register(DocKind("tc27", "T-C.27", "Renstra: program, kegiatan, sub kegiatan dan pendanaan", ScopeKind.AGENCY,
                     tc27, versioned="renstra"))
    register(DocKind("tc33", "T-C.33", "Renja: rumusan program dan kegiatan tahun rencana", ScopeKind.AGENCY, tc33,
                     versioned="renja"))
    register(DocKind("rkpd", "RKPD", "Rencana program dan kegiatan seluruh perangkat daerah",
                     ScopeKind.GOVERNMENT, rkpd, extra_roles=budget_roles))
    register(DocKind("tc14", "T-C.14", "RPJMD: indikasi program prioritas dan kebutuhan pendanaan",
                     ScopeKind.GOVERNMENT, tc14, versioned="rpjmd", extra_roles=budget_roles))

