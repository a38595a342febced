# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/evaluate: a project's evaluation against figures worked out by hand, its verdict,
and the suppression policy: only areas whose counts are shown are pooled, so no two
evaluations can be differenced to recover a hidden count."""
import csv
import json
import math
import os
import random
import sqlite3
import unittest

from twtest import CliTestCase, fixture, fingerprint, run

Z = 1.959963984540054
TARGETS = ["37063", "37135"]


def nc_geoids():
    with open(fixture("outcomes", "nc-long.csv"), newline="") as f:
        return sorted({row["geoid"] for row in csv.DictReader(f)})


def published(value):
    """@value as it may be printed: in full, or rounded to publication precision (3
    significant figures) once numbers are printed that way."""
    return {value, float(f"{value:.3g}")}


def without(evaluation, *keys):
    """@evaluation without @keys (a dotted key reaches into an object)."""
    e = json.loads(json.dumps(evaluation))
    for key in keys:
        *path, last = key.split(".")
        obj = e
        for part in path:
            obj = obj[part]
        del obj[last]
    return e


class EvaluateTests(CliTestCase):
    def assertPublished(self, actual, expected, msg=None):
        self.assertIsNotNone(actual, msg)
        self.assertTrue(any(math.isclose(actual, v, rel_tol=1e-9, abs_tol=1e-12)
                            for v in published(expected)),
                        f"{actual} is not {expected} {msg or ''}")

    def write_outcomes(self, path, target_counts, other_count=50, counts=None):
        """'visits' (a rate per 1 000, denominators 10 000) in 2017 … 2021 for the 100 NC
        counties: the targets have target_counts[geoid][period], the others other_count (one
        number, or one per period), unless counts[geoid] says otherwise."""
        periods = ["2017", "2018", "2019", "2020", "2021"]
        if isinstance(other_count, int):
            other_count = [other_count] * len(periods)
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["geoid", "measure", "period", "stratum", "numerator", "denominator"])
            for g in nc_geoids():
                for i, period in enumerate(periods):
                    if counts is not None and g in counts:
                        n = counts[g][i]
                    elif g in target_counts:
                        n = target_counts[g][i]
                    else:
                        n = other_count[i]
                    w.writerow([g, "visits", period, "all", n, 10000])

    def project_with(self, target_counts, other_count=50, goal="10", counts=None,
                     higher_is_worse=True):
        p = self.nc_project()
        path = self.path("visits.csv")
        self.write_outcomes(path, target_counts, other_count, counts)
        run("import-outcomes", p, path, "--kind", "rate", "--per", "1000")
        if not higher_is_worse:
            con = sqlite3.connect(p)
            with con:
                con.execute("UPDATE measure SET higher_is_worse = 0 WHERE code = 'visits'")
            con.close()
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
        #   var = 160/40000² + 120/40000² + 2 × 9800/1960000², × 1000²; half-width 0.832:
        #   wholly below 0, improved
        #   goal 10% lower, as a change of the rate: −0.1 × 4.0 = −0.4; progress = DiD / −0.4
        #   = 2.5, its interval the DiD's divided likewise
        counts = {g: [40, 40, 99, 30, 30] for g in TARGETS}
        p, pid = self.project_with(counts)
        before = fingerprint(p)
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertEqual(fingerprint(p), before, "evaluate must not write")

        self.assertEqual(e["before"], ["2017", "2018"])
        self.assertEqual(e["after"], ["2020", "2021"])
        self.assertEqual((e["target_areas"], e["comparison_areas"]), (2, 98))
        self.assertEqual((e["n_target_areas_used"], e["n_target_areas_left_out"]), (2, 0))
        self.assertEqual((e["n_comparison_areas_used"], e["n_comparison_areas_left_out"]),
                         (98, 0))
        self.assertPublished(e["target_before"], 4.0)
        self.assertPublished(e["target_after"], 3.0)
        self.assertPublished(e["comparison_before"], 5.0)
        self.assertPublished(e["comparison_after"], 5.0)
        self.assertPublished(e["did"], -1.0)
        var = (160 / 40000 ** 2 + 120 / 40000 ** 2 + 2 * 9800 / 1960000 ** 2) * 1000 ** 2
        half = Z * math.sqrt(var)
        self.assertPublished(e["did_lower"], -1 - half)
        self.assertPublished(e["did_upper"], -1 + half)
        self.assertEqual(e["verdict"], "improved")
        self.assertPublished(e["target_change_percent"], -25.0)
        self.assertPublished(e["goal_progress"], 2.5)
        self.assertPublished(e["goal_progress_lower"], (-1 + half) / -0.4)
        self.assertPublished(e["goal_progress_upper"], (-1 - half) / -0.4)
        self.assertIs(e["suppressed"], False)
        self.assertEqual([t["period"] for t in e["trend"]], ["2017", "2018", "2019", "2020", "2021"])
        self.assertPublished(e["trend"][2]["target"], 9.9)

        # Chosen comparison areas and named periods:
        #   --comparison 37001,37003 --before 2018 --after 2021:
        #   T 80/20 000 → 4.0, 60/20 000 → 3.0; C 100/20 000 → 5.0, 5.0; DiD −1
        _, e, _ = run("project", "evaluate", p, pid, "--comparison", "37001,37003",
                      "--before", "2018", "--after", "2021")
        self.assertEqual(e["comparison_areas"], 2)
        self.assertEqual(e["n_comparison_areas_used"], 2)
        self.assertPublished(e["did"], -1.0)
        var = (80 / 20000 ** 2 + 60 / 20000 ** 2 + 2 * 100 / 20000 ** 2) * 1000 ** 2
        self.assertPublished(e["did_upper"], -1 + Z * math.sqrt(var))

    def test_verdicts(self):
        # Goal 10% lower; the comparison counties' rates as given.
        #   improved (above); worsened: T 4.0 → 5.0 against C 5.0 → 5.0, DiD +1 with
        #   half-width 1.96 √(0.1 + 0.125 + 2 × 0.0051) = 0.951: wholly above 0;
        #   progress 1 / −0.4 = −2.5.
        counts = {g: [40, 40, 99, 50, 50] for g in TARGETS}
        p, pid = self.project_with(counts)
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertPublished(e["did"], 1.0)
        self.assertEqual(e["verdict"], "worsened")
        self.assertPublished(e["goal_progress"], -2.5)
        self.assertLess(e["goal_progress_upper"], 0)

        # The same counts when higher is better: improved, progress 1 / 0.4 = 2.5.
        p, pid = self.project_with(counts, higher_is_worse=False)
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertEqual(e["verdict"], "improved")
        self.assertPublished(e["goal_progress"], 2.5)
        self.assertGreater(e["goal_progress_lower"], 0)

        # The case: the targets fell 10% (the goal, by their raw change), but so
        # did every other county: T 4.0 → 3.6, C 5.0 → 4.5, DiD = −0.4 + 0.5 = +0.1 with
        # half-width 0.83: no detectable change, and no progress (0.1 / −0.4 = −0.25).
        counts = {g: [40, 40, 99, 36, 36] for g in TARGETS}
        p, pid = self.project_with(counts, other_count=[50, 50, 99, 45, 45])
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertPublished(e["target_change_percent"], -10.0)
        self.assertPublished(e["did"], 0.1)
        self.assertLess(e["did_lower"], 0)
        self.assertGreater(e["did_upper"], 0)
        self.assertEqual(e["verdict"], "no detectable change")
        self.assertPublished(e["goal_progress"], -0.25)
        self.assertLess(e["goal_progress_lower"], 0)
        self.assertGreater(e["goal_progress_upper"], 0)

    def test_suppressed_areas_are_left_out(self):
        # One target (37063) holds 5 events a year, the other 30: 37063 is left out of
        # every pool and the target figures are 37135's alone, 60 / 20 000 × 1000 = 3.0.
        counts = {"37063": [5, 5, 5, 5, 5], "37135": [30, 30, 30, 30, 30]}
        p, pid = self.project_with(counts)
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertEqual((e["n_target_areas_used"], e["n_target_areas_left_out"]), (1, 1))
        self.assertPublished(e["target_before"], 3.0)
        self.assertPublished(e["target_after"], 3.0)
        self.assertEqual(e["figures"]["target_before"]["areas"], 1)
        self.assertEqual(e["figures"]["target_before"]["areas_left_out"], 1)
        self.assertPublished(e["did"], 0.0)
        self.assertEqual(e["verdict"], "no detectable change")
        self.assertIs(e["suppressed"], True)
        self.assertTrue(all(t["target_areas"] == 1 for t in e["trend"]))
        self.assertPublished(e["trend"][0]["target"], 3.0)

        # The analyst view pools the hidden counts too, on stdout, with a banner on stderr.
        status, e, err = run("project", "evaluate", p, pid, "--reveal")
        self.assertIn("analyst view", err)
        self.assertEqual(e["n_target_areas_used"], 2)
        self.assertAlmostEqual(e["target_before"], 70 / 40, places=12)   # (5+30)×2/40 000

        # Two hidden counts are never pooled, not even when together they reach k: with
        # both targets at 6 no target area is left, and nothing that needs them is shown.
        counts = {"37063": [6, 6, 6, 6, 6], "37135": [6, 6, 6, 6, 6]}
        p, pid = self.project_with(counts)
        _, e, _ = run("project", "evaluate", p, pid)
        self.assertEqual((e["n_target_areas_used"], e["n_target_areas_left_out"]), (0, 2))
        for key in ("target_before", "target_after", "did", "did_lower", "did_upper",
                    "verdict", "goal_progress", "goal_progress_lower", "goal_progress_upper"):
            self.assertIsNone(e[key], key)
        self.assertIs(e["figures"]["target_before"]["suppressed"], True)
        self.assertTrue(all(t["target"] is None and t["target_suppressed"] for t in e["trend"]))
        self.assertPublished(e["comparison_before"], 5.0)

    def test_differencing_reveals_nothing(self):
        # Random counts, many of them hidden (k = 11). Whatever comparison areas a user
        # picks, adding one with a hidden count in a period used changes no figure, and
        # adding one whose counts are all shown changes the pools by its counts alone.
        rng = random.Random(13)
        geoids = nc_geoids()
        counts = {g: [rng.choice([0, 3, 7, 10, 12, 25, 40, 60]) if rng.random() < 0.3
                      else rng.randint(11, 80) for _ in range(5)] for g in geoids}
        for g in TARGETS:
            counts[g] = [rng.randint(20, 60) for _ in range(5)]
        p, pid = self.project_with({}, counts=counts)
        used = [0, 1, 3, 4]   # 2017, 2018, 2020, 2021

        def hidden(g):
            return any(0 < counts[g][i] < 11 for i in used)

        others = [g for g in geoids if g not in TARGETS]
        suppressed = [g for g in others if hidden(g)]
        shown = [g for g in others if not hidden(g)]
        self.assertGreater(len(suppressed), 5)

        def evaluate(areas):
            _, e, _ = run("project", "evaluate", p, pid, "--comparison", ",".join(areas))
            return e

        counted = ("comparison_areas", "n_comparison_areas_left_out",
                   "figures.comparison_before.areas_left_out",
                   "figures.comparison_after.areas_left_out")
        for trial in range(6):
            base = rng.sample(shown, 8) + rng.sample(suppressed, 1)
            extra = rng.choice([g for g in suppressed if g not in base])
            a, b = evaluate(base), evaluate(base + [extra])
            self.assertEqual(b["n_comparison_areas_left_out"],
                             a["n_comparison_areas_left_out"] + 1)
            self.assertEqual(without(a, *counted), without(b, *counted), extra)

            # A shown area: the comparison pools move by its published counts only.
            extra = rng.choice([g for g in shown if g not in base])
            b = evaluate(base + [extra])
            pool = [g for g in base if not hidden(g)]
            for side, periods in (("comparison_before", [0, 1]), ("comparison_after", [3, 4])):
                events = sum(counts[g][i] for g in pool + [extra] for i in periods)
                self.assertPublished(b[side], events / (10000 * len(periods) * len(pool + [extra]))
                                     * 1000, side)
            self.assertEqual(b["n_comparison_areas_used"], len(pool) + 1)

    def test_trading_hidden_counts_changes_nothing(self):
        # Two hidden counts of the same period trade places: every figure stays.
        base = {g: [40, 40, 40, 40, 40] for g in nc_geoids()}
        base["37001"] = [3, 40, 40, 40, 40]
        base["37003"] = [8, 40, 40, 40, 40]
        base["37063"] = [40, 9, 40, 40, 40]   # a target
        base["37005"] = [40, 2, 40, 40, 40]
        traded = json.loads(json.dumps(base))
        traded["37001"][0], traded["37003"][0] = 8, 3
        traded["37063"][1], traded["37005"][1] = 2, 9
        outputs = []
        for counts in (base, traded):
            p, pid = self.project_with({}, counts=counts)
            _, e, _ = run("project", "evaluate", p, pid)
            outputs.append(e)
            _, e, _ = run("project", "evaluate", p, pid, "--comparison",
                          "37001,37003,37005,37007")
            outputs.append(e)
        self.assertEqual(outputs[0], outputs[2])
        self.assertEqual(outputs[1], outputs[3])
        self.assertEqual(outputs[0]["n_target_areas_left_out"], 1)
        self.assertEqual(outputs[1]["n_comparison_areas_left_out"], 3)

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
