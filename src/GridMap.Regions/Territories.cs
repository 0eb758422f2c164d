using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Operation.Union;
using NetTopologySuite.Triangulate;

namespace GridMap.Regions;

/// <summary>
/// Divides a community among its units: the community is cut into blocks by barrier lines, each block into
/// the Voronoi cells of its units' points. Every piece of the community belongs to exactly one unit, so any
/// grouping of units into grids, as the union of their cells, tiles the community.
/// </summary>
/// <remarks>Works in a planar metric coordinate system (e.g. a Gauss–Krüger zone). Not thread-safe per instance;
/// <see cref="Build"/> creates a fresh one.</remarks>
public sealed class Territories
{
    private const double JitterMeters = 0.5;

    /// <summary>Territory of each unit, in input order; a Polygon except where a community part has no unit of its own.</summary>
    public Geometry[] Cells { get; }

    /// <summary>Barrier-enclosed block of each unit.</summary>
    public int[] BlockOf { get; }

    /// <summary>Adjacency of the units' territories.</summary>
    public UnitGraph Graph { get; }

    private Territories(Geometry[] cells, int[] blockOf, UnitGraph graph)
    {
        Cells = cells;
        BlockOf = blockOf;
        Graph = graph;
    }

    /// <summary>Builds the territories of <paramref name="points"/> in <paramref name="community"/>, cut by
    /// <paramref name="barriers"/> (lines, or polygons whose boundaries count).</summary>
    /// <exception cref="ArgumentException">The community is empty or not polygonal, or there are no points.</exception>
    public static Territories Build(Geometry community, IReadOnlyList<Coordinate> points, IReadOnlyList<Geometry> barriers)
    {
        ArgumentNullException.ThrowIfNull(community);
        ArgumentNullException.ThrowIfNull(points);
        if (community.IsEmpty || community is not (Polygon or MultiPolygon))
            throw new ArgumentException("The community must be a non-empty polygon.", nameof(community));
        if (points.Count == 0)
            throw new ArgumentException("There must be at least one unit.", nameof(points));
        var blocks = Blocks(community, barriers);
        var blockOf = new int[points.Count];
        var sites = new Coordinate[points.Count];
        var locators = blocks.Select(b => new IndexedPointInAreaLocator(b)).ToArray();
        var used = new HashSet<(double, double)>();
        for (var i = 0; i < points.Count; i++)
        {
            var (block, site) = Place(points[i], blocks, locators);
            // Two units at one point would share a cell; move the later one a little, staying in its block.
            for (var j = 1; used.Contains((site.X, site.Y)); j++)
            {
                var angle = j * 2.399963; // golden angle: a spiral that never repeats
                var moved = new Coordinate(site.X + JitterMeters * Math.Sqrt(j) * Math.Cos(angle), site.Y + JitterMeters * Math.Sqrt(j) * Math.Sin(angle));
                if (locators[block].Locate(moved) == Location.Interior)
                    site = moved;
            }
            used.Add((site.X, site.Y));
            blockOf[i] = block;
            sites[i] = site;
        }

        var cells = new Geometry[points.Count];
        var orphans = new List<Geometry>();
        for (var b = 0; b < blocks.Count; b++)
        {
            var members = Enumerable.Range(0, points.Count).Where(i => blockOf[i] == b).ToList();
            if (members.Count == 0)
            {
                orphans.Add(blocks[b]);
                continue;
            }
            CellsOfBlock(blocks[b], members, sites, cells, orphans);
        }
        AssignOrphans(cells, orphans);
        return new Territories(cells, blockOf, Adjacency(cells, blockOf));
    }

    /// <summary>The faces of <paramref name="community"/> cut by the barrier lines (polygon barriers cut along their
    /// boundaries): the blocks enclosed by major roads and rivers. Without barriers, the community's parts.</summary>
    public static List<Geometry> Blocks(Geometry community, IReadOnlyList<Geometry> barriers)
    {
        var lines = new List<Geometry>();
        // Clip to a box around the community, not to the community: a line cut exactly at the boundary can end a
        // hair short of it and would then be left dangling instead of cutting the block in two.
        var box = new Envelope(community.EnvelopeInternal);
        box.ExpandBy(Math.Max(1, 0.01 * Math.Max(box.Width, box.Height)));
        var clip = community.Factory.ToGeometry(box);
        foreach (var barrier in barriers)
        {
            var line = barrier is Polygon or MultiPolygon ? barrier.Boundary : barrier;
            var inside = line.Intersection(clip);
            if (!inside.IsEmpty && inside.Dimension == Dimension.Curve)
                lines.Add(inside);
        }
        if (lines.Count == 0)
            return Enumerable.Range(0, community.NumGeometries).Select(community.GetGeometryN).ToList<Geometry>();
        lines.Add(community.Boundary);
        var noded = UnaryUnionOp.Union(lines);
        var polygonizer = new Polygonizer();
        polygonizer.Add(noded);
        var locator = new IndexedPointInAreaLocator(community);
        var faces = polygonizer.GetPolygons()
            .Where(p => p.Area > 0 && locator.Locate(p.InteriorPoint.Coordinate) == Location.Interior)
            .ToList();
        return faces.Count > 0 ? faces : [community];
    }

