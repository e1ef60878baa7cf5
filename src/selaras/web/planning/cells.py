"""Saving one cell of a plan table (the in-place editor), with the same checks as the import.

A cell is named by its row kind, row id, column and, for yearly columns, the year. Saving checks
who may edit the row's document (and that it is not in penetapan), parses the typed value with
`domain.plan_cells`, checks the target as a whole (single value or range, `domain.targets`), and
writes the one field with its change history. A refused value is returned as a Bahasa message,
never raised: the editor shows it beside the cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from selaras.domain import plan_cells
from selaras.domain.errors import InvalidInput, NotFound
from selaras.domain.plan_cells import Problem
from selaras.domain.targets import negative_problem, target_problem
from selaras.domain.values import as_text
from selaras.web.http import AnyUser
from selaras.web.planning import documents
from selaras.web.planning.documents import Document
from selaras.web.planning.messages import text
from selaras.web.planning.scope import check_edit
from selaras.web.plans.models import (
    AgencyAnnualPlan,
    AnnualPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    LongTermPlan,
    MediumTermPlan,
    Mission,
    Objective,
    PolicyDirection,
    RenjaLine,
    RenstraGoal,
    RenstraLine,
    RenstraLineYear,
    RenstraObjective,
    RenstraPolicyDirection,
    RenstraStrategy,
    Strategy,
)
from selaras.web.proposals.audit import stamp

__all__ = ["CellResult", "save_cell", "COLUMNS", "RowKind", "display", "cell_text", "seen_text"]

Parser = Callable[[Any], tuple[Any, Problem | None]]


def _text(max_length: int, required: bool = False) -> Parser:
    return lambda raw: plan_cells.parse_text(raw, max_length=max_length, required=required)


def _direction(raw: Any) -> tuple[Any, Problem | None]:
    found, problem = plan_cells.parse_direction(raw)
    return (found.value if found is not None else None), problem


_DECIMAL: Parser = plan_cells.parse_decimal
_RUPIAH: Parser = plan_cells.parse_rupiah
_UNIT: Parser = plan_cells.parse_unit


class RowKind:
    RENSTRA_LINE = "renstra_line"
    RENSTRA_YEAR = "renstra_year"
    RENJA_LINE = "renja_line"
    INDICATOR = "indicator"
    INDICATOR_TARGET = "indicator_target"
    RKPD = "rkpd"
    RENJA = "renja"
    RPJPD = "rpjpd"
    RPJMD = "rpjmd"
    MISSION = "mission"
    GOAL = "goal"
    OBJECTIVE = "objective"
    STRATEGY = "strategy"
    POLICY = "policy"
    RENSTRA_GOAL = "renstra_goal"
    RENSTRA_OBJECTIVE = "renstra_objective"
    RENSTRA_STRATEGY = "renstra_strategy"
    RENSTRA_POLICY = "renstra_policy"


def _missions(raw: Any) -> tuple[Any, Problem | None]:
    """A list typed one item per line (the RPJPD's missions, the RKPD's priorities; empty lines
    dropped)."""
    lines = raw if isinstance(raw, list) else as_text(raw).splitlines()
    found = [" ".join(str(line).split()) for line in lines]
    if sum(len(m) for m in found) > 8000:
        return None, ("cell.too_long", {"max": 8000})
    return [m for m in found if m], None


def _choice_id(raw: Any) -> tuple[Any, Problem | None]:
    """The id of a row picked from a list (empty: none); whether it may be picked is checked on save."""
    found = as_text(raw).strip()
    if not found:
        return None, None
    if not found.isascii() or not found.isdigit() or len(found) > 18:
        return None, ("cell.unknown_objective", {})
    return int(found), None


_NUMBER = _text(16, required=True)
_STATEMENT = _text(4000, required=True)


#: Editable columns per row kind: column name -> parser. Target columns are checked together.
COLUMNS: dict[str, dict[str, Parser]] = {
    RowKind.RENSTRA_LINE: {
        "name": _text(400, required=True), "indicator": _text(300), "unit": _UNIT, "direction": _direction,
        "baseline": _DECIMAL, "end_target": _DECIMAL, "responsible_unit": _text(200), "location": _text(200),
        "objective": _choice_id,
    },
    RowKind.RENSTRA_YEAR: {"target": _DECIMAL, "target_min": _DECIMAL, "target_max": _DECIMAL, "budget": _RUPIAH},
    RowKind.RENJA_LINE: {
        "name": _text(400, required=True), "indicator": _text(300), "unit": _UNIT, "direction": _direction,
        "target": _DECIMAL, "target_min": _DECIMAL, "target_max": _DECIMAL, "budget": _RUPIAH,
        "forward_estimate": _RUPIAH, "funding_source": _text(120), "location": _text(200),
        "forward_target": _DECIMAL, "forward_target_min": _DECIMAL, "forward_target_max": _DECIMAL,
        "note": _text(400),
    },
    RowKind.INDICATOR: {"name": _text(300, required=True), "unit": _UNIT, "direction": _direction,
                        "baseline": _DECIMAL, "end_value": _DECIMAL},
    RowKind.INDICATOR_TARGET: {"value": _DECIMAL, "target_min": _DECIMAL, "target_max": _DECIMAL},
    RowKind.RKPD: {"theme": _text(300), "ceiling": _RUPIAH, "priorities": _missions},
    RowKind.RENJA: {"ceiling": _RUPIAH},
    RowKind.RPJPD: {"vision": _STATEMENT, "missions": _missions},
    RowKind.RPJMD: {"vision": _STATEMENT},
    RowKind.MISSION: {"text": _STATEMENT},
    RowKind.GOAL: {"number": _NUMBER, "text": _STATEMENT},
    RowKind.OBJECTIVE: {"number": _NUMBER, "text": _STATEMENT},
    RowKind.STRATEGY: {"text": _STATEMENT},
    RowKind.POLICY: {"text": _STATEMENT},
    RowKind.RENSTRA_GOAL: {"number": _NUMBER, "text": _STATEMENT},
    RowKind.RENSTRA_OBJECTIVE: {"number": _NUMBER, "text": _STATEMENT},
    RowKind.RENSTRA_STRATEGY: {"text": _STATEMENT},
    RowKind.RENSTRA_POLICY: {"text": _STATEMENT},
}
#: The fields of the rows that hold a target (single value, min, max), checked together.
_TARGETS: dict[str, tuple[tuple[str, str, str], ...]] = {
    RowKind.RENSTRA_YEAR: (("target", "target_min", "target_max"),),
    RowKind.RENJA_LINE: (("target", "target_min", "target_max"),
                         ("forward_target", "forward_target_min", "forward_target_max")),
    RowKind.INDICATOR_TARGET: (("value", "target_min", "target_max"),),
}
_YEARLY = frozenset({RowKind.RENSTRA_YEAR, RowKind.INDICATOR_TARGET})


@dataclass(frozen=True)
class CellResult:
    row_kind: str
    row_id: int
    column: str
    year: int | None
    value: Any
    shown: str
    error: str = ""
    #: The value stored now (what the cell holds after a refusal, for the editor's next save).
    current: Any = None
    #: The value was changed by someone else since the editor showed it: nothing written, the
    #: cell shows the stored value again.
    conflict: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


def display(value: Any) -> str:
    """A stored value as the editor shows it (Indonesian grouping for rupiah, plain decimals)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, Decimal):
        plain = format(value.normalize(), "f") if value != 0 else "0"
        return plain.replace(".", ",")
    return str(value)


