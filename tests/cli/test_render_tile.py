# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/render-tile: the map's own renderer on the demo project — each area in its class's
ColorBrewer colour, unreliable areas hatched over it one way, suppressed areas hatched the
other way, areas without data grey; bad input."""
import math
import os
import struct
import subprocess
import tempfile
import unittest
import zlib

from twtest import CLI, SOURCE_ROOT, CliTestCase, run

SIDS = ("--measure", "sids", "--period", "1974-1978")
NC = "North Carolina counties"
BOSTON = "Boston tracts"

# ColorBrewer 2.0 (Cynthia Brewer, colorbrewer2.org), 5 classes.
YLORRD_5 = [(0xFF, 0xFF, 0xB2), (0xFE, 0xCC, 0x5C), (0xFD, 0x8D, 0x3C), (0xF0, 0x3B, 0x20),
            (0xBD, 0x00, 0x26)]
BLUES_5 = [(0xEF, 0xF3, 0xFF), (0xBD, 0xD7, 0xE7), (0x6B, 0xAE, 0xD6), (0x31, 0x82, 0xBD),
           (0x08, 0x51, 0x9C)]


def read_png(path):
    """Decodes an 8-bit RGB or RGBA PNG (what cairo writes): (width, height, rows of
    (r, g, b, a) tuples)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 4 if color == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xff
            elif kind == 2:
                line[i] = (line[i] + b) & 0xff
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xff
        rows.append([tuple(line[x * channels:x * channels + channels]) + ((255,) if channels == 3 else ())
                     for x in range(width)])
        prev = line
    return width, height, rows


