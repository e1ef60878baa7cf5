"""Invented but plausible Indonesian names: people, councillors, factions, hamlets.

Every name here is made up by combining common given names; none refers to a real person.
"""

from __future__ import annotations

__all__ = ["DEGREES", "FACTIONS", "FAMILY_NAMES", "GIVEN_NAMES_F", "GIVEN_NAMES_M", "HAMLET_PARTS", "NAME_POOLS",
           "NamePool", "TITLES"]

GIVEN_NAMES_M = (
    "Ahmad", "Agus", "Asep", "Bambang", "Budi", "Cecep", "Dadang", "Dedi", "Deden", "Dede", "Eko",
    "Endang", "Fajar", "Hendra", "Iwan", "Jajang", "Joko", "Kurniawan", "Lukman", "Mamat", "Nanang",
    "Rahmat", "Rudi", "Saepul", "Slamet", "Sutrisno", "Taufik", "Ujang", "Wahyu", "Yayan", "Yusuf",
    "Zainal", "Hasan", "Ridwan", "Firman", "Irfan", "Nurdin", "Hermawan", "Supriyadi", "Anwar",
)
GIVEN_NAMES_F = (
    "Ani", "Dewi", "Eneng", "Euis", "Fitri", "Iis", "Imas", "Lilis", "Neneng", "Nur", "Nurhayati",
    "Rina", "Siti", "Sri", "Tuti", "Wati", "Yanti", "Yuli", "Ratna", "Rohimah", "Kartini", "Dian",
)
FAMILY_NAMES = (
    "Hidayat", "Saputra", "Santoso", "Setiawan", "Sulaeman", "Suryana", "Nugraha", "Permana",
    "Gunawan", "Kusnadi", "Rahman", "Hakim", "Maulana", "Pratama", "Wijaya", "Syahputra",
    "Hermawan", "Firdaus", "Ramdani", "Mulyana", "Sopandi", "Sudrajat", "Munandar", "Kurnia",
    "Suherman", "Hamdani", "Rosadi", "Fauzi", "Hasanudin", "Iskandar",
)
TITLES = ("", "", "", "H. ", "Hj. ", "Drs. ", "Ir. ")
DEGREES = ("", "", "", ", S.H.", ", S.E.", ", S.Pd.", ", S.Sos.", ", S.T.", ", M.M.", ", S.Ag.", ", M.Si.")

# Fictional party factions of the regional council (DPRD).
FACTIONS = (
    "Fraksi Partai Karya Bangsa",
    "Fraksi Partai Nusantara Maju",
    "Fraksi Partai Amanat Rakyat",
    "Fraksi Partai Persatuan Daerah",
    "Fraksi Partai Harapan Desa",
    "Fraksi Gabungan Bintang Keadilan",
)

HAMLET_PARTS = (
    "Babakan", "Bojong", "Cibuntu", "Cikarang", "Cilebar", "Cikedokan", "Gardu", "Kebon",
    "Kaum", "Kandang", "Leuwi", "Pasir", "Pulo", "Rawa", "Sawah", "Sukamulya", "Tanjung",
    "Tegal", "Tengah", "Pasar", "Kali", "Jati", "Gebang", "Pabuaran", "Serang", "Lebak",
)


# People's names by region (the pools above are West-Javanese and Betawi: West Java, Banten, Jakarta).
NamePool = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # (given male, given female, family)
SUNDANESE_GIVEN = frozenset({"Asep", "Cecep", "Dadang", "Deden", "Dede", "Jajang", "Mamat", "Saepul", "Ujang",
                             "Yayan", "Eneng", "Euis", "Iis", "Imas", "Neneng", "Endang"})
NAME_POOLS: dict[str, NamePool] = {
    "sunda": (GIVEN_NAMES_M, GIVEN_NAMES_F, FAMILY_NAMES),
    "jawa": (
        ("Agus", "Bambang", "Budi", "Eko", "Joko", "Slamet", "Sutrisno", "Wahyu", "Heru", "Sugeng", "Teguh",
         "Purwanto", "Suparno", "Gatot", "Hadi", "Imam", "Mulyono", "Rudi", "Yusuf", "Anwar", "Didik", "Bagus"),
        ("Sri", "Siti", "Dewi", "Tutik", "Wahyuni", "Suparmi", "Lestari", "Ratna", "Yuli", "Sulastri", "Ani",
         "Endah", "Kartini", "Nur"),
        ("Santoso", "Wibowo", "Prasetyo", "Susanto", "Purnomo", "Hartono", "Setiawan", "Kurniawan", "Saputro",
         "Nugroho", "Wicaksono", "Utomo", "Wijaya", "Hidayat", "Sutrisno", "Hariyanto"),
    ),
    "papua": (
        ("Yohanes", "Markus", "Yosias", "Agustinus", "Yakobus", "Petrus", "Daniel", "Simon", "Obed", "Yulius",
         "Herman", "Frans", "Alex", "Yance", "Niko"),
        ("Maria", "Yuliana", "Martha", "Dorkas", "Selfina", "Naomi", "Ruth", "Elisabeth", "Agustina", "Yohana"),
        ("Wenda", "Tabuni", "Kogoya", "Wonda", "Yikwa", "Rumbiak", "Mandowen", "Kambu", "Ohee", "Yoku",
         "Wanimbo", "Giay", "Pigai", "Kareth", "Marani", "Wally", "Numberi"),
    ),
    "nusantara": (
        tuple(n for n in GIVEN_NAMES_M if n not in SUNDANESE_GIVEN),
        tuple(n for n in GIVEN_NAMES_F if n not in SUNDANESE_GIVEN),
        ("Hidayat", "Saputra", "Santoso", "Setiawan", "Gunawan", "Rahman", "Hakim", "Maulana", "Pratama",
         "Wijaya", "Syahputra", "Firdaus", "Iskandar", "Harahap", "Siregar", "Nasution", "Lubis", "Tanjung",
         "Pohan", "Daeng", "Lamba", "Rahim", "Sinaga", "Hasibuan"),
    ),
}
