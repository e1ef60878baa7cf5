"""Classification suggestions measured on a held-out year of the demo district.

    .venv/bin/python benchmarks/classify.py [--scale bekasi] [--region 32.16]

Training: the "earlier year" is the same regency generated with another seed (its proposals that
name both an agency and a sub-activity, as a government's decided proposals of earlier years
would), plus the packaged nomenclature. Test: the held-out year (seed 2025), every Musrenbang and
Pokir proposal whose generator-assigned agency and sub-activity are known (the free-text case a
verifier routes), and separately all proposals. Prints one JSON object.
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
    from selaras.reference import read_nomenclature

    train = generate_district(args.region, args.scale, args.train_seed)
    test = generate_district(args.region, args.scale, args.test_seed)
    nomenclature = [(r.code, r.name) for r in read_nomenclature()
                    if r.level == "sub_activity" and r.government_level in ("kab/kota", "") and r.active]
    agencies = {a.code: (a.name, tuple(a.sector_codes)) for a in test.agencies}
    p = train.proposals
    examples = [Example(p.title[i], p.agency_code[i], p.sub_activity_code[i]) for i in range(len(p))
                if p.agency_code[i] and p.sub_activity_code[i]]
    t0 = time.perf_counter()
    model = Classifier.train(examples, nomenclature, agencies)
    train_s = time.perf_counter() - t0
    Classifier.train(examples[:20], nomenclature[:50], agencies).top_many(["jalan"])  # compile

    q = test.proposals
    rows = [i for i in range(len(q)) if q.agency_code[i] and q.sub_activity_code[i]]
    t0, cpu0 = time.perf_counter(), time.process_time()
    sub_top, agency_top = model.top_many([q.title[i] for i in range(len(q))])
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
    nomenclature_only = Classifier.train([], nomenclature, agencies)
    ns, na = nomenclature_only.top_many([q.title[i] for i in citizen])
    s_true = np.asarray([sub_index.get(q.sub_activity_code[i], -9) for i in citizen])
    ns_codes = np.asarray([[nomenclature_only.sub_codes[j] for j in r] for r in ns])
    na_codes = np.asarray([[nomenclature_only.agency_codes[j] for j in r] for r in na])
    sub_true_codes = np.asarray([q.sub_activity_code[i] for i in citizen])
    ag_true_codes = np.asarray([q.agency_code[i] for i in citizen])
    del s_true
    t0 = time.perf_counter()
    for i in citizen[:200]:
        model.suggest(q.title[i])
    one_ms = (time.perf_counter() - t0) / max(1, min(200, len(citizen))) * 1000
    json.dump({
        "benchmark": "classify", "scale": args.scale, "region": args.region,
        "train_seed": args.train_seed, "test_seed": args.test_seed,
        "training_examples": len(examples), "nomenclature_sub_activities": len(nomenclature),
        "train_seconds": round(train_s, 2),
        "held_out_musrenbang_pokir": accuracy(citizen),
        "held_out_all": accuracy(rows),
        "no_history_nomenclature_only_musrenbang_pokir": {
            "agency_top3": round(float(np.mean((na_codes == ag_true_codes[:, None]).any(axis=1))), 4),
            "sub_activity_top3": round(float(np.mean((ns_codes == sub_true_codes[:, None]).any(axis=1))), 4)},
        "classify_all_seconds": round(all_s, 2), "classify_all_cpu_seconds": round(all_cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()], "proposals": len(q),
        "suggest_one_ms_with_words": round(one_ms, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
