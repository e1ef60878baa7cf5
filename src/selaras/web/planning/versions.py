"""Versions of plan documents: the snapshot stored at every stage move, and comparing two.

A snapshot (`DocumentVersion.payload`) is plain JSON: the document's header and its lines, each
line with a stable `key`, its code and name, its `targets` (column -> target text) and `money`
(column -> whole rupiah). Comparing two versions lists the lines added and removed, every target
and money cell changed, and the money totals of both versions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max

from selaras.domain.errors import InvalidInput
from selaras.domain.plan_cells import target_text
from selaras.domain.plan_documents import DocumentKind
from selaras.web.http import AnyUser
from selaras.web.planning.documents import Document
from selaras.web.planning.models import DocumentVersion
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Objective,
    PolicyDirection,
    PriorityProgram,
    RenjaLine,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
    RenstraPolicyDirection,
    RenstraStrategy,
    Strategy,
)

__all__ = ["payload_of", "store_version", "compare", "Comparison", "LineChange", "CellChange", "comparison_rows",
           "column_label"]


def _t(value: Any, low: Any = None, high: Any = None) -> str:
    return target_text(value, low, high)


def _keyed(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each line a unique key (a code used twice gets '#2', '#3' in order)."""
    seen: dict[str, int] = defaultdict(int)
    for line in lines:
        base = line["key"]
        seen[base] += 1
        if seen[base] > 1:
            line["key"] = f"{base}#{seen[base]}"
    return lines


def _renstra(doc: Document) -> dict[str, Any]:
    renstra = doc.obj
    years = list(range(renstra.start_year, renstra.end_year + 1))
    by_line: dict[int, dict[int, tuple[Any, ...]]] = defaultdict(dict)
    for line_id, year, target, low, high, budget in RenstraLineYear.objects.filter(
            line__renstra=renstra).values_list("line_id", "year", "target", "target_min", "target_max", "budget"):
        by_line[line_id][year] = (target, low, high, budget)
    lines = []
    for (pk, level, code, name, indicator, unit, direction, baseline, end_target, objective, goal, responsible_unit,
         location) in RenstraLine.objects.filter(renstra=renstra).order_by("code", "id").values_list(
            "id", "level", "code", "name", "indicator", "unit", "direction", "baseline", "end_target",
            "objective__number", "objective__goal__number", "responsible_unit", "location"):
        entries = by_line.get(pk, {})
        targets = {"baseline": _t(baseline), "end": _t(end_target)}
        money = {}
        for year in years:
            target, low, high, budget = entries.get(year, (None, None, None, 0))
            targets[str(year)] = _t(target, low, high)
            money[str(year)] = int(budget)
        lines.append({"key": f"{level}:{code}", "id": pk, "code": code, "level": level, "name": name,
                      "indicator": indicator, "unit": unit, "direction": direction, "objective": objective or "",
                      "goal": goal or "", "responsible_unit": responsible_unit, "location": location,
                      "targets": targets, "money": money})
    return {"header": {"years": years}, "target_columns": ["baseline", *map(str, years), "end"],
            "money_columns": [str(y) for y in years],
            "lines": _keyed(_renstra_structure(renstra) + _indicator_payload(
                Indicator.objects.filter(renstra_objective__goal__renstra=renstra), years,
                number="renstra_objective__number") + lines)}


def _structure_line(key: str, code: str, name: str) -> dict[str, Any]:
    return {"key": key, "code": code, "name": name, "targets": {}, "money": {}}


def _rpjmd_structure(rpjmd: Any) -> list[dict[str, Any]]:
    """The RPJMD's missions, goals, objectives, strategies and policy directions as lines."""
    lines = [_structure_line(f"mission:{n}", str(n), text) for n, text in Mission.objects.filter(
        rpjmd=rpjmd).order_by("number", "id").values_list("number", "text")]
    lines += [_structure_line(f"goal:{n}", str(n), text) for n, text in Goal.objects.filter(
        mission__rpjmd=rpjmd).order_by("number", "id").values_list("number", "text")]
    lines += [_structure_line(f"objective:{n}", str(n), text) for n, text in Objective.objects.filter(
        goal__mission__rpjmd=rpjmd).order_by("number", "id").values_list("number", "text")]
    strategies = Strategy.objects.filter(objective__goal__mission__rpjmd=rpjmd).order_by("objective__number", "id")
    lines += [_structure_line(f"strategy:{n}", str(n), text) for n, text in strategies.values_list(
        "objective__number", "text")]
    lines += [_structure_line(f"policy:{n}", str(n), text) for n, text in PolicyDirection.objects.filter(
        strategy__in=strategies.values("id")).order_by("strategy__objective__number", "strategy_id", "id").values_list(
        "strategy__objective__number", "text")]
    return lines


