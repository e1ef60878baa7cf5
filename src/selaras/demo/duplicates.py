"""Duplicates planted the way people make them, with the ground truth kept apart.

The generator already re-submits about 3 % of proposals (`ProposalBuilder._copy`, recorded in
`builder.copied`). On top of that, `plant_duplicates` rewrites a few proposals that are still
waiting for their first decision into variants of another proposal: a paraphrase, abbreviations,
typos, another RT of the same road, a re-submission meant for the next year, or the same thing
through another channel (a councillor's Pokir repeating a village's Musrenbang proposal).
Rewriting instead of adding keeps the cycle's counts exactly as the generator made them.

The truth (`DuplicateTruth`) lives beside the proposals in `DemoDistrict.duplicate_truth`, never in
a proposal column: what a detector sees is only the proposals (the demo loader stores no truth).
A pair flagged "next_year" stands for a proposal of the following plan year; a benchmark that
wants the cross-year case gives that proposal the next year (`DuplicateTruth.next_year`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from selaras.demo.model import DemoDecisions, DemoProposals
from selaras.domain.proposals import Channel, Outcome

__all__ = ["DUPLICATE_KINDS", "PLANTED_SHARE", "DuplicateTruth", "plant_duplicates"]

#: Planted pairs as a share of Musrenbang and Pokir proposals (on top of the generator's copies).
PLANTED_SHARE = 0.04
DUPLICATE_KINDS = ("paraphrase", "abbreviation", "typo", "another_rt", "next_year", "another_channel")

_PARAPHRASE = (
    ("Pembangunan", "Pembuatan"), ("Rehabilitasi", "Perbaikan"), ("Perbaikan", "Rehab"),
    ("Pengadaan", "Penyediaan"), ("Pemasangan", "Pengadaan"), ("Betonisasi", "Pengecoran"),
    ("Pengecoran", "Betonisasi"), ("Pengaspalan", "Hotmix"), ("Peningkatan", "Perbaikan"),
    ("Normalisasi", "Pengerukan dan normalisasi"), ("Pelatihan", "Pelatihan dan pembinaan"),
)
_ABBREVIATIONS = (
    ("Pembangunan", "Pemb."), ("Rehabilitasi", "Rehab"), ("jalan", "jln"), ("Jalan", "Jl."),
    ("lingkungan", "lingk."), ("Penerangan Jalan Umum", "PJU"), ("Rumah Tidak Layak Huni", "RTLH"),
    ("saluran", "sal."), ("Kampung", "Kp"), ("Peningkatan", "Peningk."), ("Pengadaan", "Pengad."),
    ("drainase", "drenase"), ("gorong-gorong", "gorong2"),
)
_RT = re.compile(r"RT (\d+)")
_WAITING = Outcome.SUBMITTED.value


@dataclass(frozen=True, slots=True)
class DuplicateTruth:
    """Which proposals (row indexes) duplicate which: (earlier, later, kind), later > earlier."""

    pairs: tuple[tuple[int, int, str], ...]
    next_year: frozenset[int]  # later rows that stand for next year's proposal

    def pair_set(self) -> set[tuple[int, int]]:
        return {(a, b) for a, b, _ in self.pairs}


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 6:
        return text
    for _ in range(1 + int(rng.random() < 0.4)):
        i = letters[int(rng.random() * (len(letters) - 1))]
        r = rng.random()
        if r < 0.4 and i + 1 < len(text):
            text = text[:i] + text[i + 1] + text[i] + text[i + 2:]  # swapped letters
        elif r < 0.7:
            text = text[:i] + text[i + 1:]  # a letter dropped
        else:
            text = text[:i] + text[i] + text[i:]  # a letter doubled
    return text


def _replace_first(text: str, table: tuple[tuple[str, str], ...], rng: random.Random, count: int) -> str:
    options = [(a, b) for a, b in table if a in text]
    rng.shuffle(options)
    for a, b in options[:count]:
        text = text.replace(a, b, 1)
    return text


def _variant(rng: random.Random, kind: str, title: str) -> str:
    if kind == "paraphrase":
        out = _replace_first(title, _PARAPHRASE, rng, 1)
        if out == title or rng.random() < 0.3:
            out = rng.choice(("Usulan ", "Mohon ", "")) + out
        return out
    if kind == "abbreviation":
        out = _replace_first(title, _ABBREVIATIONS, rng, 3)
        return out if out != title else title.lower()
    if kind == "typo":
        return _typo(rng, title)
    if kind == "next_year":
        return title + rng.choice((" (usulan ulang)", " lanjutan", "", " tahun depan"))
    if kind == "another_channel":
        return _replace_first(title, _ABBREVIATIONS, rng, 1) if rng.random() < 0.5 else title
    return title if rng.random() < 0.6 else _typo(rng, title)  # another_rt


def _other_rt(rng: random.Random, address: str) -> str:
    m = _RT.search(address)
    if m:
        n = int(m.group(1))
        other = n + 1 if n < 12 and (n == 1 or rng.random() < 0.5) else n - 1
        return address[:m.start(1)] + f"{other:0{len(m.group(1))}d}" + address[m.end(1):]
    return f"RT {rng.randint(1, 12):03d}, {address}" if address else f"RT {rng.randint(1, 12):03d}"


def _move_words(p: DemoProposals, decisions: DemoDecisions, rows: list[int], target: int,
                old: tuple[str, ...], new: tuple[str, ...]) -> None:
    """Name the new village instead of the old one in a moved proposal's reasons and proposer."""
    if len(old) != len(new):
        return
    for before, after in zip(old, new, strict=True):
        for d in rows:
            decisions.reason[d] = decisions.reason[d].replace(before, after)
        p.proposer_name[target] = p.proposer_name[target].replace(before, after)


