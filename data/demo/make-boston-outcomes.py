#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes boston-<measure>-SYNTHETIC.csv: made-up outcome counts for the Boston 1970 tracts.

THESE FIGURES ARE SYNTHETIC. They come from a seeded random generator, loosely shaped by
the tracts' real 1970 population (POP) and share of lower-status residents (LSTAT) so that the
map has spatial structure and disparities to find. They describe no real patient.

Run from this folder (needs gdal-bin for ogr2ogr):  ./make-boston-outcomes.py
The output is committed; run this again only to change the demo.
"""
import csv
import io
import math
import random
import subprocess

SEED = 20261127
PERIODS = ["2019", "2020", "2021"]
# group: share of the population (varies by tract below), relative risk against white
GROUPS = {"black": 2.1, "hispanic": 1.6, "asian": 0.8, "white": 1.0}
MEASURES = [
    # code, kind, base risk (per person per period), denominator share of population
    ("asthma_ed", 0.011, 1.0),          # rate: asthma emergency visits per 10,000
    ("diabetes_uncontrolled", 0.30, 0.08),  # proportion of adults with diabetes (HbA1c > 9%)
    ("preterm_birth", 0.095, 0.013),    # proportion of births before 37 weeks
]


def read_tracts():
    out = subprocess.run(
        ["ogr2ogr", "-f", "CSV", "/vsistdout/", "boston_tracts/boston_tracts.shp",
         "-select", "poltract,TOWN,POP,LSTAT"],
        check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def poisson(rng, lam):
    if lam < 30:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def main():
    rng = random.Random(SEED)
    tracts = read_tracts()
    files = {code: open(f"boston-{code}-SYNTHETIC.csv", "w", newline="")
             for code, _, _ in MEASURES}
    writers = {code: csv.writer(f) for code, f in files.items()}
    for w in writers.values():
        w.writerow(["geoid", "measure", "period", "stratum", "numerator", "denominator"])
    if True:
        for t in tracts:
            pop = max(int(float(t["POP"])), 50)
            lstat = float(t["LSTAT"]) / 100.0
            # made-up group shares: more Black and Hispanic residents where LSTAT is high
            shares = {
                "black": min(0.6, 0.02 + 0.9 * lstat * rng.uniform(0.3, 1.4)),
                "hispanic": min(0.4, 0.02 + 0.5 * lstat * rng.uniform(0.3, 1.4)),
                "asian": rng.uniform(0.01, 0.08),
            }
            shares["white"] = max(0.05, 1.0 - sum(shares.values()))
            total = sum(shares.values())
            for code, base, den_share in MEASURES:
                w = writers[code]
                for pi, period in enumerate(PERIODS):
                    trend = 1.0 - 0.03 * pi
                    rows = []
                    for g, rr in GROUPS.items():
                        den = int(round(pop * den_share * shares[g] / total
                                        * rng.uniform(0.9, 1.1)))
                        risk = min(0.95, base * rr * (0.6 + 1.6 * lstat) * trend)
                        num = min(den, poisson(rng, den * risk)) if den > 0 else 0
                        rows.append((g, num, den))
                    all_num = sum(r[1] for r in rows)
                    all_den = sum(r[2] for r in rows)
                    w.writerow([t["poltract"], code, period, "all", all_num, all_den])
                    # a group without births or residents has no rate: no row
                    for g, num, den in rows:
                        if den > 0:
                            w.writerow([t["poltract"], code, period, g, num, den])
    for f in files.values():
        f.close()


if __name__ == "__main__":
    main()
