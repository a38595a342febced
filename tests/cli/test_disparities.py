#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli disparities: ratios and differences with intervals, region shares,
suppression, --reveal, bad input."""

import hashlib
import json
import math
import os
import subprocess
import tempfile
import unittest

CLI = os.environ.get("TW_CLI", "tractwise-cli")
FIXTURES = os.environ.get("TW_FIXTURES", os.path.join(os.path.dirname(__file__), "..", "fixtures"))

FIELDS = {"geoid", "stratum", "rate", "ratio", "ratio_lower", "ratio_upper", "difference",
          "difference_lower", "difference_upper", "suppressed", "status", "reason"}


def run(*args, check=True):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: exit {proc.returncode}: {proc.stderr}")
    return proc


def published(x):
    """A figure at publication precision (3 significant figures), as printed without --reveal."""
    return float(f"{x:.2e}")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class DisparitiesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.project = os.path.join(cls.tmp.name, "d.tractwise")
        run("new", cls.project)
        run("import-areas", cls.project, os.path.join(FIXTURES, "areas", "nc", "nc.shp"),
            "--id-field", "FIPS", "--level", "county")
        rows = [("37001", "all", 300, 100000), ("37001", "black", 120, 25000),
                ("37001", "white", 180, 75000),
                ("37003", "all", 40, 20000), ("37003", "black", 4, 2000),
                ("37003", "white", 36, 18000),
                ("37005", "all", 60, 30000), ("37005", "black", 25, 5000),
                ("37005", "white", 35, 25000)]
        path = os.path.join(cls.tmp.name, "o.csv")
        with open(path, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for g, s, x, n in rows:
                f.write(f"{g},deaths,2021,{s},{x},{n}\n")
        run("import-outcomes", cls.project, path, "--kind", "rate", "--per", "100000")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def disparities(self, *args):
        return json.loads(run("disparities", self.project, "--measure", "deaths",
                              "--period", "2021", *args).stdout)

    def row(self, result, geoid, stratum):
        return next(r for r in result["areas"] if r["geoid"] == geoid and r["stratum"] == stratum)

    def test_ratio_against_all(self):
        result = self.disparities()
        for r in result["areas"]:
            self.assertEqual(set(r), FIELDS)
        black = self.row(result, "37001", "black")
        self.assertEqual(black["rate"], 480.0)
        self.assertEqual(black["ratio"], 1.6)
        self.assertEqual(black["difference"], 180.0)
        # The group is part of `all`: Var ln RR = 1/120 − 1/300 (see tw-disparity.h).
        se = math.sqrt(1 / 120 - 1 / 300)
        self.assertEqual(black["ratio_lower"], published(1.6 * math.exp(-1.959963984540054 * se)))
        self.assertEqual(black["ratio_upper"], published(1.6 * math.exp(1.959963984540054 * se)))
        se_d = math.sqrt(120 / 25000**2 + 300 / 100000**2 - 2 * 120 / (25000 * 100000)) * 1e5
        self.assertEqual(black["difference_lower"], published(180 - 1.959963984540054 * se_d))
        self.assertLess(black["ratio_lower"], black["ratio"])
        # The analyst view keeps every digit.
        black = self.row(self.disparities("--reveal"), "37001", "black")
        self.assertAlmostEqual(black["ratio_lower"], 1.6 * math.exp(-1.959963984540054 * se))

    def test_other_reference_is_independent(self):
        black = self.row(self.disparities("--reference", "white"), "37001", "black")
        self.assertEqual(black["ratio"], 480.0 / 240.0)
        se = math.sqrt(1 / 120 + 1 / 180)
        self.assertEqual(black["ratio_upper"], published(2.0 * math.exp(1.959963984540054 * se)))

    def test_suppressed(self):
        result = self.disparities()
        for stratum in ("black", "white"):  # 4 is primary, 36 complementary
            r = self.row(result, "37003", stratum)
            self.assertTrue(r["suppressed"])
            for field in FIELDS - {"geoid", "stratum", "suppressed", "status", "reason"}:
                self.assertIsNone(r[field], (stratum, field))
            self.assertNotRegex(r["reason"], r"\d+ events")
        self.assertEqual(self.row(result, "37003", "black")["status"], "suppressed")
        self.assertEqual(self.row(result, "37003", "white")["status"], "complementary")
        self.assertIsNotNone(self.row(result, "37003", "all")["rate"])
        # The region pools only the areas whose group and total counts are both published:
        # 37003's black (4) and white (36) are hidden, so both shares leave 37003 out and say
        # over how many areas they are: nothing of a hidden count can be subtracted out.
        region = {r["stratum"]: r for r in result["region"]}
        self.assertEqual(set(region), {"all", "black", "white"})
        self.assertEqual(region["black"]["share_of_events"], published(145 / 360))
        self.assertEqual(region["black"]["share_of_denominator"], published(30000 / 130000))
        self.assertEqual(region["black"]["areas"], 2)
        self.assertEqual(region["white"]["share_of_events"], published(215 / 360))
        self.assertEqual(region["all"]["areas"], 3)
        # Whatever the hidden cells hold, the output is the same.
        self.assertNotIn(4, [r.get("rate") for r in result["areas"]])

    def test_reveal(self):
        result = self.disparities("--reveal")
        r = self.row(result, "37003", "black")
        self.assertTrue(r["suppressed"])
        self.assertAlmostEqual(r["ratio"], 1.0)
        region = {r["stratum"]: r for r in result["region"]}
        self.assertAlmostEqual(region["black"]["share_of_events"], 149 / 400)
        self.assertAlmostEqual(region["white"]["share_of_events"], 251 / 400)

    def test_bad_input(self):
        before = digest(self.project)
        for args, word in ((["--measure", "nosuch", "--period", "2021"], "nosuch"),
                           (["--measure", "deaths", "--period", "1900"], "1900"),
                           (["--measure", "deaths", "--period", "2021", "--reference", "asian"],
                            "asian")):
            proc = run("disparities", self.project, *args, check=False)
            self.assertEqual(proc.returncode, 2, (args, proc.stderr))
            self.assertEqual(proc.stdout, "")
            lines = proc.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1)
            self.assertIn(word, lines[0])
        self.assertEqual(digest(self.project), before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
