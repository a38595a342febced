# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/project-file: what a project file is, and what is refused."""
import os
import signal
import sqlite3
import subprocess
import sys
import unittest

from twtest import CLI, CliTestCase, run, fixture


class ProjectFileTest(CliTestCase):
    def test_new_project_is_marked_and_versioned(self):
        p = self.new_project()
        db = sqlite3.connect(p)
        self.assertEqual(db.execute("PRAGMA application_id").fetchone()[0], 0x54576973)
        self.assertEqual(db.execute("PRAGMA user_version").fetchone()[0], 2)
        self.assertEqual(db.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        db.close()
        _, info, _ = run("info", p)
        self.assertEqual(info, {"schema_version": 2, "geographies": [], "measures": [],
                                "partners": 0, "projects": 0})

    def test_new_refuses_to_overwrite(self):
        p = self.new_project()
        line = self.assertRefused(p, "new", p, mentions=[p, "already exists"])
        self.assertIn("another name", line)

    def test_newer_schema_is_refused_untouched(self):
        p = self.new_project()
        db = sqlite3.connect(p)
        db.execute("PRAGMA user_version = 99")
        db.close()
        line = self.assertRefused(p, "info", p, mentions=["newer version", "99"])
        self.assertIn("update Tractwise", line)
        self.assertRefused(p, "import-areas", p, fixture("areas", "nc", "nc.shp"))

    def test_foreign_sqlite_file_is_refused(self):
        p = self.path("other.db")
        db = sqlite3.connect(p)
        db.execute("CREATE TABLE t (x)")
        db.commit()
        db.close()
        self.assertRefused(p, "info", p, mentions=["not a Tractwise project"])

    def test_random_bytes_are_refused(self):
        p = self.path("noise.tractwise")
        with open(p, "wb") as f:
            f.write(os.urandom(8192))
        self.assertRefused(p, "info", p, mentions=["noise.tractwise"])

    def test_missing_project(self):
        status, _, err = run("info", self.path("nowhere.tractwise"), check=False)
        self.assertEqual(status, 2)
        self.assertIn("tractwise-cli new", err)

    def test_usage_errors(self):
        for args in (["import-areas"], ["info", "a", "b"], ["info", "--bogus", "a"],
                     ["no-such-command"]):
            status, _, err = run(*args, check=False)
            self.assertEqual(status, 2, args)
            self.assertTrue(err.strip(), args)

    def test_help_lists_every_command(self):
        proc = subprocess.run([CLI, "--help"], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0)
        for command in ("new", "import-areas", "import-outcomes", "info", "areas"):
            self.assertIn(command, proc.stdout)

    def test_killed_import_leaves_project_intact(self):
        # A transaction that never commits (the process dies) leaves no trace.
        p = self.nc_project()
        before = run("info", p)[1]
        code = ("import os, signal, sqlite3, sys\n"
                "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                "db.execute('PRAGMA cache_size = 1')\n"  # spill pages to the WAL
                "db.execute('BEGIN')\n"
                "db.execute('DELETE FROM area')\n"
                "os.kill(os.getpid(), signal.SIGKILL)\n")
        proc = subprocess.run([sys.executable, "-c", code, p])
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        self.assertEqual(run("info", p)[1], before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
