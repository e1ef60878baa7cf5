"""Invented but plausible Indonesian names: people, councillors, factions, hamlets.

Every name here is made up by combining common given names; none refers to a real person.
"""

from __future__ import annotations

__all__ = ["DEGREES", "FACTIONS", "FAMILY_NAMES", "GIVEN_NAMES_F", "GIVEN_NAMES_M", "HAMLET_PARTS", "TITLES"]

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
