"""Classification suggestions measured on a held-out year of the demo district.

    .venv/bin/python benchmarks/classify.py [--scale bekasi] [--region 32.16]

Training: the "earlier year" is the same regency generated with another seed (its proposals that
name both an agency and a sub-activity, as a government's decided proposals of earlier years
would), plus the packaged nomenclature, the kamus usulan shipped with Selaras and the agencies
(with the kecamatan of each kecamatan office). Test: the held-out year (seed 2025); the headline
(`held_out_all`) is every proposal whose generator-assigned agency and sub-activity are known,
all channels; then per channel, and the case of a government with no history (nomenclature
only, with and without the shipped kamus). Each proposal is classified from its title and its
kecamatan (as on the proposal page). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="bekasi")
    parser.add_argument("--region", default="32.16")
    parser.add_argument("--train-seed", type=int, default=2024)
    parser.add_argument("--test-seed", type=int, default=2025)
    args = parser.parse_args()

    from selaras.demo import generate_district
    from selaras.engines.similarity.classify import Classifier, Example
    from selaras.engines.similarity.kamus import default_kamus, shipped_for
    from selaras.reference import read_nomenclature

    train = generate_district(args.region, args.scale, args.train_seed)
    test = generate_district(args.region, args.scale, args.test_seed)
    nomenclature = [(r.code, r.name) for r in read_nomenclature()
                    if r.level == "sub_activity" and r.government_level in ("kab/kota", "") and r.active]
    agencies = {a.code: (a.name, tuple(a.sector_codes)) for a in test.agencies}
    districts = {a.code: a.district_code for a in test.agencies if a.district_code}
    kamus = default_kamus(code for code, _ in nomenclature)  # a government with no history: all of it
    p = train.proposals
    examples = [Example(p.title[i], p.agency_code[i], p.sub_activity_code[i]) for i in range(len(p))
                if p.agency_code[i] and p.sub_activity_code[i]]
    t0 = time.perf_counter()
    shipped = shipped_for((code for code, _ in nomenclature), examples)
    model = Classifier.train([*examples, *shipped], nomenclature, agencies, districts)
    train_s = time.perf_counter() - t0
    Classifier.train(examples[:20], nomenclature[:50], agencies).top_many(["jalan"])  # compile

    q = test.proposals
    rows = [i for i in range(len(q)) if q.agency_code[i] and q.sub_activity_code[i]]
    t0, cpu0 = time.perf_counter(), time.process_time()
    sub_top, agency_top = model.top_many([q.title[i] for i in range(len(q))], district_codes=q.district_code)
    all_s, all_cpu = time.perf_counter() - t0, time.process_time() - cpu0

    sub_index = {c: i for i, c in enumerate(model.sub_codes)}
    agency_index = {c: i for i, c in enumerate(model.agency_codes)}

    def accuracy(indexes: list[int]) -> dict[str, float | int]:
        idx = np.asarray(indexes, dtype=np.int64)
        s_true = np.asarray([sub_index.get(q.sub_activity_code[i], -9) for i in indexes])
        a_true = np.asarray([agency_index.get(q.agency_code[i], -9) for i in indexes])
        st, at = sub_top[idx], agency_top[idx]
        return {"proposals": len(indexes),
                "agency_top1": round(float(np.mean(at[:, 0] == a_true)), 4),
                "agency_top3": round(float(np.mean((at == a_true[:, None]).any(axis=1))), 4),
                "sub_activity_top1": round(float(np.mean(st[:, 0] == s_true)), 4),
                "sub_activity_top3": round(float(np.mean((st == s_true[:, None]).any(axis=1))), 4)}

    citizen = [i for i in rows if q.channel[i] in ("musrenbang_village", "pokir")]
    sub_true_codes = np.asarray([q.sub_activity_code[i] for i in citizen])
    ag_true_codes = np.asarray([q.agency_code[i] for i in citizen])

    def no_history(entries: list[Example]) -> dict[str, float]:
        bare = Classifier.train(entries, nomenclature, agencies, districts)
        ns, na = bare.top_many([q.title[i] for i in citizen], district_codes=[q.district_code[i] for i in citizen])
        ns_codes = np.asarray([[bare.sub_codes[j] for j in r] for r in ns])
        na_codes = np.asarray([[bare.agency_codes[j] for j in r] for r in na])
        return {"agency_top1": round(float(np.mean(na_codes[:, 0] == ag_true_codes)), 4),
                "agency_top3": round(float(np.mean((na_codes == ag_true_codes[:, None]).any(axis=1))), 4),
                "sub_activity_top1": round(float(np.mean(ns_codes[:, 0] == sub_true_codes)), 4),
                "sub_activity_top3": round(float(np.mean((ns_codes == sub_true_codes[:, None]).any(axis=1))), 4)}
    t0 = time.perf_counter()
    for i in citizen[:200]:
        model.suggest(q.title[i])
    one_ms = (time.perf_counter() - t0) / max(1, min(200, len(citizen))) * 1000
    json.dump({
        "benchmark": "classify", "scale": args.scale, "region": args.region,
        "train_seed": args.train_seed, "test_seed": args.test_seed,
        "training_examples": len(examples), "kamus_entries_with_history": len(shipped),
        "kamus_entries": len(kamus),
        "nomenclature_sub_activities": len(nomenclature), "train_seconds": round(train_s, 2),
        "held_out_all": accuracy(rows),
        "held_out_by_channel": {c: accuracy([i for i in rows if q.channel[i] == c])
                                for c in sorted({q.channel[i] for i in rows})},
        "held_out_musrenbang_pokir": accuracy(citizen),
        "no_history_musrenbang_pokir": {"nomenclature_only": no_history([]),
                                        "nomenclature_and_shipped_kamus": no_history(kamus)},
        "classify_all_seconds": round(all_s, 2), "classify_all_cpu_seconds": round(all_cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()], "proposals": len(q),
        "suggest_one_ms_with_words": round(one_ms, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
