#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli rates: intervals, EB smoothing against spdep, suppression, --reveal, bad input."""

import csv
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

CLI = os.environ.get("TW_CLI", "tractwise-cli")
FIXTURES = os.environ.get("TW_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))
NC = os.path.join(FIXTURES, "areas", "nc", "nc.shp")


def run(*args, check=True):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: exit {proc.returncode}: {proc.stderr}")
    return proc


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["geoid", "measure", "period", "stratum", "numerator", "denominator"])
        w.writerows(rows)


def read_ebest():
    rows = []
    with open(os.path.join(FIXTURES, "rates", "nc-ebest.txt")) as f:
        for line in f:
            if line.startswith("#"):
                continue
            fips, y, n, raw, est = line.split()
            rows.append((fips, float(y), float(n), float(raw), float(est)))
    return rows


def published(x):
    """A figure at publication precision (3 significant figures), as printed without --reveal."""
    return float(f"{x:.2e}")


def eb_global(pairs):
    """Marshall's global EB (tw-rates.h's formulas) over (events, population) pairs."""
    sum_y = sum(y for y, n in pairs)
    sum_n = sum(n for y, n in pairs)
    b = sum_y / sum_n
    s2 = sum(n * (y / n - b) ** 2 for y, n in pairs) / sum_n
    a = max(0.0, s2 - b / (sum_n / len(pairs)))
    return [b + a * (y / n - b) / (a + b / n) if a > 0 else b for y, n in pairs]


class RatesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.project = os.path.join(cls.tmp.name, "nc.tractwise")
        run("new", cls.project)
        run("import-areas", cls.project, NC, "--id-field", "FIPS", "--level", "county")
        cls.ebest = read_ebest()
        sids = os.path.join(cls.tmp.name, "sids.csv")
        write_csv(sids, [(f, "sids", "1974", "all", int(y), int(n)) for f, y, n, _, _ in cls.ebest])
        run("import-outcomes", cls.project, sids, "--kind", "rate", "--per", "1")
        # A small table with groups: 37001 = 25 + 5 (complementary), 37003 zeros.
        groups = os.path.join(cls.tmp.name, "groups.csv")
        write_csv(groups, [
            ("37001", "visits", "2022", "all", 30, 5000),
            ("37001", "visits", "2022", "a", 25, 4000),
            ("37001", "visits", "2022", "b", 5, 1000),
            ("37003", "visits", "2022", "all", 0, 3000),
            ("37003", "visits", "2022", "a", 0, 2000),
            ("37003", "visits", "2022", "b", 0, 1000),
            ("37005", "visits", "2022", "all", 10, 1000),
            ("37005", "visits", "2022", "a", 4, 600),
            ("37005", "visits", "2022", "b", 6, 400),
        ])
        run("import-outcomes", cls.project, groups, "--kind", "rate", "--per", "1000")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rates(self, *args):
        return json.loads(run("rates", self.project, *args).stdout)

    def test_fields_and_intervals(self):
        rows = self.rates("--measure", "visits", "--period", "2022")
        self.assertEqual(len(rows), 9)
        for row in rows:
            self.assertEqual(set(row), {"geoid", "stratum", "numerator", "denominator", "rate",
                                        "lower", "upper", "suppressed", "unstable", "status",
                                        "reason"})
        zero = next(r for r in rows if r["geoid"] == "37003" and r["stratum"] == "all")
        self.assertEqual(zero["numerator"], 0)
        self.assertFalse(zero["suppressed"])
        self.assertEqual(zero["rate"], 0)
        self.assertEqual(zero["lower"], 0)
        # A zero count: up to 3.689 events, per 1000 over 3000 people.
        self.assertEqual(zero["upper"], published(3.688879454113936 / 3000 * 1000))
        revealed = json.loads(run("rates", self.project, "--measure", "visits", "--period", "2022",
                                  "--reveal").stdout)
        zero = next(r for r in revealed if r["geoid"] == "37003" and r["stratum"] == "all")
        self.assertAlmostEqual(zero["upper"], 3.688879454113936 / 3000 * 1000, places=9)
        total = next(r for r in rows if r["geoid"] == "37001" and r["stratum"] == "all")
        self.assertAlmostEqual(total["rate"], 6.0)
        self.assertFalse(total["unstable"])

    def test_suppressed_rows_are_null(self):
        rows = self.rates("--measure", "visits", "--period", "2022")
        by_key = {(r["geoid"], r["stratum"]): r for r in rows}
        for key in [("37001", "b"), ("37001", "a"), ("37005", "all"), ("37005", "a"),
                    ("37005", "b")]:
            row = by_key[key]
            self.assertTrue(row["suppressed"], key)
            for field in ("numerator", "rate", "lower", "upper"):
                self.assertIsNone(row[field], (key, field))
            self.assertIsNotNone(row["denominator"])
        # No shown count between 1 and 10, and `all` minus the shown groups is 0 or ≥ 11.
        for row in rows:
            if row["numerator"] is not None:
                self.assertFalse(0 < row["numerator"] < 11, row)
        for geoid in ("37001", "37003", "37005"):
            total = by_key[(geoid, "all")]["numerator"]
            if total is None:
                continue
            rest = total - sum(by_key[(geoid, s)]["numerator"] or 0 for s in ("a", "b"))
            self.assertFalse(0 < rest < 11, geoid)

    def test_status_and_reason(self):
        """One status per row, the preset's reliability rule, and a reason that names a count
        only for a shown figure."""
        def statuses(project):
            rows = json.loads(run("rates", project, "--measure", "visits", "--period",
                                  "2022").stdout)
            return {(r["geoid"], r["stratum"]): (r["status"], r["reason"]) for r in rows}

        cms = statuses(self.project)
        self.assertEqual(cms[("37001", "all")], ("shown", ""))
        self.assertEqual(cms[("37001", "b")], ("suppressed", "a count of 1 to 10 (k = 11)"))
        self.assertEqual(cms[("37005", "all")], ("suppressed", "a count of 1 to 10 (k = 11)"))
        self.assertEqual(cms[("37001", "a")][0], "complementary")
        self.assertEqual(cms[("37003", "all")], ("unreliable", "no events (RSE undefined)"))
        # The analyst view shows figures, not another status.
        revealed = json.loads(run("rates", self.project, "--measure", "visits", "--period",
                                  "2022", "--reveal").stdout)
        self.assertEqual({(r["geoid"], r["stratum"]): (r["status"], r["reason"])
                          for r in revealed}, cms)

        # WISQARS: k = 10, unreliable at 20 events or fewer. 10 events are shown now, with
        # an RSE of 1/√10; 30 events are not unreliable.
        other = os.path.join(self.tmp.name, "wisqars.tractwise")
        shutil.copy(self.project, other)
        policy = json.loads(run("policy", other, "--preset", "wisqars").stdout)
        self.assertEqual((policy["preset"], policy["version"], policy["min_count"]),
                         ("wisqars", "2023", 10))
        self.assertIn("preset wisqars, version 2023", policy["method_note"])
        self.assertIn("20 or fewer events are marked unreliable", policy["method_note"])
        wisqars = statuses(other)
        self.assertEqual(wisqars[("37005", "all")], ("unreliable", "RSE 32% (10 events)"))
        self.assertEqual(wisqars[("37005", "a")], ("suppressed", "a count of 1 to 9 (k = 10)"))
        self.assertEqual(wisqars[("37001", "all")], ("shown", ""))
        for status, reason in wisqars.values():
            self.assertIn(status, {"shown", "unreliable", "suppressed", "complementary"})
            if status in ("suppressed", "complementary"):
                self.assertNotRegex(reason, r"event")

        bad = run("policy", other, "--preset", "nchs", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("nchs-proportions", bad.stderr)
        self.assertEqual(json.loads(run("policy", other).stdout)["preset"], "wisqars")

    def test_reveal(self):
        rows = self.rates("--measure", "visits", "--period", "2022", "--reveal")
        row = next(r for r in rows if r["geoid"] == "37001" and r["stratum"] == "b")
        self.assertTrue(row["suppressed"])
        self.assertEqual(row["numerator"], 5)
        self.assertAlmostEqual(row["rate"], 5.0)
        # Exact Poisson for 5 events: 1.6235–11.6683, per 1000 over 1000 people.
        self.assertAlmostEqual(row["lower"], 1.6234863901184207, places=9)
        self.assertAlmostEqual(row["upper"], 11.668332079322667, places=9)
        for r in rows:
            for field in ("numerator", "rate", "lower", "upper"):
                self.assertIsNotNone(r[field])

    def test_stratum_filter_keeps_the_whole_area_rule(self):
        rows = self.rates("--measure", "visits", "--period", "2022", "--stratum", "a")
        self.assertEqual({r["stratum"] for r in rows}, {"a"})
        row = next(r for r in rows if r["geoid"] == "37001")
        # 25 is hidden because 5 is: shown alone it would still give 30 − 25.
        self.assertTrue(row["suppressed"])
        self.assertIsNone(row["numerator"])

    def test_eb_matches_spdep(self):
        rows = self.rates("--measure", "sids", "--period", "1974", "--smooth", "eb", "--reveal")
        by_geoid = {r["geoid"]: r for r in rows}
        self.assertEqual(len(by_geoid), 100)
        for fips, y, n, raw, est in self.ebest:
            row = by_geoid[fips]
            self.assertTrue(math.isclose(row["rate"], est, rel_tol=1e-10), (fips, row, est))
            self.assertLess(row["lower"], row["rate"])
            self.assertGreater(row["upper"], row["rate"])
        crude = self.rates("--measure", "sids", "--period", "1974", "--reveal")
        for fips, y, n, raw, est in self.ebest:
            row = next(r for r in crude if r["geoid"] == fips)
            self.assertTrue(math.isclose(row["rate"], raw, rel_tol=1e-12))

    def test_eb_suppressed(self):
        """Without --reveal, EB is estimated from the published counts alone: its prior
        cannot carry a hidden count into anyone's smoothed rate."""
        rows = self.rates("--measure", "sids", "--period", "1974", "--smooth", "eb")
        counts = {f: y for f, y, n, raw, est in self.ebest}
        shown_pairs = [(y, n) for f, y, n, raw, est in self.ebest if not 0 < y < 11]
        expected = dict(zip([f for f, y, n, raw, est in self.ebest if not 0 < y < 11],
                            eb_global(shown_pairs)))
        shown = 0
        for row in rows:
            if row["suppressed"]:
                self.assertIsNone(row["rate"])
                self.assertIsNone(row["numerator"])
            else:
                shown += 1
                self.assertFalse(0 < counts[row["geoid"]] < 11)
                self.assertEqual(row["rate"], published(expected[row["geoid"]]), row)
        self.assertGreater(shown, 10)

    def test_age_adjust(self):
        labels = ["00", "01-04", "05-14", "15-24", "25-34", "35-44", "45-54", "55-64",
                  "65-74", "75-84", "85+"]
        pop = [1210, 4890, 12050, 13400, 12980, 14020, 13310, 10020, 7450, 4310, 1520]
        x = [0, 0, 1, 3, 5, 9, 18, 31, 47, 66, 40]
        path = os.path.join(self.tmp.name, "age.csv")
        with open(path, "w") as f:
            f.write("geoid,measure,period,stratum,age_group,numerator,denominator\n")
            for label, n, c in zip(labels, pop, x):
                f.write(f"37001,mort,2020,all,{label},{c},{n}\n")
                if label != "85+":
                    f.write(f"37003,mort,2020,all,{label},{c},{n}\n")
        run("import-outcomes", self.project, path, "--kind", "rate", "--per", "100000")
        proc = run("rates", self.project, "--measure", "mort", "--period", "2020", "--age-adjust")
        rows = {r["geoid"]: r for r in json.loads(proc.stdout)}
        # Fay–Feuer figures from R (tests/fixtures/rates/make-expected.R).
        self.assertEqual(rows["37001"]["rate"], 216)
        self.assertEqual(rows["37001"]["lower"], 189)
        self.assertEqual(rows["37001"]["upper"], 247)
        revealed = json.loads(run("rates", self.project, "--measure", "mort", "--period", "2020",
                                  "--age-adjust", "--reveal").stdout)
        revealed = {r["geoid"]: r for r in revealed}
        self.assertTrue(math.isclose(revealed["37001"]["rate"], 216.33928562486915, rel_tol=1e-12))
        self.assertTrue(math.isclose(revealed["37001"]["lower"], 188.60200069474806,
                                     rel_tol=1e-10))
        self.assertTrue(math.isclose(revealed["37001"]["upper"], 247.25838477879483,
                                     rel_tol=1e-10))
        self.assertEqual(rows["37001"]["numerator"], 220)
        # The missing group is reported (area and group), not silently dropped.
        self.assertIsNone(rows["37003"]["rate"])
        self.assertEqual(rows["37003"]["missing_age_groups"], ["85+"])
        self.assertIn("37003", proc.stderr)
        self.assertIn("85+", proc.stderr)

    def test_bad_input(self):
        before = digest(self.project)
        cases = [
            (["--measure", "nosuch", "--period", "2022"], "nosuch"),
            (["--measure", "visits", "--period", "1999"], "1999"),
            (["--measure", "visits", "--period", "2022", "--stratum", "zz"], "zz"),
            (["--measure", "visits", "--period", "2022", "--smooth", "spatial"], "spatial"),
            (["--measure", "visits"], "--period"),
        ]
        for args, word in cases:
            proc = run("rates", self.project, *args, check=False)
            self.assertEqual(proc.returncode, 2, (args, proc.stderr))
            self.assertEqual(proc.stdout, "")
            lines = proc.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, proc.stderr)
            self.assertIn(word, lines[0])
        self.assertEqual(digest(self.project), before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