def _renstra_structure(renstra: Any) -> list[dict[str, Any]]:
    """The Renstra's goals, objectives, strategies and policy directions as lines."""
    lines = [_structure_line(f"goal:{n}", str(n), text) for n, text in RenstraGoal.objects.filter(
        renstra=renstra).order_by("number", "id").values_list("number", "text")]
    lines += [_structure_line(f"objective:{n}", str(n), text) for n, text in RenstraObjective.objects.filter(
        goal__renstra=renstra).order_by("number", "id").values_list("number", "text")]
    strategies = RenstraStrategy.objects.filter(objective__goal__renstra=renstra).order_by("objective__number", "id")
    lines += [_structure_line(f"strategy:{n}", str(n), text) for n, text in strategies.values_list(
        "objective__number", "text")]
    lines += [_structure_line(f"policy:{n}", str(n), text) for n, text in RenstraPolicyDirection.objects.filter(
        strategy__in=strategies.values("id")).order_by("strategy__objective__number", "strategy_id", "id").values_list(
        "strategy__objective__number", "text")]
    return lines


def _renja(doc: Document) -> dict[str, Any]:
    renja = doc.obj
    lines = []
    for (pk, code, name, indicator, unit, direction, target, low, high, budget, forward, note, f_target, f_low,
         f_high, location, funding_source) in RenjaLine.objects.filter(renja=renja).order_by("code", "id").values_list(
            "id", "code", "name", "indicator", "unit", "direction", "target", "target_min", "target_max", "budget",
            "forward_estimate", "note", "forward_target", "forward_target_min", "forward_target_max", "location",
            "funding_source"):
        lines.append({"key": code, "id": pk, "code": code, "name": name, "indicator": indicator, "unit": unit,
                      "direction": direction, "note": note, "location": location, "funding_source": funding_source,
                      "targets": {"target": _t(target, low, high), "forward_target": _t(f_target, f_low, f_high)},
                      "money": {"budget": int(budget), "forward_estimate": int(forward)}})
    return {"header": {"year": renja.rkpd.year, "ceiling": int(renja.ceiling)},
            "target_columns": ["target", "forward_target"],
            "money_columns": ["budget", "forward_estimate"], "lines": _keyed(lines)}


def _rkpd(doc: Document) -> dict[str, Any]:
    rkpd = doc.obj
    totals: dict[int, tuple[int, int]] = {}
    for renja_id, budget, forward in RenjaLine.objects.filter(renja__rkpd=rkpd).values_list(
            "renja_id", "budget", "forward_estimate"):
        b, f = totals.get(renja_id, (0, 0))
        totals[renja_id] = (b + int(budget), f + int(forward))
    lines = []
    for pk, code, name, short, ceiling, stage in AgencyAnnualPlan.objects.filter(rkpd=rkpd).order_by(
            "agency__code").values_list("id", "agency__code", "agency__name", "agency__short_name", "ceiling",
                                        "stage"):
        budget, forward = totals.get(pk, (0, 0))
        lines.append({"key": f"renja:{code}", "code": code, "name": short or name, "targets": {"stage": stage},
                      "money": {"ceiling": int(ceiling), "budget": budget, "forward_estimate": forward}})
    for code, name in PriorityProgram.objects.filter(rkpd=rkpd).order_by("code", "id").values_list("code", "name"):
        lines.append({"key": f"program:{code}", "code": code, "name": name, "targets": {}, "money": {}})
    lines += [_structure_line(f"priority:{n}", str(n), str(text)) for n, text in enumerate(rkpd.priorities or [], 1)]
    return {"header": {"year": rkpd.year, "theme": rkpd.theme, "ceiling": int(rkpd.ceiling)},
            "target_columns": ["stage"], "money_columns": ["ceiling", "budget", "forward_estimate"],
            "lines": _keyed(lines)}


def rpjpd_years(plan: Any) -> list[int]:
    """The years an RPJPD sets targets for: the end of each five-year period within its twenty."""
    years = list(range(int(plan.start_year) + 4, int(plan.end_year), 5))
    return [*years, int(plan.end_year)] if not years or years[-1] != plan.end_year else years


