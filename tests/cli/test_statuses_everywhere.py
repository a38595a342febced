# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/statuses-everywhere: a workspace whose map holds all six statuses (events pooled over
two years, over ACS populations) reads the same in `rates`, an SVG map, the PDF map's legend,
the share package and the brief; the share package's data dictionary reads back with
ogrinfo."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from exporttest import read_png, world  # noqa: E402
from twtest import CliTestCase, run  # noqa: E402

# Six 0.02° squares, three by two.
TRACTS = ["25025000100", "25025000200", "25025000300", "25025000400", "25025000500",
          "25025000600"]
# ACS populations: tract 3 has none (not applicable), tract 4's estimate is "N" (no data).
POPULATIONS = {"25025000100": 3000, "25025000200": 4000, "25025000300": 0,
               "25025000400": "N", "25025000500": 2500, "25025000600": 3500}
# Events in 2020 and 2021. Pooled under CMS (k = 11, unreliable below 20): tract 1 has 15
# (unreliable), tract 2 one hidden year beside a shown one (complementary: rule 7), tract 5
# 60 (shown), tract 6 two small years summing to 5 (suppressed).
EVENTS = {"25025000100": (0, 15), "25025000200": (5, 40), "25025000500": (30, 30),
          "25025000600": (2, 3)}
POOL = "2020+2021"
EXPECTED = {"25025000100": "unreliable", "25025000200": "complementary",
            "25025000300": "not_applicable", "25025000400": "missing",
            "25025000500": "shown", "25025000600": "suppressed"}
# The legend's row of each status, as the window, export-map and the brief word it.
LEGEND = {"unreliable": "Unreliable — fewer than 20 events",
          "suppressed": "Suppressed (fewer than 11 events)",
          "complementary": "Suppressed to protect another area",
          "missing": "No data", "not_applicable": "Not applicable (no population)"}


