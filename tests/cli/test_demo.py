# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/demo: build-aux/make-demo builds the demo project the README promises."""
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

    def test_areas_needs_a_geography_when_there_are_several(self):
        out = self.path("demo.tractwise")
        subprocess.run([os.path.join(SOURCE_ROOT, "build-aux", "make-demo"), CLI, out],
                       check=True)
        self.assertRefused(out, "areas", out, mentions=["Boston tracts", "--geography"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