def _indicator_payload(indicators: Any, years: list[int], number: str = "objective__number") -> list[dict[str, Any]]:
    by_indicator: dict[int, dict[int, str]] = defaultdict(dict)
    for indicator_id, year, value, low, high in IndicatorTarget.objects.filter(
            indicator__in=indicators.values("id")).values_list("indicator_id", "year", "value", "target_min",
                                                               "target_max"):
        by_indicator[indicator_id][year] = _t(value, low, high)
    lines = []
    for pk, key, name, unit, direction, baseline, end, objective in indicators.order_by("id").values_list(
            "id", "key", "name", "unit", "direction", "baseline", "end_value", number):
        targets = {"baseline": _t(baseline), "end": _t(end)}
        targets.update({str(y): by_indicator[pk].get(y, "") for y in years})
        lines.append({"key": f"indicator:{objective or '-'}:{key or name}", "id": pk, "code": objective or "",
                      "name": name, "unit": unit, "direction": direction, "targets": targets, "money": {}})
    return lines


def _rpjmd(doc: Document) -> dict[str, Any]:
    rpjmd = doc.obj
    years = list(range(rpjmd.start_year, rpjmd.end_year + 1))
    indicators = Indicator.objects.filter(rpjmd=rpjmd) | Indicator.objects.filter(
        objective__goal__mission__rpjmd=rpjmd)
    return {"header": {"vision": rpjmd.vision, "years": years},
            "target_columns": ["baseline", *map(str, years), "end"], "money_columns": [],
            "lines": _keyed(_rpjmd_structure(rpjmd) + _indicator_payload(indicators, years))}


def _rpjpd(doc: Document) -> dict[str, Any]:
    plan = doc.obj
    years = rpjpd_years(plan)
    lines = [{"key": f"mission:{n}", "code": str(n), "name": str(text), "targets": {}, "money": {}}
             for n, text in enumerate(plan.missions or [], start=1)]
    lines += _indicator_payload(Indicator.objects.filter(long_term_plan=plan), years)
    return {"header": {"vision": plan.vision, "years": years}, "target_columns": ["baseline", *map(str, years), "end"],
            "money_columns": [], "lines": _keyed(lines)}


_BUILDERS = {DocumentKind.RENSTRA: _renstra, DocumentKind.RENJA: _renja, DocumentKind.RKPD: _rkpd,
             DocumentKind.RPJMD: _rpjmd, DocumentKind.RPJPD: _rpjpd}


def payload_of(doc: Document) -> dict[str, Any]:
    """The document's content now, as the JSON a version stores."""
    payload = _BUILDERS[doc.kind](doc)
    payload["title"] = doc.title
    payload["stage"] = doc.stage.value
    return payload


def store_version(user: AnyUser | None, doc: Document, label: str = "") -> DocumentVersion:
    """A new immutable version of the document, numbered after the last one."""
    with transaction.atomic():
        last = DocumentVersion.objects.filter(kind=doc.kind.value, document_id=doc.pk).aggregate(n=Max("number"))["n"]
        return DocumentVersion.objects.create(
            government_id=doc.government_id, kind=doc.kind.value, document_id=doc.pk, agency_id=doc.agency_id,
            number=(last or 0) + 1, stage=doc.stage.value, label=label[:200], payload=payload_of(doc),
            created_by=user if user is not None and user.is_authenticated else None)


# ------------------------------------------------------------------------------ comparing

@dataclass(frozen=True)
class CellChange:
    column: str
    kind: str  # "target", "money", "text" or "header"
    before: Any
    after: Any

    @property
    def label(self) -> str:
        return column_label(self.column, self.kind)


@dataclass(frozen=True)
class LineChange:
    key: str
    code: str
    name: str
    status: str  # "added", "removed", "changed"
    cells: tuple[CellChange, ...] = ()


@dataclass
class Comparison:
    before: dict[str, Any]
    after: dict[str, Any]
    changes: list[LineChange] = field(default_factory=list)
    money_columns: list[str] = field(default_factory=list)
    totals_before: dict[str, int] = field(default_factory=dict)
    totals_after: dict[str, int] = field(default_factory=dict)
    header_changes: list[CellChange] = field(default_factory=list)

    @property
    def added(self) -> list[LineChange]:
        return [c for c in self.changes if c.status == "added"]

    @property
    def removed(self) -> list[LineChange]:
        return [c for c in self.changes if c.status == "removed"]

    @property
    def changed(self) -> list[LineChange]:
        return [c for c in self.changes if c.status == "changed"]

    @property
    def totals(self) -> list[tuple[str, int, int, int]]:
        return [(c, self.totals_before.get(c, 0), self.totals_after.get(c, 0),
                 self.totals_after.get(c, 0) - self.totals_before.get(c, 0)) for c in self.money_columns]

    @property
    def labelled_totals(self) -> list[tuple[str, str, int, int, int]]:
        return [(c, column_label(c, "money"), a, b, d) for c, a, b, d in self.totals]

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.header_changes


