"""What differs from one district to the next: its size, whether it is a city, its place names.

The full ("bekasi") scale is calibrated on one real cycle, Kabupaten Bekasi (32.16, RKPD 2021:
9,946 village, 9,883 Pokir and 143,101 Pra-Renja proposals, 3,387,601 inhabitants in the
packaged 2025 population table). Any other regency or city gets, with
`r = population / 3,387,601` (documented in docs/demo.md, "Any district"):

- village Musrenbang proposals `round(9,946 r)`, but at least 3 per village (each village holds its
  Musrenbang and sends a few);
- Pokir `round(9,883 r)`, at least 5 per councillor; councillors with Pokir
  `round(seats x 50 / 55)` where `seats` is the DPRD size the election law (UU 7/2017 Pasal 191)
  gives the population (Bekasi: 55 seats, 50 councillors with Pokir);
- Pra-Renja `round(143,101 r)`, at least 30 per agency;
- every Renstra amount times `0.3 + 0.7 r` (a small district still runs every agency).

Cities get city agencies (no Dinas Pemberdayaan Masyarakat dan Desa; food, farming and fisheries in
one agency), city wording (kelurahan, kota, wali kota) and no sub-activity about villages (desa).
Place names in addresses are the West-Javanese kampung names of `names.HAMLET_PARTS` only in West
Java; elsewhere they are words of the district's own village names after the local prefix (Kp. in
Banten, Dusun in rural districts, Kampung/Gg./Lingkungan in cities), and city addresses have blocks
instead of dusun. People's (invented) names come from a pool of the region: West-Javanese and
Betawi in West Java, Banten and Jakarta, Javanese in Central and East Java and Yogyakarta, Papuan
in Papua, and a mixed pool without Sundanese names elsewhere. Papua's kecamatan are distrik and
its villages kampung. Jakarta's administrative cities and regency have no council and no budget of
their own: they are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from selaras.demo.codes import RegionSlice, UnknownRegionError, activity_of, program_of
from selaras.demo.model import DemoAgency, DemoRenstra, DemoRenstraLine, Scale
from selaras.demo.plans import agency_code

__all__ = [
    "CALIBRATION_POPULATION",
    "CALIBRATION_REGION",
    "AdministrativeRegionError",
    "RegionalWords",
    "budget_factor",
    "city_agencies",
    "council_seats",
    "fit_scale",
    "refuse_without_council",
    "regional_agencies",
    "regional_words",
    "scale_renstra_budgets",
]

CALIBRATION_REGION = "32.16"
CALIBRATION_POPULATION = 3_387_601  # Kabupaten Bekasi, wilayah_penduduk_2025
CALIBRATION_SEATS = 55
CALIBRATION_COUNCILLORS = 50
MIN_VILLAGE_PROPOSALS_PER_VILLAGE = 3
MIN_POKIR_PER_COUNCILLOR = 5
MIN_DRAFTS_PER_AGENCY = 30

# UU 7/2017 Pasal 191 ayat (2): DPRD kabupaten/kota seats by population (upper bound, seats).
_SEATS = ((100_000, 20), (200_000, 25), (300_000, 30), (400_000, 35), (500_000, 40), (1_000_000, 45),
          (3_000_000, 50))
SUNDA_POOL_PROVINCE = "32"  # the kampung names of names.HAMLET_PARTS are West-Javanese
KAMPUNG_PROVINCES = ("31", "36")  # Betawi and Banten: "Kp." before the district's own names
JAVA_PROVINCES = ("33", "34", "35")
PAPUA_PROVINCES = ("91", "92", "93", "94", "95", "96")
JAKARTA = "31"


class AdministrativeRegionError(UnknownRegionError):
    """An administrative city or regency of Jakarta: no DPRD, no APBD of its own."""

    code = "administrative_region"


def refuse_without_council(region: RegionSlice) -> None:
    if region.province_code == JAKARTA:
        raise AdministrativeRegionError(
            f"{region.name} ({region.code}) adalah wilayah administrasi Provinsi DKI Jakarta: tanpa DPRD "
            "dan APBD sendiri, sehingga tidak ada Pokir, RKPD, maupun Renja kabupaten/kota untuk dibuat. "
            "Pilih kabupaten/kota otonom, mis. 36.71 (Kota Tangerang) atau 32.16 (Kabupaten Bekasi)."
        )


def council_seats(population: int) -> int:
    for bound, seats in _SEATS:
        if population <= bound:
            return seats
    return CALIBRATION_SEATS


def budget_factor(population: int) -> Decimal:
    ratio = Decimal(population) / CALIBRATION_POPULATION
    return (Decimal("0.3") + Decimal("0.7") * ratio).quantize(Decimal("0.0001"))


def fit_scale(spec: Scale, region: RegionSlice, agencies: int) -> Scale:
    """The full scale fitted to `region`'s population (unchanged for Bekasi and the small scale)."""
    if spec.name != "bekasi" or region.code == CALIBRATION_REGION or not region.population:
        return spec
    ratio = region.population / CALIBRATION_POPULATION
    councillors = max(1, round(council_seats(region.population) * CALIBRATION_COUNCILLORS / CALIBRATION_SEATS))
    return replace(
        spec,
        village_proposals=max(round(spec.village_proposals * ratio),
                              MIN_VILLAGE_PROPOSALS_PER_VILLAGE * len(region.villages)),
        pokir_proposals=max(round(spec.pokir_proposals * ratio), MIN_POKIR_PER_COUNCILLOR * councillors),
        agency_draft_proposals=max(round(spec.agency_draft_proposals * ratio), MIN_DRAFTS_PER_AGENCY * agencies),
        councillors=councillors,
    )


