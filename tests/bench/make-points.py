#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""make-points.py WORKSPACE N SEED EVENTS.csv DENOMINATORS.csv: N synthetic events over the
tracts of a bench workspace (a random tract, a random point in its bounding box: most fall
in that tract, some in a neighbour, a few in none), with a group and a visit date, and a
denominator for every tract. The input of the import-points benchmark. Standard library."""
import random
import sqlite3
import sys

workspace, n, seed, events_path, denominators_path = sys.argv[1:6]
db = sqlite3.connect("file:%s?mode=ro" % workspace, uri=True)
boxes = db.execute("SELECT geoid, min_lon, min_lat, max_lon, max_lat FROM area "
                   "ORDER BY geoid").fetchall()
db.close()
rng = random.Random(int(seed))
groups = ["black", "hispanic", "white", "asian", "other"]
with open(events_path, "w") as f:
    f.write("patient_id,lat,lon,race,visit_date\n")
    for i in range(int(n)):
        _, x0, y0, x1, y1 = boxes[rng.randrange(len(boxes))]
        f.write("%d,%.6f,%.6f,%s,%d-%02d-15\n" % (
            i, rng.uniform(y0, y1), rng.uniform(x0, x1), groups[i % 5], 2019 + i % 3,
            1 + i % 12))
with open(denominators_path, "w") as f:
    f.write("geoid,denominator\n")
    for geoid, *_ in boxes:
        f.write("%s,100000\n" % geoid)