    private static (int Block, Coordinate Site) Place(Coordinate point, List<Geometry> blocks, IndexedPointInAreaLocator[] locators)
    {
        for (var b = 0; b < blocks.Count; b++)
        {
            if (locators[b].Locate(point) == Location.Interior)
                return (b, point.Copy());
        }
        // On a block edge or outside the community: the nearest block, a step inside it.
        var geometryPoint = blocks[0].Factory.CreatePoint(point);
        var nearest = Enumerable.Range(0, blocks.Count).MinBy(b => blocks[b].Distance(geometryPoint));
        var block = blocks[nearest];
        var onEdge = DistanceOp.NearestPoints(block, geometryPoint)[0];
        var inner = block.InteriorPoint.Coordinate;
        for (var step = 0.5; step > 1e-6; step /= 4)
        {
            var length = onEdge.Distance(inner);
            var t = length > 0 ? Math.Min(1, step / length) : 0;
            var candidate = new Coordinate(onEdge.X + (inner.X - onEdge.X) * t, onEdge.Y + (inner.Y - onEdge.Y) * t);
            if (locators[nearest].Locate(candidate) == Location.Interior)
                return (nearest, candidate);
        }
        return (nearest, inner.Copy());
    }

    private static void CellsOfBlock(Geometry block, List<int> members, Coordinate[] sites, Geometry[] cells, List<Geometry> orphans)
    {
        if (members.Count == 1)
        {
            KeepSitePiece(block, members[0], sites, cells, orphans);
            return;
        }
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(members.Select(i => sites[i]).ToList());
        var clip = new Envelope(block.EnvelopeInternal);
        clip.ExpandBy(Math.Max(clip.Width, clip.Height) + 1);
        builder.ClipEnvelope = clip;
        var diagram = builder.GetDiagram(block.Factory);
        var bySite = members.ToDictionary(i => (sites[i].X, sites[i].Y));
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(block);
        for (var c = 0; c < diagram.NumGeometries; c++)
        {
            var cell = diagram.GetGeometryN(c);
            if (cell.UserData is not Coordinate site || !bySite.TryGetValue((site.X, site.Y), out var unit))
                continue;
            // Most cells lie wholly inside their block: no overlay needed.
            KeepSitePiece(prepared.ContainsProperly(cell) ? cell : cell.Intersection(block), unit, sites, cells, orphans);
        }
        foreach (var unit in members.Where(u => cells[u] is null))
            throw new InvalidOperationException($"Unit {unit} got no Voronoi cell.");
    }

    /// <summary>A cell clipped to a concave block can fall apart: the piece holding the site stays, the rest is handed on.</summary>
    private static void KeepSitePiece(Geometry clipped, int unit, Coordinate[] sites, Geometry[] cells, List<Geometry> orphans)
    {
        var pieces = Enumerable.Range(0, clipped.NumGeometries).Select(clipped.GetGeometryN).OfType<Polygon>().Where(p => p.Area > 0).ToList();
        if (pieces.Count == 0)
        {
            cells[unit] = clipped.Factory.CreatePolygon();
            return;
        }
        var site = clipped.Factory.CreatePoint(sites[unit]);
        var keep = pieces.FirstOrDefault(p => p.Intersects(site)) ?? pieces.MaxBy(p => p.Area)!;
        cells[unit] = keep;
        orphans.AddRange(pieces.Where(p => !ReferenceEquals(p, keep)));
    }

