# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers of the command-line tests: run tractwise-cli, read its JSON, fingerprint
project files. Standard library only."""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

CLI = os.environ.get("TW_CLI", "tractwise-cli")
FIXTURES = os.environ.get("TW_FIXTURES",
                          os.path.join(os.path.dirname(__file__), "..", "fixtures"))
SOURCE_ROOT = os.path.abspath(os.path.join(FIXTURES, "..", ".."))


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


def run(*args, check=True):
    """Runs tractwise-cli; returns (status, parsed JSON or None, stderr)."""
    proc = subprocess.run([CLI, *map(str, args)], capture_output=True, timeout=600)
    # Everything Tractwise prints is UTF-8, whatever bytes its input held.
    proc.stdout = proc.stdout.decode("utf-8")
    proc.stderr = proc.stderr.decode("utf-8")
    data = None
    if proc.returncode == 0 and proc.stdout.strip():
        data = json.loads(proc.stdout)
    if check and proc.returncode != 0:
        raise AssertionError(f"tractwise-cli {' '.join(map(str, args))} failed "
                             f"({proc.returncode}): {proc.stderr}")
    return proc.returncode, data, proc.stderr


def fingerprint(path):
    """The bytes of a project file and of its WAL, if any."""
    h = hashlib.sha256()
    for p in (path, path + "-wal"):
        if os.path.exists(p):
            with open(p, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tw-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def new_project(self, name=None):
        if name is None:
            self.projects = getattr(self, "projects", 0) + 1
            name = f"p{self.projects}.tractwise"
        p = self.path(name)
        run("new", p)
        return p

    def nc_project(self):
        """A project with the 100 North Carolina counties."""
        p = self.new_project()
        run("import-areas", p, fixture("areas", "nc", "nc.shp"), "--geography", "nc",
            "--level", "county", "--id-field", "FIPS")
        return p

    def assertRefused(self, project, *args, mentions=()):
        """The command exits 2 with one line on stderr naming each of @mentions, and the
        project file's bytes do not change."""
        before = fingerprint(project)
        status, _, err = run(*args, check=False)
        self.assertEqual(status, 2, f"expected exit status 2, got {status}: {err}")
        lines = [l for l in err.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got: {err!r}")
        for m in mentions:
            self.assertIn(m, lines[0])
        self.assertEqual(fingerprint(project), before, "the project file changed")
        return lines[0]
