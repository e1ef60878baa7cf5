"""T-D.4 (priority activities of a kecamatan from its Musrenbang) and the berita acara of the
Musrenbang Kecamatan and of the Forum Perangkat Daerah, with the agreed list and the attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from selaras.domain.proposals import Stage
from selaras.formats.documents.model import (
    Column,
    Document,
    Format,
    Paragraph,
    Row,
    RowKind,
    Signature,
    Table,
)
from selaras.formats.documents.numbers import format_value, long_date
from selaras.web.documents.builders.common import government_title, region_names, signature_for
from selaras.web.documents.builders.forum_lists import AgreedItem, agreed_items
from selaras.web.documents.models import FORUM_AGENCY, FORUM_DISTRICT, Attendee, Meeting
from selaras.web.plans.models import Agency, LocalGovernment

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

TD4_COLUMNS = (
    Column("No", format=Format.INTEGER, width=5),
    Column("Prioritas daerah", width=18),
    Column("Sasaran daerah", width=20),
    Column("Program", width=22),
    Column("Kegiatan prioritas", width=28),
    Column("Sasaran kegiatan", width=22),
    Column("Lokasi (desa/kelurahan)", width=16),
    Column("Volume", children=(Column("Jumlah", format=Format.VOLUME, width=9), Column("Satuan", width=9))),
    Column("Pagu indikatif (Rp)", format=Format.MONEY, width=16),
    Column("Perangkat daerah penanggung jawab", width=20),
)

FORUM_COLUMNS = (
    Column("No", format=Format.INTEGER, width=5),
    Column("Nomor usulan", format=Format.CODE, width=20),
    Column("Usulan", width=30),
    Column("Lokasi", children=(Column("Kecamatan", width=14), Column("Desa/kelurahan", width=14))),
    Column("Sub kegiatan", width=28),
    Column("Volume", children=(Column("Jumlah", format=Format.VOLUME, width=9), Column("Satuan", width=9))),
    Column("Pagu (Rp)", format=Format.MONEY, width=16),
    Column("Kesepakatan", width=16),
    Column("Keterangan", width=22),
)

ATTENDANCE_COLUMNS = (
    Column("No", format=Format.INTEGER, width=5),
    Column("Nama", width=28),
    Column("Jabatan", width=26),
    Column("Instansi/unsur", width=26),
    Column("Peran", width=14),
    Column("Tanda tangan", width=20),
)


def _td4_rows(items: Sequence[AgreedItem]) -> list[Row]:
    rows = [Row((i, it.priority, it.objective, it.program, it.title, it.sub_activity or it.description,
                 it.village, it.volume, it.unit, it.cost, it.agency)) for i, it in enumerate(items, start=1)]
    rows.append(Row(("JUMLAH", "", "", "", f"{len(items)} kegiatan", "", "", None, "", sum(i.cost for i in items), ""),
                    kind=RowKind.TOTAL))
    return rows


def _forum_rows(items: Sequence[AgreedItem]) -> list[Row]:
    rows = [Row((i, it.number, it.title, it.district, it.village,
                 f"{it.sub_activity_code} {it.sub_activity}".strip(), it.volume, it.unit, it.cost, it.outcome,
                 it.reason)) for i, it in enumerate(items, start=1)]
    rows.append(Row(("JUMLAH", "", f"{len(items)} usulan", "", "", "", None, "", sum(i.cost for i in items), "", ""),
                    kind=RowKind.TOTAL))
    return rows


def district_name(government: LocalGovernment, district_code: str) -> str:
    return region_names(government, [district_code]).get(district_code, district_code)


def build_td4(government: LocalGovernment, year: int, district_code: str, *, day: dt.date | None = None) -> Document:
    name = district_name(government, district_code)
    items = agreed_items(government, year, Stage.DISTRICT, district_code=district_code)
    signature = _camat_signature(government, district_code, year, day)
    return Document(
        title=f"PRIORITAS KEGIATAN KECAMATAN {name.upper()} HASIL MUSRENBANG KECAMATAN",
        government_name=government_title(government), period=f"Rencana Kerja Pemerintah Daerah Tahun {year}",
        subtitle=f"Kecamatan {name}", code="T-D.4", blocks=(Table(TD4_COLUMNS, _td4_rows(items)),),
        signatures=(signature,))


def _camat_signature(government: LocalGovernment, district_code: str, year: int, day: dt.date | None) -> Signature:
    meeting = Meeting.objects.filter(government=government, forum=FORUM_DISTRICT, year=year,
                                     district_code=district_code).first()
    agency = Agency.objects.filter(government=government, district_code=district_code).first()
    name = district_name(government, district_code)
    base = signature_for(government, agency, default_position=f"Camat {name}", day=day)
    if meeting is not None and meeting.chair_name and not base.name:
        return Signature(position=meeting.chair_position or base.position, name=meeting.chair_name,
                         nip=meeting.chair_nip, place=meeting.place or base.place, date=base.date)
    return base


def _attendance(meeting: Meeting | None) -> Table:
    people: list[Attendee] = list(meeting.attendees.all()) if meeting is not None else []
    rows = [Row((i, a.name, a.position, a.institution, a.get_role_display(), f"{i}. ......................"))
            for i, a in enumerate(people, start=1)]
    if not rows:  # an empty list to fill in by hand at the forum
        rows = [Row((i, "", "", "", "", f"{i}. ......................")) for i in range(1, 11)]
    rows.append(Row(("JUMLAH", f"{len(people)} orang hadir", "", "", "", ""), kind=RowKind.TOTAL))
    return Table(ATTENDANCE_COLUMNS, rows, title="Daftar hadir", sheet_name="Daftar Hadir")


def _opening(forum_label: str, meeting: Meeting | None, year: int) -> Paragraph:
    if meeting is not None and meeting.held_on:
        when = f"Pada hari ini {DAYS[meeting.held_on.weekday()]} tanggal {long_date(meeting.held_on)}"
    else:
        when = "Pada hari ini ............ tanggal ............"
    where = meeting.place if meeting is not None and meeting.place else "............"
    return Paragraph(f"{when}, bertempat di {where}, telah diselenggarakan {forum_label} dalam rangka "
                     f"penyusunan Rencana Kerja Pemerintah Daerah (RKPD) Tahun {year}.")


def _chair(meeting: Meeting | None, fallback: Signature) -> tuple[Signature, ...]:
    signatures = []
    if meeting is not None and meeting.chair_name:
        signatures.append(Signature(position=meeting.chair_position or "Pimpinan Sidang", name=meeting.chair_name,
                                    nip=meeting.chair_nip, place=meeting.place or fallback.place,
                                    date=long_date(meeting.held_on) if meeting.held_on else fallback.date,
                                    caption="Pimpinan Sidang"))
    else:
        signatures.append(Signature(position=fallback.position, name=fallback.name, nip=fallback.nip,
                                    place=fallback.place, date=fallback.date, caption="Pimpinan Sidang"))
    if meeting is not None:
        secretary = meeting.attendees.filter(role="secretary").first()
        if secretary is not None:
            signatures.insert(0, Signature(position=secretary.position or "Notulis", name=secretary.name,
                                           caption="Notulis"))
    return tuple(signatures)


def build_district_minutes(government: LocalGovernment, year: int, district_code: str, *,
                           day: dt.date | None = None) -> Document:
    name = district_name(government, district_code)
    items = agreed_items(government, year, Stage.DISTRICT, district_code=district_code)
    meeting = Meeting.objects.filter(government=government, forum=FORUM_DISTRICT, year=year,
                                     district_code=district_code).first()
    total = sum(i.cost for i in items)
    blocks = (
        _opening(f"Musyawarah Perencanaan Pembangunan (Musrenbang) Kecamatan {name}", meeting, year),
        Paragraph(f"Musrenbang Kecamatan menyepakati {len(items)} kegiatan prioritas kecamatan dengan pagu "
                  f"indikatif seluruhnya Rp {format_value(total, Format.MONEY)}, sebagaimana tercantum dalam "
                  "daftar berikut, untuk dibahas pada Forum Perangkat Daerah dan Musrenbang Kabupaten/Kota."),
        Table(TD4_COLUMNS, _td4_rows(items), title="Daftar prioritas kegiatan yang disepakati"),
        _attendance(meeting),
    )
    fallback = _camat_signature(government, district_code, year, day)
    return Document(
        title=f"BERITA ACARA MUSRENBANG KECAMATAN {name.upper()}", government_name=government_title(government),
        period=f"RKPD Tahun {year}", subtitle=f"Kecamatan {name}", blocks=blocks,
        signatures=_chair(meeting, fallback))


def build_forum_minutes(government: LocalGovernment, year: int, agency: Agency, *,
                        day: dt.date | None = None) -> Document:
    items = agreed_items(government, year, Stage.AGENCY_FORUM, agency=agency)
    meeting = Meeting.objects.filter(government=government, forum=FORUM_AGENCY, year=year, agency=agency).first()
    total = sum(i.cost for i in items)
    blocks = (
        _opening(f"Forum Perangkat Daerah {agency.name}", meeting, year),
        Paragraph(f"Forum Perangkat Daerah menyepakati {len(items)} usulan untuk dimuat dalam rancangan Renja "
                  f"{agency.name} Tahun {year} dengan pagu seluruhnya Rp {format_value(total, Format.MONEY)}, "
                  "sebagaimana tercantum dalam daftar berikut."),
        Table(FORUM_COLUMNS, _forum_rows(items), title="Daftar usulan yang disepakati"),
        _attendance(meeting),
    )
    fallback = signature_for(government, agency, default_position=f"Kepala {agency.name}", day=day)
    return Document(
        title="BERITA ACARA FORUM PERANGKAT DAERAH", government_name=government_title(government),
        period=f"RKPD Tahun {year}", subtitle=agency.name, blocks=blocks, signatures=_chair(meeting, fallback))


