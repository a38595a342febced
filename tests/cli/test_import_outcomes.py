# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/import-outcomes: long and wide tables in CSV and XLSX, every validation, all or
nothing."""
import os
import sqlite3
import unittest

from twtest import CliTestCase, run, fixture


def outcome(project, geoid, measure, period, stratum="all"):
    db = sqlite3.connect(project)
    row = db.execute("SELECT o.numerator, o.denominator FROM outcome o "
                     "JOIN area a ON a.id = o.area_id JOIN measure m ON m.id = o.measure_id "
                     "WHERE a.geoid = ? AND m.code = ? AND o.period = ? AND o.stratum = ?",
                     (geoid, measure, period, stratum)).fetchone()
    db.close()
    return row


class ImportOutcomesTest(CliTestCase):
    def test_long_csv(self):
        p = self.nc_project()
        _, r, _ = run("import-outcomes", p, fixture("outcomes", "nc-long.csv"),
                      "--kind", "proportion", "--per", "100", "--label", "Low birth weight")
        self.assertEqual(r["rows"], 800)
        self.assertEqual(r["measures"], ["lowbw"])
        self.assertEqual(r["periods"], ["2021", "2022"])
        self.assertEqual(r["strata"], ["all", "black", "hispanic", "white"])
        self.assertEqual(r["unmatched"], 0)
        _, info, _ = run("info", p)
        m = info["measures"][0]
        self.assertEqual((m["code"], m["label"], m["kind"], m["per"]),
                         ("lowbw", "Low birth weight", "proportion", 100))
        self.assertEqual(m["rows"], 800)

    def test_progress_for_scripts(self):
        # --progress: lines "progress: rows DONE TOTAL" on stderr, rising to the total; the
        # JSON on stdout is the same as without it.
        p = self.nc_project()
        _, r, err = run("import-outcomes", p, fixture("outcomes", "nc-long.csv"),
                        "--kind", "proportion", "--per", "100", "--progress")
        self.assertEqual(r["rows"], 800)
        lines = [l.split() for l in err.splitlines()]
        self.assertGreater(len(lines), 0)
        self.assertTrue(all(l[:2] == ["progress:", "rows"] and len(l) == 4 for l in lines), err)
        done = [int(l[2]) for l in lines]
        self.assertEqual(done, sorted(done))
        self.assertEqual(lines[-1][2:], ["800", "800"])
        q = self.nc_project()
        _, quiet, err = run("import-outcomes", q, fixture("outcomes", "nc-long.csv"),
                            "--kind", "proportion", "--per", "100")
        self.assertEqual(err, "")
        self.assertEqual(quiet, r)

    def csv_pair(self, lines):
        """The same rows as two CSV files of the same name: one read by Tractwise's own CSV
        reader, one whose header (a quoted quote in its last column) sends every row
        through GDAL."""
        header = "geoid,measure,period,stratum,numerator,denominator"
        paths = []
        self.pairs = getattr(self, "pairs", 0) + 1
        for name, first in (("direct", header), ("gdal", header + ',"x""y"')):
            folder = self.path(f"{name}{self.pairs}")
            os.makedirs(folder)
            paths.append(os.path.join(folder, "rows.csv"))
            with open(paths[-1], "wb") as f:
                f.write(("\n".join([first, *lines]) + "\n").encode("utf-8"))
        return paths

    def test_the_csv_reader_reads_as_gdal_does(self):
        # Quoted fields, spaces, empty fields, blank lines, CRLF, extra columns, and a line
        # only GDAL takes (a doubled quote), after which GDAL reads the rest: the same rows
        # stored from both files.
        lines = ['"37009",lowbw,2021,all,13,1410', "37011, lowbw ,2021,all,2,300",
                 '"37013","lowbw","2021","black","3","40"', "37015,lowbw,2021,,5,100", "",
                 "37017,lowbw,2021,all,6,200\r", "37019,lowbw,2021,all,7,210,extra,cols",
                 '37021,"low,bw",2021,all,1,2', '"37023",""low"",2021,all,4,9',
                 "37025,lowbw,2021,all,8,90", '"37027",lowbw,2021,"all",1,1']
        direct, gdal = self.csv_pair(lines)
        stored = []
        for source in (direct, gdal):
            p = self.nc_project()
            _, r, _ = run("import-outcomes", p, source, "--progress")
            self.assertEqual(r["rows"], 10)
            db = sqlite3.connect(p)
            stored.append((r, db.execute(
                "SELECT m.code, a.geoid, o.period, o.stratum, o.age_group, o.numerator, "
                "o.denominator FROM outcome o JOIN area a ON a.id = o.area_id "
                "JOIN measure m ON m.id = o.measure_id ORDER BY 1, 2, 3, 4").fetchall()))
            db.close()
        self.assertEqual(stored[0], stored[1])
        self.assertIn(("low,bw", "37021", "2021", "all", "", 1.0, 2.0), stored[0][1])
        self.assertIn(("lowbw", "37015", "2021", "all", "", 5.0, 100.0), stored[0][1])

    def test_the_csv_reader_refuses_as_gdal_does(self):
        # Each row is taken or refused, with the same message, whichever reader read it.
        good = "37009,lowbw,2021,all,13,1410"
        refused = 0
        for bad in ("37011,lowbw,2021,all,8", "37011,lowbw,2021,all,1e13,5",
                    '37011,lowbw,2021,"",1,2', "37011,=lowbw,2021,all,1,2",
                    '"37011",lowbw,2021,all," 1 2",5', "37011,lowbw,2021,all,1,2\x00,3",
                    "37011,lowbw,2021,all,1,2\rx", "\ufeff37011,lowbw,2021,all,1,2",
                    '37011,lowbw,2021,all,1,"2', good):
            direct, gdal = self.csv_pair([good, bad])
            outcomes = []
            for source in (direct, gdal):
                p = self.nc_project()
                outcomes.append(run("import-outcomes", p, source, check=False))
            self.assertEqual(outcomes[0], outcomes[1], repr(bad))
            refused += outcomes[0][0] == 2
        self.assertGreaterEqual(refused, 6)

    def test_the_first_duplicate_in_the_file_is_named(self):
        # Rows are stored in key order, not the file's: the duplicate named is still the
        # file's first (row 3, of 37011), not the first in key order (row 4, of 37009).
        direct, _ = self.csv_pair(["37011,lowbw,2021,all,1,10", "37009,lowbw,2021,all,2,20",
                                   "37011,lowbw,2021,all,3,30", "37009,lowbw,2021,all,4,40"])
        p = self.nc_project()
        self.assertRefused(p, "import-outcomes", p, direct,
                           mentions=("row 3 (line 4): duplicate of an earlier row of the file: "
                                     "geoid 37011, measure lowbw, period 2021, stratum all",
                                     "Nothing was imported"))

    def test_long_xlsx_matches_csv(self):
        a, b = self.nc_project(), self.nc_project()
        run("import-outcomes", a, fixture("outcomes", "nc-long.csv"))
        _, r, _ = run("import-outcomes", b, fixture("outcomes", "nc-long.xlsx"))
        self.assertEqual(r["rows"], 800)
        for geoid in ("37009", "37199"):
            self.assertEqual(outcome(a, geoid, "lowbw", "2022", "black"),
                             outcome(b, geoid, "lowbw", "2022", "black"))

    def test_long_ods_and_geopackage_table_match_csv(self):
        a = self.nc_project()
        run("import-outcomes", a, fixture("outcomes", "nc-long.csv"))
        for source in ("nc-long.ods", "nc-long.gpkg"):
            with self.subTest(source=source):
                b = self.nc_project()
                _, r, _ = run("import-outcomes", b, fixture("outcomes", source))
                self.assertEqual(r["rows"], 800)
                self.assertEqual(r["strata"], ["all", "black", "hispanic", "white"])
                for geoid in ("37009", "37199"):
                    self.assertEqual(outcome(a, geoid, "lowbw", "2021", "hispanic"),
                                     outcome(b, geoid, "lowbw", "2021", "hispanic"))

    def test_missing_stratum_column_means_all(self):
        p = self.nc_project()
        _, r, _ = run("import-outcomes", p, fixture("outcomes", "nc-no-stratum.csv"),
                      "--per", "1000")
        self.assertEqual(r["strata"], ["all"])
        self.assertEqual(outcome(p, "37009", "sids", "1974-1978"), (1.0, 1091.0))

    def test_wide_csv_and_xlsx_column_by_column(self):
        for source in ("nc-wide.csv", "nc-wide.xlsx"):
            with self.subTest(source=source):
                p = self.nc_project()
                for year in ("2021", "2022"):
                    _, r, _ = run("import-outcomes", p, fixture("outcomes", source),
                                  "--geoid-field", "FIPS", "--measure", "lbw",
                                  "--period", year, "--numerator-field", "lbw_" + year,
                                  "--denominator-field", "births_" + year,
                                  "--kind", "proportion")
                    self.assertEqual(r["rows"], 100)
                _, info, _ = run("info", p)
                self.assertEqual(info["measures"][0]["periods"], ["2021", "2022"])

    def test_dbf_attribute_table(self):
        p = self.nc_project()
        _, r, _ = run("import-outcomes", p, fixture("areas", "nc", "nc.dbf"),
                      "--geoid-field", "FIPS", "--measure", "sids", "--period", "1979-1984",
                      "--numerator-field", "SID79", "--denominator-field", "BIR79")
        self.assertEqual(r["rows"], 100)
        self.assertEqual(outcome(p, "37009", "sids", "1979-1984"), (0.0, 1364.0))

    def test_apportioned_counts_are_accepted_and_noted(self):
        p = self.nc_project()
        _, r, _ = run("import-outcomes", p, fixture("outcomes", "nc-apportioned.csv"))
        self.assertEqual(r["rows"], 10)
        self.assertEqual(r["apportioned"], 10)

    def test_every_bad_row_is_refused_with_its_row(self):
        cases = {
            "bad-unknown-geoid.csv": ["row 4", "99999", "--skip-unmatched"],
            "bad-negative.csv": ["row 3", "negative"],
            "bad-not-a-number.csv": ["row 5", "not a decimal number", "five"],
            "bad-numerator-above.csv": ["row 2", "above"],  # lowbw is a proportion here
            "bad-duplicate.csv": ["row 6", "duplicate"],
            "bad-missing-denominator.csv": ["row 3", "denominator"],
            "bad-no-geoid-column.csv": ["geoid", "--geoid-field"],
            "random-bytes.xlsx": ["random-bytes.xlsx"],
        }
        p = self.nc_project()
        run("import-outcomes", p, fixture("outcomes", "nc-no-stratum.csv"))
        for source, mentions in cases.items():
            with self.subTest(source=source):
                self.assertRefused(p, "import-outcomes", p, fixture("outcomes", source),
                                   "--kind", "proportion", mentions=[source] + mentions)

    def test_reimporting_the_same_rows_is_a_duplicate(self):
        p = self.nc_project()
        run("import-outcomes", p, fixture("outcomes", "nc-long.csv"))
        self.assertRefused(p, "import-outcomes", p, fixture("outcomes", "nc-long.csv"),
                           mentions=["row 1", "already holds period"])

    def test_skip_unmatched_counts_them(self):
        p = self.nc_project()
        _, r, _ = run("import-outcomes", p, fixture("outcomes", "bad-unknown-geoid.csv"),
                      "--skip-unmatched", "--kind", "proportion")
        self.assertEqual((r["rows"], r["unmatched"], r["unmatched_examples"]), (5, 1, ["99999"]))

    def test_measure_kind_conflict_and_bad_options(self):
        p = self.nc_project()
        run("import-outcomes", p, fixture("outcomes", "nc-long.csv"), "--kind", "proportion")
        self.assertRefused(p, "import-outcomes", p, fixture("outcomes", "nc-apportioned.csv"),
                           "--measure", "lowbw", "--kind", "rate", mentions=["lowbw"])
        self.assertRefused(p, "import-outcomes", p, fixture("outcomes", "nc-long.csv"),
                           "--kind", "ratio", mentions=["ratio"])
        self.assertRefused(p, "import-outcomes", p, fixture("outcomes", "nc-long.csv"),
                           "--per", "-5", mentions=["--per"])

    def test_geography_must_be_named_when_there_are_several(self):
        p = self.nc_project()
        run("import-areas", p, fixture("areas", "boston", "boston_tracts.shp"),
            "--geography", "boston", "--id-field", "poltract")
        self.assertRefused(p, "import-outcomes", p, fixture("outcomes", "nc-long.csv"),
                           mentions=["nc", "boston", "--geography"])
        _, r, _ = run("import-outcomes", p, fixture("outcomes", "nc-long.csv"),
                      "--geography", "nc")
        self.assertEqual(r["rows"], 800)

    def test_what_the_readme_accepts_is_accepted(self):
        """The validation refuses junk, not the ways real exports write good numbers and
        codes: spaces after commas, exponents, fractions, -0 numerators, an age group, a
        code of 64 characters, a non-ASCII group, '+' and '-' inside codes."""
        p = self.nc_project()
        src = self.path("good.csv")
        code = "m" * 64
        with open(src, "w", encoding="utf-8") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator,age_group\n"
                    "37009, lowbw , 2021 , all , 13 , 1410 ,\n"
                    "37005,lowbw,2021,all,1.5e1,2.5E3,\n"
                    "37001,lowbw,2021,all,-0,100,85+\n"
                    "37003,lowbw,2021,Asiático,0.25,12.5,\n"
                    f"37007,{code},2019+2020,a-b+c,1,10,01-04\n")
        _, r, _ = run("import-outcomes", p, src, "--kind", "proportion")
        self.assertEqual(r["rows"], 5)
        self.assertEqual(r["measures"], ["lowbw", code])
        self.assertEqual(r["strata"], ["all", "Asiático", "a-b+c"])
        self.assertEqual(r["apportioned"], 1)
        self.assertEqual(outcome(p, "37009", "lowbw", "2021"), (13.0, 1410.0))
        self.assertEqual(outcome(p, "37005", "lowbw", "2021"), (15.0, 2500.0))

    def test_the_count_range_is_inclusive(self):
        p = self.nc_project()
        src = self.path("edge.csv")
        with open(src, "w") as f:
            f.write("geoid,measure,period,numerator,denominator\n"
                    "37009,big,2021,0,1e12\n")
        _, r, _ = run("import-outcomes", p, src)
        self.assertEqual(r["rows"], 1)
        with open(src, "w") as f:
            f.write("geoid,measure,period,numerator,denominator\n"
                    "37009,big,2022,0,1000000000001\n")
        self.assertRefused(p, "import-outcomes", p, src, mentions=["row 1", "1e12"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
