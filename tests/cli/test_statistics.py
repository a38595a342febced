# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli weights, moran, lisa, hotspots and rates --smooth spatial-eb on the North
Carolina SIDS counties, against R spdep 1.2.7's figures in
tests/fixtures/statistics/nc-spdep.txt (written once by nc-spdep.R there)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from twtest import CliTestCase, fixture, run  # noqa: E402

CLUSTERS = {"high-high", "low-low", "high-low", "low-high", "not significant"}


def reference():
    moran, counties = {}, {}
    with open(fixture("statistics", "nc-spdep.txt")) as f:
        for line in f:
            if line.startswith("#"):
                continue
            v = line.split()
            if v[0] == "moran":
                moran[v[1]] = [float(x) for x in v[2:6]]
                continue
            counties[v[0]] = {"sid": int(v[1]), "births": int(v[2]), "queen": int(v[3]),
                              "rook": int(v[4]), "i": float(v[5]), "z": float(v[6]),
                              "gstar": float(v[7]), "eb": float(v[8])}
    return moran, counties


MORAN, NC = reference()


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(b))


class Statistics(CliTestCase):
    def sids_project(self):
        p = self.nc_project()
        src = self.path("sids.csv")
        with open(src, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for fips, c in NC.items():
                f.write(f"{fips},sids,1974,all,{c['sid']},{c['births']}\n")
        run("import-outcomes", p, src, "--kind", "proportion", "--per", "1000")
        return p

    def published_project(self):
        """The same counties with only the counts the policy shows (k = 11): what an outsider
        has. Without --reveal every statistic must be computed from exactly this."""
        p = self.nc_project()
        src = self.path("sids-published.csv")
        with open(src, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for fips, c in NC.items():
                if not 0 < c["sid"] < 11:
                    f.write(f"{fips},sids,1974,all,{c['sid']},{c['births']}\n")
        run("import-outcomes", p, src, "--kind", "proportion", "--per", "1000")
        return p

    def stat(self, command, p, *extra):
        return run(command, p, "--measure", "sids", "--period", "1974", *extra)[1]

    def test_weights_equal_poly2nb(self):
        p = self.nc_project()
        for kind in ("queen", "rook"):
            _, out, _ = run("weights", p, "--type", kind)
            cards = [c[kind] for c in NC.values()]
            self.assertEqual(out["areas"], 100)
            self.assertEqual(out["islands"], [])
            self.assertEqual(out["min"], min(cards))
            self.assertEqual(out["max"], max(cards))
            self.assertAlmostEqual(out["mean"], sum(cards) / 100, places=12)
        _, out, _ = run("weights", p, "--type", "knn", "--k", "4")
        self.assertEqual((out["min"], out["max"]), (4, 4))

    def test_islands_are_listed(self):
        p = self.new_project()
        src = self.path("squares.geojson")
        feats = []
        for geoid, x in (("01", 0), ("02", 1), ("03", 5)):
            ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
            feats.append({"type": "Feature", "properties": {"GEOID": geoid},
                          "geometry": {"type": "Polygon", "coordinates": [ring]}})
        with open(src, "w") as f:
            json.dump({"type": "FeatureCollection", "features": feats}, f)
        run("import-areas", p, src, "--geography", "squares")
        _, out, _ = run("weights", p)
        self.assertEqual(out["islands"], ["03"])
        self.assertEqual((out["min"], out["max"]), (0, 1))

    def test_moran_equals_moran_test(self):
        p = self.sids_project()
        out = self.stat("moran", p, "--reveal")
        i, e, var, pval = MORAN["queen"]
        self.assertTrue(close(out["i"], i), out)
        self.assertTrue(close(out["expectation"], e), out)
        self.assertTrue(close(out["variance"], var), out)
        self.assertTrue(close(out["p_analytic"], pval, 1e-6), out)
        self.assertLess(out["p_permutation"], 0.01)
        rook = self.stat("moran", p, "--weights", "rook", "--permutations", "0", "--reveal")
        self.assertTrue(close(rook["i"], MORAN["rook"][0]), rook)
        self.assertIsNone(rook["p_permutation"])
        # the same seed gives the same answer; the default seed is fixed too
        self.assertEqual(self.stat("moran", p, "--seed", "5", "--reveal"),
                         self.stat("moran", p, "--seed", "5", "--reveal"))
        self.assertEqual(out, self.stat("moran", p, "--reveal"))

    def test_statistics_use_published_rates_only(self):
        """Without --reveal a suppressed county is missing: no statistic of its own, no term in
        its neighbours'. Every figure equals the one computed on the published counts alone."""
        p, q = self.sids_project(), self.published_project()
        small = {g for g, c in NC.items() if 0 < c["sid"] < 11}
        moran = self.stat("moran", p)
        self.assertEqual(set(moran["suppressed"]), small)
        self.assertEqual(moran["areas_analysed"], 100 - len(small))
        truth = self.stat("moran", q)
        for key in ("i", "expectation", "variance", "z", "p_analytic", "p_permutation",
                    "islands"):
            self.assertEqual(moran[key], truth[key], key)
        self.assertNotEqual(moran["i"], self.stat("moran", p, "--reveal")["i"])
        for command in ("lisa", "hotspots"):
            rows = {r["geoid"]: r for r in self.stat(command, p)}
            published = {r["geoid"]: r for r in self.stat(command, q)}
            for g, r in rows.items():
                if g in small:
                    self.assertEqual(r["status"], "suppressed", r)
                    self.assertIsNone(r["z"])
                    self.assertIsNone(r["p"])
                    if command == "lisa":
                        self.assertIsNone(r["i"])
                        self.assertEqual(r["cluster"], "suppressed")
                else:
                    self.assertEqual(r["status"], "analysed", r)
                    for key in ("z", "p", "i", "cluster", "island"):
                        self.assertEqual(r.get(key), published[g].get(key), (command, key, g))

    def test_lisa_equals_localmoran(self):
        p = self.sids_project()
        rows = self.stat("lisa", p, "--reveal")
        self.assertEqual(len(rows), 100)
        for r in rows:
            c = NC[r["geoid"]]
            self.assertTrue(close(r["i"], c["i"]), r)
            self.assertTrue(close(r["z"], c["z"]), r)
            self.assertGreaterEqual(r["p"], 1 / 1000)
            self.assertIn(r["cluster"], CLUSTERS)
            if r["p"] > 0.05:
                self.assertEqual(r["cluster"], "not significant")
        kinds = {r["cluster"] for r in rows}
        self.assertIn("high-high", kinds)
        self.assertEqual(rows, self.stat("lisa", p, "--reveal"))
        # with FDR control fewer (or as many) areas are significant
        fdr = self.stat("lisa", p, "--reveal", "--fdr")
        sig = lambda rs: sum(r["cluster"] != "not significant" for r in rs)
        self.assertLessEqual(sig(fdr), sig(rows))
        self.assertTrue(all(f["p"] >= r["p"] for f, r in zip(fdr, rows)))

    def test_hotspots_equal_localG(self):
        p = self.sids_project()
        rows = self.stat("hotspots", p, "--reveal")
        self.assertEqual(len(rows), 100)
        for r in rows:
            self.assertTrue(close(r["z"], NC[r["geoid"]]["gstar"]), r)
            self.assertTrue(0 < r["p"] <= 1)

    def test_rates_spatial_eb_equal_eblocal(self):
        p = self.sids_project()
        _, rows, err = run("rates", p, "--measure", "sids", "--period", "1974",
                           "--smooth", "spatial-eb", "--reveal")
        self.assertIn("analyst view", err)
        self.assertEqual(len(rows), 100)
        for r in rows:
            self.assertTrue(close(r["rate"], NC[r["geoid"]]["eb"] * 1000), r)
        _, rows, _ = run("rates", p, "--measure", "sids", "--period", "1974",
                         "--smooth", "spatial-eb")
        # without --reveal: smoothed over the published counts alone
        _, published, _ = run("rates", self.published_project(), "--measure", "sids",
                              "--period", "1974", "--smooth", "spatial-eb")
        published = {r["geoid"]: r for r in published}
        for r in rows:
            if not r["suppressed"]:
                self.assertEqual(r["rate"], published[r["geoid"]]["rate"], r)
        for r in rows:
            if 0 < NC[r["geoid"]]["sid"] < 11:
                self.assertTrue(r["suppressed"])
                self.assertIsNone(r["rate"])
                self.assertIsNone(r["numerator"])
            if r["suppressed"]:
                self.assertIsNone(r["rate"])
        self.assertTrue(any(r["rate"] is not None for r in rows))

    def test_refusals_change_nothing(self):
        p = self.sids_project()
        base = ("--measure", "sids", "--period", "1974")
        self.assertRefused(p, "moran", p, *base, "--weights", "bishop", mentions=("bishop",))
        self.assertRefused(p, "lisa", p, *base, "--smooth", "median", mentions=("median",))
        self.assertRefused(p, "lisa", p, *base, "--alpha", "5", mentions=("--alpha",))
        self.assertRefused(p, "hotspots", p, "--period", "1974", mentions=("--measure",))
        self.assertRefused(p, "moran", p, "--measure", "sids", "--period", "1999",
                           mentions=("1999", "--period"))
        self.assertRefused(p, "weights", p, "--type", "knn", mentions=("--k",))
        self.assertRefused(p, "rates", p, *base, "--smooth", "spatial", mentions=("spatial-eb",))


if __name__ == "__main__":
    unittest.main()
