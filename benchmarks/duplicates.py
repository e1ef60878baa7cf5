"""Duplicate candidates on the Bekasi-scale demo: precision, recall and F1 against the planted
truth, time for all proposals, time to check one new proposal, peak memory. Prints one JSON object.

    .venv/bin/python benchmarks/duplicates.py [--scale bekasi] [--threshold 0.8] [--region 32.16]

The detector sees only the proposals (`ProposalText`); the truth (`DemoDistrict.duplicate_truth`)
is read only to count. A planted "next year" pair gets the following year on its later side.
The headline is precision, recall and F1 over all proposals (`all_proposals`), Pra-Renja lines
without any place included; they are also given for the pairs touching each channel
(`by_channel`), for proposals with a village, and recall per kind of duplicate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="bekasi")
    parser.add_argument("--region", default="32.16")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sweep", action="store_true", help="F1 at several thresholds")
    args = parser.parse_args()

    from selaras.demo import generate_district
    from selaras.demo.plans import RKPD_YEAR
    from selaras.engines.similarity.duplicates import (
        DEFAULT_THRESHOLD,
        DuplicateIndex,
        ProposalText,
    )

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    t0 = time.perf_counter()
    district = generate_district(args.region, args.scale, args.seed)
    generate_s = time.perf_counter() - t0
    truth = district.duplicate_truth
    assert truth is not None
    p = district.proposals
    records = [
        ProposalText(
            key=i, title=p.title[i], description=p.description[i], village_code=p.village_code[i],
            district_code=p.district_code[i], address=p.address[i], agency_code=p.agency_code[i],
            sub_activity_code=p.sub_activity_code[i], estimated_cost=p.estimated_cost[i],
            year=RKPD_YEAR + 1 if i in truth.next_year else RKPD_YEAR, channel=p.channel[i],
            volume=float(p.volume[i]))
        for i in range(len(p))
    ]
    DuplicateIndex.build(records[:50]).pair_arrays()  # compile the kernels outside the timing
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    index = DuplicateIndex.build(records)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    left, right, score = index.pair_arrays(min(threshold, 0.5) if args.sweep else threshold)
    pairs_s = time.perf_counter() - t0
    cpu_s = time.process_time() - cpu0

    # pairs the demo's kecamatan verifiers merged are look-alikes a person judged (same village and
    # title start, any RT and cost): neither counted as truth nor, when flagged, as false positives
    listed = [(a, b) for a, b, k in truth.pairs if k != "merged"]
    judged = {(a, b) for a, b, k in truth.pairs if k == "merged"}
    kinds = {(a, b): k for a, b, k in truth.pairs}
    placed = np.asarray([bool(c) for c in p.village_code])
    # two copies of one proposal duplicate each other too: the truth is every pair inside a group
    # of proposals joined by listed pairs (most groups are a pair)
    parent = list(range(len(records)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in listed:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for a in sorted({x for pair in listed for x in pair}):
        groups.setdefault(root(a), []).append(a)
    true_pairs = {(a, b) for members in groups.values() for i, a in enumerate(members) for b in members[i + 1:]}

    channel_of = np.asarray(p.channel)

    def measure(th: float, only_placed: bool, channel: str = "") -> dict[str, float | int]:
        keep = score >= th
        lf, rt = left[keep], right[keep]
        if only_placed:
            m = placed[lf] & placed[rt]
            lf, rt = lf[m], rt[m]
        if channel:  # pairs with at least one side in the channel
            m = (channel_of[lf] == channel) | (channel_of[rt] == channel)
            lf, rt = lf[m], rt[m]
        found = set(zip(lf.tolist(), rt.tolist(), strict=True)) - (judged - true_pairs)
        wanted = {(a, b) for a, b in true_pairs if (not only_placed or (placed[a] and placed[b]))
                  and (not channel or channel in (channel_of[a], channel_of[b]))}
        tp = len(found & wanted)
        precision = tp / len(found) if found else 1.0
        recall = tp / len(wanted) if wanted else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"flagged": len(found), "true": len(wanted), "true_positive": tp,
                "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}

    keep = score >= threshold
    found = set(zip(left[keep].tolist(), right[keep].tolist(), strict=True))
    by_kind = Counter(kinds.values())
    hit_kind = Counter(k for pair, k in kinds.items() if pair in found)

    probe = [records[i] for i in range(0, len(records), max(1, len(records) // 200))]
    probe = [ProposalText(**{**{f: getattr(r, f) for f in r.__slots__}, "key": -1}) for r in probe]
    index.check(probe[0])
    t0 = time.perf_counter()
    times = []
    for r in probe:
        s = time.perf_counter()
        index.check(r)
        times.append(time.perf_counter() - s)
    check_ms = sorted(times)

    result: dict[str, object] = {
        "benchmark": "duplicates", "scale": args.scale, "region": args.region, "seed": args.seed,
        "proposals": len(records), "threshold": threshold,
        "all_proposals": measure(threshold, False),
        "by_channel": {c: measure(threshold, False, c) for c in sorted(set(p.channel))},
        "proposals_with_village": measure(threshold, True),
        "recall_by_kind": {k: round(hit_kind[k] / n, 4) for k, n in sorted(by_kind.items())},
        "truth_by_kind": dict(sorted(by_kind.items())),
        "truth_pairs_listed": len(listed), "truth_pairs_in_groups": len(true_pairs),
        "generate_seconds": round(generate_s, 2),
        "index_seconds": round(build_s, 2), "pairs_seconds": round(pairs_s, 2),
        "all_163k_seconds": round(build_s + pairs_s, 2), "all_163k_cpu_seconds": round(cpu_s, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "check_one_ms_median": round(1000 * check_ms[len(check_ms) // 2], 2),
        "check_one_ms_p95": round(1000 * check_ms[int(len(check_ms) * 0.95)], 2),
        "check_one_ms_max": round(1000 * check_ms[-1], 2),
        "blocks": len(index.blocks), "largest_block": int(max(len(v) for v in index.blocks.values())),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.sweep:
        result["sweep"] = {f"{th:.2f}": {"all": measure(th, False), "placed": measure(th, True)}
                           for th in (*np.arange(0.6, 0.9, 0.05), *np.arange(0.9, 1.001, 0.01))}
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
