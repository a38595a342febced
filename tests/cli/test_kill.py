# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/kill: kill -9 at random moments (seeded) during the three long writers,
import-outcomes, import-areas and export-share. Afterwards the project passes SQLite's
integrity check and holds exactly what it held before, or exactly what the finished command
leaves: row counts and a checksum of every table."""
import hashlib
import re
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from twtest import CLI, CliTestCase, fixture, run

SEED = 20261207
KILLS = int(os.environ.get("TW_KILLS", "10"))


STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def contents(path):
    """Row counts and a checksum of every table, leaving out when rows were written."""
    db = sqlite3.connect(path)
    try:
        check = db.execute("PRAGMA integrity_check").fetchall()
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        summary = {}
        for table in tables:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info('{table}')")
                       if r[1] != "at" and not r[1].endswith("_at")]
            names = ", ".join(f'"{c}"' for c in columns)
            h = hashlib.sha256()
            count = 0
            for row in db.execute(f'SELECT {names} FROM "{table}" ORDER BY {names}'):
                # a share package's id is random and its time of writing is recorded: each
                # export records new ones
                text = UUID.sub("<package id>", repr(row))
                h.update(STAMP.sub("<time>", text).encode())
                count += 1
            summary[table] = (count, h.hexdigest())
        return check, summary
    finally:
        db.close()


def journal_mode(path):
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        db.close()


def remove_project(path):
    for p in (path, path + "-wal", path + "-shm", path + "-journal"):
        if os.path.exists(p):
            os.remove(p)


class KillTest(CliTestCase):
    def setUp(self):
        super().setUp()
        self.rng = random.Random(SEED)
        self.project = self.nc_project()
        run("import-outcomes", self.project, fixture("outcomes", "nc-long.csv"))
        _, areas, _ = run("areas", self.project)
        self.geoids = sorted(a["geoid"] for a in areas)
        self.pristine = self.path("pristine.tractwise")

    def save_pristine(self):
        db = sqlite3.connect(self.project)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        shutil.copy(self.project, self.pristine)

    def restore_pristine(self):
        remove_project(self.project)
        shutil.copy(self.pristine, self.project)

    def kill_during(self, args, outputs=()):
        """Runs @args once to the end, then KILLS times killed at a random moment of its
        run; after each, the project is as before or as after a finished run."""
        self.save_pristine()
        check, before = contents(self.project)
        self.assertEqual(check, [("ok",)])

        # The shortest of three runs: the first is often slowed by a cold cache or a busy
        # machine, and kills timed from it would land after later, faster runs end.
        duration = None
        for attempt in range(3):
            if attempt:
                self.restore_pristine()
            for out in outputs:
                if os.path.exists(out):
                    os.remove(out)
            start = time.monotonic()
            run(*args)
            took = time.monotonic() - start
            duration = took if duration is None else min(duration, took)
        check, after = contents(self.project)
        self.assertEqual(check, [("ok",)])
        self.assertNotEqual(before, after)

        killed = 0
        for i in range(KILLS):
            self.restore_pristine()
            for out in outputs:
                if os.path.exists(out):
                    os.remove(out)
            delay = self.rng.uniform(0.02, 1.05) * duration
            proc = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate()
            killed += proc.returncode == -signal.SIGKILL
            with self.subTest(kill=i, after_seconds=round(delay, 3)):
                self.assertIn(proc.returncode, (0, -signal.SIGKILL), err.decode())
                # Tractwise opens it first (undoing what a killed import left) and keeps
                # the write-ahead log, whatever journal the killed command wrote with.
                run("info", self.project)
                self.assertEqual(journal_mode(self.project), "wal")
                check, now = contents(self.project)
                self.assertEqual(check, [("ok",)])
                if proc.returncode == 0:
                    self.assertEqual(now, after)
                else:
                    self.assertIn(now, (before, after),
                                  "the project is neither as before nor as after")
                for out in outputs:
                    if os.path.exists(out):  # killed after it was complete
                        check, _ = contents(out)
                        self.assertEqual(check, [("ok",)], out)
        # Most kills must land while the command runs, or this test proves little.
        self.assertGreaterEqual(killed, KILLS // 2)

    def test_kill_import_outcomes(self):
        table = self.path("big.csv")
        with open(table, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for m in range(20):
                f.write("".join(f"{g},m{m:02d},{2001 + p},{s},{(m + i) % 50},{1000 + i}\n"
                                for i, g in enumerate(self.geoids) for p in range(10)
                                for s in ("all", "a", "b", "c", "d")))
        self.kill_during(("import-outcomes", self.project, table))

    def test_kill_import_areas(self):
        features = []
        for i in range(60):
            for j in range(60):
                x, y = -84 + i * 0.05, 34 + j * 0.03
                ring = [[x, y], [x + 0.05, y], [x + 0.05, y + 0.03], [x, y + 0.03], [x, y]]
                features.append({"type": "Feature",
                                 "properties": {"GEOID": f"G{i:03d}{j:03d}", "NAME": f"{i}-{j}"},
                                 "geometry": {"type": "Polygon", "coordinates": [ring]}})
        source = self.path("grid.geojson")
        with open(source, "w") as f:
            json.dump({"type": "FeatureCollection", "features": features}, f)
        self.kill_during(("import-areas", self.project, source, "--geography", "grid"))

    def test_kill_export_share(self):
        table = self.path("more.csv")
        with open(table, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            for m in range(6):
                f.write("".join(f"{g},m{m:02d},{2001 + p},{s},{(m + i) % 50},{1000 + i}\n"
                                for i, g in enumerate(self.geoids) for p in range(10)
                                for s in ("all", "a", "b", "c", "d")))
        run("import-outcomes", self.project, table)
        run("partner", "add", self.project, "--name", "Neighbours United")
        out = self.path("share.gpkg")
        self.kill_during(("export-share", self.project, "--out", out), outputs=(out,))


if __name__ == "__main__":
    unittest.main(verbosity=2)
