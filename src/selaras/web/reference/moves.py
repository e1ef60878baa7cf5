"""Move one government's plans and proposals to a new edition of the codes: preview, then apply.

Nomenclature: Renstra lines and Renja lines (code + their `nomenclature_edition`), RKPD
priority programs and proposals' sub-activities. Regions: proposals' villages and kecamatan
(with `region_edition`), Renja lines' and agencies' kecamatan, and the government's own code.

The reference app sits below plans and proposals, so their models are taken from the app
registry (`apps.get_model`) rather than imported. Each code used gets one of three states from
the stored mapping (`mappings.successor_table`): `maps` (one accepted successor, or unchanged),
`needs_person` (a derived row waiting for review, or a split: a person picks the code, passed
in `choices`), `no_successor` (removed). `apply` rewrites only codes that map, in one
transaction, row ids collected before any update (so chains A -> B -> C cannot cascade), and
records an `EditionMove` with every (table, field, old, new, ids). Lines that did not move keep
their old code and old edition, so sinkronisasi reports them (`codes.superseded_edition`).
Document versions (snapshots) are never touched: they keep the codes they were written with.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import transaction

from selaras.domain.errors import InvalidInput, NotFound
from selaras.web.reference.mappings import Successor, successor_table
from selaras.web.reference.models import Edition, EditionMove

__all__ = ["apply_move", "preview_move"]

CHUNK = 5_000


def _targets(government: Any, kind: str) -> Iterator[tuple[str, Any, str, str]]:
    """(label, queryset, code field, edition field or "") of every row to carry over."""
    gid = government.pk
    if kind == "nomenclature":
        edition = government.nomenclature_edition
        yield ("renstra_line", apps.get_model("plans", "RenstraLine").objects.filter(
            renstra__agency__government_id=gid, nomenclature_edition=edition), "code", "nomenclature_edition")
        yield ("renja_line", apps.get_model("plans", "RenjaLine").objects.filter(
            renja__rkpd__government_id=gid, nomenclature_edition=edition), "code", "nomenclature_edition")
        yield ("priority_program", apps.get_model("plans", "PriorityProgram").objects.filter(
            rkpd__government_id=gid), "code", "")
        yield ("proposal", apps.get_model("proposals", "Proposal").objects.filter(
            government_id=gid).exclude(sub_activity_code=""), "sub_activity_code", "")
    else:
        edition = government.region_edition
        proposals = apps.get_model("proposals", "Proposal").objects.filter(government_id=gid, region_edition=edition)
        yield ("proposal", proposals.exclude(village_code=""), "village_code", "region_edition")
        yield ("proposal", proposals.exclude(district_code=""), "district_code", "region_edition")
        yield ("renja_line", apps.get_model("plans", "RenjaLine").objects.filter(
            renja__rkpd__government_id=gid).exclude(district_code=""), "district_code", "")
        yield ("agency", apps.get_model("plans", "Agency").objects.filter(
            government_id=gid).exclude(district_code=""), "district_code", "")


def _government(government_id: int) -> Any:
    government = apps.get_model("plans", "LocalGovernment").objects.filter(pk=government_id).first()
    if government is None:
        raise NotFound("Pemerintah daerah tidak ditemukan.")
    return government


def _plan(government: Any, kind: str, to_edition: str) -> tuple[str, dict[str, Successor], set[str]]:
    if kind not in ("region", "nomenclature"):
        raise InvalidInput("Jenis edisi harus 'region' atau 'nomenclature'.")
    target = Edition.objects.filter(key=to_edition, kind=kind).first()
    if target is None:
        raise NotFound(f"Edisi '{to_edition}' belum dimuat.")
    from_edition = government.nomenclature_edition if kind == "nomenclature" else government.region_edition
    if from_edition == to_edition:
        raise InvalidInput(f"Data sudah memakai edisi '{to_edition}'.")
    table, new_codes = successor_table(from_edition, to_edition)
    return from_edition, table, new_codes


def _state(code: str, table: dict[str, Successor], new_codes: set[str]) -> Successor:
    if code in table:
        return table[code]
    return Successor("maps", (code,), "unchanged") if code in new_codes else Successor("no_successor", (), "removed")


def preview_move(government_id: int, kind: str, to_edition: str) -> dict[str, Any]:
    """What moving the government's data to `to_edition` would do, without writing anything:
    per state the number of codes and rows, and each code that is not unchanged."""
    government = _government(government_id)
    from_edition, table, new_codes = _plan(government, kind, to_edition)
    rows: Counter[str] = Counter()
    codes: dict[str, dict[str, Any]] = {}
    for label, qs, field, _ in _targets(government, kind):
        for code, n in qs.order_by().values_list(field).annotate(n=_count()).values_list(field, "n"):
            state = _state(code, table, new_codes)
            rows[state.state] += n
            if state.change == "unchanged":
                continue
            entry = codes.setdefault(code, {"code": code, "state": state.state, "change": state.change,
                                            "to_codes": list(state.codes), "rows": {}})
            entry["rows"][label] = entry["rows"].get(label, 0) + n
    states = Counter(c["state"] for c in codes.values())
    return {"government": government.name, "government_id": government.pk, "kind": kind,
            "from_edition": from_edition, "to_edition": to_edition,
            "rows": {s: rows.get(s, 0) for s in ("maps", "needs_person", "no_successor")},
            "codes": {s: states.get(s, 0) for s in ("maps", "needs_person", "no_successor")},
            "changes": sorted(codes.values(), key=lambda c: (c["state"], c["code"]))}


def _count() -> Any:
    from django.db.models import Count

    return Count("pk")


def apply_move(government_id: int, kind: str, to_edition: str, *, user: Any = None,
               choices: dict[str, str] | None = None) -> EditionMove:
    """Carry the government's rows over to `to_edition` (see the module docstring); `choices`
    gives a person's pick for codes that need one (old code -> new code of `to_edition`)."""
    government = _government(government_id)
    from_edition, table, new_codes = _plan(government, kind, to_edition)
    choices = dict(choices or {})
    for old, new in choices.items():
        if new not in new_codes:
            raise InvalidInput(f"Kode {new} (pilihan untuk {old}) tidak ada pada edisi {to_edition}.")
    changes: list[dict[str, Any]] = []
    summary: Counter[str] = Counter()
    with transaction.atomic():
        plans: list[tuple[Any, str, str, dict[str, list[int]], list[int]]] = []
        for label, qs, field, edition_field in _targets(government, kind):
            moving: dict[str, list[int]] = defaultdict(list)
            keep_ids: list[int] = []
            for pk, code in qs.order_by().values_list("pk", field).iterator(chunk_size=CHUNK):
                state = _state(code, table, new_codes)
                target = choices.get(code) or (state.codes[0] if state.state == "maps" else "")
                if target:
                    summary[f"{label}.{field}." + ("unchanged" if target == code else "moved")] += 1
                    if target != code:
                        moving[f"{code}\t{target}"].append(pk)
                    else:
                        keep_ids.append(pk)
                else:
                    summary[f"{label}.{field}.{state.state}"] += 1
            plans.append((qs.model, field, edition_field, moving, keep_ids))
        for model, field, edition_field, moving, keep_ids in plans:
            manager = model._default_manager
            for key, ids in moving.items():
                old, new = key.split("\t")
                for start in range(0, len(ids), CHUNK):
                    values: dict[str, Any] = {field: new}
                    if edition_field:
                        values[edition_field] = to_edition
                    manager.filter(pk__in=ids[start:start + CHUNK]).update(**values)
                changes.append({"table": model._meta.label, "field": field, "old": old, "new": new, "ids": ids})
            if edition_field:
                for start in range(0, len(keep_ids), CHUNK):
                    manager.filter(pk__in=keep_ids[start:start + CHUNK]).update(**{edition_field: to_edition})
        if kind == "nomenclature":
            government.nomenclature_edition = to_edition
        else:
            state = _state(government.region_code, table, new_codes)
            if state.state == "maps":
                government.region_code = state.codes[0]
            government.region_edition = to_edition
        government.save()
        return EditionMove.objects.create(
            government_id=government.pk, government_name=government.name[:200], kind=kind,
            from_edition=from_edition, to_edition=to_edition, user=user if getattr(user, "pk", None) else None,
            summary=dict(sorted(summary.items())), changes=changes)
