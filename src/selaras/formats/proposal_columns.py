"""The columns of the proposal import tables: a `Column` spec per field, the columns per channel.

Only descriptions here (headers, kinds, required flags, help text, widths). Which channels can
be imported comes from the domain (`domain.channels`), the value checks too
(`domain.proposal_entry`); reading and validation live in `proposal_table`, the workbooks in
`proposal_workbooks`. A column is required when the file format needs it; every field the
channel itself requires (`ChannelSpec.required`) is a required column (a unit test holds this).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from selaras.domain.channels import IMPORT_CHANNELS, spec
from selaras.domain.proposals import Channel

__all__ = ["Column", "columns_for", "template_title", "IMPORT_CHANNELS"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import table."""

    key: str  # attribute of ProposalRow
    header: str  # header text in the template (Bahasa Indonesia)
    kind: str  # text | village | district | sub_activity | agency | unit | volume | cost | rank | lat | lon
    required: bool = False
    max_length: int = 0
    example: str = ""
    help: str = ""
    width: int = 18


def _c(key: str, header: str, kind: str, required: bool = False, max_length: int = 0,
       example: str = "", help: str = "", width: int = 18) -> Column:
    return Column(key, header, kind, required, max_length, example, help, width)


_TITLE = _c("title", "Usulan", "text", True, 300, "Rehabilitasi jalan lingkungan RT 03/RW 02",
            "Nama kegiatan yang diusulkan, singkat dan jelas (maks. 300 karakter).", 40)
_DESCRIPTION = _c("description", "Alasan/Permasalahan", "text", False, 2000,
                  "Jalan rusak berat, sering tergenang saat hujan",
                  "Masalah yang ingin diselesaikan (maks. 2.000 karakter).", 40)
_VILLAGE_REQ = _c("village_code", "Kode Desa/Kelurahan", "village", True, 13, "",
                  "Kode wilayah Kemendagri desa/kelurahan lokasi usulan, mis. 32.16.01.2001 "
                  "(lihat lembar Desa).", 18)
_VILLAGE_OPT = replace(_VILLAGE_REQ, required=False,
                       help="Boleh kosong bila lokasi tidak satu desa; kode dari lembar Desa.")
_DISTRICT = _c("district_code", "Kode Kecamatan", "district", False, 13, "",
               "Boleh kosong bila kode desa diisi (kecamatan diambil dari kode desa).", 14)
_DISTRICT_REQ = replace(_DISTRICT, required=True, help="Kode kecamatan, mis. 32.16.01 (lihat lembar Kecamatan).")
_ADDRESS = _c("address", "Alamat/Lokasi", "text", False, 300, "Kp. Cibeureum RT 03/RW 02",
              "Alamat atau keterangan lokasi (maks. 300 karakter).", 30)
_SUB_REQ = _c("sub_activity_code", "Kode Sub Kegiatan", "sub_activity", True, 24, "",
              "Kode sub kegiatan nomenklatur kabupaten/kota, mis. 1.03.10.2.01.0001 "
              "(lihat lembar Sub Kegiatan).", 22)
_SUB_OPT = replace(_SUB_REQ, required=False,
                   help="Boleh kosong; bila diisi harus sub kegiatan kabupaten/kota yang berlaku.")
_AGENCY_REQ = _c("agency_code", "Kode Perangkat Daerah", "agency", True, 32, "",
                 "Kode perangkat daerah pelaksana (lihat lembar Perangkat Daerah).", 26)
_AGENCY_OPT = replace(_AGENCY_REQ, required=False,
                      help="Perangkat daerah tujuan usulan; boleh kosong (ditentukan saat verifikasi).")
_VOLUME = _c("volume", "Volume", "volume", True, 0, "250",
             "Angka lebih dari 0; desimal paling banyak 2 angka (koma atau titik).", 10)
_UNIT = _c("unit", "Satuan", "unit", True, 40, "meter",
           "Satuan baku dari lembar Satuan (mis. meter, unit, paket, orang).", 12)
_COST = _c("estimated_cost", "Perkiraan Biaya (Rp)", "cost", True, 0, "150000000",
           "Rupiah bulat tanpa desimal, 0 atau lebih (tanpa 'Rp' dan tanpa titik lebih baik).", 18)
