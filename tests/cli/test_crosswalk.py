# SPDX-License-Identifier: GPL-3.0-or-later
"""tractwise-cli crosswalk: outcomes of one geography allocated to another's areas through
relationship files in their published layouts (tests/fixtures/crosswalk): a split, a merge,
a boundary shift, South Dakota's recode 46113 → 46102, a water-only tract and a row that
shares water only; counts conserved to 1e-9; hidden source cells stay hidden."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from twtest import CliTestCase, fixture, run  # noqa: E402

TRACT_FILE = fixture("crosswalk", "tab20_tract20_tract10_st46.txt")
ZCTA_FILE = fixture("crosswalk", "tab20_zcta520_tract20_st46.txt")

TRACTS_2010 = ["46113940500", "46099000100", "46099000200", "46099000300", "46099000500",
               "46099000600", "46099000700", "46099990000"]
TRACTS_2020 = ["46102940500", "46099000101", "46099000102", "46099000400", "46099000500",
               "46099000600", "46099000700", "46099990000"]
ZCTAS = ["57752", "57770"]

# 2010 outcomes: (all count, all population, black count, black population).
OUTCOMES_2010 = {
    "46113940500": (40, 5000, 12, 800),
    "46099000100": (30, 3000, 5, 400),
    "46099000200": (20, 1000, 3, 100),
    "46099000300": (25, 1500, 15, 500),
    "46099000500": (50, 4000, 0, 200),
    "46099000600": (22, 2000, 11, 300),
    "46099000700": (7, 900, 2, 100),
    "46099990000": (0, 10, 0, 5),
}

# The land shares of the fixture, written out by hand: 2010 tract → {2020 tract: share}.
SHARES_10_20 = {
    "46113940500": {"46102940500": 1},
    "46099000100": {"46099000101": 0.6, "46099000102": 0.4},
    "46099000200": {"46099000400": 1},
    "46099000300": {"46099000400": 1},
    "46099000500": {"46099000500": 1},
    "46099000600": {"46099000600": 0.95, "46099000700": 0.05},
    "46099000700": {"46099000700": 1},
    "46099990000": {"46099990000": 1},   # water only: by its water
}


def squares_geojson(path, geoids):
    features = []
    for i, g in enumerate(geoids):
        x, y = -102.0 + 0.1 * i, 43.0
        ring = [[x, y], [x + 0.08, y], [x + 0.08, y + 0.08], [x, y + 0.08], [x, y]]
        features.append({"type": "Feature", "properties": {"GEOID": g},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    with open(path, "w") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f)


def expected_allocation(outcomes, shares):
    want = {}
    for source, figures in outcomes.items():
        for target, w in shares[source].items():
            got = want.setdefault(target, [0.0, 0.0, 0.0, 0.0])
            for i in range(4):
                got[i] += w * figures[i]
    return want


class Crosswalk(CliTestCase):
    def project(self, outcomes=OUTCOMES_2010, geography="tracts2010", geoids=TRACTS_2010):
        p = self.new_project()
        for name, ids, level in (("tracts2010", TRACTS_2010, "tract"),
                                 ("tracts2020", TRACTS_2020, "tract"),
                                 ("zcta2020", ZCTAS, "zcta")):
            src = self.path(name + ".geojson")
            squares_geojson(src, ids)
            run("import-areas", p, src, "--geography", name, "--level", level,
                "--id-field", "GEOID")
        table = self.path("outcomes.csv")
        with open(table, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for g, (a, pa, b, pb) in outcomes.items():
                f.write(f"{g},asthma_ed,2019,all,{a},{pa}\n{g},asthma_ed,2019,black,{b},{pb}\n")
        run("import-outcomes", p, table, "--geography", geography, "--kind", "rate",
            "--per", "10000")
        return p

    def rates(self, p, geography, reveal=False):
        args = ["rates", p, "--geography", geography, "--measure", "asthma_ed",
                "--period", "2019"]
        _, data, _ = run(*args, *(["--reveal"] if reveal else []))
        rows = data["rows"] if isinstance(data, dict) else data
        return {(r["geoid"], r["stratum"]): r for r in rows}

    def test_census_tract_2010_to_2020(self):
        p = self.project()
        _, out, _ = run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020")
        self.assertEqual(out["format"], "census-tract")
        self.assertEqual(out["measures"], ["asthma_ed"])
        self.assertEqual(out["rows"], 16)
        self.assertTrue(out["conserved"])
        self.assertAlmostEqual(out["source_total"], 242, delta=1e-9)
        self.assertLessEqual(abs(out["source_total"] - out["target_total"]), 1e-9)
        self.assertEqual(out["unmatched_source"], [])
        self.assertEqual(out["unmatched_target"], [])
        # 940500 recoded; 000100 split; 000200+000300 merged; 000600 shifted (split) and
        # 000700 took its sliver (merged); 000500 and the water tract unchanged. The row
        # sharing only water (000500 → 000101) moves nothing.
        self.assertEqual(out["areas"], {"unchanged": 2, "recoded": 1, "split": 3, "merged": 2})
        self.assertIn("land area", out["weight"])
        self.assertIn("proportional", out["method"])

        want = expected_allocation(OUTCOMES_2010, SHARES_10_20)
        got = self.rates(p, "tracts2020", reveal=True)
        self.assertEqual(len(got), 16)
        for geoid, (a, pa, b, pb) in want.items():
            for stratum, count, pop in (("all", a, pa), ("black", b, pb)):
                row = got[(geoid, stratum)]
                self.assertAlmostEqual(row["numerator"], count, delta=1e-9, msg=(geoid, stratum))
                self.assertAlmostEqual(row["denominator"], pop, delta=1e-9, msg=(geoid, stratum))
                self.assertAlmostEqual(row["rate"], count / pop * 10000, delta=1e-6)

        # A part of a split count is as certain as the whole (variance w²·y, effective count
        # y): 000101's 18 = 0.6 × 30 in 1,800 has the interval of 30 in 3,000.
        source = self.rates(p, "tracts2010", reveal=True)[("46099000100", "all")]
        for geoid in ("46099000101", "46099000102"):
            part = got[(geoid, "all")]
            self.assertAlmostEqual(part["lower"], source["lower"], delta=1e-9)
            self.assertAlmostEqual(part["upper"], source["upper"], delta=1e-9)
        # A whole tract moved as it is keeps its interval.
        self.assertEqual(got[("46102940500", "all")]["lower"],
                         self.rates(p, "tracts2010", reveal=True)[("46113940500", "all")]["lower"])

    def test_progress_for_scripts(self):
        # --progress: lines "progress: rows DONE TOTAL" on stderr, rising, the last one with
        # the rows written as its total; stdout is the same JSON as without it.
        p, q = self.project(), self.project()
        _, out, err = run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to",
                          "tracts2020", "--progress")
        lines = [l.split() for l in err.splitlines()]
        self.assertGreater(len(lines), 0)
        self.assertTrue(all(l[:2] == ["progress:", "rows"] and len(l) == 4 for l in lines), err)
        done = [int(l[2]) for l in lines]
        self.assertEqual(done, sorted(done))
        self.assertEqual(lines[-1][2:], [str(out["rows"])] * 2)
        _, plain, err = run("crosswalk", q, TRACT_FILE, "--from", "tracts2010", "--to",
                            "tracts2020")
        self.assertEqual(err, "")
        self.assertEqual(plain, out)

    def test_hidden_sources_stay_hidden(self):
        p = self.project()
        run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020")
        shown = self.rates(p, "tracts2020")
        # 000400's black count (3 + 15 = 18) is above k = 11, but 3 of it is a hidden 2010
        # cell: showing 18 beside the 2010 map's 15 would give the 3 away.
        merged = shown[("46099000400", "black")]
        self.assertIsNone(merged["numerator"])
        self.assertTrue(merged["suppressed"])
        self.assertEqual(self.rates(p, "tracts2020", reveal=True)[("46099000400", "black")]
                         ["numerator"], 18)
        # A split of a hidden cell (5 → 3 and 2) is hidden in both parts.
        for geoid in ("46099000101", "46099000102"):
            self.assertIsNone(shown[(geoid, "black")]["numerator"])
        # A cell from shown sources only stays shown.
        self.assertEqual(shown[("46102940500", "black")]["numerator"], 12)

    def test_swap_of_hidden_cells_changes_nothing_shown(self):
        """Two suppressed 2010 cells of one measure, period and group trade their counts:
        nothing the 2020 geography publishes changes."""
        swapped = dict(OUTCOMES_2010)
        a, b = swapped["46099000100"], swapped["46099000200"]   # black 5 and 3
        swapped["46099000100"] = (a[0], a[1], b[2], a[3])
        swapped["46099000200"] = (b[0], b[1], a[2], b[3])
        outputs, revealed = [], []
        for outcomes in (OUTCOMES_2010, swapped):
            p = self.project(outcomes)
            run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020")
            for reveal, into in ((False, outputs), (True, revealed)):
                _, rates, _ = run("rates", p, "--geography", "tracts2020", "--measure",
                                  "asthma_ed", "--period", "2019",
                                  *(["--reveal"] if reveal else []))
                into.append(rates)
        self.assertEqual(outputs[0], outputs[1])
        # The allocated counts did change (the analyst view shows it): 000400's black
        # count is 3 + 15 or 5 + 15.
        self.assertNotEqual(revealed[0], revealed[1])

    def test_rule_named_in_every_output(self):
        """The rule (proportional, or the majority rule of 50%) and the file are named on
        the target geography's source line: in the map's notes, the web map, the brief and
        the share package."""
        for rule, words in (("proportional", "proportional rule"),
                            ("majority", "majority rule")):
            p = self.project()
            run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020",
                "--rule", rule)
            base = ["--measure", "asthma_ed", "--period", "2019", "--geography", "tracts2020"]
            texts = {}
            for name, args in (("map.pdf", ["export-map", p, *base]),
                               ("map.html", ["export-html", p, *base]),
                               ("brief.pdf", ["export-brief", p, *base]),
                               ("share.gpkg", ["export-share", p])):
                out = self.path(f"{rule}-{name}")
                run(*args, "--out", out)
                if name.endswith(".pdf"):
                    texts[name] = " ".join(subprocess.run(
                        ["pdftotext", out, "-"], capture_output=True, text=True,
                        check=True).stdout.split())
                else:
                    with open(out, "rb") as f:
                        texts[name] = f.read().decode("utf-8", "replace")
            for name, text in texts.items():
                self.assertIn(words, text, f"{rule}: {name}")
                self.assertIn("tab20_tract20_tract10_st46.txt", text, f"{rule}: {name}")

    def test_method_noted_once_per_conversion(self):
        """The same conversion run for a second measure adds no second note to the target
        geography's source line; another rule adds its own."""
        p = self.project()
        table = self.path("more.csv")
        with open(table, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for m in ("copd_ed", "flu_ed"):
                f.writelines(f"{g},{m},2019,all,{a},{pa}\n"
                             for g, (a, pa, _, _) in OUTCOMES_2010.items())
        run("import-outcomes", p, table, "--geography", "tracts2010", "--kind", "rate",
            "--per", "10000")

        def notes():
            out = self.path("map.html")
            run("export-html", p, "--measure", "asthma_ed", "--period", "2019",
                "--geography", "tracts2020", "--out", out)
            with open(out, encoding="utf-8") as f:
                text = f.read()
            return text.count("proportional rule"), text.count("majority rule")

        run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020",
            "--measures", "asthma_ed")
        once = notes()
        self.assertGreater(once[0], 0)
        self.assertEqual(once[1], 0)
        run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020",
            "--measures", "copd_ed")
        self.assertEqual(notes(), once)
        run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020",
            "--measures", "flu_ed", "--rule", "majority")
        self.assertEqual(notes(), (once[0], once[0]))

    def test_population_weights_from_blocks(self):
        """--weight population --blocks: 000100's people live 100 in the part that became
        000101 and 300 in 000102, so its counts go 1/4 and 3/4 (not 0.6 and 0.4 by land);
        000600's sliver of 000700 has no one, so all of 000600 stays; tracts without people
        in the table keep their land shares."""
        p = self.project()
        blocks = fixture("crosswalk", "blocks-pop.csv")
        _, out, _ = run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020",
                        "--weight", "population", "--blocks", blocks)
        self.assertIn("population", out["weight"])
        self.assertTrue(out["conserved"])
        shares = dict(SHARES_10_20)
        shares["46099000100"] = {"46099000101": 0.25, "46099000102": 0.75}
        shares["46099000600"] = {"46099000600": 1}
        want = expected_allocation(OUTCOMES_2010, shares)
        got = self.rates(p, "tracts2020", reveal=True)
        for geoid, (a, pa, b, pb) in want.items():
            self.assertAlmostEqual(got[(geoid, "all")]["numerator"], a, delta=1e-9, msg=geoid)
            self.assertAlmostEqual(got[(geoid, "black")]["denominator"], pb, delta=1e-9,
                                   msg=geoid)

        q = self.project()
        no_people = self.path("no-people.csv")
        with open(no_people, "w") as f:
            f.write("from,to,pop\n460990001001000,460990001011000,100\n")
        for args, words in ((["--weight", "population"], ("--blocks",)),
                            (["--blocks", blocks], ("--weight population",)),
                            (["--weight", "population", "--blocks", no_people],
                             ("POPULATION", "no-people.csv"))):
            self.assertRefused(q, "crosswalk", q, TRACT_FILE, "--from", "tracts2010", "--to",
                               "tracts2020", *args, mentions=words)

    def test_region_from_geoids(self):
        """A partner's service area as a list of GEOIDs becomes a geography of its own:
        each region's counts are its members' sums, its outline covers theirs (dissolved,
        so the map draws it), and a list that names an unknown area, puts one area in two
        regions or reuses a geography's name is refused, nothing written."""
        p = self.project()
        regions = self.path("regions.csv")
        with open(regions, "w") as f:
            f.write("region,geoid\nnorth,46099000100\nnorth,46099000200\n"
                    "south,46099000300\n")
        _, out, _ = run("crosswalk", p, regions, "--format", "regions", "--from", "tracts2010",
                        "--to", "service")
        self.assertEqual(out["format"], "regions")
        got = self.rates(p, "service", reveal=True)
        self.assertEqual(got[("north", "all")]["numerator"], 30 + 20)
        self.assertEqual(got[("north", "all")]["denominator"], 3000 + 1000)
        self.assertEqual(got[("south", "black")]["numerator"], 15)
        _, areas, _ = run("areas", p, "--geography", "service")
        _, members, _ = run("areas", p, "--geography", "tracts2010")
        box = {a["geoid"]: a["bbox"] for a in members}
        north = next(a for a in areas if a["geoid"] == "north")["bbox"]
        want = [min(box[g][0] for g in ("46099000100", "46099000200")),
                min(box[g][1] for g in ("46099000100", "46099000200")),
                max(box[g][2] for g in ("46099000100", "46099000200")),
                max(box[g][3] for g in ("46099000100", "46099000200"))]
        for a, b in zip(north, want):
            self.assertAlmostEqual(a, b, delta=1e-9)
        run("export-map", p, "--geography", "service", "--measure", "asthma_ed", "--period",
            "2019", "--out", self.path("service.png"))

        q = self.project()
        for rows, words in (("north,46099000100\nnorth,46099999999\n", ("46099999999",)),
                            ("north,46099000100\nsouth,46099000100\n",
                             ("46099000100", "north")),):
            bad = self.path("bad-regions.csv")
            with open(bad, "w") as f:
                f.write("region,geoid\n" + rows)
            self.assertRefused(q, "crosswalk", q, bad, "--format", "regions", "--from",
                               "tracts2010", "--to", "service", mentions=words)
        self.assertRefused(q, "crosswalk", q, regions, "--format", "regions", "--from",
                           "tracts2010", "--to", "tracts2020", mentions=("tracts2020",))

    def test_measure_on_two_geographies_needs_geography(self):
        p = self.project()
        run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020")
        self.assertRefused(p, "disparities", p, "--measure", "asthma_ed", "--period", "2019",
                           mentions=("tracts2010", "tracts2020", "--geography"))
        _, data, _ = run("disparities", p, "--measure", "asthma_ed", "--period", "2019",
                         "--geography", "tracts2020")
        self.assertEqual({a["geoid"] for a in data["areas"]}, set(TRACTS_2020))

    def test_import_of_another_vintage_refused(self):
        """2010 outcomes imported into the 2020 tracts: their GEOIDs fit the 2010 tracts,
        which the message names with the crosswalk to use; even --skip-unmatched does not
        quietly drop the changed tracts."""
        p = self.project()
        table = self.path("outcomes.csv")
        for extra in ((), ("--skip-unmatched",)):
            self.assertRefused(p, "import-outcomes", p, table, "--geography", "tracts2020",
                               "--kind", "rate", "--per", "10000", *extra,
                               mentions=("'tracts2010'", "crosswalk", "--from 'tracts2010'",
                                         "--to 'tracts2020'"))

    def test_reverse_direction_same_file(self):
        outcomes = {g: (10, 1000, 0, 100) for g in TRACTS_2020}
        p = self.project(outcomes, geography="tracts2020", geoids=TRACTS_2020)
        _, out, _ = run("crosswalk", p, TRACT_FILE, "--from", "tracts2020", "--to", "tracts2010")
        self.assertTrue(out["conserved"])
        got = self.rates(p, "tracts2010", reveal=True)
        # 2010's 000600 gets all of 2020's 000600 and 100,000 / 1,100,000 of 000700.
        self.assertAlmostEqual(got[("46099000600", "all")]["numerator"],
                               10 + 10 * 100000 / 1100000, delta=1e-9)
        self.assertAlmostEqual(got[("46099000700", "all")]["numerator"],
                               10 * 1000000 / 1100000, delta=1e-9)
        # 2020's 000400 goes back by land: 1.0 and 1.5 million of its 2.5 million.
        self.assertAlmostEqual(got[("46099000200", "all")]["numerator"], 4, delta=1e-9)
        self.assertAlmostEqual(got[("46113940500", "all")]["numerator"], 10, delta=1e-9)

    def test_census_zcta(self):
        outcomes = {g: (10, 1000, 0, 100) for g in TRACTS_2020}
        p = self.project(outcomes, geography="tracts2020", geoids=TRACTS_2020)
        _, out, err = run("crosswalk", p, ZCTA_FILE, "--from", "tracts2020", "--to", "zcta2020")
        self.assertEqual(out["format"], "census-zcta")
        got = self.rates(p, "zcta2020", reveal=True)
        self.assertAlmostEqual(got[("57770", "all")]["numerator"], 6, delta=1e-9)
        self.assertAlmostEqual(got[("57752", "all")]["numerator"],
                               4 + 10 + 10 * 1000000 / 1900000, delta=1e-9)
        # Tracts outside every ZCTA (the water tract, part of 000600) and tracts the file
        # does not list keep their counts: the totals say so.
        self.assertFalse(out["conserved"])
        self.assertIn("46099990000", out["unmatched_source"])
        self.assertIn("not allocated", err)
        self.assertAlmostEqual(out["source_total"], 80, delta=1e-9)
        self.assertAlmostEqual(out["target_total"], 20 + 10 * 1000000 / 1900000, delta=1e-9)

    def test_hud_zip_both_files(self):
        outcomes = {"57770": (20, 2000, 0, 100), "57752": (8, 800, 0, 40)}
        p = self.project(outcomes, geography="zcta2020", geoids=ZCTAS)
        _, out, _ = run("crosswalk", p, fixture("crosswalk", "ZIP_TRACT_122023.csv"),
                        "--from", "zcta2020", "--to", "tracts2020")
        self.assertEqual(out["format"], "hud-zip")
        self.assertEqual(out["weight"], "RES_RATIO")
        self.assertTrue(out["conserved"])
        got = self.rates(p, "tracts2020", reveal=True)
        self.assertAlmostEqual(got[("46102940500", "all")]["numerator"], 15, delta=1e-9)
        self.assertAlmostEqual(got[("46099000500", "all")]["numerator"], 5 + 8, delta=1e-9)

        # The same ZIP → tract file cannot take tracts to ZIP codes.
        q = self.project({g: (10, 1000, 0, 100) for g in TRACTS_2020}, geography="tracts2020",
                         geoids=TRACTS_2020)
        self.assertRefused(q, "crosswalk", q, fixture("crosswalk", "ZIP_TRACT_122023.csv"),
                           "--from", "tracts2020", "--to", "zcta2020",
                           mentions=("TRACT_ZIP", "ZIP_TRACT_122023.csv"))
        _, out, _ = run("crosswalk", q, fixture("crosswalk", "TRACT_ZIP_122023.csv"),
                        "--from", "tracts2020", "--to", "zcta2020", "--weight", "TOT_RATIO")
        self.assertEqual(out["weight"], "TOT_RATIO")
        got = self.rates(q, "zcta2020", reveal=True)
        self.assertAlmostEqual(got[("57770", "all")]["numerator"], 10 + 3.5, delta=1e-9)
        self.assertAlmostEqual(got[("57752", "all")]["numerator"], 6.5, delta=1e-9)

    def test_pairs_and_majority(self):
        outcomes = {g: (10, 1000, 0, 100) for g in TRACTS_2020}
        p = self.project(outcomes, geography="tracts2020", geoids=TRACTS_2020)
        regions = self.path("regions.geojson")
        squares_geojson(regions, ["north", "south"])
        run("import-areas", p, regions, "--geography", "service", "--level", "other",
            "--id-field", "GEOID")
        _, out, _ = run("crosswalk", p, fixture("crosswalk", "region-pairs.csv"),
                        "--from", "tracts2020", "--to", "service", "--format", "pairs",
                        "--weight", "pop_share", "--rule", "majority")
        self.assertIn("majority", out["method"])
        self.assertIn("50%", out["method"])
        got = self.rates(p, "service", reveal=True)
        # 000101 goes wholly to north (0.8 ≥ 0.5).
        self.assertAlmostEqual(got[("north", "all")]["numerator"], 20, delta=1e-9)
        self.assertAlmostEqual(got[("south", "all")]["numerator"], 20, delta=1e-9)
        self.assertFalse(out["conserved"])   # the file lists 4 of the 8 tracts

    def test_refusals_change_nothing(self):
        p = self.project()
        bad = self.path("bad.txt")
        with open(TRACT_FILE, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
        with open(bad, "w") as f:
            f.write("\n".join(lines[:3] + [lines[3].replace("|2000000|4000", "|2e6x|4000")]))
        self.assertRefused(p, "crosswalk", p, bad, "--from", "tracts2010", "--to", "tracts2020",
                           mentions=("bad.txt", "row 4", "AREALAND_PART"))
        self.assertRefused(p, "crosswalk", p, TRACT_FILE, "--from", "tracts2010",
                           "--to", "tracts2010", mentions=("same geography",))
        self.assertRefused(p, "crosswalk", p, TRACT_FILE, "--from", "tracts2010",
                           "--to", "tracts2020", "--format", "hud-zip", mentions=("ZIP",))
        self.assertRefused(p, "crosswalk", p, TRACT_FILE, "--from", "tracts2010",
                           "--to", "tracts2020", "--measures", "nope", mentions=("nope",))
        self.assertRefused(p, "crosswalk", p, self.path("missing.txt"), "--from", "tracts2010",
                           "--to", "tracts2020", mentions=("missing.txt",))
        pairs = self.path("pairs.csv")
        with open(pairs, "w") as f:
            f.write("from,to,weight\n46099000100,46099000101,0.6\n46099000100,46099000102,1.5\n")
        self.assertRefused(p, "crosswalk", p, pairs, "--from", "tracts2010",
                           "--to", "tracts2020", mentions=("pairs.csv", "row 3", "1.5"))
        run("crosswalk", p, TRACT_FILE, "--from", "tracts2010", "--to", "tracts2020")
        self.assertRefused(p, "crosswalk", p, TRACT_FILE, "--from", "tracts2010",
                           "--to", "tracts2020", mentions=("asthma_ed", "already"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
