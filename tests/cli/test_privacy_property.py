# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/privacy-property: what leaves Tractwise without --reveal does not depend on a hidden
count. Two suppressed cells of the same measure, period and group trade their counts; every
command and export must then give the same bytes (dates and file names aside).

Seeded random tables with many small counts on real geography (42 Boston tracts, 25 North
Carolina counties of data/demo/): groups that partition `all` or leave an unlisted
remainder, two periods, age-split cells, partner projects. Workspace A holds the table,
workspace B the same table with the two counts traded; which cells are hidden is learnt as
the analyst would, with `rates --reveal`."""
import hashlib
import math
import os
import random
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
import zlib
from concurrent.futures import ThreadPoolExecutor
import struct

from exporttest import pdf_structure
from privacytest import (GROUPS, K, MEASURES, PERIODS, Table, build_workspace, geoids_of,
                         make_geography, revealed)
from twtest import CLI

# (seed, kind of swap). Kinds: two primary-suppressed groups, two primary `all` totals,
# two primary age-split totals. Cells hidden as small (1 … k − 1) are what the policy
# protects, and trading any two of them must change nothing. A complement (a count of k or
# more hidden beside a small one) is not traded here: it is hidden because of what is around
# it — a small unlisted remainder, or a split that would otherwise be nearly forced — so
# trading it can change what is hidden (tw-suppression.h, rule 2). What that tells is a range,
# never a count: /data/suppression/complementary/outsider tries every table that publishes
# the same and finds each hidden count with two possible values or more.
SWAPS = [(101, "group"), (101, "age-split"), (202, "total"), (202, "group"),
         (303, "group")]
METHODS = ["quantile", "equal", "natural", "stddev", "manual"]
BREAKS = "25,50,100,200"

DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                  r"(?:Z|[+-]\d{2}:?\d{2})?)?|"
                  r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2},? \d{4}|"
                  r"\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}|"
                  r"\d{2}:\d{2}:\d{2}")

# How long a step took: the only figure of an export's report that may differ.
# Under LeakSanitizer the suppressed leaks of fontconfig are counted on stderr, and their
# sizes vary from run to run: not ours to compare.
QUIET_SANITIZERS = dict(os.environ, LSAN_OPTIONS=os.environ.get("LSAN_OPTIONS", "")
                        + ":print_suppressions=0")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SECONDS = re.compile(r'("[a-z_]*seconds":)[-+0-9.eE]+')

GEOGRAPHY_DIR = None
GEOGRAPHY = None
GEOIDS = None


def setUpModule():
    global GEOGRAPHY_DIR, GEOGRAPHY, GEOIDS
    GEOGRAPHY_DIR = tempfile.mkdtemp(prefix="tw-privacy-geo-")
    GEOGRAPHY = make_geography(GEOGRAPHY_DIR)
    GEOIDS = {g: geoids_of(path, field) for g, (path, field, _, _) in GEOGRAPHY.items()}


def tearDownModule():
    shutil.rmtree(GEOGRAPHY_DIR, ignore_errors=True)


def png_rows(path):
    """A PNG as lines: its header, then one digest a row of raw (filtered) scanlines; the
    encoder is deterministic, so equal pixels give equal rows and back."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return ["not a PNG"]
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = header[:4]
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    stride = 1 + (width * channels * depth + 7) // 8
    raw = zlib.decompress(idat)
    lines = [f"png {width}x{height} depth {depth} colour {colour}"]
    for y in range(height):
        row = raw[y * stride:(y + 1) * stride]
        lines.append(f"pixel row {y}: {hashlib.sha1(row).hexdigest()}")
    return lines


def pdf_outputs(path, directory, stem):
    """A PDF as its text (pdftotext, every page) and the pixels of every page (pdftoppm)."""
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                          text=True, check=True).stdout
    prefix = os.path.join(directory, stem + "-page")
    subprocess.run(["pdftoppm", "-r", "40", "-png", path, prefix], check=True)
    pixels = []
    for name in sorted(os.listdir(directory)):
        if name.startswith(stem + "-page") and name.endswith(".png"):
            pixels += [f"page {name[len(stem) + 6:-4]}"] + png_rows(os.path.join(directory, name))
            os.unlink(os.path.join(directory, name))
    return text.splitlines(), pixels


