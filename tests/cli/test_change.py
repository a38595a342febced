#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli change and trend, and pooled periods: against R's figures
(tests/fixtures/trend/trend-reference.R: glm quasi-Poisson, and the change formulas) to
1e-6, suppression of either end, rule 7 of pooling, and bad input."""

import csv
import itertools
import math
import os
import re
import subprocess
import unittest

from twtest import CliTestCase, fixture, run

K = 11
YEARS = ["2017", "2018", "2019", "2020", "2021"]


def read_reference(name):
    rows = []
    with open(fixture("trend", name)) as f:
        for line in f:
            if not line.startswith("#"):
                rows.append([None if v == "NA" else v for v in line.split()])
    return rows


def number(value):
    return None if value is None else float(value)


def published(x):
    return None if x is None else float(f"{x:.2e}")


def read_counts():
    """(geoid, stratum, period) → (count, population) of nc-trend.csv."""
    cells = {}
    with open(fixture("trend", "nc-trend.csv")) as f:
        for r in csv.DictReader(f):
            cells[(r["geoid"], r["stratum"], r["period"])] = (int(r["numerator"]),
                                                              int(r["denominator"]))
    return cells


class ChangeTest(CliTestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture_case = CliTestCase()
        cls.fixture_case.setUp()
        cls.project = cls.fixture_case.nc_project()
        run("import-outcomes", cls.project, fixture("trend", "nc-trend.csv"), "--kind", "rate",
            "--per", "1000")
        run("import-outcomes", cls.project, fixture("trend", "nc-sids.csv"), "--kind", "rate",
            "--per", "1000")
        cls.counts = read_counts()

    @classmethod
    def tearDownClass(cls):
        cls.fixture_case.tearDown()

    def assertClose(self, got, want, what):
        if want is None:
            self.assertIsNone(got, what)
            return
        self.assertIsNotNone(got, what)
        self.assertLessEqual(abs(got - want), 1e-6 * max(1.0, abs(want)),
                             f"{what}: {got} against R's {want}")

    def trend(self, *args):
        return {(r["geoid"], r["stratum"]): r
                for r in run("trend", self.project, *args)[1]}

    def test_trend_against_r(self):
        rows = self.trend("--measure", "visits", "--reveal")
        reference = [r for r in read_reference("trend-reference.txt") if r[0] == "visits"]
        self.assertEqual(len(rows), len(reference))
        for measure, geoid, stratum, events, *figures in reference:
            row = rows[(geoid, stratum)]
            self.assertEqual(row["events"], int(events))
            for name, want in zip(["slope", "se", "apc", "apc_lower", "apc_upper"], figures):
                self.assertClose(row[name], number(want), f"{geoid} {stratum} {name}")

    def test_trend_published(self):
        """Without --reveal a trend is shown only when every year is, and then with R's
        figures; a trend with a small count in any year has none."""
        rows = self.trend("--measure", "visits", "--stratum", "a")
        revealed = self.trend("--measure", "visits", "--stratum", "a", "--reveal")
        shown = 0
        for key, row in rows.items():
            small = any(0 < self.counts[(key[0], "a", y)][0] < K for y in YEARS)
            if small:
                self.assertTrue(row["suppressed"], key)
            if row["suppressed"]:
                for name in ("events", "slope", "se", "apc", "apc_lower", "apc_upper"):
                    self.assertIsNone(row[name], f"{key} {name}")
            else:
                shown += 1
                for name in ("events", "slope", "se", "apc", "apc_lower", "apc_upper"):
                    self.assertEqual(row[name], revealed[key][name], f"{key} {name}")
        self.assertGreater(shown, 50)

    def test_trend_of_ranges(self):
        """Two real periods of NC SIDS, read as their midpoints 1976 and 1981.5: R's slope,
        and no standard error (no residual degree of freedom)."""
        rows = self.trend("--measure", "sids", "--reveal")
        counts = {r[0]: (int(r[1]), int(r[3])) for r in read_reference("change-reference.txt")}
        n_fitted = 0
        for measure, geoid, stratum, events, slope, se, apc, *_ in (
                r for r in read_reference("trend-reference.txt") if r[0] == "sids"):
            row = rows[(geoid, stratum)]
            if 0 in counts[geoid]:
                # Events in one period alone: no maximum likelihood (R's glm stops
                # anywhere, at a slope of 4 or so), so no trend.
                self.assertIsNone(row["slope"], geoid)
                self.assertIsNone(row["apc"], geoid)
                continue
            n_fitted += 1
            self.assertClose(row["slope"], number(slope), f"{geoid} slope")
            self.assertClose(row["apc"], number(apc), f"{geoid} apc")
            self.assertIsNone(row["se"])
        self.assertGreater(n_fitted, 80)

    def test_trend_of_pooled_periods(self):
        """Pools as points: 2017+2018 at 2017.5; the same as a fit on the summed counts."""
        rows = self.trend("--measure", "visits", "--periods", "2017+2018,2019,2020+2021",
                          "--stratum", "all", "--reveal")
        key = ("37003", "all")
        c = self.counts
        y = [c[("37003", "all", "2017")][0] + c[("37003", "all", "2018")][0],
             c[("37003", "all", "2019")][0],
             c[("37003", "all", "2020")][0] + c[("37003", "all", "2021")][0]]
        self.assertEqual(rows[key]["events"], sum(y))
        self.assertIsNotNone(rows[key]["slope"])

    def test_change_against_r(self):
        rows = {r["geoid"]: r for r in run("change", self.project, "--measure", "sids",
                                            "--from", "1974-1978", "--to", "1979-1984",
                                            "--reveal")[1]}
        names = ["rate_from", "rate_to", "difference", "difference_lower", "difference_upper",
                 "ratio", "ratio_lower", "ratio_upper", "z", "p"]
        reference = read_reference("change-reference.txt")
        self.assertEqual(len(rows), len(reference))
        for geoid, x1, n1, x2, n2, *figures in reference:
            for name, want in zip(names, figures):
                self.assertClose(rows[geoid][name], number(want), f"{geoid} {name}")

    def test_age_adjusted_change_against_r(self):
        """Age-adjusted rates: Fay–Feuer ends, Tiwari's F interval of the ratio, the
        difference's interval recovered from the ends' (age-change-reference.R)."""
        project = self.nc_project()
        run("import-outcomes", project, fixture("trend", "age-change.csv"), "--kind", "rate",
            "--per", "100000")
        proc = run("change", project, "--measure", "deaths", "--from", "2019", "--to", "2021",
                   "--age-adjust", "--reveal")
        rows = {r["geoid"]: r for r in proc[1]}
        names = ["difference", "difference_lower", "difference_upper", "ratio", "ratio_lower",
                 "ratio_upper", "z", "p"]
        reference = read_reference("age-change-reference.txt")
        self.assertEqual(len(rows), len(reference))
        for geoid, _, _, r1, _, _, r2, _, _, *figures in reference:
            self.assertClose(rows[geoid]["rate_from"], number(r1), f"{geoid} rate_from")
            self.assertClose(rows[geoid]["rate_to"], number(r2), f"{geoid} rate_to")
            for name, want in zip(names, figures):
                self.assertClose(rows[geoid][name], number(want), f"{geoid} {name}")
        # Each end as `rates --age-adjust` gives it; the crude change is another figure.
        ends = {r["geoid"]: r for r in run("rates", project, "--measure", "deaths", "--period",
                                           "2019", "--age-adjust", "--reveal")[1]}
        self.assertClose(rows["37001"]["rate_from"], ends["37001"]["rate"], "rates")
        crude = {r["geoid"]: r for r in run("change", project, "--measure", "deaths", "--from",
                                            "2019", "--to", "2021", "--reveal")[1]}
        self.assertGreater(abs(crude["37001"]["ratio_upper"] - rows["37001"]["ratio_upper"]),
                           1e-3)

        # An area without all 11 age groups in a period has no change, and a warning names it.
        path = os.path.join(self.tmp, "incomplete.csv")
        with open(path, "w") as f, open(fixture("trend", "age-change.csv")) as source:
            for line in source:
                if line.startswith("geoid") or (line.startswith("37001,")
                                                and not line.startswith("37001,deaths,2021,all,85+")):
                    f.write(line.replace(",deaths,", ",deaths_partial,"))
        run("import-outcomes", project, path, "--kind", "rate", "--per", "100000")
        _, partial, stderr = run("change", project, "--measure", "deaths_partial", "--from",
                                 "2019", "--to", "2021", "--age-adjust", "--reveal")
        self.assertIsNone(partial[0]["difference"])
        self.assertIsNone(partial[0]["ratio_upper"])
        self.assertIn("37001", stderr)
        self.assertIn("85+", stderr)

    def test_change_suppressed_when_either_end_is(self):
        rows = run("change", self.project, "--measure", "sids", "--from", "1974-1978",
                   "--to", "1979-1984")[1]
        reference = {r[0]: r for r in read_reference("change-reference.txt")}
        shown = 0
        for row in rows:
            x1, x2 = int(reference[row["geoid"]][1]), int(reference[row["geoid"]][3])
            small = 0 < x1 < K or 0 < x2 < K
            self.assertEqual(row["suppressed"], small, row["geoid"])
            figures = reference[row["geoid"]][5:]
            if small:
                self.assertTrue(all(row[n] is None for n in row if n not in
                                    ("geoid", "stratum", "suppressed", "status", "reason")),
                                row)
                self.assertIn(row["status"], ("suppressed", "complementary"))
                continue
            shown += 1
            # The worse end's status: below 20 events a rate is unreliable, and says so.
            self.assertEqual(row["status"], "unreliable" if min(x1, x2) < 20 else "shown", row)
            if min(x1, x2) < 20:
                worse = x1 if x1 < 20 else x2
                self.assertIn(f"({worse} events)" if worse else "no events", row["reason"])
            self.assertEqual(row["difference"], published(number(figures[2])))
            self.assertEqual(row["ratio_upper"], published(number(figures[7])))
            self.assertClose(row["z"], number(figures[8]), row["geoid"])
        self.assertGreater(shown, 15)

    def test_pooled_rates_sum_periods(self):
        rows = run("rates", self.project, "--measure", "visits", "--period", "2017+2018+2019",
                   "--reveal")[1]
        self.assertEqual(len(rows), 300)
        for row in rows:
            want = [self.counts[(row["geoid"], row["stratum"], y)] for y in YEARS[:3]]
            self.assertEqual(row["numerator"], sum(c for c, n in want))
            self.assertEqual(row["denominator"], sum(n for c, n in want))

    def test_pool_rule(self):
        """Rule 7: a pool is published only when it holds none or all of the cell's hidden
        years, two or more of them, with a sum that leaves each a range. Checked with an
        outsider who knows every published pool and single year."""
        single = {}
        for y in YEARS:
            for r in run("rates", self.project, "--measure", "visits", "--period", y)[1]:
                single[(r["geoid"], r["stratum"], y)] = r
        pools = {}
        for size in (2, 3, 5):
            for combo in itertools.combinations(YEARS, size):
                for r in run("rates", self.project, "--measure", "visits", "--period",
                             "+".join(combo))[1]:
                    pools[(r["geoid"], r["stratum"], combo)] = r
        n_published_with_hidden = 0
        for (geoid, stratum, combo), r in pools.items():
            hidden = [y for y in YEARS if single[(geoid, stratum, y)]["suppressed"]]
            inside = [y for y in combo if y in hidden]
            if r["suppressed"]:
                self.assertIsNone(r["numerator"])
                continue
            self.assertIn(len(inside), (0, len(hidden)), (geoid, stratum, combo))
            if not inside:
                continue
            n_published_with_hidden += 1
            self.assertGreaterEqual(len(inside), 2)
            known = sum(single[(geoid, stratum, y)]["numerator"] for y in combo
                        if y not in hidden)
            rest = r["numerator"] - known
            # What each hidden year can hold given the sum: at least two values.
            primary = all(0 < self.counts[(geoid, stratum, y)][0] < K for y in inside)
            if primary:
                n = len(inside)
                self.assertGreaterEqual(rest, K)
                self.assertTrue(n + 2 <= rest <= n * (K - 1) - 2, (geoid, stratum, combo))
        self.assertGreater(n_published_with_hidden, 0)

    def test_period_named_with_a_plus(self):
        """A period the project holds as `2019+2020` is that period, not a pool."""
        p = self.nc_project()
        path = self.path("plus.csv")
        with open(path, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n"
                    "37001,m,2019+2020,all,40,1000\n37001,m,2019,all,5,500\n"
                    "37001,m,2020,all,7,500\n")
        run("import-outcomes", p, path, "--kind", "rate", "--per", "1000")
        rows = run("rates", p, "--measure", "m", "--period", "2019+2020")[1]
        self.assertEqual([r["numerator"] for r in rows], [40])
        # The pool of the two years: both hidden, their sum 12 leaves each 2 … 10.
        rows = run("rates", p, "--measure", "m", "--period", "2020+2019")[1]
        self.assertEqual([r["numerator"] for r in rows], [12])

    def test_gap(self):
        """The ratio of rate ratios of b against a from 2017 to 2021 with its interval, per
        county (analyst view) and for the region of the shown counties."""
        def ratio_of_ratios(cells):
            (xg1, ng1), (xr1, nr1), (xg2, ng2), (xr2, nr2) = cells
            rr = (xg2 / ng2) / (xr2 / nr2) / ((xg1 / ng1) / (xr1 / nr1))
            half = 1.959964 * math.sqrt(1 / xg1 + 1 / xr1 + 1 / xg2 + 1 / xr2)
            return rr, rr * math.exp(-half), rr * math.exp(half)

        args = ["--measure", "visits", "--from", "2017", "--to", "2021", "--stratum", "b",
                "--reference", "a"]
        c = self.counts
        revealed = run("gap", self.project, *args, "--reveal")[1]
        self.assertEqual(len(revealed["areas"]), 100)
        for row in revealed["areas"]:
            cells = [c[(row["geoid"], s, y)] for y in ("2017", "2021") for s in ("b", "a")]
            if any(x == 0 for x, n in cells):
                self.assertIsNone(row["ratio_of_ratios"], row["geoid"])
                continue
            for got, want in zip((row["ratio_of_ratios"], row["lower"], row["upper"]),
                                 ratio_of_ratios(cells)):
                self.assertClose(got, want, row["geoid"])
        published_gap = run("gap", self.project, *args)[1]
        shown = [r["geoid"] for r in published_gap["areas"] if not r["suppressed"]]
        self.assertEqual(published_gap["region"]["areas"], len(shown))
        self.assertEqual(published_gap["region"]["left_out"], 100 - len(shown))
        self.assertGreater(published_gap["region"]["left_out"], 0)
        sums = [[sum(c[(g, s, y)][i] for g in shown) for i in (0, 1)]
                for y in ("2017", "2021") for s in ("b", "a")]
        want = ratio_of_ratios(sums)
        self.assertEqual(published_gap["region"]["ratio_of_ratios"], published(want[0]))
        self.assertEqual(published_gap["region"]["upper"], published(want[2]))
        for row in published_gap["areas"]:
            if row["suppressed"]:
                self.assertIsNone(row["ratio_from"], row["geoid"])

    def test_gap_for_project(self):
        """--project pools a partner project's target areas as the region pools the map's:
        the counties whose four cells are shown, the others left out and counted; the
        figures are the ratio of ratios of those sums. Bad ids are refused by name."""
        args = ["--measure", "visits", "--from", "2017", "--to", "2021", "--stratum", "b",
                "--reference", "a"]
        areas = run("gap", self.project, *args)[1]["areas"]
        hidden = [r["geoid"] for r in areas if r["suppressed"]]
        shown = [r["geoid"] for r in areas if not r["suppressed"]]
        targets = sorted(shown[:12] + hidden[:3])
        _, out, _ = run("project", "add", self.project, "--title", "Gap project", "--measure",
                        "visits", "--areas", ",".join(targets))
        got = run("gap", self.project, *args, "--project", out["id"])[1]
        self.assertEqual(got["project"]["areas"], 12)
        self.assertEqual(got["project"]["left_out"], 3)
        c = self.counts
        used = [g for g in targets if g in shown]
        sums = [[sum(c[(g, s, y)][i] for g in used) for i in (0, 1)]
                for y in ("2017", "2021") for s in ("b", "a")]
        (xg1, ng1), (xr1, nr1), (xg2, ng2), (xr2, nr2) = sums
        rr = (xg2 / ng2) / (xr2 / nr2) / ((xg1 / ng1) / (xr1 / nr1))
        half = 1.959964 * math.sqrt(1 / xg1 + 1 / xr1 + 1 / xg2 + 1 / xr2)
        self.assertEqual(got["project"]["ratio_of_ratios"], published(rr))
        self.assertEqual(got["project"]["lower"], published(rr * math.exp(-half)))
        self.assertEqual(got["project"]["upper"], published(rr * math.exp(half)))
        # The region is as it was without --project.
        self.assertEqual(got["region"], run("gap", self.project, *args)[1]["region"])

        before = open(self.project, "rb").read()
        for bad in ("999", "x"):
            status, _, err = run("gap", self.project, *args, "--project", bad, check=False)
            self.assertEqual(status, 2, err)
            self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertEqual(open(self.project, "rb").read(), before)

    def test_differential_moran_and_lisa(self):
        """Moran's I and LISA of the change of the SIDS rate (--from), against R spdep on
        the same differences; without --reveal a county with either end hidden is left
        out as suppressed."""
        local = {}
        with open(fixture("trend", "differential-moran.txt")) as f:
            for line in f:
                kind, *values = line.split()
                if kind == "moran":
                    moran = [float(v) for v in values]
                else:
                    local[values[0]] = float(values[1])
        args = ["--measure", "sids", "--period", "1979-1984", "--from", "1974-1978",
                "--geography", "nc"]
        got = run("moran", self.project, *args, "--reveal", "--permutations", "0")[1]
        self.assertClose(got["i"], moran[0], "I")
        self.assertClose(got["expectation"], moran[1], "E(I)")
        self.assertClose(got["variance"], moran[2], "Var(I)")
        rows = run("lisa", self.project, *args, "--reveal", "--permutations", "9")[1]
        self.assertEqual(len(rows), 100)
        for row in rows:
            self.assertClose(row["i"], local[row["geoid"]], row["geoid"])
        reference = {r[0]: (int(r[1]), int(r[3])) for r in read_reference("change-reference.txt")}
        rows = run("lisa", self.project, *args, "--permutations", "9")[1]
        for row in rows:
            hidden = any(0 < x < K for x in reference[row["geoid"]])
            self.assertEqual(row["status"] == "suppressed", hidden, row["geoid"])
            if hidden:
                self.assertIsNone(row["i"], row["geoid"])

    def test_brief_change_page(self):
        """The brief's page of change lists the counties that improved and worsened most
        by more than chance allows, as `change` gives them, with their intervals; never one
        with a suppressed end or an unreliable rate, and every group's gap over time."""
        out = os.path.join(self.fixture_case.tmp, "brief.pdf")
        run("export-brief", self.project, "--measure", "visits", "--period", "2021",
            "--geography", "nc", "--out", out)
        text = subprocess.run(["pdftotext", "-raw", out, "-"], capture_output=True,
                              text=True, check=True).stdout
        page = text[text.index("Change from 2017 to 2021"):]
        page = page[:page.index("Methods")]
        better = page[page.index("Largest improvements"):page.index("Largest worsenings")]
        worse = page[page.index("Largest worsenings"):page.index("The gap over time")]
        gap = page[page.index("The gap over time"):]

        rows = run("change", self.project, "--measure", "visits", "--from", "2017",
                   "--to", "2021", "--stratum", "all", "--geography", "nc")[1]
        shown = [r for r in rows if not r["suppressed"] and r["status"] != "unreliable"]
        falls = sorted((r for r in shown if r["difference_upper"] < 0),
                       key=lambda r: r["difference"])
        rises = sorted((r for r in shown if r["difference_lower"] > 0),
                       key=lambda r: -r["difference"])
        self.assertTrue(falls and rises, "the fixture has changes both ways")

        def listed(section):
            return re.findall(r"\((37\d{3})\)", section)

        self.assertEqual(listed(better), [r["geoid"] for r in falls[:5]])
        self.assertEqual(listed(worse), [r["geoid"] for r in rises[:5]])
        first = falls[0]
        line = next(l for l in better.splitlines() if f"({first['geoid']})" in l)
        want = "{:.3g}".format(abs(first["difference"])).replace("-", "−")
        self.assertIn("−" + want, line)
        hidden = {r["geoid"] for r in rows if r["suppressed"]}
        self.assertFalse(hidden & set(listed(page)), "a change with a hidden end is listed")
        # Each group has a row with its reading, or is named once in the sentence of those
        # whose gap cannot be shown; never a row of dashes.
        flat = gap.replace("\n", " ")
        for group in ("A", "B"):
            row = re.search(rf"\n{group} .*(narrowed|widened|no narrowing)", gap)
            named = re.search(rf"(Not shown|No group's gap can be shown): [^.]*\b{group}\b",
                              flat)
            self.assertTrue(bool(row) != bool(named), (group, gap))
        self.assertNotRegex(gap, r"\n\w+ – – –")

    def test_bad_input(self):
        self.assertRefused(self.project, "trend", self.project, "--measure", "visits",
                           "--periods", "2017,FY2018", mentions=("FY2018", "--periods"))
        self.assertRefused(self.project, "change", self.project, "--measure", "visits",
                           "--from", "2017", "--to", "2030", mentions=("2030",))
        self.assertRefused(self.project, "rates", self.project, "--measure", "visits",
                           "--period", "2017+2017", mentions=("2017",))
        self.assertRefused(self.project, "rates", self.project, "--measure", "visits",
                           "--period", "2017+", mentions=("--period",))
        self.assertRefused(self.project, "trend", self.project, "--measure", "visits",
                           "--periods", "2017", mentions=("two periods",))
        self.assertRefused(self.project, "change", self.project, "--measure", "visits",
                           "--from", "2017", mentions=("--to",))


if __name__ == "__main__":
    unittest.main(verbosity=2)
