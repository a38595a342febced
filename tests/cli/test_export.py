# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/export: tractwise-cli export-map draws the map as PNG, SVG and PDF with its title,
legend (a row for each status with the areas `rates` gives it) and suppression footnote;
unreliable areas hatched over their class; never a suppressed figure; each export in the
audit log."""
import os
import re
import shutil
import sqlite3
import subprocess
import unittest
import xml.etree.ElementTree as ET

from exporttest import (K, area_geometries, audit_actions, interior_point, make_demo,
                        overlapping_words, pdf_font_sizes, pdf_structure, pdf_words, read_png,
                        temp_dir,
                        world)
from twtest import CliTestCase, run

DEMO_DIR = None
DEMO = None


def setUpModule():
    global DEMO_DIR, DEMO
    DEMO_DIR = temp_dir()
    DEMO = make_demo(DEMO_DIR)


def tearDownModule():
    shutil.rmtree(DEMO_DIR, ignore_errors=True)


MAP = ["--measure", "asthma_ed", "--period", "2021"]


def raw_text(path):
    text = subprocess.run(["pdftotext", "-raw", path, "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


def status_counts(rates):
    counts = {}
    for row in rates:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def formatted(value, text):
    """Whether @value appears in @text rounded to 0 to 3 decimals."""
    return any(f"{value:,.{d}f}" in text for d in range(4))


class ExportMapTest(CliTestCase):
    def test_pdf_holds_title_legend_and_footnote(self):
        out = self.path("map.pdf")
        _, result, _ = run("export-map", DEMO, *MAP, "--page", "letter", "--landscape",
                           "--title", "Asthma visits by tract, 2021", "--north-arrow",
                           "--out", out)
        self.assertEqual(result["size"], [792.0, 612.0])
        text = raw_text(out)
        self.assertIn("Asthma visits by tract, 2021", text)
        self.assertIn("Rate per 10,000", text)
        # A legend row for each status, with as many areas as `rates` gives it.
        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        statuses = status_counts(rates)
        self.assertEqual(set(statuses), {"shown", "unreliable", "suppressed", "complementary"})
        self.assertIn(f"Unreliable — fewer than 20 events {statuses['unreliable']}", text)
        self.assertIn(f"Suppressed (fewer than {K} events) {statuses['suppressed']}", text)
        self.assertIn(f"Suppressed to protect another area {statuses['complementary']}", text)
        self.assertEqual(statuses["suppressed"] + statuses["complementary"],
                         result["suppressed"])
        self.assertIn("No data 0", text)
        self.assertNotIn("Not applicable", text)
        self.assertNotIn("analyst view", text)
        self.assertIn(f"Counts of 1 to {K - 1}", text)
        self.assertIn(f"(CMS cell-size suppression policy, k = {K})", text)
        # Every class range of the legend, with the breaks that classify computes.
        _, classes, _ = run("classify", DEMO, *MAP, "--method", "quantile")
        self.assertEqual(result["breaks"], classes["breaks"])
        for b in classes["breaks"]:
            self.assertTrue(formatted(b, text), f"break {b} is not in the legend: {text}")
        for count in classes["counts"]:
            self.assertIn(f" {count}", text)

    def test_manual_breaks_as_classify_reads_them(self):
        # The same typed breaks make the same classes on the page as in classify.
        out = self.path("map.svg")
        _, result, _ = run("export-map", DEMO, *MAP, "--breaks", "20; 40 60", "--width", "800",
                           "--height", "600", "--out", out)
        _, classes, _ = run("classify", DEMO, *MAP, "--breaks", "20, 40, 60")
        self.assertEqual(result["breaks"][1:-1], [20, 40, 60])
        self.assertEqual(result["breaks"], classes["breaks"])
        self.assertEqual(len(result["colors"]), 4)
        self.assertRefused(DEMO, "export-map", DEMO, *MAP, "--breaks", "20, 40, x", "--out",
                           self.path("m.svg"), mentions=["export-map --breaks", "'x'"])
        self.assertFalse(os.path.exists(self.path("m.svg")))

    def test_default_title_keeps_synthetic_label(self):
        out = self.path("map.pdf")
        run("export-map", DEMO, *MAP, "--out", out)
        text = raw_text(out)
        self.assertIn("Asthma emergency visits (synthetic)", text)
        self.assertIn("Boston tracts", text)

    def test_png_size_and_class_colours(self):
        out = self.path("map.png")
        _, result, _ = run("export-map", DEMO, *MAP, "--width", "1100", "--height", "800",
                           "--out", out)
        width, height, pixels = read_png(out)
        self.assertEqual((width, height), (1100, 800))
        self.assertEqual(result["size"], [1100, 800])

        # The class of each area from its rate and classify's breaks; the colours of the
        # palette as render-tile reports them.
        _, classes, _ = run("classify", DEMO, *MAP, "--method", "quantile")
        _, tile, _ = run("render-tile", DEMO, *MAP, "--z", "0", "--x", "0", "--y", "0",
                         "--out", self.path("tile.png"))
        colours = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in tile["colors"]]
        breaks = classes["breaks"]
        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        shapes = area_geometries(DEMO, "Boston tracts")

        fx, fy, fw, fh = result["map_frame"]
        lon0, lat0, lon1, lat1 = result["map_extent"]
        wx0, wy0 = world(lon0, lat1)
        wx1, wy1 = world(lon1, lat0)

        def to_pixel(lon, lat):
            x, y = world(lon, lat)
            return (int(fx + (x - wx0) / (wx1 - wx0) * fw),
                    int(fy + (y - wy0) / (wy1 - wy0) * fh))

        checked = suppressed_checked = unreliable_checked = 0
        wrong = []
        for row in rates:
            point, run_width = interior_point(shapes[row["geoid"]])
            if point is None:
                continue
            px, py = to_pixel(*point)
            run_pixels = run_width / (lon1 - lon0) * fw
            if run_pixels < 12:
                continue
            colour = pixels[py][px]
            if row["suppressed"]:
                self.assertNotIn(colour, colours,
                                 f"suppressed area {row['geoid']} shows a class colour")
                suppressed_checked += 1
                continue
            cls = next(i for i in range(len(breaks) - 1) if row["rate"] <= breaks[i + 1])
            if row["status"] == "unreliable":
                # Its class colour between the lines of a hatch running down to the right.
                if run_pixels < 16:
                    continue
                near = [[pixels[y][x] for x in range(px - 4, px + 5)]
                        for y in range(py - 4, py + 5)]
                flat = [rgb for line in near for rgb in line]
                fill = colours[cls]

                def dark(rgb):
                    return sum(fill) - sum(rgb) > 90
                down = sum(dark(near[y][x]) and dark(near[y + 1][x + 1])
                           for y in range(8) for x in range(8))
                up = sum(dark(near[y + 1][x]) and dark(near[y][x + 1])
                         for y in range(8) for x in range(8))
                if flat.count(fill) < len(flat) // 4:
                    continue    # a narrow area: the block is mostly its neighbours
                self.assertGreater(sum(map(dark, flat)), 4,
                                   f"unreliable area {row['geoid']} is not hatched")
                self.assertGreater(down, 2 * up, f"unreliable area {row['geoid']}")
                unreliable_checked += 1
                continue
            # (within 2 of each channel: a faint line antialiased over the point is no
            # other class)
            if any(abs(a - b) > 2 for a, b in zip(colour, colours[cls])):
                wrong.append(f"area {row['geoid']} (rate {row['rate']}) at pixel {px},{py}: "
                             f"{colour} instead of {colours[cls]}")
            checked += 1
        self.assertGreaterEqual(checked, 100)
        self.assertGreaterEqual(suppressed_checked, 1)
        self.assertGreaterEqual(unreliable_checked, 3)
        # A county or region line may cross a point (the 1970 tracts' shared edges do not
        # always share vertices, so some inner edges are drawn as outlines): a few points
        # may be shaded by a line, never a class's worth.
        self.assertLessEqual(len(wrong), checked // 25, "\n".join(wrong))

    def test_wide_region_fills_a_readable_page(self):
        # North Carolina's counties, about three times as wide as tall, on a landscape
        # letter page, as a board sees it: the map spans the page between its margins, the
        # map and its legend sit midway between the subtitle and the notes, no text is
        # under 7 points, and nothing is set over anything else.
        out = self.path("nc.pdf")
        _, result, _ = run("export-map", DEMO, "--measure", "sids", "--period", "1974-1978",
                           "--page", "letter", "--landscape", "--out", out)
        sizes = pdf_font_sizes(out)
        self.assertGreaterEqual(min(sizes), 7.0)
        self.assertLessEqual(max(sizes), 20.0)

        [(width, height, words)] = pdf_words(out)
        self.assertEqual(overlapping_words(words), [])
        left = min(w[0] for w in words)
        self.assertLessEqual(max(w[2] for w in words), width - left + 0.5)
        fx, fy, fw, fh = result["map_frame"]
        self.assertGreaterEqual(fx, left - 0.5)
        self.assertGreaterEqual(fw, 0.97 * (width - 2 * left))

        subtitle_bottom = max(w[3] for w in words if w[4] == "1974-1978")
        notes_top = min(w[1] for w in words if w[4] == "Source:")
        legend_bottom = max(w[3] for w in words if fy + fh < w[1] < notes_top)
        above, below = fy - subtitle_bottom, notes_top - legend_bottom
        self.assertLess(abs(above - below), 0.1 * (above + below) + 4,
                        f"{above:.0f} points above the map, {below:.0f} under its legend")

    def test_slide_is_16_by_9(self):
        # For a presentation: 1920 × 1080 pixels or a 13.333 × 7.5 inch page, the map
        # taking most of the slide's height, its words inside the slide and apart.
        png = self.path("slide.png")
        _, result, _ = run("export-map", DEMO, *MAP, "--slide", "--out", png)
        width, height, _ = read_png(png)
        self.assertEqual((width, height), (1920, 1080))
        self.assertGreater(result["map_frame"][3], 0.6 * 1080)
        pdf = self.path("slide.pdf")
        _, result, _ = run("export-map", DEMO, *MAP, "--page", "slide", "--out", pdf)
        self.assertEqual(result["size"], [960, 540])
        (page_w, page_h, words), = pdf_words(pdf)
        self.assertEqual((round(page_w), round(page_h)), (960, 540))
        self.assertLessEqual(max(w[2] for w in words), page_w)
        self.assertEqual(overlapping_words(words), [])
        self.assertGreaterEqual(min(pdf_font_sizes(pdf)), 7.0)
        self.assertRefused(DEMO, "export-map", DEMO, *MAP, "--slide", "--page", "a4",
                           "--out", self.path("m.pdf"), mentions=["--slide"])

    def test_pdf_is_tagged_with_alternative_text(self):
        # Section 508: a tagged PDF with its title shown and its language set, the map a
        # figure whose alternative text is drawn from the data it shows.
        out = self.path("map.pdf")
        _, result, _ = run("export-map", DEMO, *MAP, "--out", out)
        info = subprocess.run(["pdfinfo", out], capture_output=True, text=True,
                              check=True).stdout
        self.assertRegex(info, r"Tagged:\s+yes")
        subprocess.run(["qpdf", "--check", out], capture_output=True, check=True)
        catalog, elements = pdf_structure(out)
        self.assertEqual(catalog["/Lang"], "u:en-US")
        self.assertTrue(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
        kinds = [kind for kind, _ in elements]
        self.assertEqual(kinds[:3], ["Document", "H1", "P"])
        figures = [e for kind, e in elements if kind == "Figure"]
        self.assertEqual(len(figures), 1)
        alt = figures[0]["/Alt"]
        self.assertTrue(alt.startswith("u:Choropleth map of Asthma emergency visits"))
        # The highest rate shown, by name, as the rates command gives it.
        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        top = max((r for r in rates if r["rate"] is not None), key=lambda r: r["rate"])
        with sqlite3.connect(f"file:{DEMO}?mode=ro", uri=True) as db:
            name = db.execute("SELECT name FROM area WHERE geoid = ?",
                              (top["geoid"],)).fetchone()[0]
        db.close()
        self.assertIn(f"Highest rates in {name} ", alt)
        _, classes, _ = run("classify", DEMO, *MAP, "--method", "quantile")
        self.assertIn(f"{len(classes['breaks']) - 1} classes", alt)
        self.assertIn(f"{result['suppressed']} areas suppressed", alt)

    def test_svg_is_well_formed(self):
        out = self.path("map.svg")
        run("export-map", DEMO, *MAP, "--page", "a4", "--out", out)
        root = ET.parse(out).getroot()
        self.assertTrue(root.tag.endswith("svg"))
        self.assertTrue(root.get("width").startswith("595"))
        self.assertGreater(len(list(root.iter())), 100)

    def test_each_export_is_audited(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        before = audit_actions(project).count("export-map")
        for name in ("a.png", "a.svg", "a.pdf"):
            run("export-map", project, *MAP, "--out", self.path(name))
        self.assertEqual(audit_actions(project).count("export-map"), before + 3)

    def test_extent_zooms_in(self):
        out = self.path("map.png")
        _, whole, _ = run("export-map", DEMO, *MAP, "--width", "800", "--height", "600",
                          "--out", out)
        _, part, _ = run("export-map", DEMO, *MAP, "--width", "800", "--height", "600",
                         "--extent", "-71.12,42.30,-71.02,42.38", "--out", out)
        self.assertLess(part["map_extent"][2] - part["map_extent"][0],
                        (whole["map_extent"][2] - whole["map_extent"][0]) / 3)
        self.assertLessEqual(part["map_extent"][0], -71.12)
        self.assertGreaterEqual(part["map_extent"][2], -71.02)

    def test_extent_legend_counts_the_areas_shown(self):
        out = self.path("part.pdf")
        _, whole, _ = run("export-map", DEMO, *MAP, "--page", "letter", "--out", out)
        whole_text = raw_text(out)
        _, part, _ = run("export-map", DEMO, *MAP, "--page", "letter",
                         "--extent", "-71.12,42.30,-71.02,42.38", "--out", out)
        text = raw_text(out)
        self.assertNotIn("areas shown", whole_text)
        self.assertIn("areas shown", text)
        pattern = rf"Suppressed \(fewer than {K} events\) (\d+)"
        shown = int(re.search(pattern, text).group(1))
        _, rates, _ = run("rates", DEMO, *MAP, "--stratum", "all")
        n_suppressed = status_counts(rates)["suppressed"]
        self.assertEqual(int(re.search(pattern, whole_text).group(1)), n_suppressed)
        self.assertGreater(shown, 0)
        self.assertLess(shown, n_suppressed)

    def test_bad_input_is_refused(self):
        project = self.path("demo.tractwise")
        shutil.copy(DEMO, project)
        self.assertRefused(project, "export-map", project, *MAP, "--out", self.path("m.jpg"),
                           mentions=[".png, .svg or .pdf"])
        self.assertRefused(project, "export-map", project, *MAP, "--width", "900", "--height",
                           "700", "--page", "a4", "--out", self.path("m.png"))
        self.assertRefused(project, "export-map", project, *MAP, "--page", "tabloid",
                           "--out", self.path("m.pdf"), mentions=["letter, a4 or slide"])
        self.assertRefused(project, "export-map", project, *MAP, "--extent", "1,2,3",
                           "--out", self.path("m.pdf"), mentions=["--extent"])
        self.assertRefused(project, "export-map", project, "--measure", "asthma_ed",
                           "--period", "1999", "--out", self.path("m.pdf"),
                           mentions=["1999", "--period"])
        # No analyst view for exports.
        self.assertRefused(project, "export-map", project, *MAP, "--reveal",
                           "--out", self.path("m.pdf"))
        self.assertFalse(os.path.exists(self.path("m.pdf")))


if __name__ == "__main__":
    unittest.main()
