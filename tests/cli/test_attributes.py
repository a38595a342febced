# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli import-attributes: numeric area attributes keyed by GEOID."""
import csv
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from twtest import CliTestCase, fixture, run  # noqa: E402

SVI = fixture("attributes", "nc-svi-like.csv")


def stored(project, name):
    """{geoid: value} of one attribute, read straight from the project file."""
    with sqlite3.connect(project) as db:
        return dict(db.execute(
            "SELECT area.geoid, value FROM area_attribute JOIN area ON area.id = area_id "
            "WHERE area_attribute.name = ?", (name,)))


class ImportAttributes(CliTestCase):
    def test_svi_fields_with_sentinel_and_unmatched(self):
        p = self.nc_project()
        _, out, err = run("import-attributes", p, SVI, "--geoid-field", "FIPS",
                          "--fields", "RPL_THEMES,RPL_THEME1")
        self.assertEqual(out, {"rows": 100, "fields": ["RPL_THEMES", "RPL_THEME1"],
                               "unmatched": 1, "missing": 2, "layout": "svi",
                               "universe": "areas ranked within the United States "
                                           "(US edition)",
                               "null_codes": {"-999": 1}, "merged_block_groups": 0})
        self.assertIn("missing", err)
        with open(SVI, newline="") as f:
            source = {r["FIPS"]: r for r in csv.DictReader(f)}
        themes = stored(p, "RPL_THEMES")
        theme1 = stored(p, "RPL_THEME1")
        self.assertEqual(len(themes), 100)
        # -999 (SVI's "could not compute") and an empty cell are nulls, never numbers
        self.assertIsNone(themes["37053"])
        self.assertIsNone(theme1["37091"])
        self.assertEqual(themes["37009"], float(source["37009"]["RPL_THEMES"]))
        self.assertNotIn("45001", themes)

    def test_reimport_replaces_the_field(self):
        p = self.nc_project()
        run("import-attributes", p, SVI, "--geoid-field", "FIPS", "--fields", "E_TOTPOP")
        alt = self.path("pop.csv")
        with open(alt, "w") as f:
            f.write("GEOID,E_TOTPOP\n37009,5\n37005,7\n")
        _, out, _ = run("import-attributes", p, alt, "--geoid-field", "GEOID",
                        "--fields", "E_TOTPOP")
        self.assertEqual(out["rows"], 2)
        self.assertEqual(stored(p, "E_TOTPOP"), {"37009": 5.0, "37005": 7.0})

    def test_xlsx_any_numeric_field(self):
        p = self.nc_project()
        _, out, _ = run("import-attributes", p, fixture("outcomes", "nc-wide.xlsx"),
                        "--geoid-field", "FIPS", "--fields", "births_2021,lbw_2021")
        self.assertEqual(out["rows"], 100)
        self.assertEqual(out["unmatched"], 0)
        with open(fixture("outcomes", "nc-wide.csv"), newline="") as f:
            first = next(csv.DictReader(f))
        self.assertEqual(stored(p, "births_2021")[first["FIPS"]], float(first["births_2021"]))

    def test_geoids_that_lost_their_leading_zeros(self):
        p = self.new_project()
        run("import-areas", p, fixture("areas", "topology.topojson"), "--geography", "t")
        _, areas, _ = run("areas", p)
        geoids = sorted(a["geoid"] for a in areas)
        src = self.path("numbers.csv")
        with open(src, "w") as f:
            f.write("fips,adi\n")
            for i, g in enumerate(geoids):
                f.write(f"{int(g)},{i + 1}\n")
        _, out, _ = run("import-attributes", p, src, "--geoid-field", "fips", "--fields", "adi")
        self.assertEqual(out["rows"], len(geoids))
        self.assertEqual(stored(p, "adi")[geoids[0]], 1.0)

    def test_refusals_change_nothing(self):
        p = self.nc_project()
        bad = self.path("bad.csv")
        with open(bad, "w") as f:
            f.write("FIPS,RPL_THEMES\n37009,0.5\n37005,high\n")
        self.assertRefused(p, "import-attributes", p, bad, "--geoid-field", "FIPS",
                           "--fields", "RPL_THEMES", mentions=("row 2", "RPL_THEMES", "high"))
        dup = self.path("dup.csv")
        with open(dup, "w") as f:
            f.write("FIPS,RPL_THEMES\n37009,0.5\n37005,0.2\n37009,0.1\n")
        self.assertRefused(p, "import-attributes", p, dup, "--geoid-field", "FIPS",
                           "--fields", "RPL_THEMES", mentions=("row 3", "37009", "twice"))
        self.assertRefused(p, "import-attributes", p, SVI, "--geoid-field", "FIPS",
                           "--fields", "RPL_THEME9", mentions=("RPL_THEME9", "RPL_THEME1"))
        self.assertRefused(p, "import-attributes", p, SVI, "--geoid-field", "GEOID",
                           "--fields", "RPL_THEMES", mentions=("GEOID", "--geoid-field"))
        # A table in no known layout needs its fields named (an SVI file brings its own).
        plain = self.path("plain.csv")
        with open(plain, "w") as f:
            f.write("FIPS,score\n37009,0.5\n")
        self.assertRefused(p, "import-attributes", p, plain, "--geoid-field", "FIPS",
                           mentions=("--fields",))
        self.assertRefused(p, "import-attributes", p, fixture("areas", "random.geojson"),
                           "--geoid-field", "FIPS", "--fields", "x", mentions=("random.geojson",))
        self.assertEqual(stored(p, "RPL_THEMES"), {})


if __name__ == "__main__":
    unittest.main()