    /// <summary>Each piece with no unit joins the cell it shares the longest boundary with (the nearest cell when it touches none).</summary>
    private static void AssignOrphans(Geometry[] cells, List<Geometry> orphans)
    {
        var pending = orphans;
        while (pending.Count > 0)
        {
            var tree = new STRtree<int>();
            for (var i = 0; i < cells.Length; i++)
                tree.Insert(cells[i].EnvelopeInternal, i);
            var left = new List<Geometry>();
            foreach (var orphan in pending)
            {
                var best = -1;
                var bestLength = 0.0;
                foreach (var i in tree.Query(orphan.EnvelopeInternal))
                {
                    var length = SharedLength(orphan, cells[i]);
                    if (length > bestLength)
                        (best, bestLength) = (i, length);
                }
                if (best >= 0)
                    cells[best] = cells[best].Union(orphan);
                else
                    left.Add(orphan);
            }
            if (left.Count == pending.Count)
            {
                foreach (var orphan in left)
                {
                    var nearest = Enumerable.Range(0, cells.Length).MinBy(i => cells[i].Distance(orphan));
                    cells[nearest] = cells[nearest].Union(orphan);
                }
                return;
            }
            pending = left;
        }
    }

    internal static double SharedLength(Geometry a, Geometry b)
    {
        if (!a.EnvelopeInternal.Intersects(b.EnvelopeInternal))
            return 0;
        var shared = a.Intersection(b);
        var length = 0.0;
        for (var g = 0; g < shared.NumGeometries; g++)
        {
            var part = shared.GetGeometryN(g);
            if (part.Dimension == Dimension.Curve)
                length += part.Length;
        }
        return length;
    }

    private static UnitGraph Adjacency(Geometry[] cells, int[] blockOf)
    {
        var tree = new STRtree<int>();
        var segments = new LineSegment[cells.Length][];
        for (var i = 0; i < cells.Length; i++)
        {
            tree.Insert(cells[i].EnvelopeInternal, i);
            segments[i] = Segments(cells[i]);
        }
        var edges = new List<UnitEdge>();
        for (var i = 0; i < cells.Length; i++)
        {
            var envelope = new Envelope(cells[i].EnvelopeInternal);
            envelope.ExpandBy(SegmentTolerance);
            foreach (var j in tree.Query(envelope))
            {
                if (j <= i)
                    continue;
                var length = SharedLength(segments[i], segments[j]);
                if (length > 1e-6)
                    edges.Add(new UnitEdge(i, j, length, blockOf[i] != blockOf[j]));
            }
        }
        return new UnitGraph(cells.Length, edges);
    }

    private const double SegmentTolerance = 1e-6;

    private static LineSegment[] Segments(Geometry cell)
    {
        var list = new List<LineSegment>();
        foreach (var ring in NetTopologySuite.Geometries.Utilities.LinearComponentExtracter.GetLines(cell))
        {
            var points = ring.Coordinates;
            for (var k = 1; k < points.Length; k++)
            {
                if (!points[k - 1].Equals2D(points[k]))
                    list.Add(new LineSegment(points[k - 1], points[k]));
            }
        }
        return list.ToArray();
    }

    /// Length of boundary two tiles share: the overlap of their collinear edge segments. Much cheaper than an
    /// overlay, and exact for tiles cut from one partition, whose shared edges lie on the same lines.
    private static double SharedLength(LineSegment[] a, LineSegment[] b)
    {
        var total = 0.0;
        foreach (var s in a)
        {
            var length = s.Length;
            var minX = Math.Min(s.P0.X, s.P1.X) - SegmentTolerance;
            var maxX = Math.Max(s.P0.X, s.P1.X) + SegmentTolerance;
            var minY = Math.Min(s.P0.Y, s.P1.Y) - SegmentTolerance;
            var maxY = Math.Max(s.P0.Y, s.P1.Y) + SegmentTolerance;
            foreach (var t in b)
            {
                if (Math.Max(t.P0.X, t.P1.X) < minX || Math.Min(t.P0.X, t.P1.X) > maxX
                    || Math.Max(t.P0.Y, t.P1.Y) < minY || Math.Min(t.P0.Y, t.P1.Y) > maxY)
                    continue;
                // Both ends of t within tolerance of the line through s?
                if (s.DistancePerpendicular(t.P0) > SegmentTolerance * Math.Max(1, length) || s.DistancePerpendicular(t.P1) > SegmentTolerance * Math.Max(1, length))
                    continue;
                var f0 = s.ProjectionFactor(t.P0);
                var f1 = s.ProjectionFactor(t.P1);
                var overlap = Math.Min(1, Math.Max(f0, f1)) - Math.Max(0, Math.Min(f0, f1));
                if (overlap > 0)
                    total += overlap * length;
            }
        }
        return total;
    }
}
