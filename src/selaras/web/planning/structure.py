"""The statements of a plan document: vision, missions, goals, objectives, strategies and policy
directions (RPJMD, by Bappeda) and the goals, objectives, strategies and policy directions of a
Renstra (by its agency).

Items are added under their parent (a goal under a mission, an objective under a goal, ...),
edited in place like every other cell (`cells.py`, row kinds `mission`, `goal`, ...) and removed
with everything below them. Every write checks who may edit the document and its stage, exactly as
the lines do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.safestring import SafeString

from selaras.domain import plan_cells
from selaras.domain.errors import InvalidInput, NotFound
from selaras.domain.plan_documents import DocumentKind
from selaras.web.http import AnyUser
from selaras.web.planning import grid
from selaras.web.planning.cells import COLUMNS, RowKind
from selaras.web.planning.documents import Document
from selaras.web.planning.messages import text
from selaras.web.planning.scope import check_edit
from selaras.web.plans.models import (
    Goal,
    Mission,
    Objective,
    PolicyDirection,
    RenstraGoal,
    RenstraObjective,
    RenstraPolicyDirection,
    RenstraStrategy,
    Strategy,
)
from selaras.web.proposals.audit import stamp

__all__ = ["ITEM_LABELS", "Item", "add_item", "delete_item", "tree", "parent_choices"]

#: Item kinds as they appear in URLs and forms, with their Bahasa label.
ITEM_LABELS = {"misi": "misi", "tujuan": "tujuan", "sasaran": "sasaran", "strategi": "strategi",
               "arah": "arah kebijakan"}


@dataclass(frozen=True)
class _Spec:
    model: type[models.Model]
    row_kind: str
    parent_field: str  # the foreign key to the parent item (or to the document for the top level)
    parent_kind: str  # "" when the parent is the document itself
    document_path: str  # the lookup from the item to its document (for scoping queries)
    numbered: bool


_SPECS: dict[DocumentKind, dict[str, _Spec]] = {
    DocumentKind.RPJMD: {
        "misi": _Spec(Mission, RowKind.MISSION, "rpjmd", "", "rpjmd", True),
        "tujuan": _Spec(Goal, RowKind.GOAL, "mission", "misi", "mission__rpjmd", True),
        "sasaran": _Spec(Objective, RowKind.OBJECTIVE, "goal", "tujuan", "goal__mission__rpjmd", True),
        "strategi": _Spec(Strategy, RowKind.STRATEGY, "objective", "sasaran", "objective__goal__mission__rpjmd", False),
        "arah": _Spec(PolicyDirection, RowKind.POLICY, "strategy", "strategi",
                      "strategy__objective__goal__mission__rpjmd", False),
    },
    DocumentKind.RENSTRA: {
        "tujuan": _Spec(RenstraGoal, RowKind.RENSTRA_GOAL, "renstra", "", "renstra", True),
        "sasaran": _Spec(RenstraObjective, RowKind.RENSTRA_OBJECTIVE, "goal", "tujuan", "goal__renstra", True),
        "strategi": _Spec(RenstraStrategy, RowKind.RENSTRA_STRATEGY, "objective", "sasaran",
                          "objective__goal__renstra", False),
        "arah": _Spec(RenstraPolicyDirection, RowKind.RENSTRA_POLICY, "strategy", "strategi",
                      "strategy__objective__goal__renstra", False),
    },
}


def _spec(doc: Document, item_kind: str) -> _Spec:
    spec = _SPECS.get(doc.kind, {}).get(item_kind)
    if spec is None:
        raise InvalidInput("Jenis butir tidak dikenal untuk dokumen ini.")
    return spec


def _of_document(doc: Document, spec: _Spec) -> Any:
    return spec.model.objects.filter(**{spec.document_path: doc.obj})  # type: ignore[attr-defined]


def _next_number(doc: Document, spec: _Spec, parent: Any) -> str:
    """The next number under the parent: 1, 2, ... for missions and top-level goals; the parent's
    number and a counter below it (1.1, 1.2, ...) for the others."""
    siblings = spec.model.objects.filter(**{spec.parent_field: parent})  # type: ignore[attr-defined]
    count = siblings.count() + 1
    prefix = getattr(parent, "number", None) if spec.parent_kind else None
    return f"{prefix}.{count}" if prefix else str(count)


def add_item(user: AnyUser | None, doc: Document, item_kind: str, statement: str, *, parent_id: int | None = None,
             number: str = "") -> Any:
    """A new mission/goal/objective/strategy/policy direction of the document, under its parent."""
    check_edit(user, doc)
    spec = _spec(doc, item_kind)
    clean, problem = plan_cells.parse_text(statement, max_length=4000, required=True)
    if problem is not None or not clean:
        raise InvalidInput(text(problem[0], **problem[1]) if problem else text("cell.required"))
    if spec.parent_kind:
        parent_spec = _spec(doc, spec.parent_kind)
        parent = _of_document(doc, parent_spec).filter(pk=parent_id).first() if parent_id else None
        if parent is None:
            raise InvalidInput(f"Pilih {ITEM_LABELS[spec.parent_kind]} induknya terlebih dahulu.")
    else:
        parent = doc.obj
    values: dict[str, Any] = {spec.parent_field: parent, "text": clean}
    if spec.numbered:
        chosen, problem = plan_cells.parse_text(number, max_length=16)
        if problem is not None:
            raise InvalidInput(text(problem[0], **problem[1]))
        chosen = chosen or _next_number(doc, spec, parent)
        if spec.model is Mission:
            if not chosen.isdigit():
                raise InvalidInput("Nomor misi berupa angka.")
            values["number"] = int(chosen)
        else:
            values["number"] = chosen
        if _of_document(doc, spec).filter(number=values["number"]).exists():
            raise InvalidInput(f"Nomor {values['number']} sudah dipakai {ITEM_LABELS[item_kind]} lain.")
    with transaction.atomic():
        item = spec.model(**values)
        stamp(item, user, f"penyusunan: {ITEM_LABELS[item_kind]} baru")
        item.save()
    return item


def delete_item(user: AnyUser | None, doc: Document, item_kind: str, item_id: int) -> None:
    """Remove an item and everything below it."""
    check_edit(user, doc)
    spec = _spec(doc, item_kind)
    item = _of_document(doc, spec).filter(pk=item_id).first()
    if item is None:
        raise NotFound("Butir tidak ditemukan pada dokumen ini.")
    stamp(item, user, f"penyusunan: {ITEM_LABELS[item_kind]} dihapus")
    item.delete()


@dataclass
class Item:
    kind: str
    pk: int
    number: str
    number_cell: SafeString | None
    text_cell: SafeString
    children: list[Item]

    @property
    def label(self) -> str:
        return ITEM_LABELS[self.kind]


def _item(spec: _Spec, kind: str, obj: Any, *, editable: bool, children: list[Item]) -> Item:
    number = str(getattr(obj, "number", "") or "")
    label = f"{ITEM_LABELS[kind]} {number}".strip()
    number_cell = grid.cell(spec.row_kind, obj.pk, "number", number,
                            editable=editable and "number" in COLUMNS[spec.row_kind], label=f"Nomor {label}",
                            size=5) if spec.numbered else None
    return Item(kind, obj.pk, number, number_cell,
                grid.cell(spec.row_kind, obj.pk, "text", obj.text, editable=editable, label=f"Uraian {label}"),
                children)


def tree(doc: Document, *, editable: bool) -> list[Item]:
    """The document's items as a tree (missions or goals at the top), with their cells."""
    specs = _SPECS.get(doc.kind)
    if not specs:
        return []
    kinds = list(specs)
    rows: dict[str, list[Any]] = {k: list(_of_document(doc, specs[k]).order_by(
        *(["number"] if specs[k].numbered else []), "id")) for k in kinds}
    built: dict[str, dict[int, list[Item]]] = {}
    for depth in range(len(kinds) - 1, -1, -1):
        kind = kinds[depth]
        spec = specs[kind]
        below = built.get(kinds[depth + 1], {}) if depth + 1 < len(kinds) else {}
        by_parent: dict[int, list[Item]] = {}
        for obj in rows[kind]:
            item = _item(spec, kind, obj, editable=editable, children=below.get(obj.pk, []))
            by_parent.setdefault(getattr(obj, f"{spec.parent_field}_id"), []).append(item)
        built[kind] = by_parent
    return built[kinds[0]].get(doc.pk, [])


def parent_choices(doc: Document) -> list[tuple[str, str, str, list[tuple[int, str]]]]:
    """For each item kind of the document: its key, label, the parent's label, and the parents to
    choose from ((id, short text) pairs; empty list for the top level)."""
    specs = _SPECS.get(doc.kind, {})
    out = []
    for kind, spec in specs.items():
        parents: list[tuple[int, str]] = []
        if spec.parent_kind:
            parent_spec = specs[spec.parent_kind]
            for obj in _of_document(doc, parent_spec).order_by(*(["number"] if parent_spec.numbered else []), "id"):
                number = str(getattr(obj, "number", "") or "")
                parents.append((obj.pk, f"{number} {obj.text[:70]}".strip()))
        out.append((kind, ITEM_LABELS[kind], ITEM_LABELS.get(spec.parent_kind, ""), parents))
    return out
