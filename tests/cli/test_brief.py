# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/brief: tractwise-cli export-brief writes the board brief: a multi-page PDF with the
map, disparities, projects, trends, methods and the policy; nothing suppressed in it."""
import shutil
import subprocess
import unittest

from exporttest import (K, audit_actions, make_demo, overlapping_words, pdf_font_sizes,
                        pdf_pages, pdf_text, pdf_words, temp_dir)
from twtest import CLI, CliTestCase, run

DEMO_DIR = None
DEMO = None


def setUpModule():
    global DEMO_DIR, DEMO
    DEMO_DIR = temp_dir()
    DEMO = make_demo(DEMO_DIR)


def tearDownModule():
    shutil.rmtree(DEMO_DIR, ignore_errors=True)


def flat(text):
    return " ".join(text.split())


class BriefTest(CliTestCase):
    def test_brief_pages_and_contents(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        n = pdf_pages(out)
        self.assertGreaterEqual(n, 6)
        text = flat(pdf_text(out))
        version = subprocess.run([CLI, "--version"], capture_output=True, text=True,
                                 check=True).stdout.split()[-1]
        for expected in ["BOARD BRIEF", "Asthma emergency visits (synthetic)",
                         "Demonstration data", "Page 1 of", f"Page {n} of {n}",
                         "The map", "Rate per 10,000", f"Suppressed (fewer than {K} events)",
                         "No data", "largest disparities", "Rate ratio (95% CI)",
                         "Groups across the region", "Partner projects", "Asthma home visits",
                         "Dorchester Family Health (lead)", "Roxbury Youth League", "active",
                         "2020-01-01", "Trends", "Methods", "Wilson", "Garwood", "Empirical Bayes",
                         "quantile", "Suppression policy", f"Counts of 1 to {K - 1}",
                         f"k = {K}", "Data sources and vintages", "boston_tracts.shp", "1970",
                         "boston-asthma_ed-SYNTHETIC.csv", f"Tractwise {version}"]:
            self.assertIn(expected, text)
        # Contacts are not for the board.
        self.assertNotIn("ana@dfh.example.org", text)
        self.assertEqual(audit_actions(project).count("export-brief"), 1)

    def test_pages_are_typeset(self):
        # Read as a board member would: no text under 7 points; every page with the same
        # margins, its text inside them; no word set over another (the trends' axis labels
        # once ran into each other); a running head and a page number on every page after
        # the cover.
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        self.assertGreaterEqual(min(pdf_font_sizes(out)), 7.0)
        pages = pdf_words(out)
        left = min(w[0] for _, _, words in pages for w in words)
        for n, (width, height, words) in enumerate(pages, 1):
            self.assertAlmostEqual(min(w[0] for w in words), left, delta=0.5)
            self.assertLessEqual(max(w[2] for w in words), width - left + 0.5, f"page {n}")
            self.assertGreaterEqual(min(w[1] for w in words), left / 2, f"page {n}")
            self.assertLessEqual(max(w[3] for w in words), height - left / 2, f"page {n}")
            self.assertEqual(overlapping_words(words), [], f"page {n}")
            text = " ".join(w[4] for w in words)
            self.assertIn(f"Page {n} of {len(pages)}", text)
            if n > 1:
                self.assertIn("Board brief", text)

    def test_nothing_suppressed_is_printed(self):
        # With a threshold above every count, every figure is suppressed: the brief must
        # say so and print no rate, interval or ratio at all.
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        run("policy", project, "--min-count", "1000000")
        out = self.path("brief.pdf")
        run("export-brief", project, "--measure", "asthma_ed", "--period", "2021", "--out", out)
        text = flat(pdf_text(out))
        self.assertIn("Counts of 1 to 999999", text)
        self.assertIn("withheld under the suppression policy", text)
        self.assertIn("No area has a group whose figures may be shown", text)
        self.assertIn("No period can be shown under the suppression policy", text)
        self.assertIn("Withheld under the suppression policy", text)   # the evaluation
        self.assertNotIn("(95% interval)", text.split("Region's rate")[1][:60])

    def test_bad_input_is_refused(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        self.assertRefused(project, "export-brief", project, "--measure", "asthma_ed",
                           "--period", "2021", "--out", self.path("brief.png"),
                           mentions=[".pdf"])
        self.assertRefused(project, "export-brief", project, "--measure", "asthma_ed",
                           "--period", "1999", "--out", self.path("brief.pdf"),
                           mentions=["--period"])
        self.assertRefused(project, "export-brief", project, "--measure", "nope",
                           "--period", "2021", "--out", self.path("brief.pdf"))


if __name__ == "__main__":
    unittest.main()
