# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/demo: `tractwise-cli demo` and build-aux/make-demo build the demo project the README
promises."""
import os
import subprocess
import unittest

from twtest import CLI, SOURCE_ROOT, CliTestCase, run


class DemoTest(CliTestCase):
    def test_demo_project(self):
        out = self.path("demo.tractwise")
        subprocess.run([os.path.join(SOURCE_ROOT, "build-aux", "make-demo"), CLI, out],
                       check=True)
        _, info, _ = run("info", out)
        geographies = {g["name"]: g for g in info["geographies"]}
        self.assertEqual(geographies["North Carolina counties"]["areas"], 100)
        self.assertEqual(geographies["Boston tracts"]["areas"], 506)
        measures = {m["code"]: m for m in info["measures"]}
        self.assertEqual(measures["sids"]["periods"], ["1974-1978", "1979-1984"])
        self.assertEqual(measures["sids"]["per"], 1000)
        kinds = {m["kind"] for m in info["measures"]}
        self.assertEqual(kinds, {"rate", "proportion"})
        for code in ("asthma_ed", "diabetes_uncontrolled", "preterm_birth"):
            self.assertIn("synthetic", measures[code]["label"])
            self.assertGreaterEqual(len(measures[code]["periods"]), 3)
            self.assertEqual(measures[code]["strata"][0], "all")
            self.assertGreaterEqual(len(measures[code]["strata"]), 5)
        # Real SIDS counts of Ashe county (Cressie & Chan 1989): 1 death in 1,091 births.
        _, areas, _ = run("areas", out, "--geography", "North Carolina counties")
        self.assertIn("37009", [a["geoid"] for a in areas])

    def test_demo_command_equals_the_import_commands(self):
        # The demo's C (data/tw-demo.c) makes what the documented imports make.
        demo = os.path.join(SOURCE_ROOT, "data", "demo")
        nc = os.path.join(demo, "nc_sids")
        scripted = self.path("scripted.tractwise")
        run("new", scripted)
        run("import-areas", scripted, os.path.join(nc, "nc.shp"), "--geography",
            "North Carolina counties", "--level", "county", "--vintage", "1974",
            "--id-field", "FIPS", "--name-field", "NAME")
        for period, n, d in (("1974-1978", "SID74", "BIR74"), ("1979-1984", "SID79", "BIR79")):
            run("import-outcomes", scripted, os.path.join(nc, "nc.dbf"), "--geography",
                "North Carolina counties", "--geoid-field", "FIPS", "--measure", "sids",
                "--label", "Sudden infant death syndrome", "--kind", "rate", "--per", "1000",
                "--period", period, "--numerator-field", n, "--denominator-field", d)
        run("import-areas", scripted, os.path.join(demo, "boston_tracts", "boston_tracts.shp"),
            "--geography", "Boston tracts", "--level", "tract", "--vintage", "1970",
            "--id-field", "poltract", "--name-field", "TOWN")
        for code, label, kind, per in (
                ("asthma_ed", "Asthma emergency visits (synthetic)", "rate", "10000"),
                ("diabetes_uncontrolled", "Uncontrolled diabetes, HbA1c over 9% (synthetic)",
                 "proportion", "100"),
                ("preterm_birth", "Preterm birth (synthetic)", "proportion", "100")):
            run("import-outcomes", scripted, os.path.join(demo, f"boston-{code}-SYNTHETIC.csv"),
                "--geography", "Boston tracts", "--label", label, "--kind", kind, "--per", per)

        out = self.path("demo.tractwise")
        _, built, _ = run("demo", out)
        self.assertEqual(built["out"], out)
        self.assertFalse(os.path.exists(out + ".part"))
        self.assertEqual(run("info", out)[1], run("info", scripted)[1])
        for name in ("North Carolina counties", "Boston tracts"):
            self.assertEqual(run("areas", out, "--geography", name)[1],
                             run("areas", scripted, "--geography", name)[1])
        for args in (("--measure", "sids", "--period", "1979-1984"),
                     ("--measure", "asthma_ed", "--period", "2021", "--stratum", "black")):
            self.assertEqual(run("rates", out, *args)[1], run("rates", scripted, *args)[1])

    def test_demo_command_keeps_an_existing_file(self):
        out = self.path("mine.tractwise")
        run("new", out)
        self.assertRefused(out, "demo", out, mentions=["mine.tractwise", "--replace"])
        run("demo", "--replace", out)
        _, info, _ = run("info", out)
        self.assertEqual(len(info["geographies"]), 2)

    def test_areas_needs_a_geography_when_there_are_several(self):
        out = self.path("demo.tractwise")
        subprocess.run([os.path.join(SOURCE_ROOT, "build-aux", "make-demo"), CLI, out],
                       check=True)
        self.assertRefused(out, "areas", out, mentions=["Boston tracts", "--geography"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
