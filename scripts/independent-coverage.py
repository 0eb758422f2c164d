#!/usr/bin/env python3
"""Independent check of GridMap's per-building walking times (issue 11, item 3).

Reads the same OpenStreetMap file that `gridmap import osm` read (.osm or .osm.pbf, through osmium),
applies the README's walkable rule, builds a networkx graph on OSM node ids (one edge per way segment,
metres in a local equirectangular frame), and takes the buildings (point on surface), the stations and
GridMap's coverage layer from GridMap's database. Each station and building joins the network by a
straight leg to the nearest way segment within --snap metres; islands are handled by the rule GridMap
documents: pieces with fewer than --min-nodes junctions (except the largest piece) take no station, and a
building joins the nearest segment of a piece that holds a station. One multi-source Dijkstra then gives
every building its time, compared with GridMap's `walk_seconds`: agreement means within
max(--tolerance-seconds, --tolerance-share × time).

Prints one tab-separated line per building (building_id, gridmap_s, networkx_s, status, reason), then a
summary line starting with `summary`; with --json only the summary, as JSON. Exit 0 unless an input fails.

Needs python3-networkx and osmium-tool (apt) and psql. The database is GRIDMAP_DB (an Npgsql connection
string as GridMap takes it, or a libpq one) unless --db is given.
"""

import argparse
import collections
import json
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx

# README "Walking coverage" / OsmExtract: walkable unless foot=no; access=no/private only with foot=yes;
# motorways only with foot=yes/designated/permissive.
WALKABLE = {
    "footway", "path", "steps", "pedestrian", "residential", "service", "living_street", "unclassified",
    "tertiary", "tertiary_link", "secondary", "secondary_link", "primary", "primary_link", "trunk",
    "trunk_link", "track", "cycleway", "road", "corridor", "bridleway", "platform",
}
EARTH_RADIUS = 6371008.8


def walkable(tags):
    highway = tags.get("highway")
    if highway is None:
        return False
    foot = tags.get("foot")
    if foot == "no":
        return False
    if foot in ("yes", "designated", "permissive"):
        return highway not in ("proposed", "construction")
    if tags.get("access") in ("no", "private"):
        return False
    return highway in WALKABLE


