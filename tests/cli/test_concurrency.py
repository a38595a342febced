# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/concurrency: two writers and readers on one project at once. While a long
import-outcomes runs, `partner add` and `project add` in a loop wait their turn instead of
failing, `info` and `rates` keep reading; every command exits 0, nothing is lost, and the
file passes SQLite's integrity check."""
import os
import sqlite3
import subprocess
import threading
import time
import unittest

from twtest import CLI, CliTestCase, fixture, run

STRATA = ("all", "black", "white", "hispanic", "asian")
PERIODS = [str(2001 + i) for i in range(10)]
MEASURES = int(os.environ.get("TW_CONCURRENCY_MEASURES", "240"))  # × 5,000 rows each


def write_big_table(path, geoids):
    with open(path, "w") as f:
        f.write("geoid,measure,period,stratum,numerator,denominator\n")
        for m in range(MEASURES):
            lines = [f"{g},m{m:03d},{p},{s},{(m + i) % 50},{1000 + i}\n"
                     for i, g in enumerate(geoids) for p in PERIODS for s in STRATA]
            f.write("".join(lines))
    return MEASURES * len(geoids) * len(PERIODS) * len(STRATA)


class ConcurrencyTest(CliTestCase):
    def test_two_writers_and_readers(self):
        project = self.nc_project()
        run("import-outcomes", project, fixture("outcomes", "nc-long.csv"))
        _, areas, _ = run("areas", project)
        geoids = sorted(a["geoid"] for a in areas)
        table = self.path("big.csv")
        rows = write_big_table(table, geoids)

        failures = []
        lock = threading.Lock()
        import_running = threading.Event()
        import_done = threading.Event()
        added = {"partners": [], "projects": []}
        started_during_import = {"partners": 0, "projects": 0, "reads": 0}

        def cli(*args):
            proc = subprocess.run([CLI, *args], capture_output=True, timeout=600)
            if proc.returncode != 0:
                with lock:
                    failures.append((args, proc.returncode, proc.stderr.decode()))
            return proc.returncode == 0

        def importer():
            import_running.set()
            cli("import-outcomes", project, table)
            import_done.set()

        # Each loop keeps going until the import is over, and a few times more.
        def loop(kind, make_args, extra=3):
            import_running.wait()
            i = 0
            while not import_done.is_set() or extra > 0:
                if import_done.is_set():
                    extra -= 1
                during = not import_done.is_set()
                name = f"{kind}-{i}"
                if cli(*make_args(name)):
                    with lock:
                        added[kind].append(name)
                        started_during_import[kind] += during
                i += 1
                time.sleep(0.02)

        def reader():
            import_running.wait()
            while not import_done.is_set():
                cli("info", project)
                cli("rates", project, "--measure", "lowbw", "--period", "2021")
                with lock:
                    started_during_import["reads"] += 1

        threads = [
            threading.Thread(target=importer),
            threading.Thread(target=loop, args=("partners", lambda n: (
                "partner", "add", project, "--name", n))),
            threading.Thread(target=loop, args=("projects", lambda n: (
                "project", "add", project, "--title", n, "--areas", geoids[0]))),
            threading.Thread(target=reader),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        self.assertEqual(failures, [])
        # The writers really ran beside the import (else this test proves nothing).
        self.assertGreater(started_during_import["partners"], 0)
        self.assertGreater(started_during_import["projects"], 0)
        self.assertGreater(started_during_import["reads"], 0)

        _, partners, _ = run("partner", "list", project)
        names = {p["name"] for p in partners}
        self.assertEqual(names, set(added["partners"]))
        _, projects, _ = run("project", "list", project)
        titles = {p["title"] for p in projects}
        self.assertEqual(titles, set(added["projects"]))

        _, info, _ = run("info", project)
        imported = {m["code"]: m["rows"] for m in info["measures"]}
        self.assertEqual(sum(imported.get(f"m{m:03d}", 0) for m in range(MEASURES)), rows)
        self.assertEqual(imported["lowbw"], 800)

        db = sqlite3.connect(project)
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        db.close()

    def test_waits_while_the_other_writer_works(self):
        # The other writer keeps the lock well past the patience given (3 s) but works all
        # the while (it uses the processor), so the partner is added when it has finished.
        project = self.new_project()
        holder = sqlite3.connect(project, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        env = dict(os.environ, TW_STORE_WAIT_SECONDS="3")
        start = time.monotonic()
        proc = subprocess.Popen([CLI, "partner", "add", project, "--name", "Patient"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
        while time.monotonic() - start < 8:
            sum(i * i for i in range(10000))
        holder.execute("COMMIT")
        holder.close()
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        self.assertGreaterEqual(time.monotonic() - start, 8)
        self.assertIn(f"waiting for another program writing to {project}", err)
        self.assertIn(f"process {os.getpid()}", err)
        _, partners, _ = run("partner", "list", project)
        self.assertEqual([p["name"] for p in partners], ["Patient"])

    def test_gives_up_with_a_message_when_the_writer_does_not_move(self):
        project = self.new_project()
        holder = sqlite3.connect(project, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            env = dict(os.environ, TW_STORE_WAIT_SECONDS="2")
            proc = subprocess.run([CLI, "partner", "add", project, "--name", "A"],
                                  capture_output=True, text=True, env=env, timeout=60)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        self.assertEqual(proc.returncode, 2, proc.stderr)
        last = proc.stderr.splitlines()[-1]
        self.assertIn(f"{project} is being changed by another program", last)
        self.assertIn(f"process {os.getpid()}", last)
        self.assertIn("try again when it has finished", last)
        _, partners, _ = run("partner", "list", project)
        self.assertEqual(partners, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
