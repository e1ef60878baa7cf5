"""Proposals of one cycle (Musrenbang, Pokir, Pra-Renja) and the decisions taken on them so far.

Realistic mess is deliberate, because later work cleans it up: unit spellings, near-duplicates
and re-submissions (~3 %), proposals without agency or sub-activity, a wrong agency now and
then, typos, shouting titles and the odd cost with a zero too many.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from itertools import accumulate

from selaras.demo.catalogue import TEMPLATES, UNIT_SPELLINGS
from selaras.demo.codes import CodeIndex, RegionSlice
from selaras.demo.model import (
    DemoAgency,
    DemoCouncillor,
    DemoDecisions,
    DemoProposals,
    DemoRenstra,
)
from selaras.demo.names import DEGREES, FACTIONS, HAMLET_PARTS, NAME_POOLS, TITLES
from selaras.demo.plans import RKPD_YEAR, sector_agency
from selaras.demo.regional import RegionalWords, regional_words
from selaras.domain.channels import CHANNELS
from selaras.domain.lifecycle import State, apply, initial_state
from selaras.domain.proposals import Channel, Outcome, ProposalStatus, Stage

__all__ = ["ProposalBuilder", "make_councillors"]

WIB = timezone(timedelta(hours=7), "WIB")
DUPLICATE_SHARE = 0.03
ROMAN = ("I", "II", "III", "IV", "V")
# plain strings of the enums, looked up once (enum attribute access is slow in tight loops)
_VALUE: dict[object, str] = {m: m.value for e in (Channel, Stage, Outcome) for m in e}
_STATUS: dict[object, str] = {m: m.value for m in ProposalStatus}


def _below(rng: random.Random, n: int) -> int:
    """A number in [0, n): `randrange` with its argument checks, which are slow in tight loops."""
    return int(rng.random() * n)

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "1.03": ("Jalan rusak berlubang dan tergenang saat hujan", "Saluran tersumbat, permukiman sering banjir",
             "Akses warga ke sekolah dan pasar terganggu", "Kondisi eksisting tanah, becek saat musim hujan"),
    "1.04": ("Rumah warga miskin tidak layak huni, atap bocor", "Jalan lingkungan belum diperkeras",
             "Lingkungan permukiman padat tanpa prasarana memadai"),
    "1.02": ("Angka balita stunting di desa masih tinggi", "Alat ukur Posyandu rusak/tidak standar",
             "Posyandu belum memiliki gedung sendiri, menumpang di rumah kader"),
    "1.01": ("Ruang kelas rusak berat, siswa belajar bergantian", "Jumlah siswa melebihi daya tampung",
             "Meja kursi siswa sudah tidak layak pakai"),
    "2.17": ("Banyak pelaku usaha mikro belum memiliki keterampilan pemasaran",
             "Ibu rumah tangga membutuhkan tambahan penghasilan"),
    "2.15": ("Jalan gelap pada malam hari, rawan kecelakaan dan kejahatan",
             "Belum ada rambu di tikungan tajam"),
}
GENERIC_DESCRIPTIONS = ("Usulan prioritas hasil musyawarah warga", "Kebutuhan mendesak masyarakat setempat",
                        "Menunjang pelayanan dasar masyarakat", "")
RESUBMISSION_NOTE = "Usulan tahun lalu belum terealisasi. "
# An agency accepts only what fits a sub-activity of its Renstra (hence a Renja line).
RETURN_NO_SUB_ACTIVITY = "Dikembalikan: lengkapi sub kegiatan sesuai Renstra perangkat daerah"

REJECT_REASONS_DISTRICT = (
    "Bukan kewenangan kabupaten; dapat dibiayai Dana Desa",
    "Lokasi sudah ditangani pada tahun anggaran berjalan",
    "Melebihi pagu indikatif kewilayahan kecamatan",
    "Lokasi dan volume tidak jelas",
)
REJECT_REASONS_AGENCY = (
    "Tidak sesuai dengan Renstra perangkat daerah",
    "Lahan belum tersedia / status tanah belum jelas",
    "Pagu indikatif perangkat daerah tidak mencukupi",
    "Sudah tertampung pada usulan lain di lokasi yang sama",
)


@dataclass(frozen=True, slots=True)
class _Kind:
    """A template resolved against one district: real code, responsible agency, unit spellings."""

    texts: tuple[str, ...]
    sector: str
    code: str
    agency_code: str
    unit_family: str
    spellings: tuple[str, ...]  # 100 entries, weighted
    counted: bool  # volume is a whole count
    volume: tuple[float, float]
    price: tuple[int, int]
    objects: tuple[str, ...]


def _spellings(family: str) -> tuple[str, ...]:
    out: list[str] = []
    for spelling, weight in UNIT_SPELLINGS[family]:
        out.extend([spelling] * weight)
    return tuple(out[:100]) if len(out) >= 100 else tuple(out + [out[0]] * (100 - len(out)))


def _person(rng: random.Random, pool: str = "sunda") -> str:
    male, female, family = NAME_POOLS[pool]
    if rng.random() < 0.7:
        return f"{rng.choice(male)} {rng.choice(family)}"
    return f"{rng.choice(female)} {rng.choice(family)}"


def make_councillors(rng: random.Random, region: RegionSlice, count: int) -> tuple[DemoCouncillor, ...]:
    districts = [code for code, _ in region.districts]
    dapil_count = max(1, min(7, len(districts) // 3))  # electoral districts of about 3+ kecamatan
    bounds = [i * len(districts) // dapil_count for i in range(dapil_count + 1)]
    dapils = [tuple(districts[bounds[i]:bounds[i + 1]]) for i in range(dapil_count)]
    pool = regional_words(region).names
    male_names, female_names, family_names = NAME_POOLS[pool]
    titles = TITLES if pool != "papua" else ("", "", "", "Drs. ", "Ir. ", "Pdt. ")
    seen: set[str] = set()
    councillors: list[DemoCouncillor] = []
    while len(councillors) < count:
        female = rng.random() < 0.3
        given = rng.choice(female_names if female else male_names)
        title = rng.choice(titles)
        if female and title == "H. ":
            title = "Hj. "
        elif not female and title == "Hj. ":
            title = "H. "
        name = f"{title}{given} {rng.choice(family_names)}{rng.choice(DEGREES)}"
        if name in seen:
            continue
        seen.add(name)
        number = len(councillors) % len(dapils)
        councillors.append(DemoCouncillor(
            name=name, faction=FACTIONS[len(councillors) % len(FACTIONS)],
            electoral_district=f"Dapil {number + 1}", district_codes=dapils[number],
        ))
    return tuple(councillors)


class ProposalBuilder:
    """Appends proposals and decisions of one district to column lists."""

    def __init__(
        self, rng: random.Random, region: RegionSlice, villages: tuple[tuple[str, str, str, str], ...],
        agencies: tuple[DemoAgency, ...], renstras: tuple[DemoRenstra, ...], codes: CodeIndex,
        words: RegionalWords | None = None,
    ) -> None:
        self.rng = rng
        self.words = words if words is not None else regional_words(region)
        reword = self.words.reword
        self.descriptions = {k: tuple(reword(t) for t in v) for k, v in DESCRIPTIONS.items()}
        self.generic_descriptions = tuple(reword(t) for t in GENERIC_DESCRIPTIONS)
        self.reject_district = tuple(reword(t) for t in REJECT_REASONS_DISTRICT)
        self.not_ours = reword("Bukan kewenangan kabupaten")
        self.region = region
        self.villages = villages
        self.agencies = agencies
        self.renstras = renstras
        self.codes = codes
        self.district_names = dict(region.districts)
        self.proposals = DemoProposals()
        self.decisions = DemoDecisions()
        # the lifecycle rules give stage (awaiting a decision) and status; they also refuse any
        # decision the application itself would refuse, so the demo log is always replayable
        self.states: list[State] = []
        self.channels: list[Channel] = []
        self.first_reason: list[str] = []
        self.copied: list[tuple[int, int]] = []  # (source, copy): ground truth of duplicates
        self.village_by_code = {v[0]: v for v in villages}
        self.region_digits = region.code.replace(".", "")
        self.kinds: list[_Kind] = []
        self.village_weights: list[float] = []
        self.pokir_weights: list[float] = []
        for template in TEMPLATES:
            code = self.codes.resolve(template.code, template.sector)
            agency = sector_agency(agencies, template.sector, code)
            if agency is None or not code:
                continue  # a small district has no agency for this kind of proposal
            family = template.unit
            self.kinds.append(_Kind(
                texts=tuple(reword(t) for t in template.texts), sector=template.sector, code=code, agency_code=agency.code,
                unit_family=family, spellings=_spellings(family),
                counted=family not in ("m", "m2", "km"), volume=template.volume, price=template.price,
                objects=tuple(reword(o) for o in template.objects),
            ))
            self.village_weights.append(template.village_weight)
            self.pokir_weights.append(template.pokir_weight)
        self.kind_by_code: dict[str, list[int]] = {}
        for i, kind in enumerate(self.kinds):
            self.kind_by_code.setdefault(kind.code, []).append(i)
        self.agency_codes = [a.code for a in agencies]
        # (agency, sub-activity) pairs of the agencies' Renstra, i.e. their Renja lines: only a
        # proposal naming one of them can be accepted (it must sit on a Renja line)
        self.plannable = {(r.agency_code, ln.code) for r in renstras for ln in r.lines if ln.level == "sub_activity"}

    # -- small pieces ------------------------------------------------------------------------

    def _messy(self, title: str) -> str:
        r = self.rng.random()
        if r < 0.04:
            return title.upper()
        if r < 0.07:
            return title.lower()
        if r < 0.09:
            return title.replace(" ", "  ", 1)
        if r < 0.11:
            return title + "."
        if r < 0.125 and len(title) > 8:
            i = 1 + _below(self.rng, len(title) - 3)
            return title[:i] + title[i + 1] + title[i] + title[i + 2:]
        return title

    def _near_duplicate(self, title: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.2:
            return title + " (lanjutan)"
        if r < 0.35:
            return title.upper()
        if r < 0.5:
            return title.replace("Pembangunan", "Pemb.").replace("Rehabilitasi", "Rehab").replace("jalan", "jln")
        if r < 0.65:
            return title + f" tahap {rng.choice(ROMAN[1:3])}"
        if r < 0.8:
            return "  " + title.lower() + " "
        return title

    def _volume_cost(self, kind: _Kind) -> tuple[Decimal, int]:
        rng = self.rng
        low, high = kind.volume
        raw = rng.uniform(low, high)
        if kind.counted:
            volume = Decimal(max(1, round(raw)))
        elif rng.random() < 0.15:
            volume = Decimal(f"{raw:.2f}")
        else:
            volume = Decimal(int(raw) // 5 * 5 or 5)
        price = rng.randint(kind.price[0], kind.price[1])
        cost = int(float(volume) * price) // 1000 * 1000
        r = rng.random()
        if r < 0.003:
            cost *= 10  # a zero too many
        elif r < 0.005:
            cost = 0  # cost left empty
        return volume, max(cost, 0)

    def _pick_kind(self, kind_cum: list[float], *, unplaced: float, agency_only: float,
                   no_sub_activity: float) -> tuple[_Kind, Decimal, int, str, str]:
        """A kind of proposal drawn by weight, its volume and cost, and the agency and sub-activity
        the proposer wrote: none with chance `unplaced`, only the (random) agency up to
        `agency_only`, the agency without a sub-activity up to `no_sub_activity`."""
        rng = self.rng
        kind = self.kinds[bisect(kind_cum, rng.random() * kind_cum[-1])]
        volume, cost = self._volume_cost(kind)
        agency_code, sub_activity = kind.agency_code, kind.code
        r = rng.random()
        if r < unplaced:
            agency_code, sub_activity = "", ""
        elif r < agency_only:
            agency_code, sub_activity = rng.choice(self.agency_codes), ""
        elif r < no_sub_activity:
            sub_activity = ""
        return kind, volume, cost, agency_code, sub_activity

    def _hamlet(self) -> str:
        """A hamlet of this district: West-Javanese kampung names where they belong, else a word of
        the district's own village names after the local prefix (Dusun, Lingkungan)."""
        rng = self.rng
        words = self.words
        if not words.hamlet_names:
            return f"Kp. {rng.choice(HAMLET_PARTS)} {rng.choice(HAMLET_PARTS)}"
        return f"{rng.choice(words.hamlet_prefixes)} {rng.choice(words.hamlet_names)}"

    def _address(self, village: tuple[str, str, str, str]) -> str:
        rng = self.rng
        kind_label = self.words.village_label(village[2])
        r = rng.random()
        if r < 0.55:
            where = f"RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 9):03d}"
        elif r < 0.8:
            where = self._hamlet()
        elif r < 0.9:
            where = f"Blok {'ABCDE'[ROMAN.index(rng.choice(ROMAN))]}" if self.words.city else f"Dusun {rng.choice(ROMAN)}"
        else:
            return f"{kind_label} {village[1]}"
        return f"{where}, {kind_label} {village[1]}"

    def _title(self, kind: _Kind, village: tuple[str, str, str, str] | None) -> str:
        rng = self.rng
        text = rng.choice(kind.texts)
        if kind.objects and village is not None:
            obj = rng.choice(kind.objects).format(
                village=village[1], district=self.district_names.get(village[3], ""), n=rng.randint(1, 4),
            )
            return f"{text} {obj}"
        if village is not None and rng.random() < 0.3:
            if not self.words.hamlet_names:
                return f"{text} {rng.choice(('di', 'Kp.', 'Dusun'))} {rng.choice(HAMLET_PARTS)}"
            return f"{text} {rng.choice(('di', *self.words.hamlet_prefixes))} {rng.choice(self.words.hamlet_names)}"
        return text

    def _description(self, sector: str) -> str:
        rng = self.rng
        text = rng.choice(self.descriptions.get(sector, self.generic_descriptions))
        if rng.random() < 0.05:
            text = RESUBMISSION_NOTE + text
        return text

    def _add(self, channel: Channel, seq: int, *, title: str, description: str,
             village: tuple[str, str, str, str] | None, district_code: str, address: str,
             volume: Decimal, unit: str, cost: int, rank: int | None, proposer: str, proposer_role: str,
             councillor: str, agency_code: str, sub_activity: str, when: datetime, reason: str,
             actor_role: str) -> int:
        p = self.proposals
        index = len(p.number)
        stage = CHANNELS[channel].entry_stage  # a channel's proposals enter at its entry stage
        # the number the product gives it when loaded (series per channel, entered in this order), so
        # that a reason naming another proposal (a merge) names it as citizens will see it
        p.number.append(f"{self.region_digits}-{RKPD_YEAR}-{CHANNELS[channel].prefix}-{seq:06d}")
        p.channel.append(_VALUE[channel])
        p.stage.append(_VALUE[stage])
        p.status.append("")
        p.title.append(title[:300])
        p.description.append(description)
        p.village_code.append(village[0] if village else "")
        p.district_code.append(district_code)
        p.address.append(address[:300])
        p.volume.append(volume)
        p.unit.append(unit)
        p.estimated_cost.append(cost)
        p.priority_rank.append(rank)
        p.proposer_name.append(proposer[:200])
        p.proposer_role.append(proposer_role[:60])
        p.councillor_name.append(councillor)
        p.agency_code.append(agency_code)
        p.sub_activity_code.append(sub_activity)
        p.created_at.append(when)
        self.channels.append(channel)
        self.states.append(initial_state(channel))
        self.first_reason.append(reason)
        self.decide(index, stage, Outcome.SUBMITTED, reason, actor_role, when)
        return index

    def decide(self, index: int, stage: Stage, outcome: Outcome, reason: str, actor_role: str,
               when: datetime, *, new_volume: Decimal | None = None, new_cost: int | None = None,
               merged_into: int | None = None, postponed_to: int | None = None) -> None:
        d = self.decisions
        d.proposal.append(index)
        d.stage.append(_VALUE[stage])
        d.outcome.append(_VALUE[outcome])
        d.reason.append(reason)
        d.actor_role.append(actor_role)
        d.new_volume.append(new_volume)
        d.new_cost.append(new_cost)
        d.merged_into.append(merged_into)
        d.postponed_to_year.append(postponed_to)
        d.created_at.append(when)
        self.states[index] = apply(self.channels[index], self.states[index], stage, outcome)
        # as the product's decision does: a change of volume or cost becomes the proposal's own
        if new_volume is not None:
            self.proposals.volume[index] = new_volume
        if new_cost is not None:
            self.proposals.estimated_cost[index] = new_cost

    def finish(self) -> tuple[DemoProposals, DemoDecisions]:
        p = self.proposals
        p.stage = [_VALUE[state.stage] for state in self.states]
        p.status = [_STATUS[state.status] for state in self.states]
        return p, self.decisions

    # -- channels ------------------------------------------------------------------------------

    def village_musrenbang(self, count: int) -> None:
        """Musrenbang Desa/Kelurahan proposals, then the kecamatan and Forum PD decisions on them."""
        rng = self.rng
        villages = self.villages
        weights = list(accumulate(rng.uniform(0.5, 1.5) for _ in villages))
        picks = sorted(bisect(weights, rng.random() * weights[-1]) for _ in range(count))
        kind_cum = list(accumulate(self.village_weights))
        start = datetime(2025, 1, 6, 9, 0, tzinfo=WIB)
        day_of_village = {i: _below(rng, 32) for i in sorted(set(picks))}
        first_in_village: dict[int, int] = {}
        rank = 0
        previous_village = -1
        for seq, vi in enumerate(picks, start=1):
            village = villages[min(vi, len(villages) - 1)]
            if vi != previous_village:
                rank, previous_village = 0, vi
                first_in_village[vi] = len(self.proposals)
            rank += 1
            when = start + timedelta(days=day_of_village[vi], minutes=rank * 7 + _below(rng, 5))
            group_start = first_in_village[vi]
            here = len(self.proposals)
            if here > group_start and rng.random() < DUPLICATE_SHARE:
                source = group_start + _below(rng, here - group_start)
                self._copy(source, Channel.VILLAGE_MUSRENBANG, seq, when, rank=rank)
                continue
            kind, volume, cost, agency_code, sub_activity = self._pick_kind(
                kind_cum, unplaced=0.06, agency_only=0.08, no_sub_activity=0.14)
            label = self.words.village_label(village[2])
            proposer, role = self._village_proposer(village, label)
            self._add(
                Channel.VILLAGE_MUSRENBANG, seq,
                title=self._messy(self._title(kind, village)), description=self._description(kind.sector),
                village=village, district_code=village[3], address=self._address(village),
                volume=volume, unit=kind.spellings[_below(rng, 100)], cost=cost, rank=rank,
                proposer=proposer, proposer_role=role, councillor="", agency_code=agency_code,
                sub_activity=sub_activity, when=when, reason=f"Hasil Musrenbang {label} {village[1]}",
                actor_role="village_operator",
            )
        self._district_decisions()

    def _village_proposer(self, village: tuple[str, str, str, str], label: str) -> tuple[str, str]:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            return f"Ketua RW {rng.randint(1, 9):02d} {label} {village[1]}", "Ketua RW"
        if r < 0.55:
            return f"Ketua RT {rng.randint(1, 12):03d}", "Ketua RT"
        if r < 0.7:
            return (f"{self.words.village_head(village[2])} {village[1]}",
                    "Lurah" if self.words.city else "Kepala Desa/Lurah")
        if r < 0.8:
            return f"LPM {label} {village[1]}", "LPM"
        return _person(rng, self.words.names), rng.choice(("Tokoh masyarakat", "Kader Posyandu", "Karang Taruna",
                                                           "Warga"))

    def _copy(self, source: int, channel: Channel, seq: int, when: datetime, *,
              rank: int | None = None, proposer: str | None = None, proposer_role: str | None = None,
              councillor: str = "", reason: str | None = None, actor_role: str | None = None) -> int:
        """A near-duplicate or re-submission of proposal `source`."""
        rng = self.rng
        p = self.proposals
        volume = p.volume[source]
        cost = p.estimated_cost[source]
        if rng.random() < 0.4:
            factor = Decimal(str(round(rng.uniform(0.8, 1.2), 2)))
            volume = (volume * factor).quantize(Decimal("0.01"))
            cost = int(cost * float(factor)) // 1000 * 1000
        unit = p.unit[source]
        for family in UNIT_SPELLINGS.values():
            if any(unit == spelling for spelling, _ in family) and rng.random() < 0.5:
                unit = family[_below(rng, len(family))][0]
                break
        village_code = p.village_code[source]
        village = self.village_by_code.get(village_code)
        description = p.description[source]
        if rng.random() < 0.5 and not description.startswith(RESUBMISSION_NOTE):
            description = RESUBMISSION_NOTE + description
        index = self._add(
            channel, seq, title=self._near_duplicate(p.title[source]), description=description,
            village=village, district_code=p.district_code[source], address=p.address[source],
            volume=volume, unit=unit, cost=cost, rank=rank,
            proposer=proposer if proposer is not None else p.proposer_name[source],
            proposer_role=proposer_role if proposer_role is not None else p.proposer_role[source],
            councillor=councillor, agency_code=p.agency_code[source],
            sub_activity=p.sub_activity_code[source], when=when,
            reason=reason if reason is not None else self.first_reason[source],
            actor_role=actor_role if actor_role is not None else "village_operator",
        )
        self.copied.append((source, index))
        return index

    def _district_decisions(self) -> None:
        """Musrenbang Kecamatan (February) and Forum Perangkat Daerah (March) on village proposals."""
        rng = self.rng
        p = self.proposals
        forum_start = datetime(2025, 3, 3, 9, 0, tzinfo=WIB)
        district_start = datetime(2025, 2, 10, 9, 0, tzinfo=WIB)
        district_day = {code: _below(rng, 12) for code, _ in self.region.districts}
        seen: dict[tuple[str, str], int] = {}
        forwarded: list[int] = []
        for i in range(len(p.number)):
            if p.channel[i] != Channel.VILLAGE_MUSRENBANG.value:
                continue
            key = (p.village_code[i], " ".join(p.title[i].lower().replace("(lanjutan)", "").split())[:24])
            original = seen.get(key)
            if original is None:
                seen[key] = i
            if rng.random() > 0.8:
                continue  # this kecamatan has not entered its results yet
            when = district_start + timedelta(days=district_day[p.district_code[i]], minutes=_below(rng, 480))
            name = self.district_names.get(p.district_code[i], "")
            r = rng.random()
            if original is not None and r < 0.6:
                self.decide(i, Stage.DISTRICT, Outcome.MERGED,
                            f"Digabung dengan usulan {p.number[original]} (usulan ganda)", "district_operator",
                            when, merged_into=original)
            elif r < 0.78:
                self.decide(i, Stage.DISTRICT, Outcome.FORWARDED,
                            f"Disepakati pada Musrenbang {self.words.district_label} {name}", "district_operator",
                            when)
                forwarded.append(i)
            elif r < 0.92:
                self.decide(i, Stage.DISTRICT, Outcome.REJECTED, rng.choice(self.reject_district),
                            "district_operator", when)
            elif r < 0.95:
                self.decide(i, Stage.DISTRICT, Outcome.RETURNED,
                            "Dikembalikan: lengkapi foto lokasi dan volume", "district_operator", when)
            else:
                self.decide(i, Stage.DISTRICT, Outcome.POSTPONED, f"Ditunda ke tahun {RKPD_YEAR + 1}",
                            "district_operator", when, postponed_to=RKPD_YEAR + 1)
        for i in forwarded:
            if rng.random() > 0.55 or not p.agency_code[i]:
                continue
            when = forum_start + timedelta(days=_below(rng, 10), minutes=_below(rng, 480))
            r = rng.random()
            if r < 0.7 and (p.agency_code[i], p.sub_activity_code[i]) not in self.plannable:
                self.decide(i, Stage.AGENCY_FORUM, Outcome.RETURNED, RETURN_NO_SUB_ACTIVITY, "agency_planner", when)
            elif r < 0.5:
                self.decide(i, Stage.AGENCY_FORUM, Outcome.ACCEPTED, "Sesuai Renstra dan pagu indikatif",
                            "agency_planner", when)
            elif r < 0.7:
                factor = Decimal(str(round(rng.uniform(0.5, 0.9), 2)))
                new_volume = (p.volume[i] * factor).quantize(Decimal("0.01"))
                self.decide(i, Stage.AGENCY_FORUM, Outcome.ACCEPTED_WITH_CHANGES,
                            "Volume disesuaikan dengan pagu indikatif", "agency_planner", when,
                            new_volume=new_volume, new_cost=int(p.estimated_cost[i] * float(factor)) // 1000 * 1000)
            elif r < 0.82:
                self.decide(i, Stage.AGENCY_FORUM, Outcome.POSTPONED,
                            f"Ditunda ke tahun {RKPD_YEAR + 1} karena keterbatasan pagu", "agency_planner", when,
                            postponed_to=RKPD_YEAR + 1)
            else:
                self.decide(i, Stage.AGENCY_FORUM, Outcome.REJECTED, rng.choice(REJECT_REASONS_AGENCY),
                            "agency_planner", when)

    def pokir(self, count: int, councillors: tuple[DemoCouncillor, ...]) -> None:
        """Pokok-pokok pikiran DPRD from the councillors' recess (reses) in their electoral districts."""
        rng = self.rng
        kind_cum = list(accumulate(self.pokir_weights))
        by_district: dict[str, list[tuple[str, str, str, str]]] = {}
        for village in self.villages:
            by_district.setdefault(village[3], []).append(village)
        pools = []
        for c in councillors:
            pool = [v for d in c.district_codes for v in by_district.get(d, [])]
            pools.append(pool or list(self.villages))
        activity = list(accumulate(rng.uniform(0.3, 2.0) for _ in councillors))
        picks = sorted(bisect(activity, rng.random() * activity[-1]) for _ in range(count))
        village_indexes = [i for i, ch in enumerate(self.proposals.channel) if ch == Channel.VILLAGE_MUSRENBANG.value]
        village_by_code: dict[str, list[int]] = {}
        for i in village_indexes:
            village_by_code.setdefault(self.proposals.village_code[i], []).append(i)
        start = datetime(2024, 12, 2, 10, 0, tzinfo=WIB)
        own_start = len(self.proposals)
        for seq, ci in enumerate(picks, start=1):
            councillor = councillors[min(ci, len(councillors) - 1)]
            pool = pools[min(ci, len(councillors) - 1)]
            village = pool[_below(rng, len(pool))]
            late = rng.random() < 0.02
            when = (datetime(2025, 4, 14, 10, 0, tzinfo=WIB) if late else start) + timedelta(
                days=_below(rng, 75 if not late else 10), minutes=_below(rng, 600))
            reason = f"Pokir hasil reses {councillor.electoral_district}" + (" (disampaikan terlambat)" if late else "")
            r = rng.random()
            if r < 0.03 and village_by_code.get(village[0]):
                source = rng.choice(village_by_code[village[0]])
                self._copy(source, Channel.POKIR, seq, when, proposer=councillor.name,
                           proposer_role=councillor.faction, councillor=councillor.name, reason=reason,
                           actor_role="councillor")
                continue
            if r < 0.05 and len(self.proposals) > own_start:
                source = own_start + _below(rng, len(self.proposals) - own_start)
                self._copy(source, Channel.POKIR, seq, when, proposer=councillor.name,
                           proposer_role=councillor.faction, councillor=councillor.name, reason=reason,
                           actor_role="councillor")
                continue
            kind, volume, cost, agency_code, sub_activity = self._pick_kind(
                kind_cum, unplaced=0.12, agency_only=0.12, no_sub_activity=0.3)
            self._add(
                Channel.POKIR, seq,
                title=self._messy(self._title(kind, village)), description=self._description(kind.sector),
                village=village, district_code=village[3], address=self._address(village), volume=volume,
                unit=kind.spellings[_below(rng, 100)], cost=cost, rank=None, proposer=councillor.name,
                proposer_role=councillor.faction, councillor=councillor.name, agency_code=agency_code,
                sub_activity=sub_activity, when=when, reason=reason, actor_role="councillor",
            )
        verification = datetime(2025, 3, 17, 9, 0, tzinfo=WIB)
        for i in range(own_start, len(self.proposals)):
            if not self.proposals.agency_code[i] or rng.random() > 0.25:
                continue
            when = verification + timedelta(days=_below(rng, 14), minutes=_below(rng, 480))
            r = rng.random()
            if r < 0.6 and (self.proposals.agency_code[i], self.proposals.sub_activity_code[i]) not in self.plannable:
                self.decide(i, Stage.AGENCY_VERIFICATION, Outcome.RETURNED, RETURN_NO_SUB_ACTIVITY,
                            "agency_planner", when)
            elif r < 0.6:
                self.decide(i, Stage.AGENCY_VERIFICATION, Outcome.ACCEPTED, "Terverifikasi, sesuai kewenangan",
                            "agency_planner", when)
            elif r < 0.85:
                self.decide(i, Stage.AGENCY_VERIFICATION, Outcome.REJECTED,
                            rng.choice((self.not_ours, "Lokasi tidak jelas",
                                        *REJECT_REASONS_AGENCY[:2])), "agency_planner", when)
            else:
                self.decide(i, Stage.AGENCY_VERIFICATION, Outcome.POSTPONED, f"Ditunda ke tahun {RKPD_YEAR + 1}",
                            "agency_planner", when, postponed_to=RKPD_YEAR + 1)

    def agency_drafts(self, count: int) -> None:
        """Pra-Renja: each agency's own proposals on the sub-activities of its Renstra."""
        rng = self.rng
        agencies = self.agencies
        lines_of: list[list[tuple[str, str, str]]] = []
        support_of: list[list[tuple[str, str, str]]] = []
        by_agency = {r.agency_code: r for r in self.renstras}
        for agency in agencies:
            lines = [(ln.code, ln.name, ln.unit) for ln in by_agency[agency.code].lines if ln.level == "sub_activity"]
            lines_of.append([ln for ln in lines if not ln[0].startswith("X.XX")] or lines)
            support_of.append([ln for ln in lines if ln[0].startswith("X.XX")] or lines)
        weights = list(accumulate(a.weight for a in agencies))
        picks = sorted(bisect(weights, rng.random() * weights[-1]) for _ in range(count))
        villages = self.villages
        by_district: dict[str, tuple[tuple[str, str, str, str], ...]] = {}
        for code_, *_ in self.region.districts:
            by_district[code_] = tuple(v for v in villages if v[3] == code_)
        no_villages: tuple[tuple[str, str, str, str], ...] = ()
        generic = {family: _spellings(family) for family in UNIT_SPELLINGS}
        start = datetime(2025, 1, 13, 8, 0, tzinfo=WIB)
        group_start = len(self.proposals)
        previous = -1
        for seq, ai in enumerate(picks, start=1):
            ai = min(ai, len(agencies) - 1)
            agency = agencies[ai]
            if ai != previous:
                previous, group_start = ai, len(self.proposals)
            when = start + timedelta(days=_below(rng, 40), minutes=_below(rng, 600))
            here = len(self.proposals)
            reason = f"Pra-Renja {agency.short_name}"
            if here > group_start and rng.random() < DUPLICATE_SHARE:
                source = group_start + _below(rng, here - group_start)
                self._copy(source, Channel.AGENCY_DRAFT, seq, when, reason=reason,
                           actor_role="agency_planner")
                continue
            support = rng.random() < 0.08
            code, name, unit_name = rng.choice(support_of[ai] if support else lines_of[ai])
            if agency.district_code:
                pool = by_district.get(agency.district_code) or villages
            else:
                pool = villages if rng.random() < 0.55 and not support else no_villages
            village: tuple[str, str, str, str] | None = pool[_below(rng, len(pool))] if pool else None
            kind_indexes = self.kind_by_code.get(code)
            if kind_indexes:
                kind = self.kinds[kind_indexes[_below(rng, len(kind_indexes))]]
                volume, cost = self._volume_cost(kind)
                title = self._title(kind, village)
                unit = kind.spellings[_below(rng, 100)]
            else:
                family = unit_name if unit_name in generic else "kegiatan"
                volume = Decimal(rng.randint(1, 12) if family != "orang" else rng.randint(10, 200))
                cost = int(rng.lognormvariate(18.4, 1.1)) // 1000 * 1000 + 5_000_000
                title = self._agency_title(name, village, agency)
                unit = generic[family][_below(rng, 100)] if rng.random() < 0.8 else unit_name
            district_code = village[3] if village else agency.district_code
            self._add(
                Channel.AGENCY_DRAFT, seq, title=self._messy(title),
                description=f"Mendukung sasaran Renstra {agency.short_name}" if rng.random() < 0.6
                else f"Program prioritas {self.words.head_title}" if self.words.city and seq % 4 == 0 else "",
                village=village, district_code=district_code,
                address=self._address(village) if village else "", volume=volume, unit=unit, cost=cost,
                rank=None, proposer=agency.name, proposer_role="Perencana Perangkat Daerah", councillor="",
                agency_code=agency.code, sub_activity=code, when=when, reason=reason, actor_role="agency_planner",
            )

    def _agency_title(self, name: str, village: tuple[str, str, str, str] | None, agency: DemoAgency) -> str:
        rng = self.rng
        r = rng.random()
        if village is not None and r < 0.6:
            return f"{name} di {self.words.village_label(village[2])} {village[1]}"
        if r < 0.75:
            return f"{name} Tahap {rng.choice(ROMAN[:3])}"
        if r < 0.85:
            return f"{name} Tahun {RKPD_YEAR}"
        if agency.district_code:
            return f"{name} {self.words.district_label} {self.district_names.get(agency.district_code, '')}"
        return name

