# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/evaluate: a project's evaluation against figures worked out by hand, under the
suppression policy."""
import csv
import math
import os
import unittest

from twtest import CliTestCase, fixture, fingerprint, run

Z = 1.959963984540054
TARGETS = ["37063", "37135"]


def nc_geoids():
    with open(fixture("outcomes", "nc-long.csv"), newline="") as f:
        return sorted({row["geoid"] for row in csv.DictReader(f)})


class EvaluateTests(CliTestCase):
    def project_with(self, target_counts, other_count=50, goal="10"):
        """Outcomes 'visits' (a rate per 1 000, denominators 10 000) in 2017 … 2021 for the
        100 NC counties: the targets have target_counts[period], the others other_count."""
        p = self.nc_project()
        path = self.path("visits.csv")
        periods = ["2017", "2018", "2019", "2020", "2021"]
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["geoid", "measure", "period", "stratum", "numerator", "denominator"])
            for g in nc_geoids():
                for i, period in enumerate(periods):
                    n = target_counts[g][i] if g in target_counts else other_count
                    w.writerow([g, "visits", period, "all", n, 10000])
        run("import-outcomes", p, path, "--kind", "rate", "--per", "1000")
        _, out, _ = run("project", "add", p, "--title", "ED navigation", "--measure", "visits",
                        "--areas", ",".join(TARGETS), "--start", "2019-06-01",
                        "--goal-percent", goal)
        return p, out["id"]

    def test_hand_worked(self):
        # Targets 40 a year before, 30 after (2019 straddles the start: its 99s are left
        # out); the other 98 counties 50 every year.
        #   target before  = (40 × 2 areas × 2 years) / 40 000 × 1000 = 160 / 40 = 4.0
        #   target after   = 120 / 40 = 3.0
        #   comparison     = 50 × 98 × 2 / 1 960 000 × 1000 = 5.0, before and after
        #   DiD = (3 − 4) − (5 − 5) = −1
        #   var = 160/40000² + 120/40000² + 2 × 9800/1960000², × 1000²
        #   goal 10% lower: change −25% → progress 2.5
        counts = {g: [40, 40, 99, 30, 30] for g in TARGETS}
        p, pid = self.project_with(counts)
        before = fingerprint(p)
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertEqual(fingerprint(p), before, "evaluate must not write")

        self.assertEqual(e["before"], ["2017", "2018"])
        self.assertEqual(e["after"], ["2020", "2021"])
        self.assertEqual((e["target_areas"], e["comparison_areas"]), (2, 98))
        self.assertAlmostEqual(e["target_before"], 4.0, places=12)
        self.assertAlmostEqual(e["target_after"], 3.0, places=12)
        self.assertAlmostEqual(e["comparison_before"], 5.0, places=12)
        self.assertAlmostEqual(e["comparison_after"], 5.0, places=12)
        self.assertAlmostEqual(e["did"], -1.0, places=12)
        var = (160 / 40000 ** 2 + 120 / 40000 ** 2 + 2 * 9800 / 1960000 ** 2) * 1000 ** 2
        self.assertAlmostEqual(e["did_lower"], -1 - Z * math.sqrt(var), places=9)
        self.assertAlmostEqual(e["did_upper"], -1 + Z * math.sqrt(var), places=9)
        self.assertAlmostEqual(e["goal_progress"], 2.5, places=12)
        self.assertIs(e["suppressed"], False)
        self.assertEqual([t["period"] for t in e["trend"]], ["2017", "2018", "2019", "2020", "2021"])
        self.assertAlmostEqual(e["trend"][2]["target"], 9.9, places=12)

        # Chosen comparison areas and named periods:
        #   --comparison 37001,37003 --before 2018 --after 2021:
        #   T 80/20 000 → 4.0, 60/20 000 → 3.0; C 100/20 000 → 5.0, 5.0; DiD −1
        _, e, _ = run("project", "evaluate", p, pid, "--comparison", "37001,37003",
                      "--before", "2018", "--after", "2021")
        self.assertEqual(e["comparison_areas"], 2)
        self.assertAlmostEqual(e["did"], -1.0, places=12)
        var = (80 / 20000 ** 2 + 60 / 20000 ** 2 + 2 * 100 / 20000 ** 2) * 1000 ** 2
        self.assertAlmostEqual(e["did_upper"], -1 + Z * math.sqrt(var), places=9)

    def test_suppressed_pool_is_null(self):
        # One target (37063) holds 5 events a year, the other 30: each pool of the targets
        # hides exactly one count (rule 4), so nothing about the targets is shown.
        counts = {"37063": [5, 5, 5, 5, 5], "37135": [30, 30, 30, 30, 30]}
        p, pid = self.project_with(counts)
        _, e, _ = run("project", "evaluate", p, pid)
        for key in ("target_before", "target_after", "did", "did_lower", "did_upper",
                    "goal_progress"):
            self.assertIsNone(e[key], key)
        self.assertIs(e["suppressed"], True)
        self.assertAlmostEqual(e["comparison_before"], 5.0, places=12)
        self.assertTrue(all(t["target"] is None for t in e["trend"]))
        self.assertTrue(all(t["target_suppressed"] for t in e["trend"]))

        # The analyst view shows them on stdout, with a banner on stderr.
        status, e, err = run("project", "evaluate", p, pid, "--reveal")
        self.assertIn("analyst view", err)
        self.assertAlmostEqual(e["target_before"], 70 / 40, places=12)   # (5+30)×2/40 000
        self.assertIs(e["suppressed"], True)

        # Two hidden counts that together reach k are shown pooled: 6 + 6 = 12 ≥ 11.
        counts = {"37063": [6, 6, 6, 6, 6], "37135": [6, 6, 6, 6, 6]}
        p, pid = self.project_with(counts)
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertAlmostEqual(e["target_before"], 24 / 40, places=12)
        self.assertIs(e["figures"]["target_before"]["unstable"], False)
        # … but not with k = 30.
        run("policy", p, "--min-count", "30")
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertIsNone(e["target_before"])

    def test_bad_input_changes_nothing(self):
        counts = {g: [40, 40, 40, 30, 30] for g in TARGETS}
        p, pid = self.project_with(counts)
        self.assertRefused(p, "project", "evaluate", p, pid, "--before", "2016",
                           mentions=["2016", "2017"])
        self.assertRefused(p, "project", "evaluate", p, pid, "--comparison", "37063",
                           mentions=["37063", "target"])
        self.assertRefused(p, "project", "evaluate", p, pid, "--comparison", "99999",
                           mentions=["99999"])
        self.assertRefused(p, "project", "evaluate", p, pid, "--before", "2018",
                           "--after", "2018", mentions=["2018"])
        self.assertRefused(p, "project", "evaluate", p, "99", mentions=["99"])
        _, out, _ = run("project", "add", p, "--title", "No measure yet")
        self.assertRefused(p, "project", "evaluate", p, out["id"], mentions=["measure"])


if __name__ == "__main__":
    unittest.main()
