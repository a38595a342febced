# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/fuzz: damaged files of every kind the importers read. Whatever the damage, an import
either succeeds or refuses with one line and exit status 2; it never crashes, never fails as
an internal error, and a refused import leaves the project's bytes as they were."""
import os
import random
import shutil
import unittest

from twtest import CliTestCase, fingerprint, fixture, run

SEED = 20261127
MUTATIONS = int(os.environ.get("TW_FUZZ_MUTATIONS", "40"))


def mutate(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        at = rng.randrange(len(data)) if data else 0
        if kind < 0.4 and data:
            data[at] = rng.randrange(256)              # flip a byte
        elif kind < 0.6:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif kind < 0.8 and data:
            del data[at:at + rng.randint(1, 64)]       # cut a piece out
        else:
            data = data[:at]                           # truncate
    return bytes(data)


class FuzzTest(CliTestCase):
    def fuzz(self, sources, *args):
        rng = random.Random(SEED)
        project = self.nc_project() if args and args[0] == "import-outcomes" else self.new_project()
        for i in range(MUTATIONS):
            name, main = sources[i % len(sources)]
            folder = os.path.join(self.tmp, f"case{i}")
            os.makedirs(folder)
            stem, ext = os.path.splitext(main)
            if ext == ".shp":  # the companions stay whole; the geometry file is damaged
                for companion in (".shx", ".dbf", ".prj"):
                    shutil.copy(stem + companion, folder)
            with open(main, "rb") as f:
                data = mutate(f.read(), rng)
            with open(os.path.join(folder, os.path.basename(main)), "wb") as f:
                f.write(data)
            target = os.path.join(folder, os.path.basename(main))
            before = fingerprint(project)
            extra = ["--geography", f"g{i}"] if args[0] == "import-areas" else []
            status, _, err = run(args[0], project, target, *args[1:], *extra, check=False)
            with self.subTest(case=i, source=name):
                self.assertIn(status, (0, 2), f"exit {status}: {err}")
                if status == 2:
                    self.assertEqual(len([l for l in err.splitlines() if l.strip()]), 1, err)
                    self.assertEqual(fingerprint(project), before)
            shutil.rmtree(folder)

    def test_damaged_areas(self):
        self.fuzz([("shp", fixture("areas", "nc", "nc.shp")),
                   ("geojson", fixture("areas", "nc.geojson")),
                   ("gpkg", fixture("areas", "boston_tracts.gpkg")),
                   ("topojson", fixture("areas", "topology.topojson")),
                   ("fgb", fixture("areas", "nc.fgb"))],
                  "import-areas")

    def test_damaged_outcome_tables(self):
        self.fuzz([("csv", fixture("outcomes", "nc-long.csv")),
                   ("xlsx", fixture("outcomes", "nc-long.xlsx")),
                   ("ods", fixture("outcomes", "nc-long.ods"))],
                  "import-outcomes", "--skip-unmatched")


if __name__ == "__main__":
    unittest.main(verbosity=2)
