# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the export, brief and share tests: the demo project with partners and
projects, PNG pixels, area interiors, the audit log. Standard library only."""
import html
import json
import math
import os
import re
import sqlite3
import struct
import subprocess
import tempfile
import zlib

from twtest import CLI, SOURCE_ROOT, run

K = 11  # the demo's policy: CMS


def make_demo(directory):
    """The demo project (synthetic Boston outcomes with many small counts) with two
    partners and two projects on Boston tracts."""
    out = os.path.join(directory, "demo.tractwise")
    subprocess.run([os.path.join(SOURCE_ROOT, "build-aux", "make-demo"), CLI, out], check=True)
    run("partner", "add", out, "--name", "Dorchester Family Health", "--kind", "clinic",
        "--contact", "Ana Ruiz", "--email", "ana@dfh.example.org", "--phone", "555-0100",
        "--agreement", "mou")
    run("partner", "add", out, "--name", "Roxbury Youth League", "--kind",
        "community-based organization", "--email", "info@ryl.example.org")
    run("project", "add", out, "--title", "Asthma home visits", "--partner",
        "Dorchester Family Health:lead", "--measure", "asthma_ed", "--geography",
        "Boston tracts", "--areas", "0901,0902,0903,0904,0905", "--start", "2020-01-01",
        "--end", "2021-12-31", "--status", "active", "--goal-percent", "10")
    run("project", "add", out, "--title", "School diabetes outreach", "--partner",
        "Roxbury Youth League", "--measure", "diabetes_uncontrolled", "--geography",
        "Boston tracts", "--areas", "0801,0802,0803", "--start", "2021-06-01",
        "--status", "planned")
    return out


def audit_actions(project):
    con = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY id")]
    finally:
        con.close()


def pdf_text(path):
    return subprocess.run(["pdftotext", "-raw", path, "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def pdf_font_sizes(path):
    """The size in points of every run of text in a PDF that cairo wrote: cairo sets each
    run with a text matrix "s 0 0 -s x y Tm" and a unit font size."""
    with open(path, "rb") as f:
        data = f.read()
    sizes = []
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        try:
            content = zlib.decompress(data[m.end():end])
        except zlib.error:
            continue  # an image or a font
        sizes += [float(s) for s in re.findall(
            rb"(?:^|\s)([\d.]+) 0 0 -?[\d.]+ -?[\d.]+ -?[\d.]+ Tm", content)]
    return sizes


def pdf_words(path):
    """Each page of a PDF as (width, height, [(x0, y0, x1, y1, word)]) in points from the
    top left, through pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for width, height, body in re.findall(
            r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">(.*?)</word>', body)]
        pages.append((float(width), float(height), words))
    return pages


def overlapping_words(words):
    """The pairs of words whose boxes overlap by more than half a point."""
    return [(w[4], v[4]) for i, w in enumerate(words) for v in words[:i]
            if w[0] < v[2] - 0.5 and v[0] < w[2] - 0.5 and w[1] < v[3] - 0.5
            and v[1] < w[3] - 0.5]


def read_png(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(line)
        previous = line
    return width, height, [[tuple(r[x * channels:x * channels + 3]) for x in range(width)]
                           for r in rows]


def world(lon, lat):
    """Web Mercator on the unit square, as the renderer draws."""
    x = (lon + 180.0) / 360.0
    s = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return x, y


def rings_of(wkb):
    """The rings of a (multi)polygon in little- or big-endian ISO WKB, as lists of (x, y)."""
    rings, pos = [], 0

    def read(fmt, n):
        nonlocal pos
        value = struct.unpack(fmt, wkb[pos:pos + n])
        pos += n
        return value

    def geometry():
        order = "<" if read("B", 1)[0] == 1 else ">"
        kind = read(order + "I", 4)[0] % 1000
        if kind == 3:
            for _ in range(read(order + "I", 4)[0]):
                n = read(order + "I", 4)[0]
                pts = [read(order + "dd", 16) for _ in range(n)]
                rings.append(pts)
        elif kind == 6:
            for _ in range(read(order + "I", 4)[0]):
                geometry()
        else:
            raise ValueError(f"geometry type {kind}")

    geometry()
    return rings


def interior_point(rings):
    """A point well inside the area: the middle of the widest run of a horizontal line
    through the middle of its box, with the run's width (even-odd rule)."""
    ys = [y for r in rings for _, y in r]
    best = (None, 0.0)
    for frac in (0.5, 0.4, 0.6, 0.3, 0.7):
        y = min(ys) + (max(ys) - min(ys)) * frac
        xs = []
        for r in rings:
            for (x0, y0), (x1, y1) in zip(r, r[1:]):
                if (y0 <= y) != (y1 <= y):
                    xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
        xs.sort()
        for a, b in zip(xs[0::2], xs[1::2]):
            if b - a > best[1]:
                best = (((a + b) / 2, y), b - a)
    return best


def area_geometries(project, geography):
    con = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        return {geoid: rings_of(geom) for geoid, geom in con.execute(
            "SELECT a.geoid, a.geom FROM area a JOIN geography g ON g.id = a.geography_id "
            "WHERE g.name = ?", (geography,))}
    finally:
        con.close()


def temp_dir():
    return tempfile.mkdtemp(prefix="tw-export-test-")


def pdf_structure(path):
    """The PDF's catalog and its structure elements in reading order, as (type, dict), through
    qpdf's JSON."""
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=none", path],
                         capture_output=True, text=True, check=True).stdout
    objects = json.loads(out)["qpdf"][1]

    def value(ref):
        return objects.get("obj:" + ref, {}).get("value")

    catalog = value(objects["trailer"]["value"]["/Root"])
    elements = []

    def walk(kids):
        if isinstance(kids, list):
            for kid in kids:
                walk(kid)
        elif isinstance(kids, str) and kids.endswith(" R"):
            element = value(kids)
            if isinstance(element, dict):
                elements.append((element.get("/S", "")[1:], element))
                walk(element.get("/K"))

    tree = value(catalog["/StructTreeRoot"]) if "/StructTreeRoot" in catalog else {}
    walk(tree.get("/K"))
    return catalog, elements