def cell_text(value: Any) -> str:
    """The text of a stored value in its editor cell (the grid renders it; a save compares the
    text the editor saw with it)."""
    if isinstance(value, list):  # the RPJPD's missions, the RKPD's priorities: one per line
        return "\n".join(str(v) for v in value)
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return display(value)
    return "" if value is None else str(value)


def seen_text(column: str, value: Any) -> str:
    """`cell_text` as the cell's own input holds it (a choice holds the id, a direction 'none')."""
    if column == "objective":
        return "" if value is None else str(value)
    if column == "direction":
        return str(value or "none")
    return cell_text(value)


def _unchanged_since(column: str, stored: Any, seen: str) -> bool:
    """Whether the stored value is still the one the editor showed (`seen`); spacing aside (a
    browser drops line breaks from an input and the first one of a textarea)."""
    return "".join(seen_text(column, stored).split()) == "".join(seen.split())


def _told(column: str, value: Any) -> str:
    """A stored value as a message names it."""
    if column == "objective":
        found = RenstraObjective.objects.filter(pk=value).values_list("number", "text").first() if value else None
        return f"{found[0]} {found[1]}"[:120] if found else "(kosong)"
    if column == "direction":
        return {"up": "naik", "down": "turun", "band": "rentang"}.get(str(value), "tidak ditentukan")
    shown = " ".join(cell_text(value).split())
    return (shown[:120] + ("…" if len(shown) > 120 else "")) or "(kosong)"


