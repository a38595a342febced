# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/import-points: events generated inside the North Carolina counties (the generator is
the oracle), on shared edges and outside; exact counts by area, group and year; nothing
from the events in the workspace or any temporary file."""
import csv
import glob
import os
import random
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import unittest

from twtest import CliTestCase, run, fingerprint

ON_EDGE = 1e-9
GROUPS = ["black", "hispanic", "white"]
YEARS = ["2021", "2022"]


def read_wkb(blob):
    """Rings of a little- or big-endian WKB polygon or multipolygon: [[(x, y), …], …]."""
    pos = 0

    def take(fmt, order):
        nonlocal pos
        values = struct.unpack_from(order + fmt, blob, pos)
        pos += struct.calcsize(order + fmt)
        return values

    def geometry():
        order = "<" if take("B", "<")[0] == 1 else ">"
        kind = take("I", order)[0] % 1000
        if kind == 6:
            return [r for _ in range(take("I", order)[0]) for r in geometry()]
        assert kind == 3, kind
        rings = []
        for _ in range(take("I", order)[0]):
            n = take("I", order)[0]
            xy = take("%dd" % (2 * n), order)
            rings.append(list(zip(xy[0::2], xy[1::2])))
        return rings

    return geometry()


class Area:
    def __init__(self, geoid, rings):
        self.geoid, self.rings = geoid, rings
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        self.box = (min(xs), min(ys), max(xs), max(ys))

    def in_box(self, x, y, margin=ON_EDGE):
        return (self.box[0] - margin <= x <= self.box[2] + margin
                and self.box[1] - margin <= y <= self.box[3] + margin)

    def edge_distance(self, x, y):
        best = float("inf")
        for r in self.rings:
            for (ax, ay), (bx, by) in zip(r, r[1:]):
                dx, dy = bx - ax, by - ay
                t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy)
                                                          / (dx * dx + dy * dy)))
                best = min(best, ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2) ** 0.5)
        return best

    def inside(self, x, y):
        odd = False
        for r in self.rings:
            for (ax, ay), (bx, by) in zip(r, r[1:]):
                if (ay > y) != (by > y) and x < ax + (bx - ax) * (y - ay) / (by - ay):
                    odd = not odd
        return odd


def load_areas(project):
    db = sqlite3.connect(project)
    rows = db.execute("SELECT geoid, geom FROM area ORDER BY geoid").fetchall()
    db.close()
    return [Area(g, read_wkb(bytes(w))) for g, w in rows]


def owner(areas, x, y):
    """The README's rule: the lowest GEOID among the areas whose closed boundary holds it."""
    for a in areas:  # GEOID order
        if a.in_box(x, y) and (a.inside(x, y) or a.edge_distance(x, y) <= 1e-10):
            return a.geoid
    return None


def make_events(areas, seed, n_inside=2500, n_edges=60):
    rng = random.Random(seed)
    events = []  # (id, lat, lon, group, date, expected geoid or None, interior?)
    for i in range(n_inside):
        a = rng.choice(areas)
        while True:
            x = rng.uniform(a.box[0], a.box[2])
            y = rng.uniform(a.box[1], a.box[3])
            # Clear of every edge, so that no rounding anywhere can move it.
            if a.inside(x, y) and a.edge_distance(x, y) > 1e-6:
                break
        events.append([x, y, owner(areas, x, y), True])
    # Shared vertices and midpoints of shared edges.
    seen = {}
    for a in areas:
        for r in a.rings:
            for p, q in zip(r, r[1:]):
                seen.setdefault(p, set()).add(a.geoid)
                mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
                seen.setdefault(("m",) + tuple(sorted([p, q])), (mid, set()))[1].add(a.geoid)
    vertices = [p for p, s in seen.items() if p[0] != "m" and len(s) > 1]
    mids = [v[0] for k, v in seen.items() if k[0] == "m" and len(v[1]) > 1]
    for x, y in rng.sample(vertices, n_edges // 2) + rng.sample(mids, n_edges // 2):
        events.append([x, y, owner(areas, x, y), False])
    # Outside every county: the Atlantic, the far side of the world.
    for x, y in [(-74.0, 34.0), (10.0, 50.0), (-80.0, 37.5), (-75.2, 33.0)]:
        assert owner(areas, x, y) is None
        events.append([x, y, None, True])
    rng.shuffle(events)
    out = []
    for i, (x, y, geoid, interior) in enumerate(events):
        year = rng.choice(YEARS)
        date = "%s-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28))
        out.append({"id": "PT%08d" % rng.randrange(10 ** 8), "lat": repr(y), "lon": repr(x),
                    "race": rng.choice(GROUPS), "visit_date": date, "geoid": geoid,
                    "interior": interior, "x": x, "y": y})
    # Two rows the geocoder could not place.
    for _ in range(2):
        out.insert(rng.randrange(len(out)), {"id": "PT%08d" % rng.randrange(10 ** 8),
                                             "lat": "", "lon": "", "race": "white",
                                             "visit_date": "2021-06-01", "geoid": None,
                                             "interior": False, "x": None, "y": None})
    return out


def write_events(path, events):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["patient_id", "latitude", "longitude", "race", "visit_date"])
        for e in events:
            w.writerow([e["id"], e["lat"], e["lon"], e["race"], e["visit_date"]])