def square(i):
    x, y = -71.1 + 0.02 * (i % 3), 42.3 + 0.02 * (i // 3)
    return x, y


class StatusesEverywhere(CliTestCase):
    def setUp(self):
        super().setUp()
        features = []
        for i, geoid in enumerate(TRACTS):
            x, y = square(i)
            ring = [[x, y], [x + 0.02, y], [x + 0.02, y + 0.02], [x, y + 0.02], [x, y]]
            features.append({"type": "Feature", "properties": {"GEOID": geoid},
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
        areas = self.path("tracts.geojson")
        with open(areas, "w") as f:
            json.dump({"type": "FeatureCollection", "features": features}, f)
        acs = self.path("ACSDT5Y2021.B01003-Data.csv")
        with open(acs, "w") as f:
            f.write('GEO_ID,NAME,B01003_001E,B01003_001M\n"Geography","Geographic Area Name",'
                    '"Estimate!!Total","Margin of Error!!Total"\n')
            for geoid, people in POPULATIONS.items():
                f.write(f'1400000US{geoid},"Census Tract {geoid[5:]}",{people},'
                        f'{"N" if people == "N" else 120}\n')
        events = self.path("events.csv")
        with open(events, "w") as f:
            f.write("visit,geoid,visit_date\n")
            n = 0
            for geoid, counts in EVENTS.items():
                for year, count in zip((2020, 2021), counts):
                    for _ in range(count):
                        n += 1
                        f.write(f"{n},{geoid},{year}-06-01\n")
        self.ws = self.new_project()
        run("import-areas", self.ws, areas, "--geography", "tracts", "--level", "tract",
            "--vintage", "2020", "--id-field", "GEOID")
        run("import-attributes", self.ws, acs)
        run("import-points", self.ws, events, "--geoid-field", "geoid", "--period-field",
            "visit_date", "--measure", "visits", "--label", "Visits",
            "--denominator-attribute", "B01003_001E")
        run("policy", self.ws, "--preset", "cms")

    def statuses(self, period):
        """Each area's status as `rates` gives it; an area without a row has no data."""
        _, rows, _ = run("rates", self.ws, "--measure", "visits", "--period", period)
        statuses = {geoid: "missing" for geoid in TRACTS}
        statuses.update({r["geoid"]: r["status"] for r in rows})
        return statuses, {r["geoid"]: r for r in rows}

    def legend_counts(self, text):
        """The number printed after each status row of a legend (pdftotext -layout)."""
        counts = {}
        for status, words in LEGEND.items():
            match = re.search(re.escape(words) + r"\s+(\d+)", text)
            counts[status] = int(match.group(1)) if match else 0
        return counts

    def test_the_pool_holds_all_six(self):
        statuses, _ = self.statuses(POOL)
        self.assertEqual(statuses, EXPECTED)

    def test_svg_map_draws_each_status_its_way(self):
        statuses, rows = self.statuses(POOL)
        svg = self.path("map.svg")
        _, result, _ = run("export-map", self.ws, "--measure", "visits", "--period", POOL,
                           "--out", svg)
        png = self.path("map.png")
        # 72 dots an inch: one pixel a point, as the export's frame is given.
        subprocess.run([shutil.which("rsvg-convert") or "rsvg-convert", "--dpi-x", "72",
                        "--dpi-y", "72", "-o", png, svg], check=True)
        width, height, pixels = read_png(png)
        self.assertEqual([width, height], result["size"])
        colours = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in result["colors"]]
        fx, fy, fw, fh = result["map_frame"]
        lon0, lat0, lon1, lat1 = result["map_extent"]
        wx0, wy0 = world(lon0, lat1)
        wx1, wy1 = world(lon1, lat0)

        def look(i):
            """How the middle of square @i is drawn: its 9×9 block of pixels."""
            x, y = square(i)
            px, py = world(x + 0.01, y + 0.01)
            cx = int(fx + (px - wx0) / (wx1 - wx0) * fw)
            cy = int(fy + (py - wy0) / (wy1 - wy0) * fh)
            block = [pixels[cy + dy][cx + dx] for dy in range(-4, 5) for dx in range(-4, 5)]
            in_class = sum(p in colours for p in block)
            if in_class == len(block):
                return "class colour"
            if in_class >= len(block) // 4:
                return "hatched over its class colour"
            if len(set(block)) == 1:
                return "plain grey"
            return "hatched over a pale fill"

        drawn = {geoid: look(i) for i, geoid in enumerate(TRACTS)}
        want = {"shown": "class colour", "unreliable": "hatched over its class colour",
                "suppressed": "hatched over a pale fill",
                "complementary": "hatched over a pale fill",
                "missing": "plain grey", "not_applicable": "plain grey"}
        self.assertEqual(drawn, {g: want[s] for g, s in statuses.items()})
        # A grey that is no class colour, and the shown area in the class of its rate.
        grey = pixels[0][0]
        self.assertNotIn(grey, colours)
        breaks = result["breaks"]
        shown = rows["25025000500"]["rate"]
        cls = next(c for c in range(len(breaks) - 1) if shown <= breaks[c + 1])
        x, y = square(4)
        px, py = world(x + 0.01, y + 0.01)
        self.assertEqual(pixels[int(fy + (py - wy0) / (wy1 - wy0) * fh)]
                         [int(fx + (px - wx0) / (wx1 - wx0) * fw)], colours[cls])
        self.assertEqual(result["suppressed"],
                         sum(s in ("suppressed", "complementary") for s in statuses.values()))
        self.assertEqual(result["no_data"],
                         sum(s in ("missing", "not_applicable") for s in statuses.values()))

    def test_legends_of_the_pdf_map_and_the_brief_count_each_status(self):
        statuses, _ = self.statuses(POOL)
        want = {s: sum(v == s for v in statuses.values()) for s in LEGEND}
        pdf, brief = self.path("map.pdf"), self.path("brief.pdf")
        run("export-map", self.ws, "--measure", "visits", "--period", POOL, "--out", pdf)
        run("export-brief", self.ws, "--measure", "visits", "--period", POOL, "--out", brief)
        for path in (pdf, brief):
            text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                                  text=True, check=True).stdout
            self.assertEqual(self.legend_counts(text), want, path)
        # The brief's cover counts the areas by the same statuses.
        text = subprocess.run(["pdftotext", "-l", "1", brief, "-"], capture_output=True,
                              text=True, check=True).stdout
        self.assertIn("1 shown, 1 unreliable, 1 suppressed, 1 suppressed to protect another "
                      "area, 1 without data, 1 not applicable", " ".join(text.split()))

    def test_share_package_rows_are_the_rates_rows(self):
        package = self.path("share.gpkg")
        run("export-share", self.ws, "--out", package)
        con = sqlite3.connect(f"file:{package}?mode=ro", uri=True)
        try:
            for period in ("2020", "2021"):
                _, rows = self.statuses(period)
                shared = {geoid: (status, reason) for geoid, status, reason in con.execute(
                    "SELECT geoid, status, reason FROM rates WHERE measure = 'visits' AND "
                    "period = ? AND stratum = 'all'", (period,))}
                self.assertEqual(shared, {g: (r["status"], r["reason"])
                                          for g, r in rows.items()}, period)
        finally:
            con.close()
        # Every status of a single year is there too: both years together hold five.
        self.assertEqual({s for p in ("2020", "2021") for s in self.statuses(p)[0].values()},
                         {"shown", "unreliable", "suppressed", "missing", "not_applicable"})

    def test_dictionary_reads_back_with_ogrinfo(self):
        package = self.path("share.gpkg")
        run("export-share", self.ws, "--out", package)
        out = subprocess.run(["ogrinfo", "-so", package, "areas"], capture_output=True,
                             text=True, check=True).stdout
        metadata = dict(line.strip().split("=", 1) for line in out.splitlines()
                        if line.strip().startswith("dictionary."))
        _, listed, _ = run("attributes", self.ws)
        self.assertEqual(len(listed), 2)
        for entry in listed:
            for key in ("label", "universe", "source", "release", "licence", "null_codes",
                        "moe"):
                name = f"dictionary.tracts.{entry['field']}.{key}"
                if entry[key] is None:
                    self.assertNotIn(name, metadata)
                else:
                    self.assertEqual(metadata.get(name), entry[key], name)
        self.assertEqual(metadata["dictionary.tracts.B01003_001E.moe"], "B01003_001M")
        self.assertIn("ACSDT5Y2021.B01003-Data.csv",
                      metadata["dictionary.tracts.B01003_001E.source"])


if __name__ == "__main__":
    unittest.main()
