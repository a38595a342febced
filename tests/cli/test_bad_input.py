# SPDX-License-Identifier: GPL-3.0-or-later
"""/cli/bad-input: a table of hostile and broken inputs to every import and to the
command line. Each must be refused with exit status 2, exactly one line on stderr that names
the file and the row, feature or field (or the option), a project file whose bytes did not
change, and no -wal, -shm or -journal file left beside it.

The inputs are made here, small: CSV and GeoJSON as text, XLSX and ODS with ogr2ogr
(gdal-bin), Shapefiles by a minimal writer below (so that they can hold NaN and bytes that
are not UTF-8)."""
import hashlib
import os
import shutil
import struct
import subprocess
import tempfile
import unittest

from twtest import CLI, fixture, run

OK = (-71.0, 42.0)

# ------------------------------------------------------------------ making inputs


def write(path, data):
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def square(x=-79.0, y=36.0, d=0.1):
    return [(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)]


def geojson(features, crs=None):
    """@features: (properties, ring or geometry dict) pairs; rings are lists of points, written
    with repr() so that NaN and inf come out as GDAL's reader takes them."""
    def coords(ring):
        return "[" + ",".join(f"[{x!r},{y!r}]".replace("nan", "NaN").replace("inf", "Infinity")
                              for x, y in ring) + "]"
    parts = []
    for props, geom in features:
        p = ",".join(f'"{k}":{v}' if isinstance(v, (int, float)) else f'"{k}":"{v}"'
                     for k, v in props.items())
        if isinstance(geom, str):
            g = geom
        else:
            g = '{"type":"Polygon","coordinates":[' + coords(geom) + "]}"
        parts.append('{"type":"Feature","properties":{' + p + '},"geometry":' + g + "}")
    head = '{"type":"FeatureCollection",'
    if crs:
        head += '"crs":{"type":"name","properties":{"name":"' + crs + '"}},'
    return head + '"features":[' + ",".join(parts) + "]}"


