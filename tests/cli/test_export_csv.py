# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/export-csv: tractwise-cli export-csv writes a measure's published figures as CSV, with
the same statuses and figures as `rates`, nothing of a hidden cell but its population, and a
codebook beside it describing every column and the policy."""
import csv
import os
import shutil
import unittest

from exporttest import audit_actions, make_demo, temp_dir
from twtest import CliTestCase, run

DEMO_DIR = None
DEMO = None
CODEBOOK_COLUMNS = ["name", "label", "unit", "universe", "source", "release", "licence",
                    "null_codes", "moe", "policy"]


def setUpModule():
    global DEMO_DIR, DEMO
    DEMO_DIR = temp_dir()
    DEMO = make_demo(DEMO_DIR)


def tearDownModule():
    shutil.rmtree(DEMO_DIR, ignore_errors=True)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def number(text):
    return None if text == "" else float(text)


class ExportCsvTest(CliTestCase):
    def project(self):
        project = self.path("demo.tractwise")
        if not os.path.exists(project):
            shutil.copy(DEMO, project)
        return project

    def test_rows_are_the_published_rates(self):
        project = self.project()
        out = self.path("asthma.csv")
        _, written, _ = run("export-csv", project, "--measure", "asthma_ed", "--period", "2021",
                            "--out", out)
        self.assertEqual(written["codebook"], self.path("asthma.codebook.csv"))
        rows = read_csv(out)
        _, rates, _ = run("rates", project, "--measure", "asthma_ed", "--period", "2021")
        self.assertEqual(len(rows), len(rates))
        self.assertEqual(written["rows"], len(rows))
        by_key = {(r["geoid"], r["stratum"]): r for r in rates}
        hidden = 0
        for row in rows:
            self.assertEqual((row["geography"], row["measure"], row["period"]),
                             ("Boston tracts", "asthma_ed", "2021"))
            want = by_key[(row["geoid"], row["stratum"])]
            self.assertEqual(row["status"], want["status"])
            self.assertEqual(row["reason"], want["reason"])
            self.assertEqual(number(row["denominator"]), want["denominator"])
            if row["status"] in ("suppressed", "complementary"):
                hidden += 1
                # Nothing of the count leaves: no numerator, rate or interval.
                self.assertEqual([row[c] for c in ("numerator", "rate", "lower", "upper")],
                                 ["", "", "", ""], row)
            else:
                for c in ("numerator", "rate", "lower", "upper"):
                    self.assertEqual(number(row[c]), want[c], (row, c))
        self.assertGreater(hidden, 100)
        self.assertEqual(written["hidden"], hidden)
        # GEOIDs stay text, leading zeros and all.
        self.assertIn("0001", {r["geoid"] for r in rows})
        self.assertEqual(audit_actions(project)[-1], "export-csv")

    def test_codebook_describes_every_column_and_the_policy(self):
        project = self.project()
        out = self.path("sids.csv")
        run("policy", project, "--preset", "wonder")
        run("export-csv", project, "--measure", "sids", "--out", out)
        with open(out, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        with open(self.path("sids.codebook.csv"), newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            self.assertEqual(next(reader), CODEBOOK_COLUMNS)
            book = [dict(zip(CODEBOOK_COLUMNS, r)) for r in reader]
        self.assertEqual([b["name"] for b in book], header)
        entry = {b["name"]: b for b in book}
        for b in book:
            self.assertTrue(b["label"], b)
            self.assertIn("wonder", b["policy"])
            self.assertIn("k = 10", b["policy"])
        self.assertEqual(entry["rate"]["moe"], "lower, upper (95% interval)")
        self.assertIn("per 1,000", entry["rate"]["unit"])
        self.assertIn("North Carolina counties", entry["numerator"]["universe"])
        self.assertIn("not published", entry["numerator"]["null_codes"])
        self.assertIn("Sudden infant death syndrome", entry["numerator"]["label"])
        self.assertIn("fewer than 20 events", entry["reason"]["label"])
        # Every period when none is given.
        periods = {r["period"] for r in read_csv(out)}
        self.assertEqual(periods, {"1974-1978", "1979-1984"})

    def test_bad_input_is_refused(self):
        project = self.project()
        out = self.path("bad.csv")
        cases = [
            (["--out", out], ["--measure"]),
            (["--measure", "sids"], ["--out"]),
            (["--measure", "sids", "--out", self.path("bad.txt")], [".csv"]),
            (["--measure", "nope", "--out", out], ["nope", "--measure"]),
            (["--measure", "sids", "--period", "2030", "--out", out], ["2030", "--period"]),
            (["--measure", "sids", "--geography", "Boston tracts", "--out", out],
             ["Boston tracts", "North Carolina counties", "--geography"]),
            (["--measure", "asthma_ed", "--stratum", "martian", "--out", out], ["martian"]),
        ]
        for args, mentions in cases:
            with self.subTest(args=args):
                self.assertRefused(project, "export-csv", project, *args, mentions=mentions)
                self.assertFalse(os.path.exists(out))
                self.assertFalse(os.path.exists(self.path("bad.codebook.csv")))


if __name__ == "__main__":
    unittest.main()
