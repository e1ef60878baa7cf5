"""Public JSON API of the proposal tracker (mounted at /api/publik/).

The responses are the selectors' public dataclasses themselves, so the fields the public may
see are declared once, in selectors.py, for the pages and the API alike.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from selaras.web.params import ID_MAX, YEAR_MAX, YEAR_MIN, parse_code
from selaras.web.public import selectors

router = Router(tags=["Pelacak usulan (publik)"])


class VillagePageOut(Schema):
    village_code: str
    village_name: str
    proposals: list[selectors.VillageRow]
    next_before_id: int | None = None


@router.get("/usulan/{number}", response=selectors.PublicProposal, summary="Satu usulan dan seluruh jejak keputusannya")
def proposal(request: HttpRequest, number: str) -> dict[str, object]:
    found = selectors.public_proposal(parse_code(number, name="number") or "")
    if found is None:
        raise Http404("Usulan tidak ditemukan.")
    return found.as_dict()


@router.get("/desa/{code}/usulan", response=VillagePageOut, summary="Usulan di satu desa/kelurahan")
def village(request: HttpRequest, code: str, before_id: int | None = Query(None, ge=1, le=ID_MAX),
            year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX),
            limit: int = 50) -> dict[str, object]:
    code = parse_code(code, name="code") or ""
    region = selectors.region(code)
    if region is None or region.level != 4:
        raise Http404("Desa/kelurahan tidak ditemukan.")
    rows, next_id = selectors.village_proposals(code, after_id=before_id, size=max(1, min(limit, 200)), year=year)
    return {"village_code": code, "village_name": region.name, "proposals": [r.__dict__ for r in rows],
            "next_before_id": next_id}