def _stored(row_kind: str, owner: Any, column: str, year: int | None) -> Any:
    """The value a cell holds now (None for a yearly row not written yet), read without a lock."""
    if row_kind in _YEARLY:
        model = RenstraLineYear if row_kind == RowKind.RENSTRA_YEAR else IndicatorTarget
        parent = "line" if row_kind == RowKind.RENSTRA_YEAR else "indicator"
        row = model.objects.filter(**{parent: owner, "year": year}).first()
        return getattr(row, column, None) if row is not None else None
    return getattr(owner, "objective_id" if column == "objective" and row_kind == RowKind.RENSTRA_LINE else column,
                   None)


def _owner(row_kind: str, row_id: int, year: int | None) -> tuple[Any, Document]:
    """The row that holds the column (for yearly columns: the parent row) and its document."""
    if row_kind in (RowKind.RENSTRA_LINE, RowKind.RENSTRA_YEAR):
        line = RenstraLine.objects.select_related("renstra__agency__government").filter(pk=row_id).first()
        if line is None:
            raise NotFound("Baris Renstra tidak ditemukan.")
        return line, documents.of(line.renstra)
    if row_kind == RowKind.RENJA_LINE:
        rline = RenjaLine.objects.select_related("renja__agency", "renja__rkpd__government").filter(pk=row_id).first()
        if rline is None:
            raise NotFound("Baris Renja tidak ditemukan.")
        return rline, documents.of(rline.renja)
    if row_kind in (RowKind.INDICATOR, RowKind.INDICATOR_TARGET):
        indicator = Indicator.objects.select_related(
            "long_term_plan__government", "rpjmd__government", "objective__goal__mission__rpjmd__government",
            "renstra_objective__goal__renstra__agency__government").filter(pk=row_id).first()
        if indicator is None:
            raise NotFound("Indikator tidak ditemukan.")
        return indicator, _indicator_document(indicator)
    if row_kind == RowKind.RKPD:
        rkpd = AnnualPlan.objects.select_related("government").filter(pk=row_id).first()
        if rkpd is None:
            raise NotFound("RKPD tidak ditemukan.")
        return rkpd, documents.of(rkpd)
    structure = _STRUCTURE.get(row_kind)
    if structure is not None:
        model, related, document_of = structure
        found = model.objects.select_related(*related).filter(pk=row_id).first()  # type: ignore[attr-defined]
        if found is None:
            raise NotFound(text("cell.unknown_row"))
        return found, documents.of(document_of(found))
    if row_kind == RowKind.RENJA:
        renja = AgencyAnnualPlan.objects.select_related("agency", "rkpd__government").filter(pk=row_id).first()
        if renja is None:
            raise NotFound("Renja tidak ditemukan.")
        # the ceiling of an agency is set in the RKPD (Bappeda's document)
        return renja, documents.of(renja.rkpd)
    raise InvalidInput(text("cell.unknown_field"))


