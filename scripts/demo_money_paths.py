"""Money per year in a generated demo district: is every plan's path steady?

    .venv/bin/python scripts/demo_money_paths.py [REGION] [SCALE] [SEED]   # default 32.16 bekasi 2025

Prints, for the RPJMD (its programmes' funding is the sum of the Renstra programmes), each Renstra
(per agency) and the RKPD/Renja, the highest year over the lowest, and per Renstra line the highest
year over the line's median year (the unit test allows at most 3). Pure: no database.
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict

from selaras.demo import generate_district


def _ratio(values: list[int]) -> float:
    return max(values) / min(values) if min(values) > 0 else float("inf")


def main(region: str = "32.16", scale: str = "bekasi", seed: str = "2025") -> None:
    district = generate_district(region, scale, int(seed))
    rpjmd: dict[int, int] = defaultdict(int)
    documents: list[tuple[float, str]] = []
    peaks: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for renstra in district.renstras:
        total: dict[int, int] = defaultdict(int)
        for line in renstra.lines:
            amounts = [amount for _, _, amount in line.years]
            if line.level == "program":
                for year, _, amount in line.years:
                    total[year] += amount
                    rpjmd[year] += amount
            peak = max(amounts) / statistics.median(amounts)
            peaks[line.level].append((peak, f"{renstra.agency_code} {line.code} {[a // 10**6 for a in amounts]}"))
        documents.append((_ratio(list(total.values())), renstra.agency_code))
    print(f"{district.region_name} ({region}, skala {scale}, benih {seed})")
    print("RPJMD, pendanaan program per tahun (Rp miliar): "
          + " ".join(f"{y}: {v / 1e9:,.1f}" for y, v in sorted(rpjmd.items()))
          + f"; tertinggi/terendah {_ratio(list(rpjmd.values())):.2f}")
    documents.sort()
    print(f"Renstra ({len(documents)} perangkat daerah), total tertinggi/terendah: median "
          f"{statistics.median(d for d, _ in documents):.2f}, terbesar {documents[-1][0]:.2f} ({documents[-1][1]})")
    for level in ("program", "activity", "sub_activity"):
        rows = sorted(peaks[level])
        over = sum(1 for peak, _ in rows if peak > 3)
        print(f"Renstra baris {level}: {len(rows)}, di atas 3x median tahunnya: {over}; terbesar "
              f"{rows[-1][0]:.2f}x: {rows[-1][1]} (Rp juta)")
    rkpd = district.rkpd
    budget = sum(line.budget for line in rkpd.renja_lines)
    forward = sum(line.forward_estimate for line in rkpd.renja_lines)
    steps = sorted(line.forward_estimate / line.budget for line in rkpd.renja_lines if line.budget)
    print(f"RKPD/Renja {rkpd.year}: pagu Rp {budget / 1e9:,.1f} miliar, prakiraan maju {rkpd.year + 1} "
          f"Rp {forward / 1e9:,.1f} miliar; prakiraan maju/pagu per baris {steps[0]:.2f}..{steps[-1]:.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
