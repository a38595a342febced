import sys, random, collections
from osgeo import ogr
ogr.UseExceptions()
path = sys.argv[1]
ds = ogr.Open(path); lyr = ds.GetLayer(0)
n = lyr.GetFeatureCount(); print("features", n, "layer", lyr.GetName(), ogr.GeometryTypeToName(lyr.GetGeomType()))
geoids = []; invalid = 0; nverts = 0; multi = 0; holes = 0; geoms = {}
for f in lyr:
    g = f.GetGeometryRef(); gid = f.GetField("GEOID"); geoids.append(gid)
    if not g.IsValid(): invalid += 1
    parts = [g] if g.GetGeometryType() in (ogr.wkbPolygon,) else [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]
    if len(parts) > 1: multi += 1
    for p in parts:
        holes += p.GetGeometryCount() - 1
        for r in range(p.GetGeometryCount()): nverts += p.GetGeometryRef(r).GetPointCount()
    geoms[gid] = g.Clone()
print("invalid", invalid, "vertices", nverts, "mean %.1f" % (nverts / n), "multipart", multi, "holes", holes)
print("geoid lengths", collections.Counter(len(x) for x in geoids), "unique", len(set(geoids)) == n, "all digits", all(x.isdigit() for x in geoids))
print("states", len(set(x[:2] for x in geoids)), "counties", len(set(x[:5] for x in geoids)), sorted(set(x[:2] for x in geoids))[:8], "...")
random.seed(1)
sample = random.sample(geoids, 300)
pairs = 0; bad = 0; nb_counts = []
lyr2 = ds.GetLayer(0)
for gid in sample:
    g = geoids and geoms[gid]
    lyr2.SetSpatialFilter(g)
    vs = set()
    def pts(geom):
        out = set()
        if geom.GetGeometryCount() == 0:
            for i in range(geom.GetPointCount()): out.add(geom.GetPoint_2D(i))
        else:
            for i in range(geom.GetGeometryCount()): out |= pts(geom.GetGeometryRef(i))
        return out
    va = pts(g); k = 0
    for f in lyr2:
        o = f.GetField("GEOID")
        if o == gid: continue
        h = f.GetGeometryRef()
        if not g.Intersects(h): continue
        inter = g.Intersection(h)
        if inter.GetDimension() == 2 and inter.GetArea() > 1e-12: bad += 1; print("overlap", gid, o, inter.GetArea()); continue
        common = va & pts(h)
        if inter.GetDimension() == 1 or inter.GetGeometryType() in (ogr.wkbGeometryCollection, ogr.wkbMultiLineString):
            k += 1; pairs += 1
            if len(common) < 2: bad += 1; print("shared edge without shared vertices", gid, o)
            # boundary-intersection length equals the length along common vertices
    nb_counts.append(k)
    lyr2.ResetReading()
print("sampled tracts", len(sample), "neighbour pairs", pairs, "problems", bad, "neighbours per tract", collections.Counter(nb_counts).most_common(8))
