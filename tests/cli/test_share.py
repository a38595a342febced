# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/share: tractwise-cli export-share writes a GeoPackage that GDAL reads as ordinary
layers, holding no small count and no figure of a suppressed cell; a package is refused for
edits; review comments come back with import-comments."""
import csv
import getpass
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import unittest

from exporttest import K, audit_actions, make_demo, temp_dir
from twtest import CliTestCase, run

DEMO_DIR = None
DEMO = None
MEASURES = ["asthma_ed", "diabetes_uncontrolled", "preterm_birth", "sids"]


def setUpModule():
    global DEMO_DIR, DEMO
    DEMO_DIR = temp_dir()
    DEMO = make_demo(DEMO_DIR)


def tearDownModule():
    shutil.rmtree(DEMO_DIR, ignore_errors=True)


def md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def layer_names(package):
    out = subprocess.run(["ogrinfo", "-ro", "-q", package], capture_output=True, text=True,
                         check=True).stdout
    return [line.split(":", 1)[1].split("(")[0].strip() for line in out.splitlines()
            if ":" in line]


def read_layer(package, layer, directory):
    """The rows of a layer as dicts of strings (empty for null), read back through GDAL."""
    out = os.path.join(directory, f"{layer}.csv")
    subprocess.run(["ogr2ogr", "-f", "CSV", out, package, layer], check=True)
    with open(out, newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


class SharePackageTest(CliTestCase):
    def export(self, *extra):
        project = self.path("demo.tractwise")
        if not os.path.exists(project):
            shutil.copy(DEMO, project)
        package = self.path("share.gpkg")
        _, result, _ = run("export-share", project, "--out", package, *extra)
        return project, package, result

    def test_layers_open_as_ordinary_gis_layers(self):
        _, package, result = self.export()
        self.assertEqual(sorted(layer_names(package)),
                         sorted(["areas", "rates", "measures", "projects", "partners",
                                 "metadata"]))
        for layer in ("areas", "projects"):
            info = subprocess.run(["ogrinfo", "-ro", "-so", package, layer],
                                  capture_output=True, text=True, check=True).stdout
            self.assertIn('ID["EPSG",4326]', info)
            self.assertIn("Geometry: Multi Polygon", info)
        areas = read_layer(package, "areas", self.tmp)
        self.assertEqual(len(areas), 606)
        self.assertEqual(result["areas"], 606)
        projects = read_layer(package, "projects", self.tmp)
        self.assertEqual([p["title"] for p in projects],
                         ["Asthma home visits", "School diabetes outreach"])
        self.assertEqual(projects[0]["geoids"], "0901,0902,0903,0904,0905")
        metadata = {r["key"]: r["value"] for r in read_layer(package, "metadata", self.tmp)}
        self.assertEqual(metadata["package"], "tractwise-share")
        self.assertIn(f"Counts of 1 to {K - 1}", metadata["policy"])
        self.assertEqual(metadata["policy_min_count"], str(K))
        # Who shares it is a person's name, never the account's login name (issue 16).
        self.assertNotEqual(metadata["created_by"], getpass.getuser())
        self.assertTrue(metadata["created_at"].endswith("Z"))
        self.assertIn("boston-asthma_ed-SYNTHETIC.csv", metadata["sources"])
        self.assertIn("Boston tracts (tract, vintage 1970", metadata["geographies"])
        self.assertEqual(metadata["measures"], ",".join(MEASURES))

    def test_no_small_count_and_no_figure_of_a_suppressed_cell(self):
        project, package, result = self.export()
        # What the policy hides, from the analyst view.
        hidden, shown = {}, {}
        for measure in MEASURES:
            _, info, _ = run("info", project)
            periods = next(m["periods"] for m in info["measures"] if m["code"] == measure)
            for period in periods:
                _, rows, _ = run("rates", project, "--measure", measure, "--period", period,
                                 "--reveal")
                for row in rows:
                    key = (row["geoid"], measure, period, row["stratum"])
                    (hidden if row["suppressed"] else shown)[key] = row
        self.assertGreater(len(hidden), 1000)
        shown_values = {round(v, 6) for row in shown.values()
                        for v in (row["rate"], row["lower"], row["upper"]) if v is not None}
        # What the package prints of them: 3 significant figures.
        shown_published = {float(f"{v:.2e}") for row in shown.values()
                           for v in (row["rate"], row["lower"], row["upper"]) if v is not None}
        # Figures only a suppressed cell has (a shown cell may share a value by chance).
        hidden_values = {round(v, 6) for row in hidden.values()
                         for v in (row["rate"], row["lower"], row["upper"])
                         if v is not None} - shown_values

        rates = read_layer(package, "rates", self.tmp)
        self.assertEqual(len(rates), len(hidden) + len(shown))
        self.assertEqual(result["suppressed"], len(hidden))
        for row in rates:
            key = (row["geoid"], row["measure"], row["period"], row["stratum"])
            count = number(row["numerator"])
            self.assertFalse(count is not None and 0 < count < K, f"small count in {row}")
            # One status per figure: the package says what the CLI says, reason and all.
            truth = hidden.get(key) or shown[key]
            self.assertEqual((row["status"], row["reason"]), (truth["status"], truth["reason"]),
                             key)
            if key in hidden:
                self.assertEqual(row["suppressed"], "1", key)
                self.assertEqual(row["unstable"], "1", key)
                for field in ("numerator", "rate", "lower", "upper"):
                    self.assertEqual(row[field], "", f"{field} of suppressed {key}")
                self.assertAlmostEqual(float(row["denominator"]), hidden[key]["denominator"])
            else:
                truth = shown[key]
                self.assertEqual(row["suppressed"], "0", key)
                self.assertAlmostEqual(float(row["numerator"]), truth["numerator"])
                if truth["rate"] is not None:
                    # published at 3 significant figures
                    self.assertEqual(float(row["rate"]), float(f"{truth['rate']:.2e}"))
                    self.assertEqual(float(row["upper"]), float(f"{truth['upper']:.2e}"))

        # No numeric field of any layer holds a suppressed cell's rate or interval, nor
        # (in a count field) a count from 1 to k − 1.
        for layer in layer_names(package):
            for row in read_layer(package, layer, self.tmp):
                for field, value in row.items():
                    v = number(value)
                    if v is None:
                        continue
                    if field in ("numerator", "count", "events"):
                        self.assertFalse(0 < v < K, f"{layer}.{field} = {v}")
                    if v == int(v) or v in shown_published:
                        continue   # ids, flags and whole denominators; counts are above;
                                   # a shown cell's figure at publication precision
                    self.assertNotIn(round(v, 6), hidden_values,
                                     f"{layer}.{field} holds a suppressed cell's figure")

    def test_contacts_only_when_chosen(self):
        _, package, result = self.export()
        self.assertFalse(result["contacts"])
        partners = read_layer(package, "partners", self.tmp)
        self.assertEqual({p["name"] for p in partners},
                         {"Dorchester Family Health", "Roxbury Youth League"})
        self.assertNotIn("email", partners[0])
        with open(package, "rb") as f:
            self.assertNotIn(b"ana@dfh.example.org", f.read())
        _, package, _ = self.export("--with-contacts")
        partners = read_layer(package, "partners", self.tmp)
        self.assertIn("ana@dfh.example.org", [p["email"] for p in partners])

    def test_shared_by_names_a_person(self):
        _, package, _ = self.export("--shared-by", "Ana Ruiz (Boston Medical Center)")
        metadata = {r["key"]: r["value"] for r in read_layer(package, "metadata", self.tmp)}
        self.assertEqual(metadata["created_by"], "Ana Ruiz (Boston Medical Center)")

    def test_export_is_audited_and_bad_input_refused(self):
        project, _, _ = self.export("--measures", "asthma_ed")
        self.assertEqual(audit_actions(project).count("export-share"), 1)
        self.assertRefused(project, "export-share", project, "--out", self.path("x.zip"),
                           mentions=[".gpkg"])
        self.assertRefused(project, "export-share", project, "--out", self.path("y.gpkg"),
                           "--measures", "asthma_ed,nope", mentions=["nope"])
        self.assertFalse(os.path.exists(self.path("y.gpkg")))

    def test_review_package_refuses_every_edit(self):
        _, package, _ = self.export()
        before = md5(package)
        edits = [
            ["project", "add", package, "--title", "x"],
            ["partner", "add", package, "--name", "x"],
            ["policy", package, "--min-count", "5"],
            ["import-outcomes", package, os.path.join(os.path.dirname(DEMO), "none.csv")],
            ["project", "delete", package, "1"],
            ["import-comments", package, self.path("c.json")],
            ["export-share", package, "--out", self.path("again.gpkg")],
        ]
        for edit in edits:
            status, _, err = run(*edit, check=False)
            self.assertEqual(status, 2, f"{edit}: {err}")
            self.assertIn("read-only for review", err, edit)
        self.assertEqual(md5(package), before)

    def test_narrowed_to_one_partner(self):
        # A package for one partner holds its projects, their geography, the chosen
        # measures and its own contact details, and nothing of another partner: no name,
        # no project, no contact, no area of the other's geography.
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        run("project", "add", project, "--title", "County SIDS review", "--partner",
            "Dorchester Family Health", "--measure", "sids", "--geography",
            "North Carolina counties", "--areas", "37001,37003", "--start", "1982-01-01")
        package = self.path("roxbury.gpkg")
        _, result, _ = run("export-share", project, "--partner", "Roxbury Youth League",
                           "--out", package)
        self.assertEqual(result["partner"], "Roxbury Youth League")
        self.assertEqual((result["projects"], result["partners"]), (1, 1))
        db = sqlite3.connect(package)
        try:
            geographies = {g for (g,) in db.execute("SELECT DISTINCT geography FROM areas")}
            self.assertEqual(geographies, {"Boston tracts"})
            self.assertEqual({m for (m,) in db.execute("SELECT DISTINCT measure FROM rates")},
                             {"diabetes_uncontrolled"})   # its project's measure
            self.assertEqual({g for (g,) in db.execute("SELECT DISTINCT geography FROM rates")},
                             {"Boston tracts"})
            self.assertEqual(db.execute("SELECT name, email FROM partners").fetchall(),
                             [("Roxbury Youth League", "info@ryl.example.org")])
            self.assertEqual([t for (t,) in db.execute("SELECT title FROM projects")],
                             ["School diabetes outreach"])
            # Every text of every table, the metadata too.
            everything = []
            for (table,) in db.execute("SELECT table_name FROM gpkg_contents"):
                columns = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")')]
                for row in db.execute(f'SELECT * FROM "{table}"'):
                    everything += [str(v) for v, c in zip(row, columns) if isinstance(v, str)]
            text = "\n".join(everything)
            for other in ["Dorchester Family Health", "Ana Ruiz", "ana@dfh.example.org", "555-0100",
                          "Asthma home visits", "County SIDS review", "North Carolina",
                          "37001"]:
                self.assertNotIn(other, text)
        finally:
            db.close()

        # The other partner's package spans both its geographies; --measures chooses.
        package = self.path("dorchester.gpkg")
        run("export-share", project, "--partner", "Dorchester Family Health", "--measures",
            "asthma_ed", "--out", package)
        db = sqlite3.connect(package)
        try:
            self.assertEqual({g for (g,) in db.execute("SELECT DISTINCT geography FROM areas")},
                             {"Boston tracts", "North Carolina counties"})
            self.assertEqual({m for (m,) in db.execute("SELECT DISTINCT measure FROM rates")},
                             {"asthma_ed"})
            self.assertNotIn("Roxbury", "".join(
                str(v) for row in db.execute("SELECT * FROM partners") for v in row))
        finally:
            db.close()

        self.assertRefused(project, "export-share", project, "--partner", "Nobody", "--out",
                           self.path("n.gpkg"), mentions=["Nobody", "Roxbury Youth League"])
        self.assertRefused(project, "export-share", project, "--partner",
                           "Roxbury Youth League", "--with-contacts", "--out",
                           self.path("n.gpkg"), mentions=["--with-contacts"])

    def test_comments_round_trip(self):
        project, package, _ = self.export()
        before = md5(package)
        comments = self.path("comments.json")
        run("review-comment", package, "--area", "0901", "--geography", "Boston tracts",
            "--author", "Rosa Diaz", "--text", "The clinic on this block closed in May.",
            "--out", comments)
        _, result, _ = run("review-comment", package, "--project", "1", "--author",
                           "Rosa Diaz", "--text", "Please add the school district.",
                           "--out", comments)
        self.assertEqual(result["comments"], 2)
        status, _, err = run("review-comment", package, "--area", "9999", "--geography",
                             "Boston tracts", "--author", "A", "--text", "x", "--out",
                             comments, check=False)
        self.assertEqual(status, 2)
        self.assertIn("9999", err)
        self.assertEqual(md5(package), before)
        with open(comments) as f:
            data = json.load(f)
        self.assertEqual(data["format"], "tractwise-comments")
        self.assertEqual(len(data["comments"]), 2)

        _, imported, _ = run("import-comments", project, comments)
        self.assertEqual(imported, {"comments": 2})
        _, shown, _ = run("project", "show", project, "1")
        self.assertIn("Please add the school district.", [c["body"] for c in shown["comments"]])
        _, again, _ = run("import-comments", project, comments)
        self.assertEqual(again, {"comments": 0})
        self.assertEqual(audit_actions(project).count("import-comments"), 2)

        # Into a project the package was not made from: refused whole.
        other = self.nc_project()
        self.assertRefused(other, "import-comments", other, comments,
                           mentions=["share.gpkg", "did not export"])


if __name__ == "__main__":
    unittest.main()
