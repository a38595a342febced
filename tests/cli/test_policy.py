#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli policy: the stored suppression policy, its presets, bad input."""

import hashlib
import json
import os
import subprocess
import tempfile
import unittest

CLI = os.environ.get("TW_CLI", "tractwise-cli")


def run(*args, check=True):
    proc = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: exit {proc.returncode}: {proc.stderr}")
    return proc


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class PolicyTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.project = os.path.join(self.tmp.name, "p.tractwise")
        run("new", self.project)

    def tearDown(self):
        self.tmp.cleanup()

    def policy(self, *args):
        return json.loads(run("policy", self.project, *args).stdout)

    def test_default(self):
        policy = self.policy()
        note = policy.pop("method_note")
        self.assertEqual(policy, {"min_count": 11, "preset": "cms", "version": "2020",
                                  "complementary": True, "unstable_below": 20})
        self.assertIn("Counts of 1 to 10", note)
        self.assertIn("preset cms, version 2020", note)
        self.assertIn("fewer than 20 events are marked unreliable", note)

    def test_every_preset(self):
        """Each named preset: its k, its reliability threshold and its note, stored."""
        expected = {"cms": (11, 20), "wonder": (10, 20), "uscs": (16, 20),
                    "wisqars": (10, 21), "nchs-rates": (10, 20),
                    "nchs-proportions": (10, 20), "wa-doh": (10, 12)}
        for name, (k, below) in expected.items():
            self.policy("--preset", name)
            policy = self.policy()
            self.assertEqual((policy["preset"], policy["min_count"], policy["unstable_below"]),
                             (name, k, below))
            self.assertIn(f"preset {name}, version {policy['version']}", policy["method_note"])
        self.policy("--preset", "cms")

    def test_presets_are_stored(self):
        for preset, k in (("wonder", 10), ("uscs", 16), ("cms", 11)):
            self.assertEqual(self.policy("--preset", preset)["min_count"], k)
            # Stored in the project file: a new process reads it back.
            got = self.policy()
            self.assertEqual((got["preset"], got["min_count"]), (preset, k))

    def test_custom(self):
        got = self.policy("--min-count", "5")
        self.assertEqual((got["preset"], got["min_count"]), ("custom", 5))
        self.assertEqual(self.policy()["min_count"], 5)
        self.assertEqual(self.policy("--min-count", "1")["min_count"], 1)

    def test_bad_input_changes_nothing(self):
        self.policy("--preset", "uscs")
        before = digest(self.project)
        for args, word in ((["--min-count", "0"], "0"), (["--min-count", "-4"], "-4"),
                           (["--preset", "hipaa"], "hipaa"),
                           (["--preset", "cms", "--min-count", "12"], "--min-count"),
                           (["--min-count", "ten"], "ten")):
            proc = run("policy", self.project, *args, check=False)
            self.assertEqual(proc.returncode, 2, (args, proc.stderr))
            self.assertEqual(proc.stdout, "")
            lines = proc.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, proc.stderr)
            self.assertIn(word, lines[0])
        self.assertEqual(digest(self.project), before)
        self.assertEqual(self.policy()["min_count"], 16)

    def test_policy_drives_rates(self):
        csv_path = os.path.join(self.tmp.name, "o.csv")
        areas = os.path.join(os.environ.get("TW_FIXTURES", ""), "areas", "nc", "nc.shp")
        run("import-areas", self.project, areas, "--id-field", "FIPS", "--level", "county")
        with open(csv_path, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n"
                    "37001,m,2020,all,12,1000\n37003,m,2020,all,10,1000\n")
        run("import-outcomes", self.project, csv_path, "--kind", "rate", "--per", "1000")

        def hidden():
            rows = json.loads(run("rates", self.project, "--measure", "m",
                                  "--period", "2020").stdout)
            return {r["geoid"] for r in rows if r["suppressed"]}

        self.policy("--preset", "cms")
        self.assertEqual(hidden(), {"37003"})
        self.policy("--preset", "wonder")
        self.assertEqual(hidden(), set())
        self.policy("--preset", "uscs")
        self.assertEqual(hidden(), {"37001", "37003"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