#: Rows of a document's structure (vision, missions, goals, objectives, strategies, policy
#: directions): model, related rows to load, and the document the row belongs to.
_STRUCTURE: dict[str, tuple[type[models.Model], tuple[str, ...], Callable[[Any], Any]]] = {
    RowKind.RPJPD: (LongTermPlan, ("government",), lambda o: o),
    RowKind.RPJMD: (MediumTermPlan, ("government",), lambda o: o),
    RowKind.MISSION: (Mission, ("rpjmd__government",), lambda o: o.rpjmd),
    RowKind.GOAL: (Goal, ("mission__rpjmd__government",), lambda o: o.mission.rpjmd),
    RowKind.OBJECTIVE: (Objective, ("goal__mission__rpjmd__government",), lambda o: o.goal.mission.rpjmd),
    RowKind.STRATEGY: (Strategy, ("objective__goal__mission__rpjmd__government",),
                       lambda o: o.objective.goal.mission.rpjmd),
    RowKind.POLICY: (PolicyDirection, ("strategy__objective__goal__mission__rpjmd__government",),
                     lambda o: o.strategy.objective.goal.mission.rpjmd),
    RowKind.RENSTRA_GOAL: (RenstraGoal, ("renstra__agency__government",), lambda o: o.renstra),
    RowKind.RENSTRA_OBJECTIVE: (RenstraObjective, ("goal__renstra__agency__government",),
                                lambda o: o.goal.renstra),
    RowKind.RENSTRA_STRATEGY: (RenstraStrategy, ("objective__goal__renstra__agency__government",),
                               lambda o: o.objective.goal.renstra),
    RowKind.RENSTRA_POLICY: (RenstraPolicyDirection, ("strategy__objective__goal__renstra__agency__government",),
                             lambda o: o.strategy.objective.goal.renstra),
}


def _indicator_document(indicator: Indicator) -> Document:
    if indicator.long_term_plan is not None:
        return documents.of(indicator.long_term_plan)
    if indicator.rpjmd is not None:
        return documents.of(indicator.rpjmd)
    if indicator.objective_id is not None:
        return documents.of(indicator.objective.goal.mission.rpjmd)  # type: ignore[union-attr]
    return documents.of(indicator.renstra_objective.goal.renstra)  # type: ignore[union-attr]


def _year_row(row_kind: str, owner: Any, doc: Document, year: int | None, *, lock: bool) -> Any:
    if year is None:
        raise InvalidInput(text("cell.year"))
    start, end = int(doc.obj.start_year), int(doc.obj.end_year)
    if not start <= year <= end:
        raise InvalidInput(text("cell.year"))
    row: RenstraLineYear | IndicatorTarget
    if row_kind == RowKind.RENSTRA_YEAR:
        row, _ = RenstraLineYear.objects.get_or_create(line=owner, year=year)
    else:
        row, _ = IndicatorTarget.objects.get_or_create(indicator=owner, year=year)
    if lock:
        row = type(row).objects.select_for_update().get(pk=row.pk)
    return row