def shapefile(base, records, prj=None, cpg=None):
    """A polygon Shapefile: @records are (fields dict of bytes/str, ring). Fields are
    character fields of 40 bytes (or longer when a value is)."""
    names = list(records[0][0].keys())
    widths = {n: max(40, *(len(v if isinstance(v, bytes) else v.encode()) for v in
                           (r[0][n] for r in records))) for n in names}
    contents = []
    for _, ring in records:
        xs = [x for x, _ in ring if x == x]
        ys = [y for _, y in ring if y == y]
        box = (min(xs or [0]), min(ys or [0]), max(xs or [0]), max(ys or [0]))
        c = struct.pack("<i4d2i", 5, *box, 1, len(ring)) + struct.pack("<i", 0)
        for x, y in ring:
            c += struct.pack("<2d", x, y)
        contents.append(c)
    allx = [x for _, r in records for x, _ in r if x == x] or [0]
    ally = [y for _, r in records for _, y in r if y == y] or [0]

    def header(length_bytes):
        return (struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_bytes // 2)
                + struct.pack("<2i", 1000, 5)
                + struct.pack("<8d", min(allx), min(ally), max(allx), max(ally), 0, 0, 0, 0))

    shp, shx, offset = b"", b"", 100
    for i, c in enumerate(contents):
        shp += struct.pack(">2i", i + 1, len(c) // 2) + c
        shx += struct.pack(">2i", offset // 2, len(c) // 2)
        offset += 8 + len(c)
    write(base + ".shp", header(100 + len(shp)) + shp)
    write(base + ".shx", header(100 + len(shx)) + shx)

    record_length = 1 + sum(widths.values())
    dbf = struct.pack("<B3BIHH20x", 3, 124, 1, 1, len(records), 32 + 32 * len(names) + 1,
                      record_length)
    for n in names:
        dbf += struct.pack("<11sc4xBB14x", n.encode(), b"C", widths[n], 0)
    dbf += b"\r"
    for fields, _ in records:
        dbf += b" "
        for n in names:
            v = fields[n] if isinstance(fields[n], bytes) else fields[n].encode()
            dbf += v.ljust(widths[n], b" ")
    write(base + ".dbf", dbf + b"\x1a")
    if prj:
        write(base + ".prj", prj)
    if cpg:
        write(base + ".cpg", cpg)
    return base + ".shp"


def esri_wkt(code):
    out = subprocess.run(["gdalsrsinfo", "-o", "wkt_esri", "--single-line", f"EPSG:{code}"],
                         capture_output=True, text=True, check=True).stdout
    return "".join(l for l in out.splitlines() if l.strip())


def ogr2ogr(dest, fmt, source):
    subprocess.run(["ogr2ogr", "-f", fmt, dest, source], check=True, capture_output=True)
    return dest


OUTCOME_HEADER = "geoid,measure,period,stratum,numerator,denominator"


def outcome_csv(*rows, header=OUTCOME_HEADER, first="37009,lowbw,2030,all,13,1410"):
    """A long table whose first row is good, so that the bad one is row 2."""
    lines = [header] + ([first] if first else []) + list(rows)
    return "\n".join(lines) + "\n"


ATTR_HEADER = "FIPS,SCORE"


def attr_csv(*rows):
    return "\n".join([ATTR_HEADER, "37009,0.5"] + list(rows)) + "\n"


# ------------------------------------------------------------------ the table
#
# Each case: (name, how to make the input or None, arguments after the project with {src}
# for the input, words the one stderr line must hold). {base} in a word is the input's file
# name.

CASES = []


def case(name, make, args, mentions):
    CASES.append((name, make, args, mentions))


def area(name, make, mentions, extra=()):
    case("areas/" + name, make, ["import-areas", "{project}", "{src}", *extra], mentions)


def outcomes(name, text, mentions, extra=(), suffix=".csv"):
    make = text if callable(text) else (lambda d, n, t=text: write(os.path.join(d, n + suffix), t))
    case("outcomes/" + name, make, ["import-outcomes", "{project}", "{src}", *extra], mentions)


def attributes(name, text, mentions, fields="SCORE", extra=()):
    make = lambda d, n, t=text: write(os.path.join(d, n + ".csv"), t)
    case("attributes/" + name, make, ["import-attributes", "{project}", "{src}",
                                      "--geoid-field", "FIPS", "--fields", fields, *extra],
         mentions)


def gj(features, crs=None):
    return lambda d, n: write(os.path.join(d, n + ".geojson"), geojson(features, crs))


def gj_bad(ring, props=None):
    """A good square (feature 1), then @ring (feature 2)."""
    return gj([({"GEOID": "A1"}, square()), (props or {"GEOID": "A2"}, ring)])


def shp(records, prj=None, cpg=None):
    def make(d, n):
        os.mkdir(os.path.join(d, n))
        return shapefile(os.path.join(d, n, n), records, prj, cpg)
    return make


def lonlat_records(n=3):
    return [({"GEOID": f"T{i}", "NAME": f"Tract {i}"}, square(-71.1 + 0.01 * i, 42.3, 0.01))
            for i in range(n)]


nan, inf = float("nan"), float("inf")

# Areas: broken files
area("empty-geojson", lambda d, n: write(os.path.join(d, n + ".geojson"), ""), ["{base}"])
area("not-json", lambda d, n: write(os.path.join(d, n + ".geojson"), "{\"type\": "), ["{base}"])
area("random-bytes-shp", lambda d, n: write(os.path.join(d, n + ".shp"), os.urandom(512)),
     ["{base}"])
area("empty-shp", lambda d, n: write(os.path.join(d, n + ".shp"), b""), ["{base}"])
area("no-features", gj([]), ["{base}"])
area("truncated-shapefile", lambda d, n: fixture("areas", "nc_truncated", "nc.shp"),
     ["nc.shp", "feature"], extra=["--geography", "truncated"])
area("shapefile-without-dbf", lambda d, n: fixture("areas", "nc_nodbf", "nc.shp"), ["nc"])
area("truncated-geojson", lambda d, n: fixture("areas", "nc_truncated.geojson"),
     ["nc_truncated.geojson"])
area("no-such-file", lambda d, n: os.path.join(d, "missing.shp"), ["missing.shp"])
area("zip-without-shapefile", lambda d, n: write(os.path.join(d, n + ".zip"),
                                                 b"PK\x05\x06" + b"\0" * 18), ["{base}"])
area("kml-not-xml", lambda d, n: write(os.path.join(d, n + ".kml"), "<kml><Document"),
     ["{base}"])
area("csv-table-as-areas", lambda d, n: write(os.path.join(d, n + ".csv"), "GEOID,x\n1,2\n"),
     ["{base}"])
# Areas: coordinates
area("nan-vertex", gj_bad([(-79.0, 36.0), (nan, 36.0), (-78.9, 36.1), (-79.0, 36.0)]),
     ["{base}", "feature 2", "finite"])
area("infinite-vertex", gj_bad([(-79.0, 36.0), (inf, 36.0), (-78.9, 36.1), (-79.0, 36.0)]),
     ["{base}", "feature 2", "finite"])
area("minus-infinite-vertex", gj_bad([(-79.0, 36.0), (-79.0, -inf), (-78.9, 36.1),
                                      (-79.0, 36.0)]), ["{base}", "feature 2", "finite"])
area("huge-coordinates", gj_bad([(-79.0, 36.0), (1e300, 36.0), (-78.9, 36.1), (-79.0, 36.0)]),
     ["{base}", "EPSG:4326"])
area("latitude-beyond-pole", gj_bad([(-79.0, 36.0), (-79.0, 95.0), (-78.9, 36.1),
                                     (-79.0, 36.0)]), ["{base}", "EPSG:4326"])
area("zero-size-polygon", gj_bad([(-79.0, 36.0)] * 4), ["{base}", "feature 2", "without area"])
area("collinear-polygon", gj_bad([(-79.0, 36.0), (-78.9, 36.0), (-78.8, 36.0), (-79.0, 36.0)]),
     ["{base}", "feature 2", "without area"])
area("two-point-ring", gj_bad([(-79.0, 36.0), (-78.9, 36.0), (-79.0, 36.0)]),
     ["{base}", "feature 2", "without area"])
area("microscopic-polygon", gj_bad(square(-79.0, 36.0, 1e-9)),
     ["{base}", "feature 2", "without area"])
area("nan-vertex-shapefile",
     shp([({"GEOID": "A1"}, square()),
          ({"GEOID": "A2"}, [(-79.0, 36.0), (nan, 36.0), (-78.9, 36.1), (-79.0, 36.0)])],
         prj=esri_wkt(4326)),
     ["{base}.shp", "feature 2", "finite"])
area("nan-vertex-at-feature-3",
     gj([({"GEOID": "A1"}, square()), ({"GEOID": "A2"}, square(-78.0)),
         ({"GEOID": "A3"}, [(nan, nan)] * 4)]), ["{base}", "feature 3"])
# Areas: Shapefiles broken byte by byte (the first record's content starts at byte 108)


def patched_shp(offset, data, part=".shp", records=None):
    def make(d, n):
        path = shp(records or [({"GEOID": "A1"}, square()), ({"GEOID": "A2"}, square(-78.0))],
                   prj=esri_wkt(4326))(d, n)
        target = path[:-4] + part
        with open(target, "rb") as f:
            b = bytearray(f.read())
        if data is None:
            b = b[:offset]
        else:
            b[offset:offset + len(data)] = data
        write(target, bytes(b))
        return path
    return make


area("shp-parts-count-huge", patched_shp(108 + 36, struct.pack("<i", 0x7fffffff)),
     ["{base}.shp", "feature 1"])
area("shp-points-count-huge", patched_shp(108 + 40, struct.pack("<i", 0x7fffffff)),
     ["{base}.shp", "feature 1"])
area("shp-part-start-beyond-points", patched_shp(108 + 44, struct.pack("<i", 1000)),
     ["{base}.shp", "feature 1"])
area("shp-part-start-negative", patched_shp(108 + 44, struct.pack("<i", -5)),
     ["{base}.shp", "feature 1"])
area("shx-offset-beyond-file", patched_shp(100, struct.pack(">i", 0x7fffff00), ".shx"),
     ["{base}.shp", "feature 1"])
area("shp-cut-in-a-record", patched_shp(180, None), ["{base}.shp", "feature 1"])
area("dbf-header-length-garbage", patched_shp(8, struct.pack("<H", 65535), ".dbf"),
     ["{base}.shp", ".dbf"])
area("shp-ring-of-three-points", shp([({"GEOID": "A1"}, square()[:3])], prj=esri_wkt(4326)),
     ["{base}.shp", "feature 1", "without area"])
area("shp-ring-not-closed", shp([({"GEOID": "A1"}, square()[:-1])], prj=esri_wkt(4326)),
     ["{base}.shp", "feature 1", "without area"])
area("shp-ring-of-one-point", shp([({"GEOID": "A1"}, [(-79.0, 36.0)])], prj=esri_wkt(4326)),
     ["{base}.shp", "feature 1", "without area"])
area("shp-ring-without-points", shp([({"GEOID": "A1"}, [])], prj=esri_wkt(4326)),
     ["{base}.shp", "feature 1", "empty geometry"])
# Areas: ids and names
area("id-not-utf8", shp([({"GEOID": b"A\xff1", "NAME": "x"}, square())], prj=esri_wkt(4326)),
     ["{base}.shp", "feature 1", "GEOID", "UTF-8"])
area("name-not-utf8", shp([({"GEOID": "A1", "NAME": b"Pe\xf1a"}, square())],
                          prj=esri_wkt(4326)),
     ["{base}.shp", "feature 1", "NAME", "UTF-8"])
area("name-not-utf8-with-cpg", shp([({"GEOID": "A1", "NAME": b"\xc3\x28"}, square())],
                                   prj=esri_wkt(4326), cpg="UTF-8"),
     ["{base}.shp", "feature 1", "NAME", "UTF-8"])
area("id-with-newline", gj_bad(square(-78.0), {"GEOID": "A\\n2"}),
     ["{base}", "feature 2", "GEOID", "line break"])
area("id-with-control-byte", gj_bad(square(-78.0), {"GEOID": "A\\u00012"}),
     ["{base}", "feature 2", "GEOID", "control"])
area("name-with-newline", gj([({"GEOID": "A1", "NAME": "North\\nSouth"}, square())]),
     ["{base}", "feature 1", "NAME", "line break"])
area("id-of-100-characters", gj_bad(square(-78.0), {"GEOID": "9" * 100}),
     ["{base}", "feature 2", "GEOID", "64"])
area("name-of-300-characters", gj([({"GEOID": "A1", "NAME": "n" * 300}, square())]),
     ["{base}", "feature 1", "NAME", "256"])
area("every-id-empty", gj([({"GEOID": ""}, square()), ({"GEOID": ""}, square(-78.0))]),
     ["{base}", "feature 1", "no id"])
area("only-points", gj([({"GEOID": "A1"}, '{"type":"Point","coordinates":[-79,36]}')]),
     ["{base}", "feature 1", "not a polygon"])
area("only-empty-geometries", gj([({"GEOID": "A1"}, "null")]),
     ["{base}", "feature 1", "empty geometry"])
area("file-name-not-utf8",
     lambda d, n: write(os.path.join(d, "b\udce9.geojson"),
                        geojson([({"GEOID": "A1"}, square())])),
     ["b\ufffd.geojson", "--geography"])
# Areas: coordinate reference systems
area("utm-prj-on-lonlat", shp(lonlat_records(), prj=esri_wkt(32619)),
     ["{base}.shp", "EPSG:32619", "--assume-crs EPSG:4326"])
area("state-plane-prj-on-lonlat", shp(lonlat_records(), prj=esri_wkt(26986)),
     ["{base}.shp", "EPSG:26986", "--assume-crs EPSG:4326"])
area("lonlat-prj-on-projected",
     shp([({"GEOID": "A1"}, square(230000.0, 900000.0, 1000.0))], prj=esri_wkt(4326)),
     ["{base}.shp", "EPSG:4326", "--assume-crs"])
area("geojson-crs-member-utm-on-lonlat",
     gj([({"GEOID": "A1"}, square()), ({"GEOID": "A2"}, square(-78.0))],
        crs="urn:ogc:def:crs:EPSG::32617"), ["{base}", "EPSG:32617", "EPSG:4326"])
area("lambert93-prj-on-state-plane",
     shp([({"GEOID": "A1"}, square(600000.0, 200000.0, 1000.0))], prj=esri_wkt(2154)),
     ["{base}.shp", "EPSG:2154", "--assume-crs EPSG:NNNN"])
area("no-crs-projected", shp([({"GEOID": "A1"}, square(230000.0, 900000.0, 1000.0))]),
     ["{base}.shp", "--assume-crs"])
area("assume-crs-not-a-crs", shp(lonlat_records()), ["{base}.shp", "--assume-crs"],
     extra=["--assume-crs", "EPSG:not-a-code"])
area("assumed-utm-on-lonlat", shp(lonlat_records()), ["{base}.shp", "EPSG:32619"],
     extra=["--assume-crs", "EPSG:32619"])
# Areas: options
area("unknown-layer", lambda d, n: fixture("areas", "two_layers.gpkg"),
     ["two_layers.gpkg", "--layer"], extra=["--layer", "nope"])
area("several-layers", lambda d, n: fixture("areas", "two_layers.gpkg"),
     ["two_layers.gpkg", "--layer"])
area("unknown-id-field", lambda d, n: fixture("areas", "nc", "nc.shp"),
     ["nc.shp", "NOPE"], extra=["--id-field", "NOPE", "--geography", "nc2"])
area("unknown-level", lambda d, n: fixture("areas", "nc", "nc.shp"), ["--level", "parish"],
     extra=["--level", "parish"])
area("geography-name-taken", lambda d, n: fixture("areas", "nc", "nc.shp"),
     ["'nc'", "--geography"], extra=["--id-field", "FIPS", "--geography", "nc"])
area("geography-name-with-newline", lambda d, n: fixture("areas", "nc", "nc.shp"),
     ["--geography"], extra=["--id-field", "FIPS", "--geography", "a\nb"])

# Outcomes: counts
outcomes("hex-count", outcome_csv("37001,lowbw,2030,all,0x10,100"),
         ["{base}", "row 2", "numerator", "0x10"])
outcomes("count-with-plus-and-spaces", outcome_csv("37001,lowbw,2030,all, +20 ,100"),
         ["{base}", "row 2", "numerator", "+20"])
outcomes("count-with-plus", outcome_csv("37001,lowbw,2030,all,+20,100"),
         ["{base}", "row 2", "numerator"])
outcomes("zero-over-zero", outcome_csv("37001,lowbw,2030,all,0,0"),
         ["{base}", "row 2", "denominator", "0"])
outcomes("count-over-zero", outcome_csv("37001,lowbw,2030,all,5,0"),
         ["{base}", "row 2", "denominator"])
outcomes("count-1e308", outcome_csv("37001,lowbw,2030,all,1e308,1e308"),
         ["{base}", "row 2", "numerator", "1e12"])
outcomes("count-above-range", outcome_csv("37001,lowbw,2030,all,5,2e12"),
         ["{base}", "row 2", "denominator", "1e12"])
outcomes("count-overflows", outcome_csv("37001,lowbw,2030,all,5,1e999"),
         ["{base}", "row 2", "denominator"])
outcomes("count-inf", outcome_csv("37001,lowbw,2030,all,inf,100"),
         ["{base}", "row 2", "numerator", "inf"])
outcomes("count-nan", outcome_csv("37001,lowbw,2030,all,5,NaN"),
         ["{base}", "row 2", "denominator", "NaN"])
outcomes("count-negative", outcome_csv("37001,lowbw,2030,all,-1,100"),
         ["{base}", "row 2", "numerator", "negative"])
outcomes("count-thousands-separator", outcome_csv('37001,lowbw,2030,all,5,"1,000"'),
         ["{base}", "row 2", "denominator", "1,000"])
outcomes("count-with-junk", outcome_csv("37001,lowbw,2030,all,12abc,100"),
         ["{base}", "row 2", "numerator", "12abc"])
outcomes("count-with-inner-space", outcome_csv("37001,lowbw,2030,all,5,1 000"),
         ["{base}", "row 2", "denominator"])
outcomes("count-empty", outcome_csv("37001,lowbw,2030,all,,100"),
         ["{base}", "row 2", "numerator", "empty"])
outcomes("denominator-missing", outcome_csv("37001,lowbw,2030,all,5,"),
         ["{base}", "row 2", "denominator", "missing"])
outcomes("numerator-above-denominator", outcome_csv("37001,lowbw,2030,all,50,10"),
         ["{base}", "row 2", "numerator", "above"])
# Outcomes: codes
outcomes("group-with-newline", outcome_csv('37001,lowbw,2030,"a\nb",1,100'),
         ["{base}", "row 2", "stratum", "line break"])
outcomes("group-with-control-byte", outcome_csv("37001,lowbw,2030,a\x01b,1,100"),
         ["{base}", "row 2", "stratum", "control"])
outcomes("group-of-10000-characters", outcome_csv("37001,lowbw,2030," + "g" * 10000 + ",1,100"),
         ["{base}", "row 2", "stratum", "64"])
outcomes("group-hyperlink-formula",
         outcome_csv('37001,lowbw,2030,"=HYPERLINK(""http://x"",""y"")",1,100'),
         ["{base}", "row 2", "stratum", "formula"])
outcomes("group-starting-plus", outcome_csv("37001,lowbw,2030,+cmd,1,100"),
         ["{base}", "row 2", "stratum", "formula"])
outcomes("group-starting-minus", outcome_csv("37001,lowbw,2030,-2+3,1,100"),
         ["{base}", "row 2", "stratum", "formula"])
outcomes("group-starting-at", outcome_csv("37001,lowbw,2030,@SUM(A1),1,100"),
         ["{base}", "row 2", "stratum", "formula"])
outcomes("measure-formula", outcome_csv("37001,=cmd|' /C calc'!A0,2030,all,1,100"),
         ["{base}", "row 2", "measure", "formula"])
outcomes("period-with-tab", outcome_csv("37001,lowbw,20\t30,all,1,100"),
         ["{base}", "row 2", "period", "control"])
outcomes("measure-of-65-characters", outcome_csv("37001," + "m" * 65 + ",2030,all,1,100"),
         ["{base}", "row 2", "measure", "64"])
outcomes("group-ALL-beside-all", outcome_csv("37001,lowbw,2030,ALL,1,100"),
         ["{base}", "row 2", "stratum", "ALL", "case"])
outcomes("measure-case-of-project", outcome_csv("37001,LOWBW,2030,all,1,100", first=None),
         ["{base}", "row 1", "measure", "LOWBW", "case"])
outcomes("group-case-of-project", outcome_csv("37001,lowbw,2030,White,1,100"),
         ["{base}", "row 2", "stratum", "White", "case"])
outcomes("unknown-age-group",
         outcome_csv("37001,lowbw,2030,all,1,100,90-99",
                     header=OUTCOME_HEADER + ",age_group",
                     first="37009,lowbw,2030,all,13,1410,00"),
         ["{base}", "row 2", "age group", "90-99"])
outcomes("age-group-misspelt",
         outcome_csv("37001,lowbw,2030,all,1,100,85 +",
                     header=OUTCOME_HEADER + ",age_group",
                     first="37009,lowbw,2030,all,13,1410,00"),
         ["{base}", "row 2", "age group"])
outcomes("group-not-utf8",
         lambda d, n: write(os.path.join(d, n + ".csv"),
                            outcome_csv("37001,lowbw,2030,Pe\udcf1a,1,100")
                            .encode("utf-8", "surrogateescape")),
         ["{base}", "row 2", "stratum", "UTF-8"])
outcomes("geoid-not-utf8",
         lambda d, n: write(os.path.join(d, n + ".csv"),
                            outcome_csv("3700\udcff,lowbw,2030,all,1,100")
                            .encode("utf-8", "surrogateescape")),
         ["{base}", "row 2", "geoid", "UTF-8"])
outcomes("unknown-geoid", outcome_csv("99999,lowbw,2030,all,1,100"),
         ["{base}", "row 2", "99999"])
outcomes("geoid-lost-its-zero", outcome_csv("1001,lowbw,2030,all,1,100"),
         ["{base}", "row 2", "1001"])
outcomes("empty-geoid", outcome_csv(",lowbw,2030,all,1,100"), ["{base}", "row 2", "geoid"])
outcomes("duplicate-row", outcome_csv("37009,lowbw,2030,all,13,1410"),
         ["{base}", "row 2", "duplicate"])
outcomes("period-already-held", outcome_csv("37009,lowbw,2021,all,13,1410", first=None),
         ["{base}", "row 1", "2021"])
outcomes("no-geoid-column", "measure,period,numerator,denominator\nm,2030,1,100\n",
         ["{base}", "geoid"])
outcomes("empty-file", "", ["{base}"])
outcomes("header-only", OUTCOME_HEADER + "\n", ["{base}"])
outcomes("file-name-not-utf8",
         lambda d, n: write(os.path.join(d, "caf\udce9.csv"),
                            outcome_csv("37001,lowbw,2030,all,0x10,100")),
         ["caf\ufffd.csv", "row 2", "numerator"])
outcomes("random-bytes-xlsx", lambda d, n: fixture("outcomes", "random-bytes.xlsx"),
         ["random-bytes.xlsx"])


def spreadsheet(fmt, suffix, text):
    def make(d, n):
        src = write(os.path.join(d, n + "-source.csv"), text)
        return ogr2ogr(os.path.join(d, n + suffix), fmt, src)
    return make


outcomes("xlsx-hex-count", spreadsheet("XLSX", ".xlsx",
                                       outcome_csv("37001,lowbw,2030,all,0x10,100")),
         ["{base}", "row 2", "numerator", "0x10"])
outcomes("xlsx-formula-group", spreadsheet("XLSX", ".xlsx",
                                           outcome_csv("37001,lowbw,2030,@cmd,1,100")),
         ["{base}", "row 2", "stratum", "formula"])
outcomes("xlsx-zero-over-zero", spreadsheet("XLSX", ".xlsx",
                                            outcome_csv("37001,lowbw,2030,all,0,0")),
         ["{base}", "row 2", "denominator"])
outcomes("xlsx-ALL-beside-all", spreadsheet("XLSX", ".xlsx",
                                            outcome_csv("37001,lowbw,2030,ALL,1,100")),
         ["{base}", "row 2", "stratum", "case"])
outcomes("ods-plus-count", spreadsheet("ODS", ".ods",
                                       outcome_csv("37001,lowbw,2030,all,+20,100")),
         ["{base}", "row 2", "numerator"])
outcomes("ods-group-with-newline", spreadsheet("ODS", ".ods",
                                               outcome_csv('37001,lowbw,2030,"a\nb",1,100')),
         ["{base}", "row 2", "stratum"])
# Outcomes: options
good_wide = "FIPS,n,d\n37009,1,100\n"
outcomes("option-measure-formula", good_wide, ["--measure", "formula"],
         extra=["--geoid-field", "FIPS", "--numerator-field", "n", "--denominator-field", "d",
                "--measure", "=1+1", "--period", "2030"])
outcomes("option-stratum-with-newline", good_wide, ["--stratum", "line break"],
         extra=["--geoid-field", "FIPS", "--numerator-field", "n", "--denominator-field", "d",
                "--measure", "x", "--period", "2030", "--stratum", "a\nb"])
outcomes("option-period-too-long", good_wide, ["--period", "64"],
         extra=["--geoid-field", "FIPS", "--numerator-field", "n", "--denominator-field", "d",
                "--measure", "x", "--period", "p" * 65])
outcomes("option-label-control", good_wide, ["--label", "control"],
         extra=["--geoid-field", "FIPS", "--numerator-field", "n", "--denominator-field", "d",
                "--measure", "x", "--period", "2030", "--label", "a\x07b"])
outcomes("option-unknown-kind", good_wide, ["--kind"],
         extra=["--geoid-field", "FIPS", "--numerator-field", "n", "--denominator-field", "d",
                "--measure", "x", "--period", "2030", "--kind", "ratio"])
outcomes("option-negative-per", good_wide, ["--per"],
         extra=["--geoid-field", "FIPS", "--numerator-field", "n", "--denominator-field", "d",
                "--measure", "x", "--period", "2030", "--per", "-5"])
outcomes("option-unknown-column", good_wide, ["{base}", "nope", "--numerator-field"],
         extra=["--geoid-field", "FIPS", "--numerator-field", "nope", "--denominator-field",
                "d", "--measure", "x", "--period", "2030"])

# Attributes
attributes("hex-value", attr_csv("37001,0x10"), ["{base}", "row 2", "SCORE", "0x10"])
attributes("plus-value", attr_csv("37001,+5"), ["{base}", "row 2", "SCORE"])
attributes("inf-value", attr_csv("37001,inf"), ["{base}", "row 2", "SCORE", "inf"])
attributes("huge-value", attr_csv("37001,1e308"), ["{base}", "row 2", "SCORE", "1e12"])
attributes("junk-value", attr_csv("37001,12 abc"), ["{base}", "row 2", "SCORE"])
attributes("thousands-value", attr_csv('37001,"1,5"'), ["{base}", "row 2", "SCORE"])
attributes("duplicate-geoid", attr_csv("37009,0.7"), ["{base}", "row 2", "37009"])
attributes("empty-geoid", attr_csv(",0.7"), ["{base}", "row 2", "FIPS"])
attributes("unknown-field", attr_csv("37001,1"), ["{base}", "NOPE"], fields="NOPE")
attributes("formula-field-name", "FIPS,=X\n37009,1\n", ["--fields", "formula"], fields="=X")
attributes("empty-field-name", attr_csv("37001,1"), ["--fields"], fields="SCORE,,")
attributes("field-named-twice", attr_csv("37001,1"), ["SCORE", "twice"], fields="SCORE,SCORE")

# Policy and the command line
case("policy/negative-min-count", None, ["policy", "{project}", "--min-count", "-1"],
     ["minimum count", "-1"])
case("policy/min-count-not-a-number", None, ["policy", "{project}", "--min-count", "abc"],
     ["--min-count"])
case("policy/unknown-preset", None, ["policy", "{project}", "--preset", "nope"], ["nope"])
case("cli/unknown-option", None, ["import-outcomes", "{project}", "x.csv", "--nope"],
     ["--nope"])
case("cli/missing-source", None, ["import-areas", "{project}"], ["SOURCE"])
case("cli/project-not-a-project", lambda d, n: write(os.path.join(d, n + ".tractwise"),
                                                    os.urandom(4096)),
     ["import-outcomes", "{src}", fixture("outcomes", "nc-long.csv")], ["{base}"])
case("cli/project-missing", None,
     ["import-outcomes", "{dir}/missing.tractwise", fixture("outcomes", "nc-long.csv")],
     ["missing.tractwise"])


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tw-bad-input-")
        cls.base = os.path.join(cls.tmp, "base.tractwise")
        run("new", cls.base)
        run("import-areas", cls.base, fixture("areas", "nc", "nc.shp"), "--geography", "nc",
            "--level", "county", "--id-field", "FIPS")
        run("import-outcomes", cls.base, fixture("outcomes", "nc-long.csv"),
            "--kind", "proportion", "--per", "100")
        run("import-attributes", cls.base, fixture("attributes", "nc-svi-like.csv"),
            "--geoid-field", "FIPS", "--fields", "RPL_THEMES")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_table_is_large_and_distinct(self):
        names = [c[0] for c in CASES]
        self.assertEqual(len(names), len(set(names)))
        self.assertGreaterEqual(len(CASES), 80)

    def test_every_bad_input_is_refused_cleanly(self):
        for name, make, args, mentions in CASES:
            with self.subTest(case=name):
                self.check(name, make, args, mentions)

    def check(self, name, make, args, mentions):
        slug = name.replace("/", "-")
        work = os.path.join(self.tmp, slug)
        inputs = os.path.join(work, "inputs")
        os.makedirs(inputs)
        project = os.path.join(work, "p.tractwise")
        shutil.copyfile(self.base, project)
        src = make(inputs, slug) if make else None
        base = os.path.basename(src) if src else ""
        if src and base.endswith(".shp"):
            base = base[:-4]
        argv = [a.format(project=project, src=src, dir=work) for a in args]
        target = src if args[1] == "{src}" else project
        watched = os.path.dirname(target)
        before_files = set(os.listdir(watched))
        before = sha256(target) if os.path.exists(target) else None

        proc = subprocess.run([CLI, *argv], capture_output=True, timeout=120)
        err = proc.stderr.decode("utf-8")  # everything Tractwise prints is UTF-8
        self.assertEqual(proc.returncode, 2, f"{name}: exit status {proc.returncode}: {err}")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, f"{name}: expected one line on stderr: {err!r}")
        self.assertTrue(lines[0].startswith("tractwise-cli"), lines[0])
        for word in mentions:
            self.assertIn(word.format(base=base), lines[0], f"{name}")
        after = sha256(target) if os.path.exists(target) else None
        self.assertEqual(after, before, f"{name}: the project file changed")
        left = set(os.listdir(watched)) - before_files
        self.assertEqual(left, set(), f"{name}: files left behind (-wal, -shm, a new project)")
        self.assertEqual(proc.stdout, b"", f"{name}: printed on stdout")


if __name__ == "__main__":
    unittest.main(verbosity=2)