def scale_renstra_budgets(renstras: tuple[DemoRenstra, ...], factor: Decimal) -> tuple[DemoRenstra, ...]:
    """Every sub-activity amount times `factor` (to the thousand), activities and programs summed again."""
    if factor == 1:
        return renstras
    out: list[DemoRenstra] = []
    for renstra in renstras:
        subs = [
            replace(line, years=tuple((y, t, int(amount * factor) // 1000 * 1000) for y, t, amount in line.years))
            for line in renstra.lines if line.level == "sub_activity"
        ]
        sums: dict[str, list[int]] = {}
        for line in subs:
            for parent in (activity_of(line.code), program_of(line.code)):
                row = sums.setdefault(parent, [0] * len(line.years))
                for i, (_, _, amount) in enumerate(line.years):
                    row[i] += amount
        by_code = {line.code: line for line in subs}
        lines: list[DemoRenstraLine] = []
        for line in renstra.lines:
            if line.level == "sub_activity":
                lines.append(by_code[line.code])
            elif line.code in sums:
                lines.append(replace(line, years=tuple(
                    (y, t, sums[line.code][i]) for i, (y, t, _) in enumerate(line.years))))
            else:
                lines.append(line)
        out.append(replace(renstra, lines=tuple(lines)))
    return tuple(out)


# City agencies: what a regency spreads over several agencies, a city keeps in one.
_CITY_MERGES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Pemberdayaan Masyarakat", "DP3AM",
     ("2.08", "2.13"), ("DP3A", "DPMD")),
    ("Dinas Ketahanan Pangan, Pertanian dan Perikanan", "DKPPP",
     ("2.09", "3.27", "3.25", "3.28"), ("DKP", "Distan", "Diskanla")),
)


def city_agencies(agencies: tuple[DemoAgency, ...]) -> tuple[DemoAgency, ...]:
    by_short = {a.short_name: a for a in agencies}
    replaced: dict[str, DemoAgency | None] = {}
    for name, short, sectors, members in _CITY_MERGES:
        present = [by_short[m] for m in members if m in by_short]
        if not present:
            continue
        merged = DemoAgency(code=agency_code(sectors, 1), name=name, short_name=short, sector_codes=sectors,
                            weight=sum(a.weight for a in present))
        replaced[present[0].short_name] = merged
        for other in present[1:]:
            replaced[other.short_name] = None
    out: list[DemoAgency] = []
    for agency in agencies:
        if agency.district_code or agency.short_name not in replaced:
            out.append(agency)
        elif (instead := replaced[agency.short_name]) is not None:
            out.append(instead)
    return tuple(out)


def regional_agencies(agencies: tuple[DemoAgency, ...], region: RegionSlice) -> tuple[DemoAgency, ...]:
    """City agencies in cities; Papua's kecamatan offices are distrik offices."""
    if region.kind == "kota":
        agencies = city_agencies(agencies)
    words = regional_words(region)
    if words.district_label != "Kecamatan":
        agencies = tuple(
            replace(a, name=words.district_label + a.name[len("Kecamatan"):],
                    short_name=(words.district_label + a.short_name[len("Kec."):])[:40])
            if a.district_code and a.name.startswith("Kecamatan ") else a
            for a in agencies
        )
    return agencies


_CITY_PHRASES = (
    ("jalan poros desa", "jalan kota"),
    ("Perbaikan jalan desa", "Perbaikan jalan kota"),
    ("jalan penghubung antar desa", "jalan penghubung antar kelurahan"),
    ("jembatan desa", "jembatan lingkungan"),
    ("pasar desa", "pasar lingkungan"),
    ("desa wisata", "kampung wisata"),
    ("Dana Desa", "dana kelurahan"),
    ("kewenangan kabupaten", "kewenangan pemerintah kota"),
    ("jalan kabupaten", "jalan kota"),
)
_PAPUA_WORDS = ((re.compile(r"\bdesa\b"), "kampung"), (re.compile(r"\bDesa\b"), "Kampung"))
_CITY_WORDS = (
    (re.compile(r"\bdesa\b"), "kelurahan"), (re.compile(r"\bDesa\b"), "Kelurahan"),
    (re.compile(r"\bkabupaten\b"), "kota"), (re.compile(r"\bKabupaten\b"), "Kota"),
    (re.compile(r"\bBupati\b"), "Wali Kota"), (re.compile(r"\bbupati\b"), "wali kota"),
)
# Words of village names that are not place names of their own.
_NOT_PLACES = frozenset({"Baru", "Barat", "Timur", "Utara", "Selatan", "Tengah", "Kota", "Pusat", "Satu",
                         "Dua", "Tiga", "Kampung", "Desa", "Dusun", "Lama", "Jaya", "Indah", "Raya"})


@dataclass(frozen=True)
class RegionalWords:
    """How people of a district write about their places."""

    city: bool
    head_title: str  # Bupati | Wali Kota
    district_label: str  # Kecamatan | Distrik
    village_word: str  # what a desa is called here (Desa | Kampung)
    hamlet_prefixes: tuple[str, ...]  # before a hamlet name in addresses; () for the Sundanese pool
    hamlet_names: tuple[str, ...]  # words of the district's own village names; () for the Sundanese pool
    papua: bool = False
    names: str = "sunda"  # key of names.NAME_POOLS for people's names

    def village_label(self, kind: str) -> str:
        return self.village_word if kind == "desa" else "Kelurahan"

    def village_head(self, kind: str) -> str:
        return f"Kepala {self.village_word}" if kind == "desa" else "Lurah"

    def reword(self, text: str) -> str:
        """City wording (kelurahan for desa, kota for kabupaten, wali kota for bupati); kampung for
        desa in Papua; unchanged elsewhere."""
        if self.papua and not self.city:
            for pattern, word in _PAPUA_WORDS:
                text = pattern.sub(word, text)
            return text
        if not self.city:
            return text
        for phrase, city_phrase in _CITY_PHRASES:
            text = text.replace(phrase, city_phrase)
        for pattern, word in _CITY_WORDS:
            text = pattern.sub(word, text)
        return text


def regional_words(region: RegionSlice) -> RegionalWords:
    city = region.kind == "kota"
    papua = region.province_code in PAPUA_PROVINCES
    prefixes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    if region.province_code != SUNDA_POOL_PROVINCE:
        if region.province_code in KAMPUNG_PROVINCES:
            prefixes = ("Kp.", "Gg.") if city else ("Kp.",)
        elif city:
            prefixes = ("Kampung", "Gg.") if region.province_code in JAVA_PROVINCES else ("Lingkungan",)
        else:
            prefixes = ("Dusun",) if papua else ("Dusun", "Dsn.")
        found = {
            word for _, name, _, _ in region.villages for word in name.replace("-", " ").split()
            if len(word) >= 4 and word.isalpha() and word[0].isupper() and word not in _NOT_PLACES
        }
        names = tuple(sorted(found)) or tuple(sorted({v[1] for v in region.villages}))
    return RegionalWords(
        city=city, head_title="Wali Kota" if city else "Bupati",
        district_label="Distrik" if papua else "Kecamatan", village_word="Kampung" if papua else "Desa",
        hamlet_prefixes=prefixes, hamlet_names=names, papua=papua,
        names="sunda" if region.province_code in (SUNDA_POOL_PROVINCE, *KAMPUNG_PROVINCES)
        else "papua" if papua else "jawa" if region.province_code in JAVA_PROVINCES else "nusantara",
    )
