"""What a believable regency is made of: its agencies, the kinds of things people propose, units.

Agency names follow common regency practice (Permendagri and PP 18/2016 naming). Proposal
templates point at real kab/kota sub-activity codes of Permendagri 90/2019 jo. Kepmendagri
050-3708/2020; the generator checks every code against the packaged nomenclature and falls back
to another real code of the same sector if an edition lacks one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGENCIES",
    "AgencySpec",
    "PLANNING_AGENCY_SHORT",
    "SMALL_AGENCIES",
    "TEMPLATES",
    "Template",
    "UNIT_SPELLINGS",
    "SUPPORT_SUB_ACTIVITIES",
]


@dataclass(frozen=True, slots=True)
class AgencySpec:
    name: str
    short_name: str
    sectors: tuple[str, ...]
    weight: float  # relative share of Pra-Renja proposals


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("Dinas Pendidikan", "Disdik", ("1.01",), 9.0),
    AgencySpec("Dinas Kesehatan", "Dinkes", ("1.02",), 8.0),
    AgencySpec("Rumah Sakit Umum Daerah", "RSUD", ("1.02",), 2.0),
    AgencySpec("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", ("1.03",), 12.0),
    AgencySpec("Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan", "Disperkimtan",
               ("1.04", "2.10"), 6.0),
    AgencySpec("Satuan Polisi Pamong Praja", "Satpol PP", ("1.05",), 1.5),
    AgencySpec("Badan Penanggulangan Bencana Daerah", "BPBD", ("1.05",), 1.5),
    AgencySpec("Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", ("1.05",), 1.0),
    AgencySpec("Dinas Sosial", "Dinsos", ("1.06",), 3.0),
    AgencySpec("Dinas Tenaga Kerja", "Disnaker", ("2.07",), 2.0),
    AgencySpec("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", ("2.08",), 1.5),
    AgencySpec("Dinas Ketahanan Pangan", "DKP", ("2.09",), 1.5),
    AgencySpec("Dinas Lingkungan Hidup", "DLH", ("2.11",), 3.5),
    AgencySpec("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", ("2.12",), 1.0),
    AgencySpec("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", ("2.13",), 3.0),
    AgencySpec("Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB", ("2.14",), 2.0),
    AgencySpec("Dinas Perhubungan", "Dishub", ("2.15",), 3.0),
    AgencySpec("Dinas Komunikasi, Informatika, Persandian dan Statistik", "Diskominfosantik",
               ("2.16", "2.20", "2.21"), 1.5),
    AgencySpec("Dinas Koperasi dan Usaha Mikro", "Diskop UM", ("2.17",), 2.0),
    AgencySpec("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", ("2.18",), 0.8),
    AgencySpec("Dinas Pemuda dan Olahraga", "Dispora", ("2.19",), 2.0),
    AgencySpec("Dinas Kebudayaan dan Pariwisata", "Disbudpar", ("2.22", "3.26"), 1.5),
    AgencySpec("Dinas Arsip dan Perpustakaan", "Dinarpus", ("2.23", "2.24"), 0.8),
    AgencySpec("Dinas Perikanan dan Kelautan", "Diskanla", ("3.25",), 1.5),
    AgencySpec("Dinas Pertanian", "Distan", ("3.27", "3.28"), 3.5),
    AgencySpec("Dinas Perdagangan", "Disdag", ("3.30",), 1.5),
    AgencySpec("Dinas Perindustrian", "Disperin", ("3.31",), 1.0),
    AgencySpec("Sekretariat Daerah", "Setda", ("4.01",), 1.5),
    AgencySpec("Sekretariat DPRD", "Setwan", ("4.02",), 1.0),
    AgencySpec("Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", "Bappelitbangda",
               ("5.01", "5.05"), 1.0),
    AgencySpec("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", ("5.02",), 0.8),
    AgencySpec("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM",
               ("5.03", "5.04"), 0.8),
    AgencySpec("Inspektorat Daerah", "Inspektorat", ("6.01",), 0.6),
    AgencySpec("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", ("8.01",), 0.6),
)

PLANNING_AGENCY_SHORT = "Bappelitbangda"

# The agencies of a small district, by short name (the planning agency is always there).
SMALL_AGENCIES: tuple[str, ...] = ("Disdik", "Dinkes", "Dinas PUPR", "Disperkimtan", "Dinsos",
                                   "Bappelitbangda")

DISTRICT_OFFICE_WEIGHT = 0.9

# Unit families: the first spelling is the clean one; the rest are what people actually type.
UNIT_SPELLINGS: dict[str, tuple[tuple[str, int], ...]] = {
    "m": (("m", 62), ("meter", 14), ("M'", 6), ("m'", 6), ("Meter", 5), ("mtr", 4), ("M", 3)),
    "m2": (("m2", 60), ("m²", 12), ("meter persegi", 10), ("M2", 10), ("m^2", 4), ("mtr2", 4)),
    "km": (("km", 75), ("Km", 12), ("KM", 8), ("kilometer", 5)),
    "unit": (("unit", 62), ("Unit", 14), ("bh", 8), ("buah", 8), ("Buah", 4), ("UNIT", 4)),
    "paket": (("paket", 68), ("pkt", 12), ("Paket", 12), ("PAKET", 5), ("pket", 3)),
    "orang": (("orang", 70), ("org", 14), ("Orang", 10), ("jiwa", 4), ("ORANG", 2)),
    "titik": (("titik", 72), ("Titik", 14), ("ttk", 8), ("lokasi", 6)),
    "kegiatan": (("kegiatan", 72), ("Kegiatan", 14), ("keg", 8), ("kali", 6)),
    "rumah": (("rumah", 66), ("unit", 16), ("Rumah", 12), ("KK", 6)),
    "lokal": (("lokal", 55), ("ruang", 20), ("RKB", 10), ("Ruang", 10), ("unit", 5)),
    "ekor": (("ekor", 80), ("Ekor", 14), ("ekr", 6)),
    "kelompok": (("kelompok", 72), ("Kelompok", 16), ("klp", 8), ("poktan", 4)),
    "set": (("set", 65), ("Set", 15), ("stel", 10), ("paket", 10)),
    "dokumen": (("dokumen", 75), ("Dokumen", 15), ("dok", 10)),
    "bulan": (("bulan", 70), ("Bulan", 12), ("bln", 10), ("OB", 8)),
    "lembaga": (("lembaga", 80), ("Lembaga", 20)),
    "sekolah": (("sekolah", 75), ("Sekolah", 15), ("unit", 10)),
}


@dataclass(frozen=True, slots=True)
class Template:
    """A kind of proposal: what is asked for, where it belongs, how it is measured and priced."""

    texts: tuple[str, ...]
    sector: str
    code: str  # preferred kab/kota sub-activity code
    unit: str  # key of UNIT_SPELLINGS
    volume: tuple[float, float]
    price: tuple[int, int]  # rupiah per unit
    village_weight: float
    pokir_weight: float
    objects: tuple[str, ...] = ()


TEMPLATES: tuple[Template, ...] = (
    Template(("Pembangunan jalan lingkungan", "Betonisasi jalan lingkungan", "Pengecoran jalan lingkungan",
              "Peningkatan jalan lingkungan"),
             "1.04", "1.04.05.2.01.0002", "m", (50, 800), (450_000, 900_000), 16, 14),
    Template(("Perbaikan jalan desa", "Pengaspalan jalan poros desa", "Rehabilitasi jalan penghubung antar desa",
              "Hotmix jalan"),
             "1.03", "1.03.10.2.01.0009", "m", (100, 2_000), (900_000, 2_200_000), 9, 12),
    Template(("Pembangunan saluran drainase", "Rehabilitasi saluran drainase", "Normalisasi saluran air",
              "Pembangunan saluran U-ditch", "Perbaikan gorong-gorong"),
             "1.03", "1.03.06.2.01.0007", "m", (40, 600), (650_000, 1_500_000), 13, 9),
    Template(("Pembangunan turap penahan tanah", "Pembangunan tembok penahan tanah (TPT)"),
             "1.03", "1.03.06.2.01.0005", "m", (20, 250), (1_200_000, 2_500_000), 4, 4),
    Template(("Pembangunan jembatan penghubung", "Rehabilitasi jembatan desa"),
             "1.03", "1.03.10.2.01.0012", "unit", (1, 2), (150_000_000, 900_000_000), 1.5, 2),
    Template(("Rehabilitasi saluran irigasi", "Pembangunan saluran irigasi tersier"),
             "1.03", "1.03.02.2.02.0014", "m", (100, 1_500), (400_000, 950_000), 3, 3),
    Template(("Pemasangan Penerangan Jalan Umum (PJU)", "Pengadaan lampu PJU tenaga surya",
              "Pemasangan lampu penerangan jalan"),
             "2.15", "2.15.02.2.02.0002", "titik", (5, 40), (3_500_000, 18_000_000), 7, 8),
    Template(("Pemasangan rambu lalu lintas", "Pemasangan cermin tikungan", "Pembangunan polisi tidur (speed bump)"),
             "2.15", "2.15.02.2.02.0002", "unit", (2, 15), (1_500_000, 6_000_000), 1.5, 1),
    Template(("Rehabilitasi Rumah Tidak Layak Huni (RTLH)", "Bedah rumah warga miskin", "Perbaikan RUTILAHU"),
             "1.04", "1.04.04.2.01.0001", "rumah", (3, 30), (17_500_000, 25_000_000), 8, 9),
    Template(("Pembangunan MCK komunal", "Pembangunan septic tank komunal", "Pembangunan IPAL komunal"),
             "1.03", "1.03.05.2.01.0003", "unit", (1, 4), (45_000_000, 250_000_000), 3, 3),
    Template(("Perluasan jaringan air bersih", "Pembangunan sumur bor air bersih", "Pemasangan pipa air minum"),
             "1.03", "1.03.03.2.01.0007", "unit", (1, 3), (60_000_000, 400_000_000), 3, 3),
    Template(("Pengadaan alat kesehatan Posyandu", "Pengadaan timbangan dan alat ukur antropometri Posyandu",
              "Pengadaan sarana Posyandu"),
             "1.02", "1.02.02.2.01.0014", "paket", (1, 6), (4_000_000, 15_000_000), 5, 4),
    Template(("Pemberian makanan tambahan (PMT) balita stunting", "PMT ibu hamil KEK",
              "Penanganan balita gizi kurang"),
             "1.02", "1.02.02.2.02.0015", "orang", (20, 200), (150_000, 600_000), 4, 3),
    Template(("Pembangunan gedung Posyandu", "Rehabilitasi gedung Posyandu"),
             "1.02", "1.02.02.2.01.0003", "unit", (1, 1), (90_000_000, 250_000_000), 2.5, 2),
    Template(("Rehabilitasi Puskesmas Pembantu (Pustu)", "Rehabilitasi Puskesmas"),
             "1.02", "1.02.02.2.01.0009", "unit", (1, 1), (250_000_000, 1_500_000_000), 1, 1.5),
    Template(("Penambahan ruang kelas baru (RKB)", "Pembangunan ruang kelas baru"),
             "1.01", "1.01.02.2.01.0002", "lokal", (1, 4), (180_000_000, 320_000_000), 4, 6,
             ("SDN {village} 0{n}", "SDN {village} 0{n}", "SMPN {n} {district}")),
    Template(("Rehabilitasi ruang kelas", "Rehab berat ruang kelas", "Perbaikan atap ruang kelas"),
             "1.01", "1.01.02.2.01.0008", "lokal", (1, 6), (90_000_000, 200_000_000), 5, 7,
             ("SDN {village} 0{n}", "SDN {village} 0{n}", "SMPN {n} {district}")),
    Template(("Pengadaan meubelair sekolah", "Pengadaan meja kursi siswa"),
             "1.01", "1.01.02.2.01.0014", "set", (20, 120), (1_200_000, 2_500_000), 2, 3,
             ("SDN {village} 0{n}", "SMPN {n} {district}")),
    Template(("Pembangunan gedung PAUD", "Rehabilitasi gedung PAUD"),
             "1.01", "1.01.02.2.03.0001", "unit", (1, 1), (150_000_000, 350_000_000), 1.5, 2),
    Template(("Pelatihan UMKM", "Pelatihan kewirausahaan bagi pelaku usaha mikro",
              "Pelatihan pemasaran digital UMKM", "Pelatihan pengolahan makanan bagi ibu-ibu PKK"),
             "2.17", "2.17.07.2.01.0004", "orang", (20, 60), (600_000, 2_000_000), 4, 5),
    Template(("Pelatihan keterampilan kerja bagi pencari kerja", "Pelatihan menjahit", "Pelatihan las dan otomotif"),
             "2.07", "2.07.03.2.01.0001", "orang", (16, 40), (2_500_000, 6_000_000), 2.5, 3),
    Template(("Bantuan sarana usaha ekonomi produktif", "Bantuan gerobak usaha bagi keluarga miskin"),
             "1.06", "1.06.05.2.02.0004", "paket", (5, 40), (2_500_000, 7_500_000), 2, 4),
    Template(("Bantuan alat bantu disabilitas", "Pengadaan kursi roda bagi penyandang disabilitas"),
             "1.06", "1.06.04.2.02.0005", "unit", (2, 20), (1_500_000, 4_500_000), 1, 1.5),
    Template(("Pengadaan tong sampah terpilah", "Pembangunan TPS3R", "Pengadaan gerobak/motor sampah"),
             "2.11", "2.11.11.2.01.0004", "unit", (2, 30), (1_500_000, 45_000_000), 3, 2),
    Template(("Penanaman pohon dan penghijauan", "Pembangunan taman/Ruang Terbuka Hijau"),
             "2.11", "2.11.04.2.01.0004", "m2", (100, 1_500), (150_000, 450_000), 1, 1),
    Template(("Bantuan benih padi unggul", "Bantuan pupuk organik", "Pengadaan hand tractor kelompok tani",
              "Bantuan pompa air pertanian"),
             "3.27", "3.27.02.2.01.0002", "paket", (1, 10), (5_000_000, 60_000_000), 3, 4),
    Template(("Pembangunan jalan usaha tani", "Rehabilitasi jalan usaha tani"),
             "3.27", "3.27.03.2.02.0003", "m", (200, 1_500), (300_000, 700_000), 2, 2),
    Template(("Bantuan bibit ikan lele/nila", "Bantuan sarana budidaya ikan kolam terpal"),
             "3.25", "3.25.03.2.01.0003", "paket", (1, 10), (3_000_000, 25_000_000), 1.2, 1.5),
    Template(("Pengadaan sarana olahraga", "Pembangunan lapangan futsal", "Pembangunan lapangan voli"),
             "2.19", "2.19.03.2.05.0004", "unit", (1, 2), (25_000_000, 250_000_000), 2.5, 4),
    Template(("Pelatihan kader Posyandu dan Bina Keluarga Balita", "Pembinaan kelompok BKB/BKR"),
             "2.14", "2.14.04.2.01.0004", "orang", (20, 60), (350_000, 900_000), 1.5, 1.5),
    Template(("Pengadaan buku perpustakaan desa", "Pengembangan Taman Bacaan Masyarakat"),
             "2.23", "2.23.02.2.02.0002", "paket", (1, 3), (10_000_000, 45_000_000), 0.8, 1),
    Template(("Pengadaan sarana kantor desa", "Pengadaan komputer dan printer kantor desa"),
             "2.13", "2.13.02.2.01.0006", "paket", (1, 3), (10_000_000, 50_000_000), 1.5, 1),
    Template(("Pelatihan Linmas desa", "Pengadaan seragam dan perlengkapan Linmas"),
             "1.05", "1.05.02.2.01.0004", "orang", (10, 40), (400_000, 1_500_000), 1, 1),
    Template(("Pengadaan Alat Pemadam Api Ringan (APAR)", "Sosialisasi pencegahan kebakaran"),
             "1.05", "1.05.04.2.04.0001", "unit", (5, 40), (450_000, 1_200_000), 0.8, 0.8),
    Template(("Pembangunan pasar desa", "Revitalisasi pasar rakyat"),
             "3.30", "3.30.03.2.01.0001", "unit", (1, 1), (350_000_000, 2_500_000_000), 0.6, 1.5),
    Template(("Penyuluhan pencegahan kekerasan terhadap perempuan dan anak", "Pembentukan Forum Anak desa"),
             "2.08", "2.08.07.2.01.0002", "kegiatan", (1, 4), (8_000_000, 30_000_000), 0.8, 1),
    Template(("Pengembangan desa wisata", "Pembangunan gapura dan papan nama objek wisata"),
             "3.26", "3.26.02.2.03.0003", "paket", (1, 2), (40_000_000, 300_000_000), 0.8, 1.5),
    Template(("Pembinaan sanggar seni budaya", "Pengadaan alat kesenian tradisional"),
             "2.22", "", "paket", (1, 3), (10_000_000, 60_000_000), 0.6, 1.2),
)

# Supporting program (X.XX.01.2.xx.xxxx) sub-activities every agency carries in its Renstra.
SUPPORT_SUB_ACTIVITIES: tuple[str, ...] = (
    "X.XX.01.2.01.0001",  # Penyusunan Dokumen Perencanaan Perangkat Daerah
    "X.XX.01.2.01.0007",  # Evaluasi Kinerja Perangkat Daerah
    "X.XX.01.2.02.0001",  # Penyediaan Gaji dan Tunjangan ASN
    "X.XX.01.2.06.0002",  # Penyediaan Peralatan dan Perlengkapan Kantor
    "X.XX.01.2.06.0004",  # Penyediaan Bahan Logistik Kantor
    "X.XX.01.2.07.0005",  # Pengadaan Mebel
    "X.XX.01.2.08.0002",  # Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik
    "X.XX.01.2.09.0002",  # Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan ... Kendaraan Dinas
    "X.XX.01.2.09.0009",  # Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya
)
