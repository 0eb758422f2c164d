# Generates the small city of the browser tests (used only while data/demo is missing): python3 generate.py DIR
import json, random, os, sys
random.seed(7)
out = sys.argv[1]
x0, y0 = 116.300, 39.980
dx, dy = 0.003, 0.00225          # ~255 m x 250 m blocks
nx, ny = 6, 4
def rect(a, b, c, d): return [[[a, b], [c, b], [c, d], [a, d], [a, b]]]
def fc(features): return {"type": "FeatureCollection", "features": features}
def feat(i, geom, props): props = dict(props); props["id"] = i; return {"type": "Feature", "id": i, "geometry": geom, "properties": props}
X1, Y1 = x0 + nx * dx, y0 + ny * dy
streets = [feat(1, {"type": "Polygon", "coordinates": rect(x0, y0, X1, Y1)}, {"code": "S1", "name": "示范街道"})]
xm = x0 + 3 * dx
communities = [feat(1, {"type": "Polygon", "coordinates": rect(x0, y0, xm, Y1)}, {"code": "C1", "name": "东风社区", "street_id": 1}),
               feat(2, {"type": "Polygon", "coordinates": rect(xm, y0, X1, Y1)}, {"code": "C2", "name": "西湖社区", "street_id": 1})]
compounds, buildings = [], []
cid = bid = 0
for i in range(nx):
    for j in range(ny):
        if i == 5 and j == 3: continue  # a park with water
        a, b = x0 + i * dx + 0.0003, y0 + j * dy + 0.0003
        c, d = a + dx - 0.0006, b + dy - 0.0006
        cid += 1
        comm = 1 if i < 3 else 2
        hh_total = 0
        for k in range(4):
            bx = a + 0.0003 + (k % 2) * (dx - 0.0006) / 2
            by = b + 0.0003 + (k // 2) * (dy - 0.0006) / 2
            bid += 1
            hh = random.randint(40, 120)
            hh_total += hh
            buildings.append(feat(bid, {"type": "Polygon", "coordinates": rect(bx, by, bx + 0.0009, by + 0.0006)},
                                  {"code": f"B{bid}", "compound_id": cid, "levels": 6, "households": hh, "households_estimated": False}))
        compounds.append(feat(cid, {"type": "Polygon", "coordinates": rect(a, b, c, d)},
                              {"code": f"X{cid}", "name": f"小区{cid}号院", "community_id": comm, "households": hh_total, "households_estimated": False}))
grids = []
gid = 0
for comm, (ga, gb) in enumerate([(x0, xm), (xm, X1)], start=1):
    w = (gb - ga) / 3
    for g in range(3):
        for h in range(2):
            gid += 1
            grids.append(feat(gid, {"type": "Polygon", "coordinates": rect(ga + g * w, y0 + h * 2 * dy, ga + (g + 1) * w, y0 + (h + 1) * 2 * dy)},
                              {"code": f"G{gid}", "name": f"第{gid}网格", "community_id": comm, "level": "community",
                               "grid_head": f"网格长{gid}", "grid_head_phone": f"1380000{gid:04d}"}))
roads = []
rid = 0
# Segments between intersections, so the walking network is connected at every crossing.
for i in range(nx + 1):
    for j in range(ny):
        rid += 1
        roads.append(feat(rid, {"type": "LineString", "coordinates": [[x0 + i * dx, y0 + j * dy], [x0 + i * dx, y0 + (j + 1) * dy]]}, {"name": f"经{i}路", "highway": "residential"}))
for j in range(ny + 1):
    for i in range(nx):
        rid += 1
        roads.append(feat(rid, {"type": "LineString", "coordinates": [[x0 + i * dx, y0 + j * dy], [x0 + (i + 1) * dx, y0 + j * dy]]}, {"name": f"纬{j}路", "highway": "residential"}))
stations = [feat(1, {"type": "Point", "coordinates": [x0 + 1 * dx, y0 + 1 * dy]}, {"name": "东风党群服务中心", "kind": "center", "floor_area_m2": 600}),
            feat(2, {"type": "Point", "coordinates": [x0 + 4 * dx, y0 + 3 * dy]}, {"name": "西湖驿站", "kind": "yizhan", "floor_area_m2": 80}),
            feat(3, {"type": "Point", "coordinates": [x0 + 2 * dx, y0 + 4 * dy]}, {"name": "北门服务站", "kind": "station", "floor_area_m2": 200})]
cameras = [feat(i + 1, {"type": "Point", "coordinates": [x0 + random.random() * nx * dx, y0 + random.random() * ny * dy]},
                {"name": f"摄像头{i + 1}", "status": "online"}) for i in range(40)]
water = [feat(1, {"type": "Polygon", "coordinates": rect(x0 + 5 * dx + 0.0004, y0 + 3 * dy + 0.0004, X1 - 0.0004, Y1 - 0.0004)}, {"name": "小湖", "kind": "lake"})]
os.makedirs(out, exist_ok=True)
for name, f in [("streets", streets), ("communities", communities), ("compounds", compounds), ("buildings", buildings),
                ("grids", grids), ("stations", stations), ("cameras", cameras), ("roads", roads), ("water", water)]:
    json.dump(fc(f), open(os.path.join(out, name + ".geojson"), "w"), ensure_ascii=False)
print(len(compounds), len(buildings), len(grids))