_RANK = _c("priority_rank", "Peringkat Prioritas", "rank", False, 0, "1",
           "Bilangan bulat 1, 2, 3 ... (1 = paling prioritas); boleh kosong.", 12)
_PROPOSER_REQ = _c("proposer_name", "Pengusul", "text", True, 200, "Musrenbang Desa",
                   "Siapa yang mengusulkan (lembaga/kelompok; maks. 200 karakter).", 24)
_PROPOSER_OPT = _c("proposer_name", "Pengusul", "text", False, 200, "",
                   "Boleh kosong: diisi nama perangkat daerah.", 24)
_PROPOSER_POKIR = _c("proposer_name", "Pengusul", "text", False, 200, "",
                     "Boleh kosong: diisi nama anggota DPRD.", 24)
_PROPOSER_ROLE = _c("proposer_role", "Peran Pengusul", "text", False, 60, "Kelompok masyarakat",
                    "Mis. RT/RW, LPM, kelompok tani (maks. 60 karakter).", 18)
_COUNCILLOR = _c("councillor_name", "Nama Anggota DPRD", "text", True, 200, "",
                 "Anggota DPRD pemilik pokok pikiran (maks. 200 karakter).", 24)
_LAT = _c("latitude", "Lintang", "lat", False, 0, "-6.2400",
          "Koordinat desimal (Indonesia: -11 s.d. 6); boleh kosong.", 11)
_LON = _c("longitude", "Bujur", "lon", False, 0, "107.1500",
          "Koordinat desimal (Indonesia: 95 s.d. 141); boleh kosong.", 11)

_COLUMNS: dict[Channel, tuple[Column, ...]] = {
    Channel.VILLAGE_MUSRENBANG: (_TITLE, _DESCRIPTION, _VILLAGE_REQ, _ADDRESS, _SUB_OPT, _AGENCY_OPT,
                                 _VOLUME, _UNIT, _COST, _RANK, _PROPOSER_REQ, _PROPOSER_ROLE, _LAT, _LON),
    Channel.DISTRICT_MUSRENBANG: (_TITLE, _DESCRIPTION, _DISTRICT_REQ, _VILLAGE_OPT, _ADDRESS, _SUB_OPT,
                                  _AGENCY_OPT, _VOLUME, _UNIT, _COST, _RANK, _PROPOSER_REQ,
                                  _PROPOSER_ROLE, _LAT, _LON),
    Channel.POKIR: (_TITLE, _DESCRIPTION, _COUNCILLOR, _VILLAGE_REQ, _ADDRESS, _SUB_OPT, _AGENCY_OPT,
                    _VOLUME, _UNIT, _COST, _PROPOSER_POKIR, _LAT, _LON),
    Channel.AGENCY_DRAFT: (_AGENCY_REQ, _SUB_REQ, _TITLE, _DESCRIPTION, _DISTRICT, _VILLAGE_OPT,
                           _ADDRESS, _VOLUME, _UNIT, _COST, _PROPOSER_OPT),
    Channel.ASPIRATION: (_TITLE, _DESCRIPTION, _VILLAGE_REQ, _ADDRESS, _SUB_OPT, _AGENCY_OPT, _VOLUME,
                         _UNIT, _COST, _PROPOSER_REQ, _PROPOSER_ROLE, _LAT, _LON),
}


_TITLES: dict[Channel, str] = {
    Channel.VILLAGE_MUSRENBANG: "Usulan Musrenbang Desa/Kelurahan",
    Channel.DISTRICT_MUSRENBANG: "Usulan Musrenbang Kecamatan",
    Channel.POKIR: "Pokok-pokok Pikiran DPRD",
    Channel.AGENCY_DRAFT: "Usulan Pra-Renja Perangkat Daerah",
    Channel.ASPIRATION: "Aspirasi Masyarakat",
}


def template_title(channel: Channel | str) -> str:
    """The title of a channel's import template (falls back to the channel's label)."""
    channel = Channel(channel)
    return _TITLES.get(channel) or spec(channel).label


def columns_for(channel: Channel | str) -> tuple[Column, ...]:
    """The template columns of a channel, in order."""
    return _COLUMNS[Channel(channel)]
