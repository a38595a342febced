# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli import-attributes on community data in their published layouts (CDC SVI,
Neighborhood Atlas ADI, CDC PLACES, ACS tables) with every null code, the vintage check, the
data dictionary (`attributes`) and its copy in a share package's GeoPackage metadata."""
import csv
import json
import math
import os
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from test_attributes import stored  # noqa: E402
from twtest import CliTestCase, fingerprint, fixture, run  # noqa: E402

TRACTS = ["25025000100", "25025000200", "25025000300", "01001020100", "01001020200"]


class CommunityData(CliTestCase):
    def tracts(self, vintage=2020):
        """Five 2020 tracts (two states) as squares in a GeoJSON file."""
        features = []
        for i, geoid in enumerate(TRACTS):
            x = -71.1 + 0.01 * i
            ring = [[x, 42.3], [x + 0.01, 42.3], [x + 0.01, 42.31], [x, 42.31], [x, 42.3]]
            features.append({"type": "Feature", "properties": {"GEOID": geoid},
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
        path = self.path("tracts.geojson")
        with open(path, "w") as f:
            json.dump({"type": "FeatureCollection", "features": features}, f)
        p = self.new_project()
        run("import-areas", p, path, "--geography", "tracts", "--level", "tract",
            "--vintage", str(vintage), "--id-field", "GEOID")
        return p

    def test_svi_us_edition_with_every_null(self):
        p = self.tracts()
        _, out, err = run("import-attributes", p, fixture("attributes", "SVI_2020_US_tract.csv"))
        self.assertEqual(out["layout"], "svi")
        self.assertEqual(out["fields"], ["E_TOTPOP", "M_TOTPOP", "EP_POV150", "MP_POV150",
                                         "RPL_THEME1", "RPL_THEMES"])
        self.assertEqual(out["rows"], 5)
        # −999 in 3 cells of tract 2 and 4 of tract 3; one empty RPL_THEMES.
        self.assertEqual(out["null_codes"], {"-999": 7})
        self.assertEqual(out["missing"], 8)
        self.assertIn("United States", out["universe"])
        self.assertIn("missing", err)
        themes = stored(p, "RPL_THEMES")
        self.assertEqual(themes["25025000100"], 0.5510)
        self.assertIsNone(themes["25025000300"])
        self.assertIsNone(themes["01001020100"])
        self.assertEqual(stored(p, "M_TOTPOP")["01001020100"], 220)

        dictionary = {e["field"]: e for e in run("attributes", p)[1]}
        self.assertEqual(set(dictionary), set(out["fields"]))
        e = dictionary["EP_POV150"]
        self.assertEqual(e["moe"], "MP_POV150")
        self.assertEqual(e["release"], "2020")
        self.assertIn("CDC/ATSDR Social Vulnerability Index", e["source"])
        self.assertIn("SVI_2020_US_tract.csv", e["source"])
        self.assertIn("-999", e["null_codes"])
        self.assertIn("public domain", e["licence"])
        self.assertEqual(dictionary["RPL_THEMES"]["label"], "SVI: overall percentile ranking")
        self.assertEqual(dictionary["E_TOTPOP"]["moe"], "M_TOTPOP")

    def test_svi_state_edition(self):
        p = self.tracts()
        _, out, _ = run("import-attributes", p,
                        fixture("attributes", "SVI_2020_MASSACHUSETTS_tract.csv"))
        self.assertEqual(out["universe"], "areas ranked within MA (state edition)")
        self.assertEqual(out["unmatched"], 0)
        self.assertEqual(run("attributes", p)[1][0]["universe"],
                         "areas ranked within MA (state edition)")

    def test_wrong_vintage_is_refused_by_name(self):
        p = self.tracts()
        before = fingerprint(p)
        status, _, err = run("import-attributes", p,
                             fixture("attributes", "SVI_2018_US_tract.csv"), check=False)
        self.assertEqual(status, 2)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("SVI_2018_US_tract.csv", err)
        self.assertIn("2010", err)
        self.assertIn("'tracts'", err)
        self.assertEqual(fingerprint(p), before)
        # A 2010 geography takes it.
        old = self.tracts(vintage=2010)
        self.assertEqual(run("import-attributes", old,
                             fixture("attributes", "SVI_2018_US_tract.csv"))[1]["rows"], 2)

    def test_adi_block_groups_onto_tracts(self):
        p = self.tracts()
        _, out, _ = run("import-attributes", p, fixture(
            "attributes", "MA_AL_2021_ADI_Census_Block_Group_v4_0_1.csv"))
        self.assertEqual(out["layout"], "adi")
        self.assertEqual(out["fields"], ["ADI_NATRANK", "ADI_STATERNK", "ADI_NATRANK_SHARE80",
                                         "ADI_SUPPRESSED_SHARE"])
        self.assertEqual(out["null_codes"], {"PH": 2, "GQ": 2, "PH-GQ": 2, "QDI": 2})
        self.assertEqual(out["merged_block_groups"], 9)
        self.assertNotIn("block_groups_without_population", out)
        self.assertEqual(out["unmatched"], 1)
        nat, state, share, _ = (stored(p, f) for f in out["fields"])
        # Tract 1: block groups 90 and 70 (and one PH): mean 80, one of two at ≥ 80.
        self.assertEqual((nat["25025000100"], state["25025000100"], share["25025000100"]),
                         (80, 8, 0.5))
        # Tract 2: GQ and PH-GQ only: nothing to average.
        self.assertEqual((nat["25025000200"], share["25025000200"]), (None, None))
        # Tract 3: QDI and 85.
        self.assertEqual((nat["25025000300"], share["25025000300"]), (85, 1.0))
        # A block group whose FIPS lost its leading zero still finds its tract.
        self.assertEqual((nat["01001020100"], share["01001020100"]), (95, 1.0))
        self.assertEqual((nat["01001020200"], share["01001020200"]), (40, 0.0))
        # The codes stay visible on the tracts: the share of block groups coded.
        coded = stored(p, "ADI_SUPPRESSED_SHARE")
        self.assertEqual((coded["25025000100"], coded["25025000200"], coded["25025000300"]),
                         (1 / 3, 1.0, 0.5))
        entry = {e["field"]: e for e in run("attributes", p)[1]}["ADI_NATRANK_SHARE80"]
        self.assertIn("80th", entry["label"])
        self.assertIn("unweighted", entry["universe"])
        self.assertIn("QDI", entry["null_codes"])

    def test_adi_block_groups_weighted_by_population(self):
        p = self.tracts()
        populations = fixture("attributes", "block-groups", "ACSDT5Y2021.B01003-Data.csv")
        _, out, _ = run("import-attributes", p, fixture(
            "attributes", "MA_AL_2021_ADI_Census_Block_Group_v4_0_1.csv"),
            "--population", populations)
        self.assertEqual(out["merged_block_groups"], 9)
        # Tract 202's only block group has the population "N": it weighs in nothing.
        self.assertEqual(out["block_groups_without_population"], 1)
        self.assertEqual(out["null_codes"], {"PH": 2, "GQ": 2, "PH-GQ": 2, "QDI": 2})
        nat, state, share, coded = (stored(p, f) for f in out["fields"])
        # Tract 1: 900 people at rank 90, 300 at 70, 600 in a PH block group (in no mean):
        # (900·90 + 300·70) / 1,200 = 85, deciles 8.5; 900 of the 1,200 ranked people are
        # at or above the 80th percentile; 600 of 1,800 people live in a coded block group.
        self.assertAlmostEqual(nat["25025000100"], 85)
        self.assertAlmostEqual(state["25025000100"], 8.5)
        self.assertAlmostEqual(share["25025000100"], 0.75)
        self.assertAlmostEqual(coded["25025000100"], 600 / 1800)
        # Tract 2: GQ (1,200 people) and PH-GQ (50): no rank, every person coded.
        self.assertEqual((nat["25025000200"], share["25025000200"], coded["25025000200"]),
                         (None, None, 1.0))
        # Tract 3: QDI (700) and 85 (1,000).
        self.assertEqual((nat["25025000300"], share["25025000300"]), (85, 1.0))
        self.assertAlmostEqual(coded["25025000300"], 700 / 1700)
        # The block group whose FIPS lost its leading zero finds its population too.
        self.assertEqual((nat["01001020100"], share["01001020100"]), (95, 1.0))
        self.assertEqual((nat["01001020200"], share["01001020200"]), (None, None))
        entries = {e["field"]: e for e in run("attributes", p)[1]}
        self.assertIn("population", entries["ADI_NATRANK_SHARE80"]["label"])
        self.assertIn("weighted by population", entries["ADI_NATRANK"]["universe"])

        # The population as a column of the ADI file itself gives the same figures.
        with_column = self.path("adi_2021_with_population.csv")
        pops = {}
        with open(populations) as f:
            for line in list(f)[2:]:
                pops[line[9:21]] = line.split(",")[-2]
        with open(fixture("attributes", "MA_AL_2021_ADI_Census_Block_Group_v4_0_1.csv")) as f, \
                open(with_column, "w") as o:
            for i, line in enumerate(f):
                fips = line.split(",")[1]
                o.write(line.rstrip("\n") + "," + ("POP" if i == 0 else
                                                   pops.get(fips.zfill(12), "")) + "\n")
        q = self.tracts()
        _, out, _ = run("import-attributes", q, with_column, "--population-field", "POP")
        self.assertEqual(out["block_groups_without_population"], 1)
        for field in out["fields"]:
            self.assertEqual(stored(q, field), stored(p, field), field)

        # A population table without the field, or a population for another layout.
        self.assertRefused(p, "import-attributes", p, fixture(
            "attributes", "MA_AL_2021_ADI_Census_Block_Group_v4_0_1.csv"),
            "--population", populations, "--population-field", "B99999_001E",
            mentions=("B99999_001E",))
        self.assertRefused(p, "import-attributes", p, fixture(
            "attributes", "SVI_2020_US_tract.csv"), "--population", populations,
            mentions=("ADI",))

    def test_places_with_intervals(self):
        p = self.tracts()
        _, out, _ = run("import-attributes", p, fixture(
            "attributes", "PLACES__Census_Tract_Data__GIS_Friendly_Format___2023_release.csv"))
        self.assertEqual(out["layout"], "places")
        self.assertEqual(out["fields"], [
            "TotalPopulation", "ACCESS2_CrudePrev", "ACCESS2_CrudePrev_lower",
            "ACCESS2_CrudePrev_upper", "CASTHMA_CrudePrev", "CASTHMA_CrudePrev_lower",
            "CASTHMA_CrudePrev_upper"])
        self.assertEqual(out["missing"], 6)
        self.assertEqual(stored(p, "ACCESS2_CrudePrev_lower")["25025000100"], 7.9)
        self.assertEqual(stored(p, "ACCESS2_CrudePrev_upper")["25025000100"], 12.0)
        self.assertEqual(stored(p, "CASTHMA_CrudePrev")["01001020100"], 10.4)
        self.assertEqual(out["rows"], 4)

    def test_acs_estimates_margins_jams_and_annotations(self):
        p = self.tracts()
        _, out, _ = run("import-attributes", p,
                        fixture("attributes", "ACSDT5Y2021.B01003-Data.csv"))
        self.assertEqual(out["layout"], "acs")
        self.assertEqual(out["fields"], ["B01003_001E", "B01003_001M", "B19013_001E",
                                         "B19013_001M"])
        self.assertEqual(out["rows"], 5)
        self.assertEqual(out["null_codes"], {
            "top-coded (+)": 1, "***": 1, "*****": 1, "-666666666": 1, "-222222222": 1,
            "-555555555": 1, "-": 1, "**": 1, "N": 1, "(X)": 2})
        self.assertEqual(out["missing"], 9)
        pop, pop_moe = stored(p, "B01003_001E"), stored(p, "B01003_001M")
        income = stored(p, "B19013_001E")
        self.assertEqual(pop["25025000100"], 4200)
        # A controlled estimate has no sampling error: margin 0, not null.
        self.assertEqual(pop_moe["25025000200"], 0)
        self.assertEqual(pop_moe["25025000300"], 0)
        self.assertIsNone(pop_moe["01001020200"])
        self.assertIsNone(income["25025000100"])   # 250,000+
        self.assertEqual(income["01001020100"], 58750)
        entries = {e["field"]: e for e in run("attributes", p)[1]}
        e = entries["B19013_001E"]
        self.assertEqual((e["moe"], e["release"]), ("B19013_001M", "2021"))
        # The label row says what each column is.
        self.assertEqual(entries["B01003_001E"]["label"], "ACS B01003_001E: Estimate — Total")
        self.assertEqual(entries["B01003_001M"]["label"],
                         "ACS B01003_001M: Margin of Error — Total")

    def test_layout_named_and_refused(self):
        p = self.tracts()
        before = fingerprint(p)
        status, _, err = run("import-attributes", p, fixture("attributes",
                                                             "SVI_2020_US_tract.csv"),
                             "--layout", "census", check=False)
        self.assertEqual(status, 2)
        self.assertIn("svi, adi, places, acs or plain", err)
        status, _, err = run("import-attributes", p, fixture("attributes",
                                                             "SVI_2020_US_tract.csv"),
                             "--layout", "plain", check=False)
        self.assertEqual(status, 2)
        self.assertIn("--geoid-field", err)
        self.assertEqual(fingerprint(p), before)
        # Plain, named: the fields given, the dictionary says only the file.
        _, out, _ = run("import-attributes", p, fixture("attributes", "SVI_2020_US_tract.csv"),
                        "--layout", "plain", "--geoid-field", "FIPS", "--fields", "E_TOTPOP",
                        "--release", "2020-12")
        self.assertEqual((out["layout"], out["fields"]), ("plain", ["E_TOTPOP"]))
        entry = run("attributes", p)[1][0]
        self.assertEqual((entry["source"], entry["release"], entry["moe"]),
                         ("SVI_2020_US_tract.csv", "2020-12", None))

    def test_dictionary_in_the_share_package(self):
        p = self.tracts()
        run("import-attributes", p, fixture("attributes", "SVI_2020_US_tract.csv"))
        package = self.path("share.gpkg")
        csv = self.path("o.csv")
        with open(csv, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for g in TRACTS:
                f.write(f"{g},visits,2022,all,25,4000\n")
        run("import-outcomes", p, csv, "--kind", "rate", "--per", "1000")
        run("export-share", p, "--out", package)
        info = subprocess.run(["ogrinfo", "-ro", "-so", package, "areas"], capture_output=True,
                              text=True, check=True).stdout
        self.assertIn("dictionary.tracts.EP_POV150.moe=MP_POV150", info)
        self.assertIn("dictionary.tracts.RPL_THEMES.label=SVI: overall percentile ranking", info)
        self.assertIn("dictionary.tracts.EP_POV150.release=2020", info)
        with sqlite3.connect(package) as db:
            scopes = {r[0] for r in db.execute(
                "SELECT reference_scope FROM gpkg_metadata_reference")}
            tables = {r[0] for r in db.execute(
                "SELECT table_name FROM gpkg_metadata_reference")}
            metadata = " ".join(r[0] for r in db.execute("SELECT metadata FROM gpkg_metadata"))
        self.assertIn("table", scopes)
        self.assertIn("areas", tables)
        self.assertIn("CDC/ATSDR Social Vulnerability Index", metadata)


# The exact Poisson (Garwood) limits of 30 and 15 events, computed once with R 4.2:
# qgamma (0.025, y) and qgamma (0.975, y + 1).
GARWOOD = {30: (20.2408740214209, 42.8268653948077), 15: (8.39538613278331, 24.7402188714858)}
Z95 = 1.959963984540054

# An ACS B01003 (total population) table in the published layout: tract 1's estimate is
# 1,000 ± 658 (RSE 40%), tract 3's 2,000 ± 600 (RSE 18.2%), tract 202's margin "N".
ACS_POPULATION = """GEO_ID,NAME,B01003_001E,B01003_001M
"Geography","Geographic Area Name","Estimate!!Total","Margin of Error!!Total"
1400000US25025000100,"Census Tract 1; Suffolk County; Massachusetts",1000,658
1400000US25025000200,"Census Tract 2; Suffolk County; Massachusetts",4000,100
1400000US25025000300,"Census Tract 3; Suffolk County; Massachusetts",2000,600
1400000US01001020100,"Census Tract 201; Autauga County; Alabama",1900,220
1400000US01001020200,"Census Tract 202; Autauga County; Alabama",2100,N
"""
EVENTS = {"25025000100": 30, "25025000200": 400, "25025000300": 15, "01001020100": 0,
          "01001020200": 50}


def widened(y, n, moe, per=100000):
    """The interval of y events in an estimated population n ± moe, by the formula README's
    "Margins of error" states: each side's exact half-width and 1.96 · r · SE_n/n in
    quadrature."""
    r = y / n * per
    lower, upper = (g / n * per for g in GARWOOD[y])
    extra = Z95 * r * (moe / 1.645) / n
    return r, r - math.hypot(r - lower, extra), r + math.hypot(upper - r, extra)


class AcsDenominator(CliTestCase):
    """A rate whose denominator is an ACS population estimate carries the estimate's margin
    of error (delta method) into its interval and its status."""

    tracts = CommunityData.tracts

    def project(self, link=True):
        p = self.tracts()
        acs = self.path("ACSDT5Y2021.B01003-Data.csv")
        with open(acs, "w") as f:
            f.write(ACS_POPULATION)
        run("import-attributes", p, acs)
        events = self.path("events.csv")
        with open(events, "w") as f:
            f.write("visit,geoid\n")
            f.writelines(f"{i},{g}\n" for g, n in EVENTS.items() for i in range(n))
        if link:
            run("import-points", p, events, "--geoid-field", "geoid", "--period", "2021",
                "--measure", "visits", "--label", "Visits",
                "--denominator-attribute", "B01003_001E")
        else:
            # The same counts and populations from a table: no margin of error known.
            table = self.path("populations.csv")
            with open(table, "w") as f:
                f.write("geoid,denominator\n")
                for line in ACS_POPULATION.splitlines()[2:]:
                    f.write(f"{line[9:20]},{line.split(',')[-2]}\n")
            run("import-points", p, events, "--geoid-field", "geoid", "--period", "2021",
                "--measure", "visits", "--label", "Visits", "--denominators", table)
        return p

    def rates(self, p, preset):
        run("policy", p, "--preset", preset)
        return {r["geoid"]: r for r in run("rates", p, "--measure", "visits",
                                           "--period", "2021")[1]}

    def assertInterval(self, row, expected):
        for key, want in zip(("rate", "lower", "upper"), expected):
            # Published figures keep three significant digits.
            self.assertAlmostEqual(row[key], want, delta=0.005 * want, msg=(key, row))

    def test_interval_widens_and_nchs_width_rule_follows(self):
        p = self.project()
        rows = self.rates(p, "nchs-rates")
        t1 = rows["25025000100"]
        # 30 events in 1,000 ± 658: 3,000 (454 – 5,680) per 100,000; the relative width
        # 174% is above NCHS's 160%, so the rate is unreliable.
        self.assertInterval(t1, widened(30, 1000, 658))
        self.assertAlmostEqual(t1["lower"], 454, delta=1)
        self.assertAlmostEqual(t1["upper"], 5680, delta=10)
        self.assertEqual(t1["denominator_moe"], 658)
        self.assertEqual(t1["status"], "unreliable")
        self.assertIn("relative interval width 174%", t1["reason"])
        self.assertIn("population estimate's RSE 40%", t1["reason"])
        # A margin "N" adds nothing: tract 202 keeps its exact interval.
        self.assertNotIn("denominator_moe", rows["01001020200"])
        self.assertEqual(rows["01001020200"]["status"], "shown")
        # Many events: the half-widths are 1.96 × the delta method's SE,
        # r √(1/y + (SE_n/n)²) = 10,000 × √(1/400 + (100/1.645/4000)²) = 536.
        t2 = rows["25025000200"]
        self.assertAlmostEqual((t2["upper"] - t2["lower"]) / 2, Z95 * 536.0, delta=25)

        # The same counts over populations from a table: the exact interval, shown.
        rows = self.rates(self.project(link=False), "nchs-rates")
        t1 = rows["25025000100"]
        self.assertInterval(t1, (3000, 2024.08740214209, 4282.68653948077))
        self.assertEqual(t1["status"], "shown")
        self.assertNotIn("denominator_moe", t1)

    def test_rse_rule_follows(self):
        p = self.project()
        # Washington DOH: RSE √(1/15 + (600/1.645/2000)²) = 31.6% ≥ 30%; 1/√15 = 25.8% alone.
        t3 = self.rates(p, "wa-doh")["25025000300"]
        self.assertInterval(t3, widened(15, 2000, 600))
        self.assertEqual(t3["status"], "unreliable")
        self.assertEqual(t3["reason"], "RSE 32% (15 events; population estimate's RSE 18%)")
        t3 = self.rates(self.project(link=False), "wa-doh")["25025000300"]
        self.assertEqual(t3["status"], "shown")
        # Rules of event counts alone do not change: CMS shows 30 events as they are.
        self.assertEqual(self.rates(p, "cms")["25025000100"]["status"], "shown")

    def test_csv_export_and_linking_a_table_import(self):
        p = self.project(link=False)
        self.assertRefused(p, "attributes", p, "--denominator", "visits=B01003_001M",
                           mentions=("B01003_001M", "margin of error"))
        self.assertRefused(p, "attributes", p, "--denominator", "nothing=B01003_001E",
                           mentions=("nothing",))
        self.assertRefused(p, "attributes", p, "--denominator", "visits",
                           mentions=("MEASURE=FIELD",))
        _, listing, _ = run("attributes", p, "--denominator", "visits=B01003_001E")
        self.assertEqual({e["field"]: e.get("denominator_of") for e in listing},
                         {"B01003_001E": ["visits"], "B01003_001M": None})
        rows = self.rates(p, "nchs-rates")
        self.assertEqual(rows["25025000100"]["status"], "unreliable")
        out = self.path("visits.csv")
        run("export-csv", p, "--measure", "visits", "--period", "2021", "--out", out)
        with open(out, newline="") as f:
            written = {r["geoid"]: r for r in csv.DictReader(f)}
        for geoid, row in rows.items():
            self.assertEqual(written[geoid]["status"], row["status"])
            self.assertEqual(written[geoid]["reason"], row["reason"])
            self.assertEqual(float(written[geoid]["lower"]), row["lower"])


if __name__ == "__main__":
    unittest.main()