def write_denominators(path, areas, skip=None):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["geoid", "stratum", "period", "denominator"])
        for a in areas:
            if a.geoid == skip:
                continue
            for g in GROUPS:
                for y in YEARS:
                    w.writerow([a.geoid, g, y, 5000])


def expected_counts(events):
    counts = {}
    for e in events:
        if e["geoid"] is not None:
            key = (e["geoid"], e["race"], e["visit_date"][:4])
            counts[key] = counts.get(key, 0) + 1
    return counts


def stored_counts(project):
    db = sqlite3.connect(project)
    rows = db.execute("SELECT a.geoid, o.stratum, o.period, o.numerator, o.denominator "
                      "FROM outcome o JOIN area a ON a.id = o.area_id "
                      "JOIN measure m ON m.id = o.measure_id WHERE m.code = 'edvisit'"
                      ).fetchall()
    db.close()
    return rows


class ImportPointsTest(CliTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.nc_project()
        self.areas = load_areas(self.project)
        self.events = make_events(self.areas, seed=18)
        self.events_csv = self.path("events.csv")
        self.denominators = self.path("denominators.csv")
        write_events(self.events_csv, self.events)
        write_denominators(self.denominators, self.areas)

    def import_points(self, *extra, source=None):
        return run("import-points", self.project, source or self.events_csv,
                   "--geography", "nc", "--measure", "edvisit", "--label", "ED visits",
                   "--lat-field", "latitude", "--lon-field", "longitude",
                   "--group-field", "race", "--period-field", "visit_date",
                   "--denominators", self.denominators, *extra)

    def test_counts_exact(self):
        _, r, _ = self.import_points()
        outside = [i + 1 for i, e in enumerate(self.events) if e["geoid"] is None]
        self.assertEqual(r["points"], len(self.events))
        self.assertEqual(r["outside"], len(outside))
        self.assertEqual(r["assigned"], len(self.events) - len(outside))
        self.assertEqual(r["outside_rows"], outside[:20])
        self.assertEqual(r["rows"], len(self.areas) * len(GROUPS) * len(YEARS))
        self.assertEqual(r["periods"], YEARS)
        self.assertEqual(r["strata"], GROUPS)

        expected = expected_counts(self.events)
        rows = stored_counts(self.project)
        self.assertEqual(len(rows), len(self.areas) * len(GROUPS) * len(YEARS))
        for geoid, stratum, period, numerator, denominator in rows:
            self.assertEqual(numerator, expected.get((geoid, stratum, period), 0),
                             (geoid, stratum, period))
            self.assertEqual(denominator, 5000)
        # The edge points went to the lowest GEOID of the areas they touch.
        self.assertGreater(sum(1 for e in self.events if not e["interior"] and e["geoid"]), 50)

    def test_progress_lines_for_scripts(self):
        """--progress writes well-formed lines to stderr only, the last one with the whole
        count, and the counts are those of an import without it."""
        _, r, err = self.import_points("--progress")
        lines = err.splitlines()
        self.assertGreaterEqual(len(lines), 1)
        for line in lines:
            self.assertRegex(line, r"^progress: events \d+ \d+$")
        self.assertEqual(lines[-1], f"progress: events {len(self.events)} {len(self.events)}")
        self.assertEqual(r["points"], len(self.events))
        self.assertEqual(len(stored_counts(self.project)),
                         len(self.areas) * len(GROUPS) * len(YEARS))

    def test_measure_works_as_imported(self):
        self.import_points()
        _, rates, _ = run("rates", self.project, "--measure", "edvisit", "--period", "2021")
        self.assertTrue(rates)
        _, info, _ = run("info", self.project)
        m = [m for m in info["measures"] if m["code"] == "edvisit"][0]
        self.assertEqual((m["label"], m["kind"], m["per"]), ("ED visits", "rate", 100000))

    def test_nothing_personal_kept(self):
        scratch = tempfile.mkdtemp(prefix="tw-points-tmp-")
        old = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = scratch
        try:
            self.import_points()
            run("rates", self.project, "--measure", "edvisit", "--period", "2022")
            files = [p for p in glob.glob(self.project + "*")]
            files += [p for p in glob.glob(os.path.join(scratch, "**"), recursive=True)
                      if os.path.isfile(p)]
            blobs = []
            for p in files:
                with open(p, "rb") as f:
                    blobs.append((p, f.read()))
        finally:
            if old is None:
                del os.environ["TMPDIR"]
            else:
                os.environ["TMPDIR"] = old
            shutil.rmtree(scratch, ignore_errors=True)
        self.assertTrue(any(p == self.project for p, _ in blobs))
        needles = []
        for e in self.events:
            needles.append(e["id"].encode())
            needles.append(e["visit_date"].encode())
            if e["interior"] and e["x"] is not None:
                needles += [e["lat"].encode(), e["lon"].encode(),
                            struct.pack("<d", e["x"]), struct.pack("<d", e["y"]),
                            struct.pack("<f", e["x"]) + struct.pack("<f", e["y"])]
        for path, blob in blobs:
            for n in needles:
                self.assertNotIn(n, blob, f"{n!r} found in {path}")

    def test_any_crs_and_geometry(self):
        # The interior events as a GeoPackage of points in Web Mercator: the same counts.
        interior = [e for e in self.events if e["interior"] and e["x"] is not None]
        src = self.path("interior.csv")
        write_events(src, interior)
        gpkg = self.path("interior.gpkg")
        if shutil.which("ogr2ogr") is None:
            self.skipTest("ogr2ogr (gdal-bin) is not installed")
        subprocess.run(["ogr2ogr", "-f", "GPKG", gpkg, src, "-oo", "X_POSSIBLE_NAMES=longitude",
                        "-oo", "Y_POSSIBLE_NAMES=latitude", "-s_srs", "EPSG:4326",
                        "-t_srs", "EPSG:3857", "-nln", "events"], check=True)
        _, r, _ = run("import-points", self.project, gpkg, "--geography", "nc",
                      "--measure", "edvisit", "--group-field", "race",
                      "--period-field", "visit_date", "--denominators", self.denominators)
        self.assertEqual(r["points"], len(interior))
        self.assertEqual(r["outside"], sum(1 for e in interior if e["geoid"] is None))
        expected = expected_counts(interior)
        for geoid, stratum, period, numerator, _ in stored_counts(self.project):
            self.assertEqual(numerator, expected.get((geoid, stratum, period), 0))

    def test_refusals(self):
        write_denominators(self.path("short.csv"), self.areas, skip=self.areas[0].geoid)
        # A count without its denominator: nothing written.
        counted = {e["geoid"] for e in self.events}
        if self.areas[0].geoid in counted:
            self.assertRefused(self.project, "import-points", self.project, self.events_csv,
                               "--measure", "edvisit", "--group-field", "race",
                               "--period-field", "visit_date",
                               "--denominators", self.path("short.csv"),
                               mentions=("no denominator", self.areas[0].geoid))
        self.assertRefused(self.project, "import-points", self.project, self.events_csv,
                           "--measure", "edvisit", "--period", "2021",
                           mentions=("--denominators",))
        bad = self.path("bad.csv")
        with open(bad, "w") as f:
            f.write("latitude,longitude\n35.5,-79.1\n35.x,-79.2\n")
        line = self.assertRefused(self.project, "import-points", self.project, bad,
                                  "--measure", "edvisit", "--period", "2021",
                                  "--denominators", self.denominators,
                                  mentions=("row 2",))
        self.assertNotIn("35.x", line)
        self.assertRefused(self.project, "import-points", self.project, self.path("none.csv"),
                           "--measure", "edvisit", "--period", "2021",
                           "--denominators", self.denominators, mentions=("no such file",))
        self.assertEqual(stored_counts(self.project), [])

    def test_twice_is_refused(self):
        self.import_points()
        before = stored_counts(self.project)
        self.assertRefused(self.project, "import-points", self.project, self.events_csv,
                           "--measure", "edvisit", "--lat-field", "latitude",
                           "--lon-field", "longitude", "--group-field", "race",
                           "--period-field", "visit_date", "--denominators", self.denominators,
                           mentions=("already",))
        self.assertEqual(stored_counts(self.project), before)

    def write_census_batch(self, path, with_codes):
        """The Census geocoder's batch result as it comes: no header line; a matched row
        has the coordinates as one "lon,lat" field, then (with geographies asked for)
        state, county, tract and block codes; an unmatched row stops after No_Match."""
        no_match = []
        with open(path, "w", newline="") as f:
            w = csv.writer(f, quoting=csv.QUOTE_ALL)
            for i, e in enumerate(self.events):
                if e["x"] is None:
                    w.writerow([str(i + 1), "1 Nowhere Rd, Nowhere, NC", "No_Match"])
                    no_match.append(i + 1)
                    continue
                row = [str(i + 1), "1 Main St, Somewhere, NC", "Match",
                       "Exact" if i % 2 else "Non_Exact", "1 MAIN ST, SOMEWHERE, NC",
                       f"{e['x']!r},{e['y']!r}", str(1000 + i), "L"]
                if with_codes:
                    geoid = e["geoid"] or "99999"
                    row += [geoid[:2], geoid[2:], "000100", "1001"]
                w.writerow(row)
        return no_match

    def test_census_geocoder_without_header(self):
        """Both batch layouts, located by the coordinates or named by the codes: the counts
        are those of the generator; No_Match rows are outside, numbered from the first
        line (there is no header)."""
        denominators = self.path("all.csv")
        with open(denominators, "w") as f:
            f.write("geoid,denominator\n")
            f.writelines(f"{a.geoid},5000\n" for a in self.areas)
        expected = {}
        for e in self.events:
            if e["geoid"] is not None:
                expected[e["geoid"]] = expected.get(e["geoid"], 0) + 1
        for with_codes in (False, True):
            project = self.nc_project()
            batch = self.path(f"GeocodeResult{int(with_codes)}.csv")
            no_match = self.write_census_batch(batch, with_codes)
            extra = ["--geoid-field", "field_9,field_10"] if with_codes else []
            _, r, _ = run("import-points", project, batch, "--geography", "nc", "--measure",
                          "edvisit", "--period", "2021", "--denominators", denominators,
                          *extra)
            self.assertEqual(r["points"], len(self.events))
            outside = sorted(set(no_match) | {i + 1 for i, e in enumerate(self.events)
                                              if e["geoid"] is None})
            self.assertEqual(r["outside"], len(outside))
            self.assertEqual(r["outside_rows"], outside[:20])
            db = sqlite3.connect(project)
            got = {g: n for g, n in db.execute(
                "SELECT a.geoid, o.numerator FROM outcome o JOIN area a ON a.id = o.area_id "
                "JOIN measure m ON m.id = o.measure_id WHERE m.code = 'edvisit' "
                "AND o.numerator > 0")}
            db.close()
            self.assertEqual(got, expected)

    def test_parquet_refused_without_the_driver(self):
        """GDAL 3.6 as Debian builds it has no Parquet driver: a .parquet file is refused
        with one line saying so, and nothing is written."""
        drivers = subprocess.run(["ogrinfo", "--formats"], capture_output=True,
                                 text=True).stdout
        if "parquet" in drivers.lower():
            self.skipTest("this GDAL reads Parquet")
        events = self.path("events.parquet")
        with open(events, "wb") as f:
            f.write(b"PAR1" + bytes(64) + b"PAR1")
        self.assertRefused(self.project, "import-points", self.project, events,
                           "--measure", "edvisit", "--period", "2021",
                           "--denominators", self.denominators,
                           mentions=("Parquet", "CSV"))
        self.assertEqual(stored_counts(self.project), [])


if __name__ == "__main__":
    unittest.main()