def read_ways(path):
    """Walkable ways as runs of consecutive nodes that the file holds, and those nodes' lon/lat."""
    command = ["osmium", "tags-filter", path, "w/highway", "-f", "osm", "-o", "-", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    nodes, runs = {}, []
    for _, element in ET.iterparse(process.stdout, events=("end",)):
        if element.tag == "node":
            nodes[int(element.get("id"))] = (float(element.get("lon")), float(element.get("lat")))
            element.clear()
        elif element.tag == "way":
            tags = {t.get("k"): t.get("v") for t in element.findall("tag")}
            if walkable(tags):
                run = []
                for nd in element.findall("nd"):
                    ref = int(nd.get("ref"))
                    if ref in nodes:
                        run.append(ref)
                        continue
                    if len(run) >= 2:
                        runs.append(run)
                    run = []
                if len(run) >= 2:
                    runs.append(run)
            element.clear()
    if process.wait() != 0:
        sys.exit(f"osmium could not read {path}")
    return nodes, runs


def libpq(connection):
    if connection.startswith("postgres") or ";" not in connection and "=" in connection and " " in connection:
        return connection
    keys = {"host": "host", "server": "host", "port": "port", "username": "user", "user id": "user",
            "userid": "user", "user": "user", "password": "password", "database": "dbname"}
    parts = []
    for item in connection.split(";"):
        if "=" not in item:
            continue
        key, value = item.split("=", 1)
        if key.strip().lower() in keys:
            parts.append(f"{keys[key.strip().lower()]}='{value.strip()}'")
    return " ".join(parts)


def query(connection, sql):
    out = subprocess.run(["psql", libpq(connection), "-At", "-F", "\t", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


class Frame:
    """Local equirectangular metres around a centre: good to a few tenths of a per cent over a city."""

    def __init__(self, lon0, lat0):
        self.lon0, self.lat0 = lon0, lat0
        self.kx = EARTH_RADIUS * math.cos(math.radians(lat0)) * math.pi / 180
        self.ky = EARTH_RADIUS * math.pi / 180

    def xy(self, lon, lat):
        return ((lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky)


class SegmentIndex:
    """A grid of 100 m cells over the way segments; nearest search in growing rings."""

    CELL = 100.0

    def __init__(self, segments):
        self.segments = segments
        self.cells = collections.defaultdict(list)
        for i, (_, _, (ax, ay), (bx, by)) in enumerate(segments):
            for cx in range(int(math.floor(min(ax, bx) / self.CELL)), int(math.floor(max(ax, bx) / self.CELL)) + 1):
                for cy in range(int(math.floor(min(ay, by) / self.CELL)), int(math.floor(max(ay, by) / self.CELL)) + 1):
                    self.cells[(cx, cy)].append(i)

    def nearest(self, x, y, max_meters, accept):
        """(distance, segment, fraction) of the nearest accepted segment within max_meters, or None."""
        cx, cy = int(math.floor(x / self.CELL)), int(math.floor(y / self.CELL))
        rings = int(math.ceil(max_meters / self.CELL)) + 1
        best, seen = None, set()
        for ring in range(1, rings + 1):
            for i in range(cx - ring, cx + ring + 1):
                for j in range(cy - ring, cy + ring + 1):
                    for s in self.cells.get((i, j), ()):
                        if s in seen:
                            continue
                        seen.add(s)
                        u, v, (ax, ay), (bx, by) = self.segments[s]
                        if not accept(u):
                            continue
                        dx, dy = bx - ax, by - ay
                        length2 = dx * dx + dy * dy
                        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
                        d = math.hypot(ax + t * dx - x, ay + t * dy - y)
                        if best is None or d < best[0]:
                            best = (d, s, t)
            # Everything within (ring - 1) cells of the point's cell has been seen.
            if best is not None and best[0] <= (ring - 1) * self.CELL:
                break
        return best if best is not None and best[0] <= max_meters else None


def build(nodes, runs):
    lons = [nodes[n][0] for run in runs for n in run]
    lats = [nodes[n][1] for run in runs for n in run]
    frame = Frame((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
    xy = {n: frame.xy(*nodes[n]) for run in runs for n in run}
    graph = nx.Graph()
    uses = collections.Counter()
    ends = set()
    segments = []
    for run in runs:
        ends.update((run[0], run[-1]))
        uses.update(run)
        for u, v in zip(run, run[1:]):
            if u == v:
                continue
            length = math.dist(xy[u], xy[v])
            if not graph.has_edge(u, v) or graph[u][v]["weight"] > length:
                graph.add_edge(u, v, weight=length)
            segments.append((u, v, xy[u], xy[v]))
    # GridMap's nodes are way ends and nodes shared by two ways (junctions); count those per piece.
    junctions = {n for n in graph if n in ends or uses[n] >= 2}
    return frame, graph, segments, junctions


def main_pieces(graph, junctions, min_nodes):
    component = {}
    sizes = []
    for index, members in enumerate(nx.connected_components(graph)):
        for n in members:
            component[n] = index
        sizes.append(sum(1 for n in members if n in junctions))
    largest = max(range(len(sizes)), key=lambda c: sizes[c]) if sizes else -1
    main = {c for c, size in enumerate(sizes) if size >= min_nodes or c == largest}
    return component, main


def attach(graph, snaps):
    """Inserts each snapped point as a node on its segment; returns the point's node name."""
    by_segment = collections.defaultdict(list)
    for key, (u, v, t) in snaps.items():
        by_segment[(u, v)].append((t, key))
    for (u, v), points in by_segment.items():
        length = math.dist(*[graph.nodes[n]["xy"] for n in (u, v)])
        if graph.has_edge(u, v):
            graph.remove_edge(u, v)
        previous, at = u, 0.0
        for t, key in sorted(points):
            graph.add_edge(previous, ("p", key), weight=max(0.0, (t - at) * length))
            previous, at = ("p", key), t
        graph.add_edge(previous, v, weight=(1 - at) * length)


def compute(args):
    connection = args.db or os.environ.get("GRIDMAP_DB")
    if not connection:
        sys.exit("give --db or set GRIDMAP_DB")
    nodes, runs = read_ways(args.osm)
    frame, graph, segments, junctions = build(nodes, runs)
    for n, p in ((n, frame.xy(*nodes[n])) for n in graph):
        graph.nodes[n]["xy"] = p
    component, main = main_pieces(graph, junctions, args.min_nodes)
    index = SegmentIndex(segments)
    stations = query(connection, "SELECT id, ST_X(geom), ST_Y(geom) FROM stations ORDER BY id")
    buildings = query(connection, "SELECT id, ST_X(p), ST_Y(p) FROM (SELECT id, ST_PointOnSurface(geom) p FROM buildings) b ORDER BY id")
    coverage = {int(r[0]): r for r in query(connection, """
        SELECT building_id, COALESCE(walk_seconds::text, ''), COALESCE(to_jsonb(c) ->> 'unreachable_reason', '')
        FROM coverage c""")}

    snaps, legs = {}, {}
    served = set()
    for sid, lon, lat in stations:
        hit = index.nearest(*frame.xy(float(lon), float(lat)), args.snap, lambda n: component[n] in main)
        if hit is not None:
            d, s, t = hit
            snaps[("s", sid)] = (segments[s][0], segments[s][1], t)
            legs[("s", sid)] = d
            served.add(component[segments[s][0]])
    for bid, lon, lat in buildings:
        hit = index.nearest(*frame.xy(float(lon), float(lat)), args.snap, lambda n: component[n] in served)
        if hit is not None:
            d, s, t = hit
            snaps[("b", int(bid))] = (segments[s][0], segments[s][1], t)
            legs[("b", int(bid))] = d
    attach(graph, snaps)
    for key in snaps:
        if key[0] == "s":
            graph.add_edge("SOURCE", ("p", key), weight=legs[key])
    meters = nx.single_source_dijkstra_path_length(graph, "SOURCE", weight="weight") if "SOURCE" in graph else {}

    rows = []
    for bid, _, _ in buildings:
        bid = int(bid)
        reached = meters.get(("p", ("b", bid)))
        theirs = None if reached is None else (reached + legs[("b", bid)]) / args.speed
        _, ours_text, reason = coverage.get(bid, (bid, "", "missing_row"))
        ours = float(ours_text) if ours_text else None
        rows.append((bid, ours, theirs, status(ours, theirs, args), reason))
    return rows


def status(ours, theirs, args):
    if ours is None and theirs is None:
        return "agree"
    if ours is None:
        return "missing"
    if theirs is None:
        return "extra"
    return "agree" if abs(ours - theirs) <= max(args.tolerance_seconds, args.tolerance_share * theirs) else "differ"


def summarize(rows):
    counts = collections.Counter(r[3] for r in rows)
    no_time = collections.Counter(r[4] or "none" for r in rows if r[1] is None)
    total = len(rows)
    return {
        "buildings": total,
        "agree": counts["agree"],
        "agreement_percent": round(100.0 * counts["agree"] / total, 2) if total else 100.0,
        "differ": counts["differ"],
        "missing": counts["missing"],
        "extra": counts["extra"],
        "gridmap_no_time": sum(no_time.values()),
        "gridmap_no_time_reasons": dict(no_time),
        "networkx_no_time": sum(1 for r in rows if r[2] is None),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("osm", help=".osm or .osm.pbf file that was imported")
    parser.add_argument("--db", help="connection string (default: GRIDMAP_DB)")
    parser.add_argument("--speed", type=float, default=1.11, help="walking speed, m/s (GridMap's default)")
    parser.add_argument("--snap", type=float, default=300.0, help="longest straight leg to the network, metres")
    parser.add_argument("--min-nodes", type=int, default=40, help="junctions a piece needs to take stations")
    parser.add_argument("--tolerance-seconds", type=float, default=60.0)
    parser.add_argument("--tolerance-share", type=float, default=0.10)
    parser.add_argument("--json", action="store_true", help="print only the summary, as JSON")
    args = parser.parse_args()
    rows = compute(args)
    summary = summarize(rows)
    if args.json:
        print(json.dumps(summary))
        return
    print("building_id\tgridmap_s\tnetworkx_s\tstatus\tunreachable_reason")
    for bid, ours, theirs, state, reason in rows:
        fmt = lambda v: "" if v is None else f"{v:.1f}"
        print(f"{bid}\t{fmt(ours)}\t{fmt(theirs)}\t{state}\t{reason}")
    print("summary " + json.dumps(summary))


if __name__ == "__main__":
    main()