def save_cell(user: AnyUser | None, row_kind: str, row_id: int, column: str, raw: Any,
              year: int | None = None, *, refused: Problem | None = None, seen: str | None = None) -> CellResult:
    """Save one cell; NotPermitted/NotFound raise, a refused value comes back as `error`.

    `refused`: the value could not even be read as text (too long, a control character); it is
    answered like any refused value, after the same checks of the row and of who may edit it.
    `seen`: the cell's text when the editor showed it (None: not checked). When the stored value
    is no longer that one, someone else saved the cell meanwhile: nothing is written, unless the
    new value is the stored one, and the answer (`conflict`) carries the stored value. Only the
    one cell is compared: other cells of the same line saved meanwhile never refuse a save."""
    parsers = COLUMNS.get(row_kind)
    if parsers is None or column not in parsers:
        raise InvalidInput(text("cell.unknown_field"))
    owner, doc = _owner(row_kind, row_id, year)
    check_edit(user, doc)
    value, problem = (None, refused) if refused is not None else parsers[column](raw)
    if problem is not None:
        return CellResult(row_kind, row_id, column, year, None, "", text(problem[0], **problem[1]),
                          current=_stored(row_kind, owner, column, year))
    with transaction.atomic():
        if row_kind in _YEARLY:
            row = _year_row(row_kind, owner, doc, year, lock=True)
        else:
            row = type(owner).objects.select_for_update().get(pk=owner.pk)
        stored = getattr(row, "objective_id" if row_kind == RowKind.RENSTRA_LINE and column == "objective"
                         else column)
        if seen is not None and not _unchanged_since(column, stored, seen) and not _same_value(stored, value):
            transaction.set_rollback(True)
            return CellResult(row_kind, row_id, column, year, stored, cell_text(stored),
                              text("cell.changed_meanwhile", current=_told(column, stored)),
                              current=stored, conflict=True)
        code = _value_problem(row_kind, owner, row, column, value)
        if code is not None:
            transaction.set_rollback(True)
            return CellResult(row_kind, row_id, column, year, None, "", text(code), current=stored)
        if row_kind == RowKind.RENSTRA_LINE and column == "objective":
            return _save_objective(user, row, value)
        setattr(row, column, value)
        fields = [column]
        if row_kind == RowKind.RENJA_LINE and column == "budget" and row.budget_from_proposals:
            row.budget_from_proposals = False  # the planner now owns the pagu
            fields.append("budget_from_proposals")
        stamp(row, user, f"penyusunan: {column}")
        row.save(update_fields=fields)
    return CellResult(row_kind, row_id, column, year, value, display(value))


#: Columns holding a baseline or an end value (one number, never a range), checked for their sign.
_VALUES: dict[str, frozenset[str]] = {
    RowKind.RENSTRA_LINE: frozenset({"baseline", "end_target"}),
    RowKind.INDICATOR: frozenset({"baseline", "end_value"}),
}


def _value_problem(row_kind: str, owner: Any, row: Any, column: str, value: Any) -> str | None:
    """Why a number may not be stored in the row (a code), or None: a target as a whole (single
    value or range), and the sign of targets and baselines (`domain.targets.negative_problem`:
    a plan line's never negative, an indicator's only when it is a rate of change)."""
    indicator = owner.name if row_kind in (RowKind.INDICATOR, RowKind.INDICATOR_TARGET) else None
    for group in _TARGETS.get(row_kind, ()):
        if column in group:
            after = [value if f == column else getattr(row, f) for f in group]
            return negative_problem(value, indicator=indicator) or target_problem(*after)
    if column in _VALUES.get(row_kind, ()):
        return negative_problem(value, indicator=indicator)
    return None


def _same_value(stored: Any, value: Any) -> bool:
    """The value typed is the one stored (two people typing the same thing do not conflict)."""
    if isinstance(stored, Decimal) and isinstance(value, Decimal):
        return stored == value
    return bool(stored == value) and type(stored) is type(value)


def _save_objective(user: AnyUser | None, line: RenstraLine, objective_id: int | None) -> CellResult:
    """The Renstra objective (sasaran) a line serves; the lines below it follow. Only an objective
    of the same Renstra may be picked."""
    objective = None
    if objective_id is not None:
        objective = RenstraObjective.objects.filter(pk=objective_id, goal__renstra_id=line.renstra_id).first()
        if objective is None:
            transaction.set_rollback(True)
            return CellResult(RowKind.RENSTRA_LINE, line.pk, "objective", None, None, "",
                              text("cell.unknown_objective"))
    below = list(RenstraLine.objects.select_for_update().filter(renstra_id=line.renstra_id,
                                                                code__startswith=f"{line.code}."))
    for changed in (line, *below):
        changed.objective = objective
        stamp(changed, user, "penyusunan: sasaran")
        changed.save(update_fields=["objective"])
    return CellResult(RowKind.RENSTRA_LINE, line.pk, "objective", None, objective_id,
                      display(objective_id))
