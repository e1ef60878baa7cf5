"""Mappings between editions in the database: derive, store, review, read.

`derive_and_store(old, new)` derives the mapping (`selaras.reference.mapping`) from the rows of
two loaded editions and stores one `CodeMapping` row per (old code, new code) for every code that
did not stay unchanged (a removal is one row with an empty `to_code`). Decisions of a person
(`confirmed`, `rejected`, `manual`) survive a new derivation: their old codes are not derived again.
A code of the old edition without any row is unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from selaras.domain.errors import InvalidInput, NotFound
from selaras.reference.mapping import (
    CHANGE_KINDS,
    Mapped,
    derive_mapping,
    nomenclature_entries,
    region_entries,
)
from selaras.web.reference.models import CodeMapping, Edition, NomenclatureItem, Region

__all__ = ["Successor", "confirm", "derive_and_store", "diff", "reject", "review_queue", "successor"]

PERSON_STATUSES = ("confirmed", "rejected", "manual")


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    parent_code: str
    level: Any
    government_level: str = ""


def _edition(key: str) -> Edition:
    edition = Edition.objects.filter(key=key).first()
    if edition is None:
        raise NotFound(f"Edisi '{key}' belum dimuat.")
    return edition


def _derive(old: Edition, new: Edition) -> tuple[list[Mapped], list[str], int]:
    if old.kind != new.kind:
        raise InvalidInput(f"Edisi '{old.key}' dan '{new.key}' berbeda jenis.")
    if old.kind == "region":
        rows_old = [_Row(*r) for r in Region.objects.filter(edition=old.key).order_by().values_list(
            "code", "name", "parent_code", "level")]
        rows_new = [_Row(*r) for r in Region.objects.filter(edition=new.key).order_by().values_list(
            "code", "name", "parent_code", "level")]
        return (derive_mapping(region_entries(rows_old), region_entries(rows_new), proper_names=True),
                [r.code for r in rows_new], len(rows_old))
    fields = ("code", "name", "parent_code", "level", "government_level")
    rows_old = [_Row(*r) for r in NomenclatureItem.objects.filter(edition=old.key).order_by(
        "code", "government_level").values_list(*fields)]
    rows_new = [_Row(*r) for r in NomenclatureItem.objects.filter(edition=new.key).order_by(
        "code", "government_level").values_list(*fields)]
    official: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for code, previous, previous_name in NomenclatureItem.objects.filter(edition=new.key).exclude(
            previous_code="").order_by("code").values_list("code", "previous_code", "previous_name"):
        if code not in official[previous]:
            official[previous].append(code)
        names[previous] = previous_name
    old_entries = nomenclature_entries(rows_old)
    return (derive_mapping(old_entries, nomenclature_entries(rows_new), official, names),
            sorted({r.code for r in rows_new}), len(old_entries))


def derive_and_store(old_key: str, new_key: str) -> dict[str, int]:
    """Derive the mapping `old_key` -> `new_key`, store it (keeping persons' decisions), return counts."""
    old, new = _edition(old_key), _edition(new_key)
    mapped, _new_codes, _ = _derive(old, new)
    pair = CodeMapping.objects.filter(from_edition=old.key, to_edition=new.key)
    with transaction.atomic():
        decided = set(pair.filter(status__in=PERSON_STATUSES).values_list("from_code", flat=True))
        pair.exclude(status__in=PERSON_STATUSES).delete()
        rows = []
        for m in mapped:
            if m.change == "unchanged" or m.from_code in decided:
                continue
            for to_code, to_name in zip(m.to_codes or ("",), m.to_names or ("",), strict=False):
                rows.append(CodeMapping(
                    kind=old.kind, from_edition=old.key, from_code=m.from_code, to_edition=new.key,
                    to_code=to_code, change=m.change, confidence=m.confidence, status=m.status,
                    reason=m.reason, from_name=m.from_name, to_name=to_name, note=""))
        CodeMapping.objects.bulk_create(rows, batch_size=2_000)
    return diff(old.key, new.key)["counts"]


def diff(old_key: str, new_key: str, *, include_unchanged: bool = False) -> dict[str, Any]:
    """Counts by kind of change and the mapping of every changed old code, from stored rows
    (with `include_unchanged`, of every old code: unchanged ones map to themselves)."""
    old, new = _edition(old_key), _edition(new_key)
    model: Any = Region if old.kind == "region" else NomenclatureItem
    old_codes = set(model.objects.filter(edition=old.key).values_list("code", flat=True))
    new_codes = set(model.objects.filter(edition=new.key).values_list("code", flat=True))
    by_code: dict[str, list[CodeMapping]] = defaultdict(list)
    for row in CodeMapping.objects.filter(from_edition=old.key, to_edition=new.key).order_by("from_code", "to_code"):
        by_code[row.from_code].append(row)
    mapping: list[dict[str, Any]] = []
    counts = dict.fromkeys(CHANGE_KINDS, 0)
    review = 0
    for code, rows in sorted(by_code.items()):
        live = [r for r in rows if r.status != "rejected"] or rows
        first = live[0]
        change = "removed" if all(r.status == "rejected" for r in rows) else first.change
        counts[change] = counts.get(change, 0) + 1
        review += first.status == "review"
        mapping.append({"from_code": code, "from_name": first.from_name, "kind": change,
                        "to_codes": [r.to_code for r in live if r.to_code and r.status != "rejected"],
                        "confidence": first.confidence, "status": first.status, "reason": first.reason,
                        "reviewed_by": first.reviewed_by.get_username() if first.reviewed_by else None,
                        "reviewed_at": first.reviewed_at.isoformat() if first.reviewed_at else None})
    counts["unchanged"] = len(old_codes - set(by_code))
    if include_unchanged:
        mapping.extend({"from_code": code, "from_name": None, "kind": "unchanged", "to_codes": [code],
                        "confidence": 1.0, "status": "auto", "reason": "same_name", "reviewed_by": None,
                        "reviewed_at": None} for code in old_codes - set(by_code))
        mapping.sort(key=lambda m: m["from_code"])
    reached = {c for m in mapping for c in m["to_codes"]} | (old_codes - set(by_code))
    counts["review"] = review
    counts["added"] = len(new_codes - reached)
    return {"from_edition": old.key, "to_edition": new.key, "kind": old.kind, "counts": counts, "mapping": mapping}


def review_queue(old_key: str | None = None, new_key: str | None = None) -> Any:
    """Rows waiting for a person, lowest confidence first."""
    qs = CodeMapping.objects.filter(status="review")
    if old_key:
        qs = qs.filter(from_edition=old_key)
    if new_key:
        qs = qs.filter(to_edition=new_key)
    return qs.order_by("confidence", "from_code", "to_code")


def confirm(mapping_id: int, user: Any, to_code: str | None = None) -> CodeMapping:
    """A person confirms a derived row (optionally with another code of the new edition)."""
    row = CodeMapping.objects.filter(pk=mapping_id).first()
    if row is None:
        raise NotFound("Pemetaan tidak ditemukan.")
    with transaction.atomic():
        if to_code is not None and to_code != row.to_code:
            model: Any = Region if row.kind == "region" else NomenclatureItem
            if to_code and not model.objects.filter(edition=row.to_edition, code=to_code).exists():
                raise InvalidInput(f"Kode {to_code} tidak ada pada edisi {row.to_edition}.")
            found = model.objects.filter(edition=row.to_edition, code=to_code).first()
            row.to_code, row.to_name = to_code, found.name if found else ""
            row.change = "removed" if not to_code else ("renamed" if to_code == row.from_code else "moved")
        row.status, row.reviewed_by, row.reviewed_at = "confirmed", user, timezone.now()
        row.save()
        # Other candidate rows of the same old code are settled by this choice.
        CodeMapping.objects.filter(from_edition=row.from_edition, to_edition=row.to_edition, from_code=row.from_code,
                                   status="review").exclude(pk=row.pk).update(
            status="rejected", reviewed_by=user, reviewed_at=row.reviewed_at)
    return row


def reject(mapping_id: int, user: Any) -> CodeMapping:
    """A person rejects a derived row: the old code has no successor through it."""
    row = CodeMapping.objects.filter(pk=mapping_id).first()
    if row is None:
        raise NotFound("Pemetaan tidak ditemukan.")
    row.status, row.reviewed_by, row.reviewed_at = "rejected", user, timezone.now()
    row.save()
    return row


@dataclass(frozen=True)
class Successor:
    state: str  # maps | needs_person | no_successor
    codes: tuple[str, ...]
    change: str


def successor_table(old_key: str, new_key: str) -> tuple[dict[str, Successor], set[str]]:
    """Every changed old code's successor, and the codes of the new edition (unchanged codes
    are those of the old edition without a row that still exist in the new one)."""
    new = _edition(new_key)
    model: Any = Region if new.kind == "region" else NomenclatureItem
    new_codes = set(model.objects.filter(edition=new.key).values_list("code", flat=True))
    rows: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for code, to_code, status, change in CodeMapping.objects.filter(
            from_edition=old_key, to_edition=new_key).values_list("from_code", "to_code", "status", "change"):
        rows[code].append((to_code, status, change))
    table = {}
    for code, found in rows.items():
        accepted = [(t, c) for t, s, c in found if s in CodeMapping.ACCEPTED]
        if any(s == "review" for _, s, _ in found):
            table[code] = Successor("needs_person", tuple(sorted(t for t, _, _ in found if t)), found[0][2])
        elif accepted and any(t for t, _ in accepted):
            codes = tuple(sorted({t for t, _ in accepted if t}))
            table[code] = Successor("maps" if len(codes) == 1 else "needs_person", codes, accepted[0][1])
        else:
            table[code] = Successor("no_successor", (), "removed")
    return table, new_codes


def successor(code: str, old_key: str, new_key: str) -> Successor:
    """What becomes of one old code."""
    table, new_codes = successor_table(old_key, new_key)
    if code in table:
        return table[code]
    return Successor("maps", (code,), "unchanged") if code in new_codes else Successor("no_successor", (), "removed")
