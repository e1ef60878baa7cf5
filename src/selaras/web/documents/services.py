"""Producing a document: resolve the scope, check the user, build it, write Excel or PDF.

`produce_file` is what the job handler runs; the benchmark calls `write` directly."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selaras.domain.errors import InvalidInput, NotFound
from selaras.formats.documents.model import Document
from selaras.formats.documents.pdf import write_pdf, write_pdfs
from selaras.formats.documents.xlsx import write_xlsx
from selaras.web.documents.catalogue import KINDS, DocKind, ScopeKind, check
from selaras.web.http import AnyUser
from selaras.web.jobs.models import STEP_UNIT
from selaras.web.plans.models import Agency, LocalGovernment
from selaras.web.reference.models import Region

FORMATS = ("xlsx", "pdf")
ALL = "semua"
# (phase, done, total, unit): `unit` says what done/total count, so the job page reads
# "Menulis PDF: 3 dari 12 dokumen" or "Langkah 2 dari 2: Menulis PDF", never a bare "3 dari 12"
Progress = Callable[[str, int, int, str], None]
DOCUMENT_UNIT = "dokumen"


def kind_of(key: str) -> DocKind:
    found = KINDS.get(key)
    if found is None:
        raise InvalidInput(f"Jenis dokumen tidak dikenal: {key[:40]}.", kind=key[:40])
    return found


def districts(government: LocalGovernment) -> list[tuple[str, str]]:
    return list(Region.objects.filter(edition=government.region_edition, parent_code=government.region_code)
                .order_by("code").values_list("code", "name"))


def agencies(government: LocalGovernment) -> list[Agency]:
    return list(Agency.objects.filter(government=government).order_by("code"))


def resolve_scope(kind: DocKind, government: LocalGovernment, raw: str) -> Any:
    """The scope object named by `raw`: a kecamatan code, an Agency, or None (whole government)."""
    if kind.scope is ScopeKind.GOVERNMENT:
        return None
    if kind.scope is ScopeKind.DISTRICT:
        codes = dict(districts(government))
        if raw not in codes:
            raise NotFound(f"Kecamatan {raw[:20]} tidak ada di {government.name}.", district=raw[:20])
        return raw
    agency = Agency.objects.filter(government=government, pk=int(raw)).first() if raw.isascii() and \
        raw.isdigit() and len(raw) < 19 else None
    if agency is None:
        raise NotFound("Perangkat daerah tidak ditemukan.", agency=raw[:20])
    return agency


def all_scopes(kind: DocKind, government: LocalGovernment) -> list[Any]:
    if kind.scope is ScopeKind.DISTRICT:
        return [code for code, _ in districts(government)]
    if kind.scope is ScopeKind.AGENCY:
        return agencies(government)
    return [None]


def scope_label(scope: Any) -> str:
    if isinstance(scope, Agency):
        return scope.short_name or scope.code
    return str(scope) if scope else ""


def scope_title(government: LocalGovernment, scope: Any) -> str:
    if isinstance(scope, Agency):
        return scope.name
    if scope:
        return "Kecamatan " + dict(districts(government)).get(str(scope), str(scope))
    return government.name


def file_name(kind: DocKind, year: int, scope: Any, fmt: str, version: int | None = None) -> str:
    parts = [kind.code if kind.code != "BA" else kind.key, str(year), scope_label(scope),
             f"versi{version}" if version else ""]
    stem = "-".join(re.sub(r"[^A-Za-z0-9.-]+", "_", p).strip("_") for p in parts if p)
    return f"{stem}.{fmt}"


def write(document: Document, fmt: str, target: Path) -> None:
    if fmt == "pdf":
        write_pdf(document, target)
    else:
        write_xlsx(document, target)


def _produce_all(user: AnyUser | None, government: LocalGovernment, kind: DocKind, fmt: str, year: int,
                 version: int | None, directory: Path, progress: Progress, day: dt.date) -> tuple[Path, str, str]:
    """One file per kecamatan or agency in a ZIP; PDFs are rendered in parallel processes."""
    scopes = all_scopes(kind, government)
    for scope in scopes:
        check(user, kind, government, scope)
    items: list[tuple[Document, Path]] = []
    for i, scope in enumerate(scopes):
        progress(f"Membaca data {scope_label(scope)}", i, len(scopes), DOCUMENT_UNIT)
        try:
            document = kind.build(government, year, scope, version, day)
        except NotFound:
            continue  # this agency or kecamatan has no such plan: left out of the ZIP
        items.append((document, directory / file_name(kind, year, scope, fmt, version)))
    if not items:
        raise NotFound(f"Tidak ada data {kind.code} tahun {year} untuk disusun.", kind=kind.key, year=year)
    if fmt == "pdf":
        write_pdfs(items, done=lambda count, total: progress("Menulis PDF", count, total, DOCUMENT_UNIT))
    else:
        for i, (document, path) in enumerate(items):
            progress("Menulis Excel", i, len(items), DOCUMENT_UNIT)
            write_xlsx(document, path)
    path = directory / file_name(kind, year, None, "zip", version)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _, one in items:
            archive.write(one, one.name)
            one.unlink()
    return path, path.name, f"{len(items)} dokumen {kind.code} disusun dalam satu berkas ZIP."


def produce_file(user: AnyUser | None, government: LocalGovernment, key: str, fmt: str, raw_scope: str, year: int,
                 version: int | None, directory: Path, progress: Progress, day: dt.date) -> tuple[Path, str, str]:
    """Build and write the document(s); returns (path, download name, message). A scope of "semua"
    writes one file per kecamatan or agency into a ZIP (whole-government roles only)."""
    kind = kind_of(key)
    if fmt not in FORMATS:
        raise InvalidInput("Format dokumen harus xlsx atau pdf.", format=fmt[:10])
    if raw_scope == ALL and kind.scope is not ScopeKind.GOVERNMENT:
        return _produce_all(user, government, kind, fmt, year, version, directory, progress, day)
    scope = resolve_scope(kind, government, raw_scope)
    check(user, kind, government, scope)
    progress("Membaca data", 0, 2, STEP_UNIT)  # one document: two steps, read then write
    document = kind.build(government, year, scope, version, day)
    progress("Menulis " + ("PDF" if fmt == "pdf" else "Excel"), 1, 2, STEP_UNIT)
    name = file_name(kind, year, scope, fmt, version)
    path = directory / name
    write(document, fmt, path)
    return path, name, f"{kind.label} selesai disusun."
