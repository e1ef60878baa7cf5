"""E.81 (Renja of an agency), E.79 (RKPD), E.80 (Renstra) and E.78 (RPJMD) evaluation tables, from
the rows H-EVAL computes (engines/evaluation through web/evaluation/selectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from selaras.domain.errors import NotFound
from selaras.domain.plan_cells import target_text
from selaras.domain.roles import Role
from selaras.engines.evaluation import Achievement, E81Row, MultiYearRow, Target
from selaras.formats.documents.model import (
    Column,
    Document,
    Format,
    Paper,
    Row,
    RowKind,
    Table,
    Value,
)
from selaras.web.documents.builders.common import government_title, signature_for
from selaras.web.documents.catalogue import DocKind, ScopeKind
from selaras.web.evaluation import selectors as evaluation
from selaras.web.plans.models import Agency, LocalGovernment

QUARTERS = ("I", "II", "III", "IV")


def _pair(title: str) -> Column:
    return Column(title, children=(Column("K", format=Format.VOLUME, width=9),
                                   Column("Rp", format=Format.MONEY, width=14)), one_number=True)


def _pct_pair(title: str) -> Column:
    return Column(title, children=(Column("K", format=Format.PERCENT, width=7),
                                   Column("Rp", format=Format.PERCENT, width=7)), one_number=True)


def e81_columns(year: int, responsible: str = "Unit Penanggung Jawab") -> tuple[Column, ...]:
    return (
        Column("No", width=8),
        Column("Sasaran", width=18),
        Column("Program / Kegiatan / Sub Kegiatan", width=30, indent=True),
        Column("Indikator Kinerja Program (outcome) / Kegiatan (output)", width=22),
        _pair("Target Renstra pada akhir periode"),
        _pair(f"Realisasi capaian Renstra s.d. Renja tahun {year - 1}"),
        _pair(f"Target kinerja dan anggaran Renja tahun {year}"),
        Column(f"Realisasi kinerja pada triwulan tahun {year}",
               children=tuple(_pair(q) for q in QUARTERS)),
        _pair(f"Realisasi capaian kinerja dan anggaran Renja tahun {year}"),
        _pct_pair(f"Tingkat capaian kinerja dan realisasi anggaran Renja tahun {year} (%)"),
        _pair(f"Realisasi kinerja dan anggaran Renstra s.d. tahun {year}"),
        _pct_pair(f"Tingkat capaian kinerja dan realisasi anggaran Renstra s.d. tahun {year} (%)"),
        Column(responsible, width=16),
        Column("Keterangan", width=16),
    )


def _k(value: Decimal | None, target: Target | None = None) -> Value:
    if target is not None and target.is_band:
        return target_text(None, target.minimum, target.maximum)
    return value


def _pct(achievement: Achievement) -> Value:
    return achievement.percent


def e81_values(row: E81Row) -> tuple[Value, ...]:
    quarters: list[Value] = []
    for k, rp in zip(row.k_quarters, row.rp_quarters, strict=True):
        quarters += [k, rp]
    indicator = f"{row.indicator} ({row.unit})" if row.indicator and row.unit else row.indicator
    return (row.number, row.objective, f"{row.code} {row.name}".strip(), indicator,
            _k(row.k_renstra_target, row.renstra_target), row.rp_renstra_target, row.k_previous, row.rp_previous,
            _k(row.k_year_target, row.year_target), row.rp_year_target, *quarters, row.k_year, row.rp_year,
            _pct(row.k_year_achievement), _pct(row.rp_year_achievement), row.k_cumulative, row.rp_cumulative,
            _pct(row.k_renstra_achievement), _pct(row.rp_renstra_achievement), row.responsible_unit, row.notes)


_DEPTH = {"program": 0, "activity": 1, "sub_activity": 2}
#: E.81 and E.79 have no "Satuan" column and no room for a unit in each of their 12 K cells (26
#: columns on F4; the amounts would no longer fit): each row names its unit once, after its
#: indicator ("Jumlah dokumen perencanaan (dokumen)"), and this note says the K cells are in it.
K_NOTE = ("K: kinerja, dalam satuan indikator (tertulis dalam kurung setelah indikator); Rp: anggaran. "
          "Tingkat capaian: sangat tinggi ≥ 91%, tinggi 76–90%, sedang 66–75%, rendah 51–65%, sangat rendah ≤ 50%.")


def _e81_rows(rows: Sequence[E81Row], total: E81Row) -> list[Row]:
    out = [Row(e81_values(r), level=_DEPTH.get(str(r.level.value if hasattr(r.level, "value") else r.level), 0))
           for r in rows]
    values = list(e81_values(total))
    values[0], values[2] = "JUMLAH", ""
    out.append(Row(tuple(values), kind=RowKind.TOTAL))
    return out


def build_e81(government: LocalGovernment, year: int, agency: Agency, *, day: dt.date | None = None) -> Document:
    found = evaluation.e81_for_agency(government, year, agency.pk)
    if found is None or found.total is None:
        raise NotFound(f"{agency.name} belum memiliki Renja tahun {year}.", agency=agency.pk, year=year)
    return Document(
        title=f"EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH TAHUN {year}",
        government_name=government_title(government), period=f"Tahun {year}", subtitle=agency.name, code="E.81",
        blocks=(Table(e81_columns(year), _e81_rows(found.rows, found.total)),), paper=Paper.F4,  # 26 columns
        notes=(K_NOTE,),
        signatures=(signature_for(government, agency, default_position=f"Kepala {agency.name}", day=day),))


def build_e79(government: LocalGovernment, year: int, *, day: dt.date | None = None) -> Document:
    found = evaluation.e79(government, year)
    if found is None:
        raise NotFound(f"RKPD tahun {year} belum ada.", year=year)
    rows, total = found
    return Document(
        title=f"EVALUASI TERHADAP HASIL RKPD TAHUN {year}", government_name=government_title(government),
        period=f"Tahun {year}", code="E.79",
        blocks=(Table(e81_columns(year, "Perangkat Daerah Penanggung Jawab"), _e81_rows(rows, total)),),
        paper=Paper.F4, notes=(K_NOTE,),
        signatures=(signature_for(government, None, default_position="Kepala Bappeda", day=day),))


def multi_year_columns(years: Sequence[int], *, money: bool, item: str, codes: bool = True) -> tuple[Column, ...]:
    """E.80 / E.78 columns; `codes`: a Kode column (the lines' codes; an indicator has none to print,
    its key is an internal name)."""
    def per_year(title: str, fmt: Format) -> Column:
        return Column(title, children=tuple(Column(f"{i}", format=fmt, width=8) for i in range(1, len(years) + 1)))

    end = [Column("Target", format=Format.VOLUME, width=9), Column("Realisasi", format=Format.VOLUME, width=9),
           Column("%", format=Format.PERCENT, width=7)]
    if money:
        end += [Column("Pagu (Rp)", format=Format.MONEY, width=15), Column("Realisasi (Rp)", format=Format.MONEY,
                                                                            width=15),
                Column("% Rp", format=Format.PERCENT, width=7)]
    return (
        # without codes, "JUMLAH" in the total row has no empty cell beside it to run into
        Column("No", format=Format.INTEGER, width=5 if codes else 8),
        *((Column("Kode", format=Format.CODE, width=14),) if codes else ()),
        Column(item, width=30, indent=True),
        Column("Satuan", width=9),
        Column("Kondisi awal", format=Format.VOLUME, width=9),
        per_year(f"Target tahun ke- ({years[0]}–{years[-1]})", Format.VOLUME),
        per_year("Realisasi tahun ke-", Format.VOLUME),
        per_year("Tingkat capaian tahun ke- (%)", Format.PERCENT),
        Column("Capaian pada akhir periode", children=tuple(end)),
        Column("Unit Penanggung Jawab", width=16),
    )


def _multi_rows(rows: Sequence[MultiYearRow], *, money: bool, codes: bool = True) -> list[Row]:
    out: list[Row] = []
    group = ""
    for number, row in enumerate(rows, start=1):
        if row.group and row.group != group:
            group = row.group
            out.append(Row((group,), kind=RowKind.GROUP))
        end: list[Value] = [row.end_target, row.end_realisation, row.end_achievement.percent]
        if money:
            end += [row.end_budget, row.end_spent, row.end_money_achievement.percent]
        code: tuple[Value, ...] = (row.code,) if codes else ()
        out.append(Row((number, *code, row.name, row.unit, row.baseline, *row.targets, *row.realisation,
                        *(a.percent for a in row.achievements), *end, row.responsible_unit),
                       level=_DEPTH.get(row.level, 0)))
    return out


def _multi_total(rows: Sequence[MultiYearRow], years: Sequence[int], *, money: bool, codes: bool = True) -> Row:
    known = [r.end_achievement.percent for r in rows if r.end_achievement.percent is not None]
    average = (sum(known, Decimal(0)) / len(known)).quantize(Decimal("0.01")) if known else None
    blanks: list[Value] = [None] * (3 * len(years))
    end: list[Value] = [None, None, average]
    if money:
        subs = [r for r in rows if r.level == "sub_activity"] or list(rows)
        budget = sum(r.end_budget or 0 for r in subs)
        spent = sum(r.end_spent or 0 for r in subs)
        end += [budget, spent, (Decimal(spent) * 100 / budget).quantize(Decimal("0.01")) if budget else None]
    code: tuple[Value, ...] = ("",) if codes else ()
    return Row(("JUMLAH", *code, f"{len(rows)} baris; rata-rata capaian akhir periode", "", None, *blanks, *end, ""),
               kind=RowKind.TOTAL)


def build_e80(government: LocalGovernment, year: int, agency: Agency, *, day: dt.date | None = None) -> Document:
    found = evaluation.e80(agency)
    if found is None:
        raise NotFound(f"{agency.name} belum memiliki Renstra.", agency=agency.pk)
    renstra, lines, indicators = found
    years = list(range(renstra.start_year, renstra.end_year + 1))
    blocks: list[Any] = [Table(multi_year_columns(years, money=True, item="Program / Kegiatan / Sub Kegiatan"),
                               [*_multi_rows(lines, money=True), _multi_total(lines, years, money=True)])]
    if indicators:
        blocks.append(Table(multi_year_columns(years, money=False, item="Indikator sasaran", codes=False),
                            [*_multi_rows(indicators, money=False, codes=False),
                             _multi_total(indicators, years, money=False, codes=False)],
                            title="Indikator sasaran Renstra", sheet_name="Indikator sasaran"))
    return Document(
        title="EVALUASI TERHADAP HASIL RENSTRA PERANGKAT DAERAH", government_name=government_title(government),
        period=f"Renstra {years[0]}–{years[-1]}", subtitle=agency.name, code="E.80", blocks=tuple(blocks),
        signatures=(signature_for(government, agency, default_position=f"Kepala {agency.name}", day=day),))


def build_e78(government: LocalGovernment, year: int, *, day: dt.date | None = None) -> Document:
    found = evaluation.e78(government)
    if found is None:
        raise NotFound("RPJMD belum ada.", year=year)
    rpjmd, rows = found
    years = rpjmd.years
    return Document(
        title="EVALUASI TERHADAP HASIL RPJMD", government_name=government_title(government),
        period=f"RPJMD {years[0]}–{years[-1]}", code="E.78",
        blocks=(Table(multi_year_columns(years, money=False, item="Indikator kinerja", codes=False),
                      [*_multi_rows(rows, money=False, codes=False),
                       _multi_total(rows, years, money=False, codes=False)]),),
        signatures=(signature_for(government, None, default_position="Kepala Bappeda", day=day),))


def register_kinds(register: Callable[[DocKind], DocKind], budget_roles: frozenset[Role]) -> None:
    def e81(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        return build_e81(government, year, scope, day=day)

    def e80(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        return build_e80(government, year, scope, day=day)

    def e79(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        return build_e79(government, year, day=day)

    def e78(government: LocalGovernment, year: int, scope: Any, version: int | None, day: dt.date) -> Document:
        return build_e78(government, year, day=day)

    group = "Evaluasi"
    register(DocKind("e81", "E.81", "Evaluasi hasil Renja perangkat daerah (per triwulan)", ScopeKind.AGENCY, e81,
                     group=group))
    register(DocKind("e80", "E.80", "Evaluasi hasil Renstra perangkat daerah", ScopeKind.AGENCY, e80, group=group))
    register(DocKind("e79", "E.79", "Evaluasi hasil RKPD", ScopeKind.GOVERNMENT, e79, group=group,
                     extra_roles=budget_roles))
    register(DocKind("e78", "E.78", "Evaluasi hasil RPJMD", ScopeKind.GOVERNMENT, e78, group=group,
                     extra_roles=budget_roles))