def tile_of(lon, lat, z, size=256):
    """The tile holding (lon, lat) at zoom z, and the pixel of the point in it."""
    n = 2 ** z
    x = (lon + 180) / 360 * n
    lat = math.radians(lat)
    y = (1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * n
    return int(x), int(y), int((x - int(x)) * size), int((y - int(y)) * size)


def class_of(breaks, value):
    for i in range(len(breaks) - 1):
        if value <= breaks[i + 1]:
            return i
    return len(breaks) - 2


def block(rows, px, py, radius):
    return [[rows[y][x][:3] for x in range(px - radius, px + radius + 1)]
            for y in range(py - radius, py + radius + 1)]


def most_common(pixels):
    counts = {}
    for row in pixels:
        for rgb in row:
            counts[rgb] = counts.get(rgb, 0) + 1
    return max(counts, key=counts.get)


def hatch_directions(pixels, is_line):
    """How many line pixels continue down to the right ("\\") and up to the right ("/")."""
    down = up = 0
    for y in range(1, len(pixels) - 1):
        for x in range(len(pixels[y]) - 1):
            if is_line(pixels[y][x]):
                down += is_line(pixels[y + 1][x + 1])
                up += is_line(pixels[y - 1][x + 1])
    return down, up


def hex_rgb(text):
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


class RenderTileTest(CliTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmpdir = tempfile.TemporaryDirectory()
        cls.demo = os.path.join(cls.tmpdir.name, "demo.tractwise")
        subprocess.run([os.path.join(SOURCE_ROOT, "build-aux", "make-demo"), CLI, cls.demo],
                       check=True)
        _, areas, _ = run("areas", cls.demo, "--geography", NC)
        cls.nc = {a["geoid"]: a for a in areas}
        _, areas, _ = run("areas", cls.demo, "--geography", BOSTON)
        cls.boston = {a["geoid"]: a for a in areas}
        cls.tiles = {}

    @classmethod
    def tearDownClass(cls):
        cls.tmpdir.cleanup()

    def render(self, project, z, x, y, *args):
        key = (project, z, x, y, args)
        if key not in self.tiles:
            out = os.path.join(self.tmpdir.name, f"tile-{len(self.tiles)}.png")
            _, info, _ = run("render-tile", project, *args, "--z", z, "--x", x, "--y", y,
                             "--out", out)
            self.assertEqual(info["out"], out)
            self.tiles[key] = (info, read_png(out))
        return self.tiles[key]

    def pixel_at(self, project, area, z, *args):
        tx, ty, px, py = tile_of(*area["centroid"], z)
        info, (_, _, rows) = self.render(project, z, tx, ty, *args)
        return info, rows, px, py

    def test_each_county_has_its_class_colour(self):
        _, rates, _ = run("rates", self.demo, *SIDS)
        _, classes, _ = run("classify", self.demo, *SIDS, "--method", "natural",
                            "--classes", "5")
        checked = 0
        for row in rates:
            if row["suppressed"]:
                continue
            expected = YLORRD_5[class_of(classes["breaks"], row["rate"])]
            info, rows, px, py = self.pixel_at(self.demo, self.nc[row["geoid"]], 8, *SIDS,
                                               "--method", "natural", "--classes", "5")
            self.assertEqual(info["breaks"], classes["breaks"])
            if row["status"] == "shown":
                self.assertEqual(rows[py][px], expected + (255,),
                                 f"county {row['geoid']} (rate {row['rate']})")
            else:
                # An unreliable county: its class colour between the hatch's lines.
                self.assertEqual(row["status"], "unreliable")
                self.assertEqual(most_common(block(rows, px, py, 3)), expected,
                                 f"county {row['geoid']} (rate {row['rate']})")
            checked += 1
        self.assertGreaterEqual(checked, 25)

    def test_unreliable_county_is_hatched_the_other_way(self):
        _, rates, _ = run("rates", self.demo, *SIDS)
        _, classes, _ = run("classify", self.demo, *SIDS, "--method", "natural")
        # Alamance (37001): 13 deaths, shown, but under 20 events: unreliable.
        row = next(r for r in rates if r["geoid"] == "37001")
        self.assertEqual((row["status"], row["numerator"]), ("unreliable", 13))
        info, rows, px, py = self.pixel_at(self.demo, self.nc["37001"], 8, *SIDS,
                                           "--method", "natural")
        fill = hex_rgb(info["colors"][class_of(classes["breaks"], row["rate"])])
        pixels = block(rows, px, py, 6)
        self.assertEqual(most_common(pixels), fill)

        def dark(rgb):
            return sum(fill) - sum(rgb) > 90

        n_dark = sum(dark(rgb) for line in pixels for rgb in line)
        self.assertGreater(n_dark, 169 // 16, "no hatch line over the unreliable county")
        down, up = hatch_directions(pixels, dark)
        self.assertGreater(down, 3 * up, "the unreliable hatch should run down to the right")

        # Ashe (37009), suppressed: its hatch runs the other way, so the two never read alike.
        info, rows, px, py = self.pixel_at(self.demo, self.nc["37009"], 8, *SIDS,
                                           "--method", "natural")
        hatch = hex_rgb(info["hatch_color"])
        down, up = hatch_directions(block(rows, px, py, 6),
                                    lambda rgb: all(abs(a - b) <= 40 for a, b in zip(rgb, hatch)))
        self.assertGreater(up, 3 * down, "the suppressed hatch should run up to the right")

    def test_palette_option(self):
        _, classes, _ = run("classify", self.demo, *SIDS, "--method", "quantile",
                            "--classes", "5")
        _, rates, _ = run("rates", self.demo, *SIDS)
        # Mecklenburg (37119): 44 deaths, well above the threshold.
        row = next(r for r in rates if r["geoid"] == "37119")
        self.assertFalse(row["suppressed"])
        k = len(classes["counts"])
        info, rows, px, py = self.pixel_at(self.demo, self.nc["37119"], 8, *SIDS,
                                           "--method", "quantile", "--classes", "5",
                                           "--palette", "Blues")
        self.assertEqual(info["palette"], "Blues")
        if k == 5:
            self.assertEqual(rows[py][px][:3], BLUES_5[class_of(classes["breaks"], row["rate"])])
        self.assertEqual(rows[py][px][:3], hex_rgb(info["colors"][class_of(classes["breaks"], row["rate"])]))

    def assertHatched(self, rows, px, py, info, radius):
        fill = hex_rgb(info["suppressed_color"])
        hatch = hex_rgb(info["hatch_color"])
        classes = {hex_rgb(c) for c in info["colors"]}
        seen_fill = seen_hatch = 0
        for y in range(py - radius, py + radius + 1):
            for x in range(px - radius, px + radius + 1):
                rgb = rows[y][x][:3]
                self.assertNotIn(rgb, classes, f"a class colour at {x},{y} of a hidden area")
                if rgb == fill:
                    seen_fill += 1
                # Hatch lines are antialiased: their darkest pixels are near the hatch colour.
                if all(abs(a - b) <= 40 for a, b in zip(rgb, hatch)):
                    seen_hatch += 1
        self.assertGreater(seen_fill, 0, "no background of the hatching")
        self.assertGreater(seen_hatch, 0, "no hatch line")

    def test_suppressed_county_is_hatched(self):
        _, rates, _ = run("rates", self.demo, *SIDS)
        # Ashe (37009): 1 death, suppressed under the default policy (k = 11).
        self.assertTrue(next(r for r in rates if r["geoid"] == "37009")["suppressed"])
        info, rows, px, py = self.pixel_at(self.demo, self.nc["37009"], 8, *SIDS,
                                           "--method", "natural")
        self.assertHatched(rows, px, py, info, 4)

    def test_suppressed_boston_tract_is_hatched(self):
        args = ("--measure", "asthma_ed", "--period", "2019", "--stratum", "black",
                "--geography", BOSTON)
        _, rates, _ = run("rates", self.demo, *args[:6])
        hidden = [r["geoid"] for r in rates if r["suppressed"]]
        self.assertGreater(len(hidden), 100)

        def size(geoid):
            b = self.boston[geoid]["bbox"]
            return (b[2] - b[0]) * (b[3] - b[1])

        tract = self.boston[max(hidden, key=size)]
        info, rows, px, py = self.pixel_at(self.demo, tract, 14, *args)
        self.assertHatched(rows, px, py, info, 4)

    def test_area_without_data_is_grey(self):
        p = self.nc_project()
        csv = self.path("some.csv")
        with open(csv, "w") as f:
            f.write("geoid,measure,period,stratum,numerator,denominator\n")
            f.write("37001,visits,2020,all,40,1000\n37003,visits,2020,all,20,1000\n"
                    "37005,visits,2020,all,30,1000\n37007,visits,2020,all,50,1000\n")
        run("import-outcomes", p, csv, "--kind", "rate", "--per", "1000")
        # Mecklenburg has no row.
        info, rows, px, py = self.pixel_at(p, self.nc["37119"], 8, "--measure", "visits",
                                           "--period", "2020")
        self.assertEqual(info["no_data_color"], "#BDBDBD")
        self.assertEqual(rows[py][px], (0xBD, 0xBD, 0xBD, 255))
        self.assertEqual(info["no_data"], 96)

    def test_outside_the_areas_is_transparent(self):
        # The Atlantic east of Cape Hatteras.
        tx, ty, _, _ = tile_of(-70.0, 34.0, 8)
        _, (w, h, rows) = self.render(self.demo, 8, tx, ty, *SIDS)
        self.assertEqual((w, h), (256, 256))
        self.assertTrue(all(p[3] == 0 for row in rows for p in row))

    def test_bad_input_is_refused(self):
        out = self.path("t.png")
        tile = ("--z", "8", "--x", "71", "--y", "100", "--out", out)
        cases = [
            (["--measure", "nosuch", "--period", "1974-1978", *tile], "nosuch"),
            ([*SIDS, "--method", "manual", "--breaks", "1,,2", *tile], "--breaks"),
            ([*SIDS, "--z", "23", "--x", "0", "--y", "0", "--out", out], "--z"),
            ([*SIDS, "--z", "-1", "--x", "0", "--y", "0", "--out", out], "--z"),
            ([*SIDS, "--z", "3", "--x", "8", "--y", "0", "--out", out], "--x"),
            ([*SIDS, "--z", "8", "--x", "71", "--y", "100"], "--out"),
            ([*SIDS, "--palette", "Rainbow", *tile], "Rainbow"),
            ([*SIDS, "--size", "0", *tile], "--size"),
            ([*SIDS, "--z", "8", "--x", "71", "--y", "100", "--out",
              os.path.join(self.tmp, "no", "such", "dir", "t.png")], "t.png"),
        ]
        for args, word in cases:
            with self.subTest(args=args):
                self.assertRefused(self.demo, "render-tile", self.demo, *args, mentions=[word])
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
