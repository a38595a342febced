# SPDX-License-Identifier: GPL-3.0-or-later
"""Apportioned counts (non-integer, many below 1, some 0.0003, denominators down to 0.01)
through every command that computes with them, on the 506 Boston tracts: no command aborts,
and the analyst view's intervals and smoothed rates are R's (qgamma, prop.test, EBest,
EBlocal) from tests/fixtures/outcomes/boston-apportioned-reference.txt."""
import json
import math
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from twtest import CLI, CliTestCase, fixture, run  # noqa: E402

MEASURES = {"asthma_ed": ("rate", 10000), "preterm_birth": ("proportion", 100)}
# Cells set by hand in make-boston-apportioned.py: the counts that broke the intervals.
CHOSEN = [("asthma_ed", "0001", "black"),      # 0.0003 in 51.2
          ("asthma_ed", "0005", "black"),      # 0.0003 in 0.01
          ("asthma_ed", "0002", "hispanic"),   # 0.4 in 0.5
          ("asthma_ed", "0003", "asian"),      # 2.5 in 0.01
          ("asthma_ed", "0004", "white"),      # 10.6 in 1730.25
          ("asthma_ed", "0002", "asian"),      # 0
          ("preterm_birth", "0001", "black"),  # 0.0003 in 0.01
          ("preterm_birth", "0002", "hispanic"),
          ("preterm_birth", "0003", "asian")]  # 2.5 in 2.5: every one


def reference():
    cells = {}
    with open(fixture("outcomes", "boston-apportioned-reference.txt")) as f:
        for line in f:
            if line.startswith("#"):
                continue
            m, geoid, stratum, *v = line.split()
            cells[(m, geoid, stratum)] = [math.nan if x == "NA" else float(x) for x in v]
    return cells


R = reference()


def no_constant(name):
    raise ValueError(f"{name} in the JSON output")


def cli(*args):
    """Runs tractwise-cli without judging it: (status, stdout, stderr)."""
    proc = subprocess.run([CLI, *map(str, args)], capture_output=True, timeout=600)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def relative(got, want):
    return abs(got - want) / max(abs(want), 1e-300)


