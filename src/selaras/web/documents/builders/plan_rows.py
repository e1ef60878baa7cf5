"""From H-PLANS's table layouts (formats/plan_tables) and plan snapshots to document tables.

A plan document is printed from a snapshot payload (`web/planning/versions.payload_of`): the
current state is the payload computed now, a version is the payload stored at a stage move, so
both print through the same code and two versions print exactly as they differ."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from selaras.domain.errors import NotFound
from selaras.domain.plan_cells import parse_target
from selaras.domain.plans import PlanStage
from selaras.formats.documents.model import Column, Format, Value, quantity
from selaras.formats.documents.numbers import long_date
from selaras.formats.plan_tables import PlanColumn, TableLayout
from selaras.web.planning.documents import of as plan_document
from selaras.web.planning.models import DocumentVersion, StageMove
from selaras.web.planning.versions import payload_of
from selaras.web.plans.models import LocalGovernment

_FORMATS = {"text": Format.TEXT, "code": Format.CODE, "level": Format.TEXT, "decimal": Format.VOLUME,
            "target": Format.VOLUME, "rupiah": Format.MONEY, "direction": Format.TEXT, "unit": Format.TEXT}


def _leaf(col: PlanColumn, indent_key: str) -> Column:
    return Column(col.header, format=_FORMATS[col.kind], width=float(col.width), indent=col.key == indent_key)


def document_columns(layout: TableLayout, *, indent_key: str = "name") -> tuple[Column, ...]:
    """The layout's official columns as a column tree: consecutive columns of one group under one
    merged header, the others standing alone (spanning both header rows)."""
    tree: list[Column] = []
    pending: list[PlanColumn] = []

    def flush() -> None:
        if pending:
            tree.append(Column(pending[0].group, children=tuple(_leaf(c, indent_key) for c in pending)))
            pending.clear()

    for col in layout.official_columns:
        if col.group and (not pending or pending[0].group == col.group):
            pending.append(col)
            continue
        flush()
        if col.group:
            pending.append(col)
        else:
            tree.append(_leaf(col, indent_key))
    flush()
    return tuple(tree)


def target_value(text: Any) -> Value:
    """A target cell: a single value as a number, a range as its text ('0,6 – 1,8'), empty as None."""
    if text in (None, ""):
        return None
    parsed, problem = parse_target(text)
    if problem is None and parsed is not None and parsed[0] is not None and parsed[1] is None and parsed[2] is None:
        return Decimal(parsed[0])
    return str(text)


def values(layout: TableLayout, row: dict[str, Any]) -> tuple[Value, ...]:
    """The official cells of a row dict. The plan tables (T-C.27, T-C.14, T-C.33, RKPD) have no
    "Satuan" column in the annex: a target or baseline prints with the row's `unit` after it."""
    out: list[Value] = []
    unit = str(row.get("unit") or "")
    for col in layout.official_columns:
        value = row.get(col.key)
        if col.kind in ("target", "decimal"):
            out.append(quantity(target_value(value), unit))
        elif col.kind == "rupiah":
            out.append(int(value) if value not in (None, "") else None)
        else:
            out.append("" if value is None else value)
    return tuple(out)


_DRAFTS = frozenset({PlanStage.INITIAL_DRAFT, PlanStage.DRAFT, PlanStage.FINAL_DRAFT})


def stage_label(government: LocalGovernment, kind: str, obj: Any) -> str:
    """What the document's current state is: its stage, and for an issued plan (Penetapan,
    Perubahan) the day it moved there when recorded ("Tahap Penetapan (12 Januari 2026)"); a
    draft says it is the state of today ("Tahap Rancangan Akhir · keadaan saat ini")."""
    document = plan_document(obj)
    if document.stage in _DRAFTS:
        return f"Tahap {document.stage_label} · keadaan saat ini"
    moved = (StageMove.objects.filter(government=government, kind=kind, document_id=obj.pk,
                                      to_stage=document.stage.value)
             .order_by("-moved_at", "-id").values_list("moved_at", flat=True).first())
    return f"Tahap {document.stage_label}" + (f" ({long_date(timezone.localdate(moved))})" if moved else "")


def current_payload(obj: Any) -> dict[str, Any]:
    """The snapshot payload of the document's current state."""
    return payload_of(plan_document(obj))


def snapshot(government: LocalGovernment, kind: str, obj: Any, version: int | None) -> tuple[dict[str, Any], str]:
    """(payload, label): the stored version number `version` of this document, or its current state
    (labelled with its stage: `stage_label`)."""
    if version is None:
        return current_payload(obj), stage_label(government, kind, obj)
    stored = DocumentVersion.objects.filter(government=government, kind=kind, document_id=obj.pk,
                                            number=version).first()
    if stored is None:
        raise NotFound(f"Versi {version} dokumen ini tidak ditemukan.", version=version)
    label = f"Versi {stored.number} ({stored.get_stage_display()})"
    return dict(stored.payload), label + (f" — {stored.label}" if stored.label else "")


def leaves(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines no other line continues (the money sits on these; upper levels would count it twice)."""
    continued: set[str] = set()
    for line in lines:
        parts = str(line.get("code", "")).split(".")
        continued.update(".".join(parts[:n]) for n in range(1, len(parts)))
    return [line for line in lines if str(line.get("code", "")) not in continued]