def plant_duplicates(rng: random.Random, proposals: DemoProposals, decisions: DemoDecisions,
                     copied: list[tuple[int, int]], share: float = PLANTED_SHARE,
                     places: Mapping[str, tuple[str, ...]] | None = None) -> DuplicateTruth:
    """Rewrite some waiting proposals into duplicates of others (in place) and return the truth:
    the generator's own copies (`copied`) and the planted pairs.

    A rewritten proposal moves to its source's village; `places` (village code -> the phrases that
    name it, longest first: "Kepala Desa Sukamaju", "Desa Sukamaju") lets its submission reason and
    proposer follow it there, so that no proposal of Desa A is "Hasil Musrenbang Desa B"."""
    p = proposals
    decisions_of: dict[int, list[int]] = {}
    for d, proposal in enumerate(decisions.proposal):
        decisions_of.setdefault(proposal, []).append(d)
    n = len(p)
    decided = {d for d, outcome in zip(decisions.proposal, decisions.outcome, strict=True) if outcome != _WAITING}
    merged = {i for i, target in enumerate(decisions.merged_into) if target is not None}
    touched = {i for pair in copied for i in pair} | {decisions.proposal[i] for i in merged}
    citizen = (Channel.VILLAGE_MUSRENBANG.value, Channel.POKIR.value)
    sources = [i for i in range(n) if p.channel[i] in citizen and p.village_code[i] and i not in touched]
    targets_of: dict[str, list[int]] = {}
    for i in range(n):
        if i not in decided and i not in touched and p.channel[i] in citizen:
            targets_of.setdefault(p.channel[i], []).append(i)
    wanted = int(share * len(sources))
    pairs: list[tuple[int, int, str]] = [(a, b, "copy") if a < b else (b, a, "copy") for a, b in copied]
    # pairs the demo's own verifiers merged at the kecamatan (look-alikes a person judged)
    copies = set(copied)
    pairs += [(int(target), decisions.proposal[i], "merged") for i in sorted(merged)
              if (target := decisions.merged_into[i]) is not None and (target, decisions.proposal[i]) not in copies]
    next_year: set[int] = set()
    used: set[int] = set()
    planted = 0
    tries = 0
    while planted < wanted and tries < wanted * 20 and sources:
        tries += 1
        kind = DUPLICATE_KINDS[int(rng.random() * len(DUPLICATE_KINDS))]
        source = sources[int(rng.random() * len(sources))]
        if source in used:
            continue
        if kind == "another_channel":
            channel = Channel.POKIR.value if p.channel[source] == Channel.VILLAGE_MUSRENBANG.value \
                else Channel.VILLAGE_MUSRENBANG.value
        else:
            channel = p.channel[source]
        pool = targets_of.get(channel, [])
        if not pool:
            continue
        target = pool[int(rng.random() * len(pool))]
        if target in used or target == source:
            continue
        used.update((source, target))
        p.title[target] = _variant(rng, kind, p.title[source])[:300]
        description = p.description[source]
        if kind == "next_year" and not description.startswith("Usulan tahun lalu"):
            description = "Usulan tahun lalu belum terealisasi. " + description
        p.description[target] = description
        if places and p.village_code[target] != p.village_code[source]:
            _move_words(p, decisions, decisions_of.get(target, []), target,
                        places.get(p.village_code[target], ()), places.get(p.village_code[source], ()))
        p.village_code[target] = p.village_code[source]
        p.district_code[target] = p.district_code[source]
        address = p.address[source]
        p.address[target] = _other_rt(rng, address) if kind == "another_rt" else address
        factor = Decimal(str(round(rng.uniform(0.85, 1.15), 2))) if rng.random() < 0.5 else Decimal(1)
        p.volume[target] = (p.volume[source] * factor).quantize(Decimal("0.01"))
        p.estimated_cost[target] = int(p.estimated_cost[source] * float(factor)) // 1000 * 1000
        p.unit[target] = p.unit[source]
        p.agency_code[target] = p.agency_code[source]
        p.sub_activity_code[target] = p.sub_activity_code[source]
        a, b = (source, target) if source < target else (target, source)
        pairs.append((a, b, kind))
        if kind == "next_year":
            next_year.add(b)
        planted += 1
    pairs.sort()
    return DuplicateTruth(tuple(pairs), frozenset(next_year))
