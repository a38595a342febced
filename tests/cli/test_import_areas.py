# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/import-areas: every format, CRS handling, repairs, skips and refusals."""
import os
import sqlite3
import subprocess
import unittest

from twtest import CliTestCase, run, fixture

NC_BOX = (-84.4, 33.8, -75.4, 36.6)


class ImportAreasTest(CliTestCase):
    def import_ok(self, source, *extra):
        p = self.new_project()
        _, result, _ = run("import-areas", p, fixture("areas", *source), *extra)
        return p, result

    def assert_nc_lonlat(self, project):
        _, areas, _ = run("areas", project)
        for a in areas:
            lon, lat = a["centroid"]
            self.assertTrue(NC_BOX[0] < lon < NC_BOX[2] and NC_BOX[1] < lat < NC_BOX[3],
                            f"{a['geoid']} centroid {a['centroid']} is not in North Carolina")
            self.assertLessEqual(a["bbox"][0], a["bbox"][2])
        return areas

    def test_shapefile_with_nad27(self):
        p, r = self.import_ok(("nc", "nc.shp"), "--id-field", "FIPS", "--level", "county")
        self.assertEqual(r["imported"], 100)
        self.assertEqual(r["source_crs"], "EPSG:4267")
        self.assertEqual(r["skipped"], [])
        areas = self.assert_nc_lonlat(p)
        ashe = [a for a in areas if a["geoid"] == "37009"]
        self.assertEqual(ashe[0]["name"], "Ashe")

    def test_projected_shapefile_is_reprojected(self):
        p, r = self.import_ok(("nc_32119", "nc_32119.shp"))
        self.assertEqual(r["imported"], 100)
        self.assertEqual(r["source_crs"], "EPSG:32119")
        self.assert_nc_lonlat(p)

    def test_zipped_shapefile(self):
        p, r = self.import_ok(("nc_32119.zip",))
        self.assertEqual(r["imported"], 100)
        self.assert_nc_lonlat(p)

    def test_geopackage_geojson_flatgeobuf_kml_gml(self):
        for source, count in ((("nc.geojson",), 100), (("nc.fgb",), 100),
                              (("nc_5.kml",), 5), (("nc_5.gml",), 5),
                              (("boston_tracts.gpkg",), 506)):
            with self.subTest(source=source):
                p, r = self.import_ok(source)
                self.assertEqual(r["imported"], count)
                self.assertEqual(r["skipped"], [])

    def test_topojson(self):
        p, r = self.import_ok(("topology.topojson",))
        self.assertGreaterEqual(r["imported"], 2)

    def test_layer_without_crs_in_lonlat_is_accepted_with_a_warning(self):
        p, r = self.import_ok(("nc_noprj", "nc.shp"))
        self.assertEqual(r["imported"], 100)
        self.assertEqual(len(r["warnings"]), 1)
        self.assertIn("--assume-crs", r["warnings"][0])

    def test_layer_without_crs_in_metres_is_refused(self):
        p = self.new_project()
        self.assertRefused(p, "import-areas", p,
                           fixture("areas", "boston_26986_noprj", "boston_26986.shp"),
                           mentions=["--assume-crs", "boston_26986"])

    def test_assume_crs_names_the_missing_crs(self):
        p, r = self.import_ok(("boston_26986_noprj", "boston_26986.shp"),
                              "--assume-crs", "EPSG:26986")
        self.assertEqual(r["imported"], 506)
        _, areas, _ = run("areas", p)
        for a in areas:
            self.assertTrue(-71.6 < a["centroid"][0] < -70.5 and 41.9 < a["centroid"][1] < 42.8)

    def test_leading_zeros_are_kept(self):
        p, r = self.import_ok(("boston", "boston_tracts.shp"), "--id-field", "poltract")
        _, areas, _ = run("areas", p)
        self.assertIn("0001", [a["geoid"] for a in areas])

    def test_self_intersecting_polygons_are_repaired(self):
        p, r = self.import_ok(("bowtie.geojson",))
        self.assertGreaterEqual(r["repaired"], 1)
        db = sqlite3.connect(p)
        self.assertEqual(db.execute("SELECT count(*) FROM area").fetchone()[0], r["imported"])

    def test_duplicates_empty_and_points_are_skipped_with_feature_numbers(self):
        p, r = self.import_ok(("duplicates.geojson",))
        self.assertTrue(r["skipped"])
        for s in r["skipped"]:
            self.assertIsInstance(s["feature"], int)
            self.assertIn("duplicate", s["reason"])
        p, r = self.import_ok(("mixed.geojson",))
        reasons = " ".join(s["reason"] for s in r["skipped"])
        self.assertIn("empty", reasons)
        self.assertIn("not a polygon", reasons)

    def test_broken_sources_are_refused_and_change_nothing(self):
        cases = [
            (("nc_truncated", "nc.shp"), ["feature"]),
            (("nc_nodbf", "nc.shp"), [".dbf"]),
            (("random.geojson",), ["random.geojson"]),
            (("empty.geojson",), ["empty.geojson"]),
            (("no-such-file.shp",), ["no-such-file.shp"]),
        ]
        p = self.nc_project()
        for source, mentions in cases:
            with self.subTest(source=source):
                self.assertRefused(p, "import-areas", p, fixture("areas", *source),
                                   "--geography", "second", mentions=mentions)

    def test_several_layers_need_a_choice(self):
        p = self.new_project()
        self.assertRefused(p, "import-areas", p, fixture("areas", "two_layers.gpkg"),
                           mentions=["--layer"])

    def test_same_geography_twice_is_refused(self):
        p = self.nc_project()
        self.assertRefused(p, "import-areas", p, fixture("areas", "nc", "nc.shp"),
                           "--geography", "nc", mentions=["nc", "--geography"])

    def test_unknown_id_field_and_level(self):
        p = self.new_project()
        self.assertRefused(p, "import-areas", p, fixture("areas", "nc", "nc.shp"),
                           "--id-field", "NOPE", mentions=["NOPE", "FIPS"])
        self.assertRefused(p, "import-areas", p, fixture("areas", "nc", "nc.shp"),
                           "--level", "planet", mentions=["planet"])

    def test_rtree_is_built(self):
        p = self.nc_project()
        db = sqlite3.connect(p)
        hits = db.execute("SELECT count(*) FROM area_rtree WHERE max_lon >= -79 AND "
                          "min_lon <= -78.9 AND max_lat >= 35.9 AND min_lat <= 36.0").fetchone()[0]
        self.assertGreaterEqual(hits, 1)
        self.assertLess(hits, 10)
        self.assertEqual(db.execute("SELECT count(*) FROM area_rtree").fetchone()[0], 100)

    def test_rtree_holds_every_geography_and_finds_what_a_scan_finds(self):
        """The index is packed at the end of an import, with the boxes of the geographies
        imported before: SQLite's own check passes, and a window finds the areas whose
        boxes meet it, no more (beyond float rounding) and none fewer."""
        p = self.nc_project()
        run("import-areas", p, fixture("areas", "boston_tracts.gpkg"), "--geography", "boston")
        run("import-areas", p, fixture("areas", "nc_32119", "nc_32119.shp"), "--geography",
            "nc2")
        db = sqlite3.connect(p)
        self.assertEqual(db.execute("SELECT rtreecheck('area_rtree')").fetchone()[0], "ok")
        self.assertEqual(db.execute("SELECT count(*) FROM area_rtree").fetchone()[0], 706)
        for row in db.execute("SELECT a.id FROM area a JOIN area_rtree r ON r.id = a.id "
                              "WHERE r.min_lon > a.min_lon OR r.max_lon < a.max_lon "
                              "OR r.min_lat > a.min_lat OR r.max_lat < a.max_lat"):
            self.fail(f"the index box of area {row[0]} does not hold the area's box")
        boxes = [(-84.0, 35.0, -83.0, 36.0), (-80.0, 35.5, -79.9, 35.6),
                 (-71.1, 42.3, -71.0, 42.4), (-120.0, 40.0, -119.0, 41.0),
                 (-90.0, 30.0, -60.0, 45.0)]
        for w, s_, e, n in boxes:
            found = {r[0] for r in db.execute(
                "SELECT id FROM area_rtree WHERE max_lon >= ? AND min_lon <= ? AND "
                "max_lat >= ? AND min_lat <= ?", (w, e, s_, n))}
            scan = {r[0] for r in db.execute(
                "SELECT id FROM area WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? "
                "AND min_lat <= ?", (w, e, s_, n))}
            self.assertEqual(found, scan, (w, s_, e, n))
        # SQLite keeps the packed tree when it adds to it itself
        db.execute("INSERT INTO area_rtree VALUES (100000, -1, 1, -1, 1)")
        self.assertEqual(db.execute("SELECT rtreecheck('area_rtree')").fetchone()[0], "ok")
        db.rollback()

    def test_lonlat_under_a_utm_prj_is_refused_with_a_hint_then_imports(self):
        """The 506 Boston tracts in longitude/latitude with a UTM zone 19N .prj would all land
        at one point near (-73.49, 0.0004); the import says so, and --assume-crs fixes it."""
        folder = self.path("utm")
        os.mkdir(folder)
        shp = os.path.join(folder, "tracts.shp")
        subprocess.run(["ogr2ogr", "-t_srs", "EPSG:4326", shp,
                        fixture("areas", "boston_tracts.gpkg")], check=True)
        wkt = subprocess.run(["gdalsrsinfo", "-o", "wkt_esri", "--single-line", "EPSG:32619"],
                             check=True, capture_output=True, text=True).stdout.strip()
        with open(os.path.join(folder, "tracts.prj"), "w") as f:
            f.write(wkt)
        p = self.new_project()
        line = self.assertRefused(p, "import-areas", p, shp,
                                  mentions=["tracts.shp", "EPSG:32619",
                                            "--assume-crs EPSG:4326"])
        self.assertIn("-73.489", line)
        _, r, _ = run("import-areas", p, shp, "--assume-crs", "EPSG:4326")
        self.assertEqual(r["imported"], 506)
        self.assertIn("EPSG:32619", r["warnings"][0])
        _, areas, _ = run("areas", p)
        for a in areas:
            lon, lat = a["centroid"]
            self.assertTrue(-71.7 < lon < -70.5 and 42.0 < lat < 42.9, a)

    def test_a_crs_used_far_from_its_area_is_refused_unless_named_again(self):
        """Honolulu in the contiguous states' Albers (EPSG:5070) lands 33° west of where
        that CRS is used: refused, naming it; --assume-crs EPSG:5070 says it is meant."""
        folder = self.path("hi")
        os.mkdir(folder)
        src = os.path.join(folder, "honolulu.geojson")
        with open(src, "w") as f:
            f.write('{"type":"FeatureCollection","features":[{"type":"Feature",'
                    '"properties":{"GEOID":"15003000100"},"geometry":{"type":"Polygon",'
                    '"coordinates":[[[-157.9,21.3],[-157.8,21.3],[-157.8,21.4],'
                    '[-157.9,21.3]]]}}]}')
        shp = os.path.join(folder, "honolulu.shp")
        subprocess.run(["ogr2ogr", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:5070", shp, src],
                       check=True)
        p = self.new_project()
        self.assertRefused(p, "import-areas", p, shp,
                           mentions=["honolulu.shp", "EPSG:5070", "-157.9", "--assume-crs"])
        _, r, _ = run("import-areas", p, shp, "--assume-crs", "EPSG:5070")
        self.assertEqual(r["imported"], 1)
        _, areas, _ = run("areas", p)
        lon, lat = areas[0]["centroid"]
        self.assertAlmostEqual(lon, -157.833, places=2)
        self.assertAlmostEqual(lat, 21.333, places=2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
