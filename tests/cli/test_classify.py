# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/classify: classes of the demo's maps against R classInt, suppression kept out of the
classes, the other methods, bad input."""
import math
import os
import subprocess
import tempfile
import unittest

from twtest import CLI, SOURCE_ROOT, CliTestCase, fixture, run

SIDS = ("--measure", "sids", "--period", "1974-1978")

# R 4.2, classInt 0.4.9: classIntervals (x, k, style = "fisher") on the NC SIDS rates
# (tests/fixtures/classify/nc-sids-rates.txt, SID74 / BIR74 × 1000) — the figures
# tests/geo/test-classify.c asserts, printed by tests/fixtures/classify/nc-sids-reference.R.
FISHER = {
    3: ([0, 1.3654710968452177, 3.4025004152913905, 9.5541401273885338],
        [34, 49, 17], 51.467099418727088),
    5: ([0, 0.31017369727047145, 1.6963070984591577, 3.4025004152913905, 7.9438540186555615,
         9.5541401273885338], [13, 32, 38, 16, 1], 15.909583969161824),
    7: ([0, 0.31017369727047145, 1.4762721357413233, 2.2563875159519928, 3.1143479094846169,
         4.2883379247015618, 7.9438540186555615, 9.5541401273885338],
        [13, 26, 28, 15, 7, 10, 1], 6.86014531013591),
    9: ([0, 0.31017369727047145, 1.151136004709719, 1.6963070984591577, 2.3386320214542557,
         3.1143479094846169, 4.2883379247015618, 5.6920364802138206, 7.9438540186555615,
         9.5541401273885338], [13, 13, 19, 23, 14, 7, 9, 1, 1], 2.4416724219130388),
}


def fisher_breaks(values, k):
    """Exact natural breaks by dynamic programming (least within-class sum of squares),
    inner breaks at the midpoint between classes, as classInt reports them."""
    x = sorted(values)
    n = len(x)
    s1 = [0.0] * (n + 1)
    s2 = [0.0] * (n + 1)
    for i, v in enumerate(x):
        s1[i + 1] = s1[i] + v
        s2[i + 1] = s2[i] + v * v

    def ss(i, j):  # x[i:j]
        m = j - i
        return s2[j] - s2[i] - (s1[j] - s1[i]) ** 2 / m

    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    cost[0][0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            for i in range(c - 1, j):
                v = cost[c - 1][i] + ss(i, j)
                if v < cost[c][j]:
                    cost[c][j], cut[c][j] = v, i
    ends, j = [], n
    for c in range(k, 0, -1):
        ends.append(j)
        j = cut[c][j]
    ends.reverse()
    breaks = [x[0]] + [(x[e - 1] + x[e]) / 2 for e in ends[:-1]] + [x[-1]]
    return breaks, cost[k][n]


def quantile7(values, p):
    x = sorted(values)
    h = (len(x) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


class ClassifyTest(CliTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmpdir = tempfile.TemporaryDirectory()
        cls.demo = os.path.join(cls.tmpdir.name, "demo.tractwise")
        subprocess.run([os.path.join(SOURCE_ROOT, "build-aux", "make-demo"), CLI, cls.demo],
                       check=True)
        _, cls.rates, _ = run("rates", cls.demo, *SIDS, "--reveal")

    @classmethod
    def tearDownClass(cls):
        cls.tmpdir.cleanup()

    def classify(self, *args):
        _, data, _ = run("classify", self.demo, *args)
        return data

    def assertBreaks(self, got, expected, places=9):
        self.assertEqual(len(got), len(expected), f"{got} against {expected}")
        for g, e in zip(got, expected):
            self.assertAlmostEqual(g, e, places=places, msg=f"{got} against {expected}")

    def test_natural_breaks_equal_classint_fisher(self):
        # The analyst view classes all 100 counties, as R did.
        for k, (breaks, counts, within_ss) in FISHER.items():
            data = self.classify(*SIDS, "--method", "natural", "--classes", k, "--reveal")
            self.assertEqual(data["method"], "natural")
            self.assertBreaks(data["breaks"], breaks)
            self.assertEqual(data["counts"], counts)
            self.assertAlmostEqual(data["within_ss"], within_ss, places=8)
            self.assertEqual(data["no_data"], 0)

    def test_reference_rates_are_the_demo_rates(self):
        with open(fixture("classify", "nc-sids-rates.txt")) as f:
            ref = sorted(float(l) for l in f if l.strip() and not l.startswith("#"))
        mine = sorted(r["rate"] for r in self.rates)
        self.assertEqual(len(mine), 100)
        for a, b in zip(ref, mine):
            self.assertAlmostEqual(a, b, places=12)

    def test_suppressed_areas_stay_out_of_the_classes(self):
        shown = [r["rate"] for r in self.rates if not r["suppressed"]]
        hidden = [r["rate"] for r in self.rates if r["suppressed"]]
        self.assertGreater(len(hidden), 0)
        for k in (3, 5):
            data = self.classify(*SIDS, "--method", "natural", "--classes", k)
            self.assertEqual(data["suppressed"], len(hidden))
            self.assertEqual(sum(data["counts"]), len(shown))
            breaks, within_ss = fisher_breaks(shown, k)
            self.assertBreaks(data["breaks"], breaks)
            self.assertAlmostEqual(data["within_ss"], within_ss, places=8)
            # No break is, or lies next to, a suppressed rate alone.
            for b in data["breaks"]:
                self.assertNotIn(b, hidden)
            self.assertEqual(data["breaks"][0], min(shown))
            self.assertEqual(data["breaks"][-1], max(shown))

    def test_quantile_equal_and_manual(self):
        shown = [r["rate"] for r in self.rates if not r["suppressed"]]
        data = self.classify(*SIDS, "--method", "quantile", "--classes", "4")
        # Many counties have no death: equal quantiles merge, fewer classes result.
        expected = []
        for q in (quantile7(shown, i / 4) for i in range(5)):
            if not expected or q != expected[-1]:
                expected.append(q)
        self.assertLess(len(expected), 5)
        self.assertBreaks(data["breaks"], expected)
        self.assertEqual(sum(data["counts"]), len(shown))

        data = self.classify(*SIDS, "--method", "equal", "--classes", "5")
        lo, hi = min(shown), max(shown)
        self.assertBreaks(data["breaks"], [lo + (hi - lo) * i / 5 for i in range(6)])

        data = self.classify(*SIDS, "--method", "manual", "--breaks", "1,2.5,4")
        self.assertEqual(data["method"], "manual")
        self.assertBreaks(data["breaks"][1:-1], [1, 2.5, 4])
        expect = [sum(1 for v in shown if v <= 1),
                  sum(1 for v in shown if 1 < v <= 2.5),
                  sum(1 for v in shown if 2.5 < v <= 4),
                  sum(1 for v in shown if v > 4)]
        self.assertEqual(data["counts"], expect)

    def test_a_group_of_the_boston_tables(self):
        _, rates, _ = run("rates", self.demo, "--measure", "asthma_ed", "--period", "2019",
                          "--stratum", "black")
        data = self.classify("--measure", "asthma_ed", "--period", "2019", "--stratum",
                             "black", "--method", "quantile", "--classes", "5")
        self.assertEqual(data["suppressed"], sum(1 for r in rates if r["suppressed"]))
        self.assertEqual(sum(data["counts"]) + data["suppressed"] + data["no_data"], 506)

    def test_no_data_areas_are_counted(self):
        p = self.nc_project()
        csv = self.path("some.csv")
        with open(csv, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for i, fips in enumerate(["37001", "37003", "37005", "37007", "37009"]):
                f.write(f"{fips},visits,2020,all,{20 + 10 * i},{1000 + i}\n")
        run("import-outcomes", p, csv, "--kind", "rate", "--per", "1000")
        _, data, _ = run("classify", p, "--measure", "visits", "--period", "2020",
                         "--method", "equal", "--classes", "3")
        self.assertEqual(data["no_data"], 95)
        self.assertEqual(data["suppressed"], 0)
        self.assertEqual(sum(data["counts"]), 5)

    def test_bad_input_is_refused(self):
        cases = [
            (["--measure", "nosuch", "--period", "1974-1978", "--method", "natural"], "nosuch"),
            ([*SIDS, "--method", "jenks"], "jenks"),
            ([*SIDS], "--method"),
            ([*SIDS, "--method", "natural", "--classes", "2"], "--classes"),
            ([*SIDS, "--method", "natural", "--classes", "10"], "--classes"),
            ([*SIDS, "--method", "manual"], "--breaks"),
            ([*SIDS, "--method", "manual", "--breaks", "1,x"], "'x'"),
            ([*SIDS, "--method", "manual", "--breaks", "3,2"], "increasing"),
            ([*SIDS, "--method", "manual", "--breaks", "1"], "--breaks"),
            ([*SIDS, "--method", "manual", "--breaks", "1,2,3,4,5,6,7,8,9"], "--breaks"),
            ([*SIDS, "--method", "natural", "--breaks", "1,2"], "manual"),
            (["--measure", "sids", "--period", "1999", "--method", "natural"], "1999"),
            ([*SIDS, "--stratum", "zz", "--method", "natural"], "zz"),
            ([*SIDS, "--geography", "nowhere", "--method", "natural"], "nowhere"),
        ]
        for args, word in cases:
            with self.subTest(args=args):
                self.assertRefused(self.demo, "classify", self.demo, *args, mentions=[word])


if __name__ == "__main__":
    unittest.main()