class Apportioned(CliTestCase):
    @classmethod
    def setUpClass(cls):
        cls.holder = CliTestCase()
        cls.holder.setUp()
        p = cls.holder.new_project()
        run("import-areas", p, fixture("areas", "boston", "boston_tracts.shp"),
            "--geography", "boston", "--level", "tract", "--id-field", "poltract")
        for m, (kind, per) in MEASURES.items():
            _, out, _ = run("import-outcomes", p,
                            fixture("outcomes", f"boston-apportioned-{m}.csv"),
                            "--kind", kind, "--per", per)
            assert out["apportioned"] > 2500, out
        cls.project = p

    @classmethod
    def tearDownClass(cls):
        cls.holder.tearDown()

    def table(self, measure, *extra):
        _, rows, _ = run("rates", self.project, "--measure", measure, "--period", "2019",
                         *extra)
        return {(r["geoid"], r["stratum"]): r for r in rows}

    def test_no_command_aborts(self):
        """Each command exits 0, or 2 with one line saying why; the JSON holds no NaN."""
        out_map = self.path("map.png")
        commands = [["rates"], ["rates", "--smooth", "eb"], ["rates", "--smooth", "spatial-eb"],
                    ["rates", "--stratum", "black"], ["rates", "--stratum", "asian", "--smooth", "eb"],
                    ["classify", "--method", "quantile"], ["classify", "--method", "natural"],
                    ["classify", "--method", "stddev", "--stratum", "asian"],
                    ["moran"], ["moran", "--smooth", "eb"], ["lisa"],
                    ["lisa", "--smooth", "spatial-eb", "--stratum", "black"],
                    ["hotspots"], ["hotspots", "--stratum", "hispanic"], ["disparities"]]
        for m in MEASURES:
            for command in commands:
                for view in ([], ["--reveal"]):
                    args = [command[0], self.project, "--measure", m, "--period", "2019",
                            *command[1:], *view]
                    with self.subTest(args=" ".join(args[2:])):
                        self.assertAnswers(*args)
            with self.subTest(command="export-map", measure=m):
                self.assertAnswers("export-map", self.project, "--measure", m, "--period",
                                   "2019", "--width", "400", "--height", "300", "--out",
                                   out_map)
                if os.path.exists(out_map):
                    with open(out_map, "rb") as f:
                        self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def assertAnswers(self, *args):
        status, out, err = cli(*args)
        self.assertIn(status, (0, 2), f"exit status {status}: {err[-400:]}")
        for word in ("CRITICAL", "assertion", "ERROR", "Aborted"):
            self.assertNotIn(word, err)
        if status == 0:
            json.loads(out, parse_constant=no_constant)
        else:
            lines = [l for l in err.splitlines()
                     if l.strip() and not l.startswith("tractwise-cli: warning:")
                     and "analyst view" not in l]
            self.assertEqual(len(lines), 1, f"expected one line on stderr: {err!r}")

    def test_reveal_intervals_equal_r(self):
        """rates --reveal: exact Poisson limits of apportioned counts as R's qgamma, Wilson
        limits as prop.test (correct = FALSE), to 1e-6; the chosen cells to 1e-9."""
        for m, (_, per) in MEASURES.items():
            rows = self.table(m, "--reveal")
            compared = 0
            for (geoid, stratum), row in rows.items():
                num, den, lower, upper, _, _ = R[(m, geoid, stratum)]
                self.assertAlmostEqual(row["numerator"], num, places=9)
                if math.isnan(lower):
                    self.assertIsNone(row["lower"], (geoid, stratum))
                    continue
                tolerance = 1e-9 if (m, geoid, stratum) in CHOSEN else 1e-6
                for key, want in (("lower", lower), ("upper", upper)):
                    with self.subTest(measure=m, geoid=geoid, stratum=stratum, limit=key):
                        if want == 0.0:
                            self.assertEqual(row[key], 0.0)
                        else:
                            self.assertLess(relative(row[key], want * per), tolerance,
                                            f"{row[key]} against R's {want * per}")
                compared += 1
            self.assertGreater(compared, 2500)
        # Not a pass by accident: the chosen cells are there, and their limits are not 0.
        rows = self.table("asthma_ed", "--reveal")
        self.assertEqual(rows[("0005", "black")]["lower"], 0.0)   # 10^-5000 underflows
        self.assertAlmostEqual(rows[("0005", "black")]["upper"], 3689510.456933809, delta=1e-3)
        self.assertAlmostEqual(rows[("0003", "asian")]["lower"], 415605.80674333124, delta=1e-3)

    def test_reveal_smoothing_equals_spdep(self):
        """rates --smooth eb / spatial-eb --reveal: spdep's EBest and EBlocal, to 1e-9."""
        for m, (_, per) in MEASURES.items():
            for smooth, column in (("eb", 4), ("spatial-eb", 5)):
                rows = self.table(m, "--smooth", smooth, "--reveal")
                compared = 0
                for (geoid, stratum), row in rows.items():
                    want = R[(m, geoid, stratum)][column]
                    if math.isnan(want):
                        continue
                    with self.subTest(measure=m, smooth=smooth, geoid=geoid, stratum=stratum):
                        self.assertLess(relative(row["rate"], want * per), 1e-9,
                                        f"{row['rate']} against R's {want * per}")
                    compared += 1
                self.assertGreater(compared, 2400)

    def test_published_view_has_figures(self):
        """Without --reveal the shown cells still get their rate and interval (R's, to the
        precision a publication prints), and hidden ones none."""
        for m, (_, per) in MEASURES.items():
            rows = self.table(m)
            shown = 0
            for (geoid, stratum), row in rows.items():
                if row["suppressed"]:
                    self.assertIsNone(row["numerator"])
                    continue
                num, den, lower, upper, _, _ = R[(m, geoid, stratum)]
                if math.isnan(lower):
                    continue
                shown += 1
                self.assertLess(relative(row["rate"], num / den * per), 5.01e-3)
                self.assertLess(relative(row["upper"], upper * per), 5.01e-3)
            self.assertGreater(shown, 100)


if __name__ == "__main__":
    unittest.main()
