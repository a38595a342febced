# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the privacy property test and the attacks: real geography cut small, seeded
outcome tables with many small counts, workspaces built with tractwise-cli. Standard
library only."""
import csv
import json
import os
import random
import subprocess

from twtest import CLI, SOURCE_ROOT

K = 11                       # the default policy (CMS)
PERIODS = ["2019", "2020"]
GROUPS = ["a", "b", "c"]     # with `all`; in some areas they leave an unlisted remainder
AGES = ["00", "01-04", "05-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65-74",
        "75-84", "85+"]
# A rough share of the population in each age group, and a risk rising with age.
AGE_SHARE = [0.013, 0.055, 0.145, 0.139, 0.136, 0.163, 0.135, 0.087, 0.066, 0.045, 0.016]
AGE_RISK = [1, 0.3, 0.2, 0.5, 0.8, 1.2, 2.2, 4, 7, 12, 20]

BOSTON_TOWNS = ("Boston Roxbury", "Boston Savin Hill")   # 42 tracts, one piece
NC_BOX = ("-78.3", "35.7", "-75", "37")                 # 25 north-eastern counties


def cli(*args, cwd=None):
    """Runs tractwise-cli; returns the CompletedProcess (bytes), raising when it fails."""
    proc = subprocess.run([CLI, *map(str, args)], capture_output=True, cwd=cwd, timeout=600)
    if proc.returncode != 0:
        raise AssertionError(f"tractwise-cli {' '.join(map(str, args))} failed "
                             f"({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return proc


def cli_json(*args, cwd=None):
    return json.loads(cli(*args, cwd=cwd).stdout)


def make_geography(directory):
    """Cuts the demo's real Boston tracts and NC counties small (ogr2ogr), into @directory;
    returns {geography: (path, id field, name field, level)}."""
    bos = os.path.join(directory, "bos.shp")
    nc = os.path.join(directory, "nc.shp")
    towns = ",".join(f"'{t}'" for t in BOSTON_TOWNS)
    subprocess.run(["ogr2ogr", "-where", f"TOWN IN ({towns})", bos,
                    os.path.join(SOURCE_ROOT, "data", "demo", "boston_tracts",
                                 "boston_tracts.shp")], check=True)
    subprocess.run(["ogr2ogr", "-spat", *NC_BOX, "-spat_srs", "EPSG:4267", nc,
                    os.path.join(SOURCE_ROOT, "data", "demo", "nc_sids", "nc.shp")], check=True)
    return {"bos": (bos, "poltract", "TOWN", "tract"), "nc": (nc, "FIPS", "NAME", "county")}


def geoids_of(shp, field):
    out = subprocess.run(["ogrinfo", "-ro", "-q", "-sql", f"SELECT {field} FROM "
                          f"{os.path.splitext(os.path.basename(shp))[0]}", shp],
                         capture_output=True, text=True, check=True).stdout
    return sorted(line.split("=", 1)[1].strip() for line in out.splitlines()
                  if f"{field} (String)" in line)


def small_or_not(rng):
    """A count: most of them small on purpose (0 … 15), some larger."""
    return rng.randint(0, 15) if rng.random() < 0.7 else rng.randint(16, 70)


class Table:
    """A seeded outcome table.

    visits (rate per 10,000) on the Boston tracts: `all` and groups a, b, c per area and
    period; in about a third of the areas the groups leave an unlisted remainder.
    deaths (rate per 100,000) on the NC counties: `all` only, split into the 11 age groups
    in most counties (the others unsplit: age adjustment reports them missing).

    cells maps (measure, period, stratum, geoid) to [count, population] or, age-split, to
    {'ages': [counts], 'pops': [populations]}."""

    def __init__(self, seed, geoids):
        rng = random.Random(seed)
        self.seed = seed
        self.cells = {}
        self.slack = {}   # (period, geoid) → the unlisted remainder of a Boston area
        for period in PERIODS:
            for g in geoids["bos"]:
                counts = [small_or_not(rng) for _ in GROUPS]
                pops = [rng.randint(300, 3000) for _ in GROUPS]
                rest = rng.randint(2, 25) if rng.random() < 0.35 else 0
                rest_pop = rng.randint(100, 800) if rest else 0
                self.slack[(period, g)] = rest
                for s, c, n in zip(GROUPS, counts, pops):
                    self.cells[("visits", period, s, g)] = [c, n]
                self.cells[("visits", period, "all", g)] = [sum(counts) + rest,
                                                            sum(pops) + rest_pop]
            for g in geoids["nc"]:
                total = small_or_not(rng)
                pop = rng.randint(4000, 60000)
                pops = [max(1, round(pop * s * rng.uniform(0.7, 1.3))) for s in AGE_SHARE]
                if rng.random() < 0.8:
                    weights = [r * p for r, p in zip(AGE_RISK, pops)]
                    ages = [0] * len(AGES)
                    for _ in range(total):
                        ages[rng.choices(range(len(AGES)), weights)[0]] += 1
                    self.cells[("deaths", period, "all", g)] = {"ages": ages, "pops": pops}
                else:
                    self.cells[("deaths", period, "all", g)] = [total, sum(pops)]

    @staticmethod
    def count(cell):
        return sum(cell["ages"]) if isinstance(cell, dict) else cell[0]

    def write(self, path, swap=None):
        """Writes the long-form CSV; with @swap = (key1, key2), those two cells trade their
        counts (an age-split cell its age-specific counts)."""
        cells = dict(self.cells)
        if swap is not None:
            k1, k2 = swap
            c1, c2 = cells[k1], cells[k2]
            if isinstance(c1, dict):
                cells[k1] = {"ages": c2["ages"], "pops": c1["pops"]}
                cells[k2] = {"ages": c1["ages"], "pops": c2["pops"]}
            else:
                cells[k1] = [c2[0], c1[1]]
                cells[k2] = [c1[0], c2[1]]
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["geoid", "measure", "period", "stratum", "age_group", "numerator",
                        "denominator"])
            for (measure, period, stratum, geoid), cell in sorted(cells.items()):
                if isinstance(cell, dict):
                    for label, c, n in zip(AGES, cell["ages"], cell["pops"]):
                        w.writerow([geoid, measure, period, stratum, label, c, n])
                else:
                    w.writerow([geoid, measure, period, stratum, "", cell[0], cell[1]])

    def consistent_after(self, k1, k2):
        """Whether trading the counts of k1 and k2 keeps every area's groups within its
        total (a table an attacker could not rule out)."""
        c1, c2 = self.count(self.cells[k1]), self.count(self.cells[k2])
        measure, period, stratum, _ = k1
        if measure != "visits":
            return True
        for key, new in ((k1, c2), (k2, c1)):
            g = key[3]
            groups = [self.count(self.cells[("visits", period, s, g)]) for s in GROUPS]
            total = self.count(self.cells[("visits", period, "all", g)])
            if stratum == "all":
                if new < sum(groups):
                    return False
            else:
                old = self.count(self.cells[key])
                if sum(groups) - old + new > total:
                    return False
        return True


MEASURES = {"visits": ("bos", "rate", "10000"), "deaths": ("nc", "rate", "100000")}


def build_workspace(directory, geography, table, swap=None, projects=(), measures=MEASURES):
    """A workspace 'ws.tractwise' in @directory (created), from @table (with @swap traded),
    with a partner and @projects: [(title, measure, stratum, [geoids])]."""
    os.makedirs(directory, exist_ok=True)
    ws = os.path.join(directory, "ws.tractwise")
    cli("new", ws)
    for name, (path, id_field, name_field, level) in sorted(geography.items()):
        cli("import-areas", ws, path, "--geography", name, "--level", level,
            "--id-field", id_field, "--name-field", name_field)
    for measure, (geo, kind, per) in measures.items():
        sub = Table.__new__(Table)
        sub.cells = {k: v for k, v in table.cells.items() if k[0] == measure}
        csv_path = os.path.join(directory, f"{measure}.csv")
        sub.write(csv_path, swap if swap and swap[0][0] == measure else None)
        cli("import-outcomes", ws, csv_path, "--geography", geo, "--kind", kind, "--per", per,
            "--label", f"{measure} (synthetic)")
    cli("partner", "add", ws, "--name", "Roxbury Health Partners", "--kind", "clinic")
    for title, measure, stratum, areas in projects:
        cli("project", "add", ws, "--title", title, "--partner", "Roxbury Health Partners:lead",
            "--measure", measure, "--stratum", stratum, "--geography", measures[measure][0],
            "--areas", ",".join(areas), "--start", "2020-01-01", "--status", "active",
            "--goal-percent", "10")
    return ws


def revealed(ws, measure, period):
    """{(stratum, geoid): row} of `rates --reveal` (the analyst's own view)."""
    rows = cli_json("rates", ws, "--measure", measure, "--period", period, "--reveal")
    return {(r["stratum"], r["geoid"]): r for r in rows}