def _totals(payload: dict[str, Any], columns: list[str]) -> dict[str, int]:
    sums = dict.fromkeys(columns, 0)
    for line in payload["lines"]:
        for column, amount in line.get("money", {}).items():
            if column in sums:
                sums[column] += int(amount)
    return sums


def compare(before: DocumentVersion | dict[str, Any], after: DocumentVersion | dict[str, Any]) -> Comparison:
    """What changed from `before` to `after` (two versions of one document)."""
    a = before.payload if isinstance(before, DocumentVersion) else before
    b = after.payload if isinstance(after, DocumentVersion) else after
    if isinstance(before, DocumentVersion) and isinstance(after, DocumentVersion) and (
            before.kind != after.kind or before.document_id != after.document_id):
        raise InvalidInput("Versi yang dibandingkan harus dari dokumen yang sama.")
    money_columns = list(dict.fromkeys([*a.get("money_columns", []), *b.get("money_columns", [])]))
    result = Comparison(a, b, money_columns=money_columns, totals_before=_totals(a, money_columns),
                        totals_after=_totals(b, money_columns))
    for key in sorted(set(a.get("header", {})) | set(b.get("header", {}))):
        old, new = a.get("header", {}).get(key), b.get("header", {}).get(key)
        if old != new:
            result.header_changes.append(CellChange(key, "header", old, new))
    old_lines = {line["key"]: line for line in a["lines"]}
    new_lines = {line["key"]: line for line in b["lines"]}
    for key in sorted(old_lines.keys() | new_lines.keys(), key=lambda k: (
            (new_lines.get(k) or old_lines[k])["code"], k)):
        old, new = old_lines.get(key), new_lines.get(key)
        if old is None:
            assert new is not None
            result.changes.append(LineChange(key, new["code"], new["name"], "added", _cells({}, new)))
        elif new is None:
            result.changes.append(LineChange(key, old["code"], old["name"], "removed", _cells(old, {})))
        else:
            cells = _cells(old, new)
            for attribute in ("name", "indicator", "unit", "direction", "note", "location", "funding_source",
                              "responsible_unit", "objective"):
                if old.get(attribute, "") != new.get(attribute, ""):
                    cells = (CellChange(attribute, "text", old.get(attribute, ""), new.get(attribute, "")), *cells)
            if cells:
                result.changes.append(LineChange(key, new["code"], new["name"], "changed", cells))
    return result


def _cells(old: dict[str, Any], new: dict[str, Any]) -> tuple[CellChange, ...]:
    cells: list[CellChange] = []
    for kind, part in (("target", "targets"), ("money", "money")):
        before, after = old.get(part, {}), new.get(part, {})
        for column in list(dict.fromkeys([*before, *after])):
            empty = 0 if kind == "money" else ""
            x, y = before.get(column, empty), after.get(column, empty)
            if x != y:
                cells.append(CellChange(column, kind, x if old else None, y if new else None))
    return tuple(cells)


_COLUMN_LABELS = {"baseline": "Kondisi awal", "end": "Akhir periode", "target": "Target", "budget": "Pagu",
                  "forward_estimate": "Prakiraan maju", "ceiling": "Pagu indikatif", "stage": "Tahap",
                  "name": "Nama", "indicator": "Indikator", "unit": "Satuan", "direction": "Arah",
                  "forward_target": "Target tahun n+1", "note": "Catatan penting", "objective": "Sasaran",
                  "location": "Lokasi", "funding_source": "Sumber dana", "responsible_unit": "Unit penanggung jawab"}
_STATUS_LABELS = {"added": "ditambah", "removed": "dihapus", "changed": "diubah"}


def column_label(column: str, kind: str) -> str:
    if column.isdigit():
        return f"{'Pagu' if kind == 'money' else 'Target'} {column}"
    return _COLUMN_LABELS.get(column, column)


def comparison_rows(comparison: Comparison) -> list[tuple[str, str, str, str, str, object, object, object]]:
    """One row per changed cell: status, code, name, column, kind, before, after, difference."""
    rows = []
    for change in comparison.changes:
        for c in change.cells or (CellChange("", "", None, None),):
            difference: object = ""
            if c.kind == "money":
                difference = int(c.after or 0) - int(c.before or 0)
            rows.append((_STATUS_LABELS[change.status], change.code, change.name, column_label(c.column, c.kind),
                         c.kind, c.before if c.before is not None else "", c.after if c.after is not None else "",
                         difference))
    return rows