def gpkg_lines(path):
    """Every table of a GeoPackage, row by row in a fixed order (blobs as hex)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        lines = []
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            lines.append(f"table {table} ({', '.join(cols)})")
            order = ", ".join(f'"{c}"' for c in cols) or "1"
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY {order}'):
                lines.append(f"{table}: " + " | ".join(
                    v.hex() if isinstance(v, bytes) else repr(v) for v in row))
        return lines
    finally:
        con.close()


def tile_of(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    s = math.sin(math.radians(lat))
    y = int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)
    return x, y


class Outputs:
    """Runs every command and export on one workspace; each output as normalised lines."""

    def __init__(self, ws):
        self.ws = ws
        self.dir = os.path.dirname(ws)

    def normalise(self, text):
        text = text.replace(self.dir, "<DIR>")
        text = SECONDS.sub(r"\1<TIME>", text)
        text = UUID.sub("<PACKAGE ID>", text)   # every share package gets a random id
        return DATE.sub("<DATE>", text)

    def command(self, *args):
        verb = 2 if args[0] in ("project", "partner") else 1
        proc = subprocess.run([CLI, *args[:verb], self.ws, *args[verb:]], capture_output=True,
                              env=QUIET_SANITIZERS,
                              timeout=600)
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        # Pretty-printed JSON one member a line, so that a difference names its field.
        lines = [f"exit {proc.returncode}"]
        lines += self.normalise(out).replace(",\"", ",\n\"").replace("},{", "},\n{").splitlines()
        lines += ["stderr: " + l for l in self.normalise(err).splitlines()]
        return lines

    def export(self, name, *args):
        path = os.path.join(self.dir, name)
        lines = self.command(*args, "--out", path)
        if name.endswith(".png"):
            return {"": lines, "pixels": png_rows(path)}
        if name.endswith(".svg"):
            with open(path, encoding="utf-8") as f:
                return {"": lines, "svg": self.normalise(f.read()).splitlines()}
        if name.endswith(".pdf"):
            text, pixels = pdf_outputs(path, self.dir, name[:-4])
            # The figures' alternative text is read aloud: it must not differ either.
            _, elements = pdf_structure(path)
            alts = [e.get("/Alt", "") for kind, e in elements if kind == "Figure"]
            return {"": lines, "pdftotext": [self.normalise(l) for l in text],
                    "pixels": pixels, "alt": [self.normalise(a) for a in alts]}
        if name.endswith(".html"):
            with open(path, encoding="utf-8") as f:
                return {"": lines, "html": self.normalise(f.read()).splitlines()}
        if name.endswith(".gpkg"):
            return {"": lines, "tables": [self.normalise(l) for l in gpkg_lines(path)]}
        if name.endswith(".csv"):
            with open(path, encoding="utf-8") as f:
                table = self.normalise(f.read()).splitlines()
            with open(path[:-4] + ".codebook.csv", encoding="utf-8") as f:
                codebook = self.normalise(f.read()).splitlines()
            return {"": lines, "csv": table, "codebook": codebook}
        raise ValueError(name)


def plan(measure, period, stratum, project_ids, comparisons, tiles):
    """Every command and export to compare: (label, kind, args). Group-wise commands run
    for every group of the measure, since complementary suppression links them."""
    geo = MEASURES[measure][0]
    base = ["--measure", measure, "--period", period]
    strata = ["all"] + GROUPS if measure == "visits" else ["all"]
    steps = [("info", "command", ["info"])]
    for extra in ([], ["--age-adjust"], ["--smooth", "eb"], ["--smooth", "spatial-eb"]):
        steps.append(("rates", "command", ["rates", *base, *extra]))
    steps.append(("disparities", "command", ["disparities", *base]))
    for s in strata:
        # Every method and statistic on the group of the swap and on `all`; the other
        # groups (linked by complementary suppression) get one of each, to keep it quick.
        full = s in (stratum, "all")
        for method in METHODS if full else ["quantile"]:
            extra = ["--breaks", BREAKS] if method == "manual" else []
            steps.append(("classify", "command", ["classify", *base, "--stratum", s,
                                                  "--method", method, *extra]))
        for stat in ("moran", "lisa", "hotspots"):
            smooths = [[], ["--smooth", "eb"], ["--smooth", "spatial-eb"]] if s == stratum \
                else [[]]
            if full or stat == "hotspots":
                for smooth in smooths:
                    steps.append((stat, "command", [stat, *base, "--geography", geo,
                                                    "--stratum", s, *smooth]))
    # Change and trend across the two periods: a hidden end suppresses the whole row.
    steps.append(("change", "command", ["change", "--measure", measure, "--from", PERIODS[0],
                                        "--to", PERIODS[1]]))
    steps.append(("trend", "command", ["trend", "--measure", measure]))
    # A group's gap over time, for the region and for each project's target areas.
    if measure == "visits":
        gap = ["gap", "--measure", measure, "--from", PERIODS[0], "--to", PERIODS[1],
               "--stratum", stratum if stratum != "all" else GROUPS[0]]
        steps.append(("gap", "command", gap))
        for pid in project_ids:
            steps.append(("gap", "command", [*gap, "--project", str(pid)]))
    for pid in project_ids:
        steps.append(("project evaluate", "command", ["project", "evaluate", str(pid)]))
        steps.append(("project evaluate", "command", ["project", "evaluate", str(pid),
                                                      "--comparison", comparisons[pid]]))
    group = ["--stratum", stratum]
    steps.append(("export-map", "export", ["map.png", "export-map", *base, *group,
                                           "--width", "640", "--height", "480"]))
    steps.append(("export-map", "export", ["map.svg", "export-map", *base, *group,
                                           "--page", "letter"]))
    steps.append(("export-map", "export", ["map.pdf", "export-map", *base, *group,
                                           "--page", "letter", "--landscape"]))
    steps.append(("export-html", "export", ["map.html", "export-html", *base, *group]))
    steps.append(("export-html", "export", ["map-es.html", "export-html", *base, *group,
                                            "--lang", "es"]))
    steps.append(("export-brief", "export", ["brief.pdf", "export-brief", *base, *group]))
    steps.append(("export-chna", "export", ["chna.pdf", "export-chna"]))
    steps.append(("export-csv", "export", ["rates.csv", "export-csv", *base, *group]))
    steps.append(("export-csv", "export", ["all.csv", "export-csv", "--measure", measure,
                                           "--geography", geo]))
    steps.append(("export-share", "export", ["share.gpkg", "export-share"]))
    for z, x, y in tiles:
        steps.append(("render-tile", "export", ["tile.png", "render-tile", *base, *group,
                                                "--z", str(z), "--x", str(x), "--y", str(y)]))
    # Statuses and reasons under a larger k (a count hidden at k = 11 stays hidden at 16,
    # and what is hidden beside it is decided as before): the steps run in order, so the
    # policy holds for the steps after it, until the last puts the default back.
    steps.append(("policy", "command", ["policy", "--preset", "uscs"]))
    for args in (["rates", *base], ["disparities", *base],
                 ["change", "--measure", measure, "--from", PERIODS[0], "--to", PERIODS[1]]):
        steps.append((args[0], "command", args))
    steps.append(("policy", "command", ["policy", "--preset", "cms"]))
    return steps


def run_step(outputs, how, args):
    return {"": outputs.command(*args)} if how == "command" else outputs.export(*args)


def first_difference(a, b):
    for i, (la, lb) in enumerate(zip(a, b)):
        if la != lb:
            return f"line {i + 1}: A {la[:160]!r} / B {lb[:160]!r}"
    if len(a) != len(b):
        i = min(len(a), len(b))
        extra = a[i] if len(a) > i else b[i]
        return f"line {i + 1}: only in {'A' if len(a) > i else 'B'}: {extra[:160]!r}"
    return None


def extent(shp):
    out = subprocess.run(["ogrinfo", "-ro", "-so", "-al", shp], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)", out)
    return tuple(float(v) for v in m.groups())


def revealed_on(ws, measure, period, geography):
    """The analyst's own view (`rates --reveal`) of @geography, as text."""
    return subprocess.run([CLI, "rates", ws, "--measure", measure, "--period", period,
                           "--geography", geography, "--reveal"], capture_output=True,
                          text=True, check=True).stdout


class PrivacyPropertyTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tw-privacy-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def candidates(self, table, ws, kind):
        """Pairs of cells (same measure, period, group) that @kind asks for, hidden as the
        analyst view says, with different counts, whose trade keeps the table consistent."""
        pairs = []
        for measure in sorted(MEASURES):
            for period in PERIODS:
                rows = revealed(ws, measure, period)
                by_stratum = {}
                for (stratum, geoid), row in sorted(rows.items()):
                    key = (measure, period, stratum, geoid)
                    n = row["numerator"]
                    if not row["suppressed"]:
                        continue
                    self.assertEqual(n, Table.count(table.cells[key]), key)
                    age_split = isinstance(table.cells[key], dict)
                    primary = 0 < n < K
                    wanted = {"group": primary and stratum != "all",
                              "total": primary and stratum == "all" and not age_split,
                              "age-split": primary and age_split,
                              "complementary": n >= K}[kind]
                    if wanted:
                        by_stratum.setdefault(stratum, []).append(key)
                for keys in by_stratum.values():
                    for i, k1 in enumerate(keys):
                        for k2 in keys[i + 1:]:
                            if (Table.count(table.cells[k1]) != Table.count(table.cells[k2])
                                    and table.consistent_after(k1, k2)):
                                pairs.append((k1, k2))
        return pairs

    def projects(self, rng, swap):
        """Three projects whose targets hold the first cell's area, and chosen comparison
        areas holding the second's, where they are of that geography."""
        (measure, _, stratum, x), (_, _, _, y) = swap
        out, comparisons = [], []
        for title, m, s in (("Visits, everyone", "visits", "all"),
                            ("Visits, one group", "visits",
                             stratum if measure == "visits" and stratum != "all" else "a"),
                            ("Deaths", "deaths", "all")):
            geoids = GEOIDS[MEASURES[m][0]]
            others = [g for g in geoids if g not in (x, y)]
            rng.shuffle(others)
            targets = ([x] if m == measure else []) + others[:3 - (m == measure)]
            chosen = ([y] if m == measure else []) + others[3:6]
            out.append((title, m, s, sorted(targets)))
            comparisons.append(",".join(sorted(chosen)))
        return out, comparisons

    def test_outputs_do_not_depend_on_hidden_counts(self):
        tiles = []
        for geo, z in (("bos", 12), ("nc", 7)):
            x0, y0, x1, y1 = extent(GEOGRAPHY[geo][0])
            tiles.append((geo, (z, *tile_of((x0 + x1) / 2, (y0 + y1) / 2, z))))
        failures, checked, scans = [], [], {}
        pool = ThreadPoolExecutor(2)
        self.addCleanup(pool.shutdown)
        for seed, kind in SWAPS:
            table = Table(seed, GEOIDS)
            if seed not in scans:
                scans[seed] = build_workspace(os.path.join(self.tmp, f"scan{seed}"),
                                              GEOGRAPHY, table)
            scratch = scans[seed]
            pairs = self.candidates(table, scratch, kind)
            if not pairs:
                checked.append(f"seed {seed}: no {kind} pair")
                continue
            rng = random.Random(seed * 7 + len(kind))
            swap = rng.choice(pairs)
            projects, comparisons = self.projects(rng, swap)
            label = (f"seed {seed}, {kind} swap {swap[0][0]} {swap[0][1]} {swap[0][2]}: "
                     f"{swap[0][3]} ({Table.count(table.cells[swap[0]])}) <-> {swap[1][3]} "
                     f"({Table.count(table.cells[swap[1]])})")
            # Only the swap's geography and measure: `rates --smooth spatial-eb` takes the
            # workspace's one geography.
            measure = swap[0][0]
            geo = MEASURES[measure][0]
            keep = [i for i, p in enumerate(projects) if p[1] == measure]
            projects = [projects[i] for i in keep]
            comparisons = [comparisons[i] for i in keep]
            ws = {}
            for side, traded in (("A", None), ("B", swap)):
                ws[side] = build_workspace(os.path.join(self.tmp, f"{seed}-{kind}", side),
                                           {geo: GEOGRAPHY[geo]}, table, traded, projects,
                                           measures={measure: MEASURES[measure]})
            ids = list(range(1, len(projects) + 1))
            steps = plan(swap[0][0], swap[0][1], swap[0][2], ids,
                         dict(zip(ids, comparisons)),
                         [t for geo, t in tiles if geo == MEASURES[swap[0][0]][0]])
            differing = []
            for name, how, args in steps:
                got = dict(zip("AB", pool.map(
                    lambda side: run_step(Outputs(ws[side]), how, args), "AB")))
                if got["A"][""][0] != "exit 0":
                    # a command that fails on both sides would pass without showing anything
                    differing.append(f"  {' '.join(args)}: {got['A'][''][0]}: "
                                     f"{got['A'][''][-1][:200]}")
                for part in got["A"]:
                    diff = first_difference(got["A"][part], got["B"][part])
                    if diff:
                        shown = " ".join(args if how == "command" else args[1:])
                        differing.append(f"  {shown}{' [' + part + ']' if part else ''}: "
                                         f"{diff}")
            checked.append(f"{label}: {len(steps)} outputs, {len(differing)} differ")
            if differing:
                failures.append(label + "\n" + "\n".join(differing))
        print("\n".join(checked))
        self.assertGreaterEqual(sum("differ" in c for c in checked), 4,
                                "too few swaps found to test the property:\n" +
                                "\n".join(checked))
        self.assertFalse(failures, "outputs without --reveal changed when two hidden cells "
                         "traded counts:\n" + "\n".join(failures))

    def test_pools_do_not_depend_on_how_hidden_counts_split(self):
        """Rule 7 of pooling: a pool holds a cell's hidden periods all together or not at
        all, so when one area and group trades its hidden counts between the two periods,
        every output of the pool, of change and of trend stays the same."""
        pooled = "+".join(PERIODS)
        failures, checked = [], []
        pool = ThreadPoolExecutor(2)
        self.addCleanup(pool.shutdown)
        for seed in (101, 202, 303):
            table = Table(seed, GEOIDS)
            scan = build_workspace(os.path.join(self.tmp, f"pool-scan{seed}"), GEOGRAPHY,
                                   table, measures={"visits": MEASURES["visits"]})
            years = [revealed(scan, "visits", p) for p in PERIODS]
            swaps = []
            for (stratum, geoid), row in sorted(years[0].items()):
                other = years[1].get((stratum, geoid))
                k1 = ("visits", PERIODS[0], stratum, geoid)
                k2 = ("visits", PERIODS[1], stratum, geoid)
                if other is None or not (0 < row["numerator"] < K
                                         and 0 < other["numerator"] < K):
                    continue
                if row["numerator"] == other["numerator"] or not self.split_is_consistent(
                        table, k1, k2):
                    continue
                swaps.append((k1, k2))
            if not swaps:
                checked.append(f"seed {seed}: no cell hidden in both periods")
                continue
            swap = random.Random(seed).choice(swaps)
            stratum, geoid = swap[0][2], swap[0][3]
            ws = {side: build_workspace(os.path.join(self.tmp, f"pool{seed}", side),
                                        {"bos": GEOGRAPHY["bos"]}, table, traded,
                                        measures={"visits": MEASURES["visits"]})
                  for side, traded in (("A", None), ("B", swap))}
            base = ["--measure", "visits", "--period", pooled]
            steps = [("command", ["rates", *base]),
                     ("command", ["rates", "--measure", "visits", "--period",
                                  "+".join(reversed(PERIODS))]),
                     ("command", ["disparities", *base]),
                     ("command", ["classify", *base, "--stratum", stratum, "--method",
                                  "quantile"]),
                     ("command", ["lisa", *base, "--geography", "bos", "--stratum", stratum]),
                     ("command", ["change", "--measure", "visits", "--from", PERIODS[0],
                                  "--to", pooled]),
                     ("command", ["change", "--measure", "visits", "--from", PERIODS[0],
                                  "--to", PERIODS[1]]),
                     ("command", ["trend", "--measure", "visits"]),
                     ("command", ["trend", "--measure", "visits", "--periods",
                                  f"{PERIODS[0]},{pooled}"]),
                     ("export", ["map.png", "export-map", *base, "--stratum", stratum,
                                 "--width", "480", "--height", "360"]),
                     ("export", ["map.html", "export-html", *base, "--stratum", stratum]),
                     ("export", ["pooled.csv", "export-csv", *base, "--stratum", stratum])]
            differing = []
            for how, args in steps:
                got = dict(zip("AB", pool.map(
                    lambda side: run_step(Outputs(ws[side]), how, args), "AB")))
                self.assertEqual(got["A"][""][0], "exit 0", f"{args}: {got['A'][''][-1]}")
                for part in got["A"]:
                    diff = first_difference(got["A"][part], got["B"][part])
                    if diff:
                        differing.append(f"  {' '.join(args)} {part}: {diff}")
            label = (f"seed {seed}: {stratum} of {geoid} trades {PERIODS[0]} "
                     f"({Table.count(table.cells[swap[0]])}) with {PERIODS[1]} "
                     f"({Table.count(table.cells[swap[1]])})")
            checked.append(f"{label}: {len(steps)} outputs, {len(differing)} differ")
            if differing:
                failures.append(label + "\n" + "\n".join(differing))
        print("\n".join(checked))
        self.assertGreaterEqual(sum("differ" in c for c in checked), 2, "\n".join(checked))
        self.assertFalse(failures, "pooled outputs changed when a cell's hidden counts "
                         "traded periods:\n" + "\n".join(failures))

    def test_crosswalk_outputs_do_not_depend_on_hidden_counts(self):
        """Two hidden cells of the source geography trade counts, then the measure is
        allocated to a second vintage of the same outlines through a pairs table that
        splits every third area (and both cells of the swap) 60/40 with the next, so
        allocated cells mix hidden and shown sources: no output of the target geography
        without --reveal changes, and the crosswalk's own report neither."""
        failures, checked, scans = [], [], {}
        pool = ThreadPoolExecutor(2)
        self.addCleanup(pool.shutdown)
        for seed, kind in SWAPS:
            table = Table(seed, GEOIDS)
            if seed not in scans:
                scans[seed] = build_workspace(os.path.join(self.tmp, f"xw-scan{seed}"),
                                              GEOGRAPHY, table)
            pairs = self.candidates(table, scans[seed], kind)
            if not pairs:
                checked.append(f"seed {seed}: no {kind} pair")
                continue
            swap = random.Random(seed * 11 + len(kind)).choice(pairs)
            measure, period, stratum = swap[0][:3]
            geo = MEASURES[measure][0]
            target = f"{geo}-2020"
            path, id_field, name_field, level = GEOGRAPHY[geo]
            geoids = GEOIDS[geo]
            relationship = os.path.join(self.tmp, f"xw-{seed}-{kind}.csv")
            with open(relationship, "w", encoding="utf-8") as f:
                f.write("from,to,weight\n")
                for i, g in enumerate(geoids):
                    nxt = geoids[(i + 1) % len(geoids)]
                    if i % 3 == 0 or g in (swap[0][3], swap[1][3]):
                        f.write(f"{g},{g},0.6\n{g},{nxt},0.4\n")
                    else:
                        f.write(f"{g},{g},1\n")
            ws = {}
            for side, traded in (("A", None), ("B", swap)):
                ws[side] = build_workspace(os.path.join(self.tmp, f"xw-{seed}-{kind}", side),
                                           {geo: GEOGRAPHY[geo]}, table, traded,
                                           measures={measure: MEASURES[measure]})
                subprocess.run([CLI, "import-areas", ws[side], path, "--geography", target,
                                "--level", level, "--id-field", id_field, "--name-field",
                                name_field], check=True, capture_output=True)
            base = ["--measure", measure, "--period", period, "--geography", target]
            strata = ["all"] + GROUPS if measure == "visits" else ["all"]
            steps = [("command", ["crosswalk", relationship, "--format", "pairs", "--from",
                                  geo, "--to", target])]
            for extra in ([], ["--age-adjust"], ["--smooth", "eb"]):
                steps.append(("command", ["rates", *base, *extra]))
            steps.append(("command", ["disparities", *base]))
            for s in strata:
                steps.append(("command", ["classify", *base, "--stratum", s, "--method",
                                          "quantile"]))
            steps.append(("command", ["hotspots", *base, "--stratum", stratum]))
            steps.append(("command", ["lisa", *base, "--stratum", stratum]))
            steps.append(("command", ["change", "--measure", measure, "--geography", target,
                                      "--from", PERIODS[0], "--to", PERIODS[1]]))
            steps.append(("command", ["trend", "--measure", measure, "--geography", target]))
            steps.append(("export", ["map.png", "export-map", *base, "--stratum", stratum,
                                     "--width", "480", "--height", "360"]))
            steps.append(("export", ["map.html", "export-html", *base, "--stratum", stratum]))
            steps.append(("export", ["brief.pdf", "export-brief", *base, "--stratum",
                                     stratum]))
            differing = []
            for how, args in steps:
                got = dict(zip("AB", pool.map(
                    lambda side: run_step(Outputs(ws[side]), how, args), "AB")))
                self.assertEqual(got["A"][""][0], "exit 0", f"{args}: {got['A'][''][-1]}")
                for part in got["A"]:
                    diff = first_difference(got["A"][part], got["B"][part])
                    if diff:
                        differing.append(f"  {' '.join(args)} {part}: {diff}")
            # The trade did reach the target geography: the analyst view differs.
            views = [revealed_on(ws[side], measure, period, target) for side in "AB"]
            label = (f"seed {seed}, {kind} swap {measure} {period} {stratum}: {swap[0][3]} "
                     f"({Table.count(table.cells[swap[0]])}) <-> {swap[1][3]} "
                     f"({Table.count(table.cells[swap[1]])})")
            if views[0] == views[1]:
                failures.append(label + ": the allocated counts did not change, so the "
                                "test saw nothing")
            checked.append(f"{label}: {len(steps)} outputs, {len(differing)} differ")
            if differing:
                failures.append(label + "\n" + "\n".join(differing))
        print("\n".join(checked))
        self.assertGreaterEqual(sum("differ" in c for c in checked), 4, "\n".join(checked))
        self.assertFalse(failures, "outputs of the target geography changed when two hidden "
                         "source cells traded counts:\n" + "\n".join(failures))

    @staticmethod
    def split_is_consistent(table, k1, k2):
        """Whether each period keeps its groups within its total after the trade."""
        c1, c2 = Table.count(table.cells[k1]), Table.count(table.cells[k2])
        for key, new in ((k1, c2), (k2, c1)):
            _, period, stratum, geoid = key
            groups = [Table.count(table.cells[("visits", period, s, geoid)]) for s in GROUPS]
            total = Table.count(table.cells[("visits", period, "all", geoid)])
            if stratum == "all" and new < sum(groups):
                return False
            if stratum != "all" and sum(groups) - Table.count(table.cells[key]) + new > total:
                return False
        return True


if __name__ == "__main__":
    unittest.main()
