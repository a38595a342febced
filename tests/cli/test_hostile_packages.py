# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/hostile-packages: a share package is a file a partner receives by e-mail and is read
as hostile. Crafted packages (a recursive view for a table, a trigger, another application's
file, bad counts, a truncated file, a huge text) are refused by `info` and `review-comment`
quickly, with one line and exit status 2, leaving the package as it was and nothing beside
it; `export-share` killed at any moment leaves only the old output or the new."""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from twtest import CLI, CliTestCase, fixture, run

PACKAGE = None
WORK = None


def setUpModule():
    global PACKAGE, WORK
    import tempfile
    WORK = tempfile.mkdtemp(prefix="tw-hostile-")
    project = os.path.join(WORK, "nc.tractwise")
    run("new", project)
    run("import-areas", project, fixture("areas", "nc", "nc.shp"), "--geography", "nc",
        "--level", "county", "--id-field", "FIPS")
    run("import-outcomes", project, fixture("outcomes", "nc-long.csv"), "--kind",
        "proportion", "--per", "1000")
    run("partner", "add", project, "--name", "Eastside Clinic", "--kind", "clinic",
        "--agreement", "mou")
    run("project", "add", project, "--title", "Clinic days", "--areas", "37001,37003",
        "--partner", "Eastside Clinic:lead", "--start", "2021-01-01")
    PACKAGE = os.path.join(WORK, "share.gpkg")
    run("export-share", project, "--out", PACKAGE)


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


def read(path):
    with open(path, "rb") as f:
        return f.read()


class HostilePackageTest(CliTestCase):
    def craft(self, *statements, name="bad.gpkg", params=()):
        """A copy of the good package changed by @statements (run by Python's sqlite3,
        which trusts the file: the attacker's side)."""
        out = self.path(name)
        shutil.copy(PACKAGE, out)
        con = sqlite3.connect(out)
        # GDAL's spatial-index triggers call its functions: stand-ins let the edits run.
        for name in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            con.create_function(name, 1, lambda blob: 0)
        con.execute("PRAGMA legacy_alter_table = ON")
        for i, sql in enumerate(statements):
            con.execute(sql, params[i] if i < len(params) else ())
        con.commit()
        con.close()
        return out

    def assertPackageRefused(self, package, mentions=(), commands=("info", "review-comment")):
        before = read(package)
        for command in commands:
            comments = self.path("comments.json")
            if os.path.exists(comments):
                os.remove(comments)
            args = {"info": ["info", package],
                    "review-comment": ["review-comment", package, "--area", "37001",
                                       "--author", "Rosa", "--text", "x", "--out", comments]
                    }[command]
            start = time.monotonic()
            status, _, err = run(*args, check=False)
            seconds = time.monotonic() - start
            self.assertEqual(status, 2, f"{command}: {err}")
            lines = [l for l in err.splitlines() if l.strip()]
            self.assertEqual(len(lines), 1, f"{command}: {err!r}")
            for m in mentions:
                self.assertIn(m, lines[0], command)
            self.assertLess(seconds, 2.0, f"{command} took {seconds:.1f} s")
            self.assertFalse(os.path.exists(comments), command)
        self.assertEqual(read(package), before, "the package changed")
        beside = sorted(os.listdir(os.path.dirname(package)))
        self.assertEqual([f for f in beside if f.startswith(os.path.basename(package))],
                         [os.path.basename(package)], "files left beside the package")
        return lines[0]

    def test_the_good_package_is_read(self):
        comments = self.path("c.json")
        _, result, _ = run("review-comment", PACKAGE, "--area", "37001", "--author", "Rosa",
                           "--text", "Fine", "--out", comments)
        self.assertEqual(result["comments"], 1)
        self.assertEqual(sorted(os.listdir(WORK)), ["nc.tractwise", "share.gpkg"])

    def test_recursive_view_for_metadata(self):
        package = self.craft(
            "ALTER TABLE metadata RENAME TO metadata_0",
            "CREATE VIEW metadata AS WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL "
            "SELECT n + 1 FROM r) SELECT 'package' AS key, 'tractwise-share' AS value "
            "FROM r")
        self.assertPackageRefused(package, mentions=["metadata", "view", "sender"])

    def test_view_for_rates(self):
        package = self.craft(
            "ALTER TABLE rates RENAME TO rates_0",
            "CREATE VIEW rates AS SELECT * FROM rates_0")
        self.assertPackageRefused(package, mentions=["'rates' is a view"])

    def test_virtual_table_for_partners(self):
        package = self.craft("DROP TABLE partners",
                             "CREATE VIRTUAL TABLE partners USING rtree (id, a, b)")
        self.assertPackageRefused(package, mentions=["partners", "virtual table"])

    def test_computed_column(self):
        package = self.craft(
            "ALTER TABLE measures RENAME TO measures_0",
            "CREATE TABLE measures (code TEXT, label TEXT, kind TEXT, multiplier REAL, "
            "higher_is_worse INTEGER, source TEXT AS (printf('%.*c', 100000000, 'x')))",
            "INSERT INTO measures (code, label, kind, multiplier, higher_is_worse) "
            "SELECT code, label, kind, multiplier, higher_is_worse FROM measures_0")
        self.assertPackageRefused(package, mentions=["source", "computed"])

    def test_trigger_never_runs(self):
        # A trigger fires only on a write, and nothing ever writes the package: it opens,
        # and stays byte for byte as it was.
        package = self.craft(
            "CREATE TABLE victim (x)",
            "CREATE TRIGGER t AFTER DELETE ON metadata BEGIN INSERT INTO victim VALUES (1); "
            "END",
            "CREATE TRIGGER u AFTER INSERT ON victim BEGIN DELETE FROM areas; END")
        before = read(package)
        comments = self.path("c.json")
        run("review-comment", package, "--area", "37001", "--author", "Rosa", "--text", "x",
            "--out", comments)
        self.assertEqual(read(package), before)
        con = sqlite3.connect(package)
        self.assertEqual(con.execute("SELECT count(*) FROM victim").fetchone()[0], 0)
        con.close()

    def test_foreign_application_id(self):
        for app_id in (0x54576973, 12345):   # a Tractwise workspace's id, anyone's
            package = self.craft(f"PRAGMA application_id = {app_id}")
            line = self.assertPackageRefused(package, commands=("review-comment",),
                                             mentions=["not a Tractwise share package",
                                                       "application_id"])
            self.assertNotIn("damaged", line)
            # To `info` it is no package, nor a project it can read.
            self.assertPackageRefused(package, commands=("info",))

    def test_not_ours(self):
        package = self.craft("UPDATE metadata SET value = 'something-else' "
                             "WHERE key = 'package'")
        self.assertPackageRefused(package, mentions=["not a Tractwise share package"],
                                  commands=("review-comment",))
        self.assertPackageRefused(package, mentions=["a GeoPackage, not a Tractwise project"],
                                  commands=("info",))
        package = self.craft("UPDATE metadata SET value = '99' WHERE key = 'package_version'")
        self.assertPackageRefused(package, mentions=["newer Tractwise", "99"])

    def first_shown(self):
        con = sqlite3.connect(PACKAGE)
        rowid = con.execute("SELECT min(rowid) FROM rates WHERE suppressed = 0").fetchone()[0]
        con.close()
        return rowid

    def test_bad_counts(self):
        row = self.first_shown()
        cases = [
            ("numerator = -3", "numerator is negative"),
            ("numerator = 'abc'", "numerator is text, not a number"),
            ("numerator = '0x10'", "numerator is text, not a number"),
            ("numerator = denominator + 1", "more than its denominator"),
            ("denominator = -1", "denominator is negative"),
            ("numerator = 1e300", "numerator is 1e+300, more than"),
            ("numerator = NULL", "numerator is empty"),
            ("suppressed = 7", "suppressed is not 0 or 1"),
            ("geoid = '99999'", "'99999' is not an area of the package"),
            ("measure = 'nope'", "'nope' is not a measure"),
            ("stratum = 'a' || char(10) || 'b'", "stratum holds a control character"),
            ("stratum = CAST(X'FFFE41' AS TEXT)", "stratum is not UTF-8"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                package = self.craft(f"UPDATE rates SET {change} WHERE rowid = {row}")
                line = self.assertPackageRefused(package, commands=("review-comment",),
                                                 mentions=[message, "table 'rates'"])
                self.assertIn(f"row {row}", line)

    def test_bad_values_elsewhere(self):
        cases = [
            ("UPDATE measures SET kind = 'ratio'", "kind is 'ratio'"),
            ("UPDATE measures SET multiplier = 0", "multiplier is too small"),
            ("UPDATE partners SET agreement = 'owner'", "agreement is 'owner'"),
            ("UPDATE projects SET start_date = '2020-02-31'", "start_date"),
            ("UPDATE projects SET id = -1", "id is not a positive whole number"),
            ("UPDATE areas SET geom = X'47500001E6100000FFFFFF'", "geom is not a readable outline"),
            ("UPDATE areas SET geom = X'4750000100000000'", "another coordinate system"),
            ("UPDATE areas SET geom = X'00'", "geom is not a GeoPackage outline"),
            ("UPDATE metadata SET value = 'soon' WHERE key = 'created_at'", "created_at"),
            ("DELETE FROM metadata WHERE key = 'policy_min_count'", "policy_min_count"),
            ("UPDATE metadata SET value = 'Eve' || char(10) || 'Trust me' "
             "WHERE key = 'created_by'", "created_by holds a control character"),
            ("UPDATE metadata SET value = printf('%.*c', 5000, 'x') WHERE key = 'created_by'",
             "created_by is longer than 400 bytes"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                package = self.craft(change)
                self.assertPackageRefused(package, commands=("review-comment",),
                                          mentions=[message])

    def test_huge_text(self):
        package = self.craft("UPDATE metadata SET value = ? WHERE key = 'note'",
                             params=[("x" * (20 << 20),)])
        self.assertPackageRefused(package, mentions=["metadata", "value is", "bytes long"])
        package = self.craft("UPDATE rates SET period = ? WHERE rowid = 1",
                             params=[("1" * 5000,)], name="long.gpkg")
        self.assertPackageRefused(package, mentions=["period is 5000 bytes long"],
                                  commands=("review-comment",))

    def test_truncated(self):
        for fraction in (0.02, 0.5, 0.95):
            package = self.path("cut.gpkg")
            data = read(PACKAGE)
            with open(package, "wb") as f:
                f.write(data[:int(len(data) * fraction)])
            self.assertPackageRefused(package, mentions=["cut.gpkg"])

    def test_wal_package_leaves_nothing_beside_it(self):
        package = self.craft("PRAGMA journal_mode = WAL")
        comments = self.path("c.json")
        run("review-comment", package, "--area", "37001", "--author", "Rosa", "--text", "x",
            "--out", comments)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["bad.gpkg", "c.json"])


def package_identity(package):
    con = sqlite3.connect(f"file:{package}?mode=ro", uri=True)
    meta = dict(con.execute("SELECT key, value FROM metadata"))
    con.close()
    return {"file": os.path.basename(package), "source_project": meta["source_project"],
            "created_at": meta["created_at"], "package_id": meta["package_id"]}


def comments_file(path, package, n, author="Rosa Diaz", body=None, tag=""):
    """A comments file as a reviewer's Tractwise writes it, with @n comments on the NC
    counties and the project."""
    import json
    counties = [f"37{i:03d}" for i in range(1, 200, 2)]
    comments = []
    for i in range(n):
        on_project = i % 10 == 0
        comments.append({
            "geography": None if on_project else "nc",
            "geoid": None if on_project else counties[i % len(counties)],
            "project_id": 1 if on_project else None,
            "project_title": None,
            "author": author,
            "body": body if body is not None else f"Comment {tag}{i}: the clinic on this block "
                                                  f"closed in May.",
            "created_at": "2026-12-01T10:00:00Z"})
    with open(path, "w") as f:
        json.dump({"format": "tractwise-comments", "version": 1,
                   "package": package_identity(package), "comments": comments}, f, indent=2)


class CommentsFileTest(CliTestCase):
    """Comments come back by e-mail too: read within limits, checked against the package
    they answer, imported in time linear in their number; a refusal changes nothing."""

    def project(self):
        project = self.path("nc.tractwise")
        shutil.copy(os.path.join(WORK, "nc.tractwise"), project)
        return project

    def test_deeply_nested_file(self):
        project = self.project()
        bad = self.path("deep.json")
        with open(bad, "w") as f:
            f.write('{"format": "tractwise-comments", "comments": ' + "[" * 200000
                    + "]" * 200000 + "}")
        self.assertGreater(os.path.getsize(bad), 400000)
        line = self.assertRefused(project, "import-comments", project, bad,
                                  mentions=["deep.json", "nested too deeply"])
        self.assertEqual(sorted(os.listdir(self.tmp)), ["deep.json", "nc.tractwise"])
        status, _, err = run("review-comment", PACKAGE, "--area", "37001", "--author", "R",
                             "--text", "x", "--out", bad, check=False)
        self.assertEqual(status, 2, err)
        self.assertIn("nested too deeply", err)

    def test_refusals(self):
        project = self.project()
        path = self.path("c.json")
        comments_file(path, PACKAGE, 3, author="  ")
        self.assertRefused(project, "import-comments", project, path,
                           mentions=["comment 1 has no author"])
        comments_file(path, PACKAGE, 3, body="")
        self.assertRefused(project, "import-comments", project, path,
                           mentions=["comment 1 has no text"])
        # Another package: the same project exported it, but not this one.
        other = self.path("other.gpkg")
        run("export-share", os.path.join(WORK, "nc.tractwise"), "--out", other)
        comments_file(path, other, 3)
        self.assertRefused(project, "import-comments", project, path,
                           mentions=["other.gpkg", "did not export"])
        # What a reviewer cannot write, a comments file cannot hold, and the other way round.
        status, _, err = run("review-comment", PACKAGE, "--area", "37001", "--author",
                             "Rosa\nDiaz", "--text", "x", "--out", self.path("new.json"),
                             check=False)
        self.assertEqual(status, 2, err)
        self.assertIn("author holds a control character", err)
        self.assertFalse(os.path.exists(self.path("new.json")))
        with open(path, "w") as f:
            f.write("[" * 40 + "]" * 40)
        self.assertRefused(project, "import-comments", project, path, mentions=["nested"])
        with open(path, "wb") as f:
            f.write(b" " * (65 << 20))
        self.assertRefused(project, "import-comments", project, path, mentions=["larger than"])
        self.assertEqual(sorted(os.listdir(self.tmp)), ["c.json", "nc.tractwise", "other.gpkg"])

    def test_import_is_linear(self):
        project = self.project()
        times = {}
        for n in (8000, 100000):
            path = self.path(f"c{n}.json")
            comments_file(path, PACKAGE, n, tag=f"{n}-")
            start = time.monotonic()
            _, result, _ = run("import-comments", project, path)
            times[n] = time.monotonic() - start
            self.assertEqual(result["comments"], n)
            _, again, _ = run("import-comments", project, path)
            self.assertEqual(again["comments"], 0)
        print(f"import-comments: 8,000 in {times[8000]:.2f} s, 100,000 in "
              f"{times[100000]:.2f} s", flush=True)
        self.assertLess(times[100000], 30.0)
        # Linear: 12.5 times the comments in well under 12.5² times the time.
        self.assertLess(times[100000], 40 * max(times[8000], 0.1))


class KilledExportTest(CliTestCase):
    """kill -9 at random moments of export-share: the folder holds the old package or the
    new one, never a part file or a journal."""

    def test_kill_at_random_moments(self):
        project = os.path.join(WORK, "nc.tractwise")
        out_dir = self.path("out")
        os.mkdir(out_dir)
        out = os.path.join(out_dir, "share.gpkg")
        run("export-share", project, "--out", out)
        old = read(out)
        start = time.monotonic()
        run("export-share", project, "--out", self.path("timing.gpkg"))
        took = time.monotonic() - start
        rng = random.Random(20261207)
        mid_write = 0
        attempt = 0
        # Eight kills at random moments; under load a run's pace varies, so until one of them
        # has landed while the package was being written, keep going (up to 40), aiming at
        # the middle of the run, where the package is written.
        while attempt < 8 or (mid_write == 0 and attempt < 40):
            proc = subprocess.Popen([CLI, "export-share", project, "--out", out],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if attempt < 8:
                time.sleep(rng.uniform(0.05, took * 0.95))
            else:
                time.sleep(rng.uniform(took * 0.4, took * 0.9))
            attempt += 1
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            visible = sorted(f for f in os.listdir(out_dir) if not f.startswith("."))
            self.assertEqual(visible, ["share.gpkg"], f"attempt {attempt}")
            mid_write += any(f.startswith(".share.gpkg.tractwise-") for f in os.listdir(out_dir))
            now = read(out)
            if now != old:
                # A whole package: it opens for review.
                run("review-comment", out, "--area", "37001", "--author", "R", "--text", "x",
                    "--out", self.path("c.json"))
                os.remove(self.path("c.json"))
                old = now
        # Killed while it wrote, not only before or after.
        self.assertGreater(mid_write, 0)
        # The next run clears what a killed one left.
        run("export-share", project, "--out", out)
        self.assertEqual(sorted(os.listdir(out_dir)), ["share.gpkg"])


if __name__ == "__main__":
    unittest.main()
