using GridMap.Geo;
using GridMap.Regions;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Triangulate;

namespace GridMap.Operations.Demo;

/// A building as the grids see it: the point the database counts it at (its point on surface), its
/// households and its compound.
internal sealed record GridUnit(Coordinate Site, int Households, long CompoundId);

/// Tiles communities with grids: every building gets the Voronoi cell of its point on surface, clipped
/// to its community, and neighbouring cells are grown into groups of about GridBounds households (keeping a
/// compound together where it can). Works in WGS 84. So that grids and communities share their edges
/// exactly on the output's 7-decimal grid, all community and cell boundaries are snap-rounded together
/// into one set of faces, and every grid and community is a union of those faces: grids then cover their
/// community with no gap or overlap, and each building's point lies inside exactly one grid.
internal static class DemoGrids
{
    /// Returns the communities redrawn from the faces (within a centimetre of the input) and each one's grids.
    public static (List<Geometry> Communities, List<List<(Geometry Area, int Households)>> Grids) TileAll(
        IReadOnlyList<Geometry> communities, IReadOnlyList<IReadOnlyList<GridUnit>> units)
    {
        var factory = GeoJsonGeometry.Wgs84Factory;
        var cells = new List<Geometry[]>();
        var groups = new List<List<List<int>>>();
        for (var c = 0; c < communities.Count; c++)
        {
            if (units[c].Count < 3)
            {
                cells.Add([communities[c]]);
                groups.Add([[0]]);
                continue;
            }
            var mine = Cells(communities[c], units[c]);
            var neighbours = Neighbours(mine);
            var grown = Grow(units[c], neighbours);
            MergeSmall(grown, units[c], neighbours);
            cells.Add(mine);
            groups.Add(grown);
        }

        var lines = communities.Concat(cells.SelectMany(c => c)).Select(g => g.Boundary).ToList();
        var polygonizer = new Polygonizer();
        polygonizer.Add(UnaryUnionNG.Union(factory.BuildGeometry(lines), DemoGeometry.OutputPrecision));
        var facesOfCell = cells.Select(c => c.Select(_ => new List<Geometry>()).ToArray()).ToList();
        var facesOfCommunity = communities.Select(_ => new List<Geometry>()).ToList();
        foreach (var face in polygonizer.GetPolygons())
        {
            var at = face.InteriorPoint;
            var c = Enumerable.Range(0, communities.Count).MinBy(i => communities[i].Distance(at));
            var cell = units[c].Count < 3 ? 0 : Enumerable.Range(0, units[c].Count).MinBy(i => units[c][i].Site.Distance(at.Coordinate));
            facesOfCell[c][cell].Add(face);
            facesOfCommunity[c].Add(face);
        }
        Geometry Union(IEnumerable<Geometry> faces) => UnaryUnionNG.Union(factory.BuildGeometry(faces.ToList()), DemoGeometry.OutputPrecision);
        var redrawn = facesOfCommunity.Select(Union).ToList();
        var grids = groups.Select((g, c) => g
                .Select(group => (Union(group.SelectMany(i => facesOfCell[c][i])), group.Sum(i => units[c].Count < 3 ? units[c].Sum(u => u.Households) : units[c][i].Households)))
                .ToList())
            .ToList();
        return (redrawn, grids);
    }

    private static Geometry[] Cells(Geometry community, IReadOnlyList<GridUnit> units)
    {
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(units.Select(u => u.Site).ToList());
        var clip = community.EnvelopeInternal.Copy();
        clip.ExpandBy(0.01);
        builder.ClipEnvelope = clip;
        var diagram = builder.GetDiagram(GeoJsonGeometry.Wgs84Factory);
        var unitAt = new Dictionary<Coordinate, int>();
        for (var i = 0; i < units.Count; i++)
            unitAt[units[i].Site] = i;
        var cells = new Geometry[units.Count];
        for (var c = 0; c < diagram.NumGeometries; c++)
        {
            var cell = diagram.GetGeometryN(c);
            var i = unitAt[(Coordinate)cell.UserData];
            cells[i] = OverlayNGRobust.Overlay(cell, community, SpatialFunction.Intersection);
        }
        if (cells.Any(c => c is null))
            throw new InvalidOperationException("Two buildings share a point on surface; the Voronoi diagram lost one.");
        return cells;
    }

    /// Cells that share an edge (not just a corner).
    private static List<int>[] Neighbours(Geometry[] cells)
    {
        var neighbours = cells.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < cells.Length; i++)
        {
            for (var j = i + 1; j < cells.Length; j++)
            {
                if (!cells[i].EnvelopeInternal.Intersects(cells[j].EnvelopeInternal))
                    continue;
                if (cells[i].Relate(cells[j]).Get(Location.Boundary, Location.Boundary) == Dimension.Curve)
                {
                    neighbours[i].Add(j);
                    neighbours[j].Add(i);
                }
            }
        }
        return neighbours;
    }

    /// Sweeps west to east: each group starts at the westernmost free building and takes the nearest free
    /// neighbours, buildings of its own compounds first, until it holds its share of the households.
    private static List<List<int>> Grow(IReadOnlyList<GridUnit> units, List<int>[] neighbours)
    {
        var total = units.Sum(u => u.Households);
        var groupsLeft = Math.Max(1, (int)Math.Round(total / 400.0));
        var householdsLeft = total;
        var free = new bool[units.Count];
        Array.Fill(free, true);
        var sweep = Enumerable.Range(0, units.Count).OrderBy(i => units[i].Site.X).ThenBy(i => units[i].Site.Y).ToList();
        var groups = new List<List<int>>();
        foreach (var seed in sweep)
        {
            if (!free[seed])
                continue;
            var target = Math.Clamp(householdsLeft / (double)Math.Max(1, groupsLeft), GridBounds.MinHouseholds, GridBounds.MaxHouseholds);
            var group = new List<int> { seed };
            var compounds = new HashSet<long> { units[seed].CompoundId };
            free[seed] = false;
            var sum = units[seed].Households;
            while (sum < target)
            {
                var next = group.SelectMany(g => neighbours[g]).Where(n => free[n]).Distinct()
                    .OrderBy(n => compounds.Contains(units[n].CompoundId) ? 0 : 1)
                    .ThenBy(n => Distance(units[n].Site, units[seed].Site))
                    .ThenBy(n => n)
                    .Select(n => (int?)n)
                    .FirstOrDefault();
                if (next is not { } n || (sum + units[n].Households > GridBounds.MaxHouseholds && sum >= GridBounds.MinHouseholds))
                    break;
                group.Add(n);
                compounds.Add(units[n].CompoundId);
                free[n] = false;
                sum += units[n].Households;
            }
            groups.Add(group);
            householdsLeft -= sum;
            groupsLeft--;
        }
        return groups;
    }

    /// A group left under the minimum joins the smallest group next to it.
    private static void MergeSmall(List<List<int>> groups, IReadOnlyList<GridUnit> units, List<int>[] neighbours)
    {
        while (true)
        {
            var groupOf = new int[units.Count];
            for (var g = 0; g < groups.Count; g++)
            {
                foreach (var i in groups[g])
                    groupOf[i] = g;
            }
            int Sum(int g) => groups[g].Sum(i => units[i].Households);
            var small = Enumerable.Range(0, groups.Count).Where(g => Sum(g) < GridBounds.MinHouseholds).OrderBy(Sum).ToList();
            var merged = false;
            foreach (var g in small)
            {
                var adjacent = groups[g].SelectMany(i => neighbours[i]).Select(n => groupOf[n]).Where(o => o != g).Distinct()
                    .OrderBy(Sum).ThenBy(o => o).ToList();
                if (adjacent.Count == 0)
                    continue;
                groups[adjacent[0]].AddRange(groups[g]);
                groups.RemoveAt(g);
                merged = true;
                break;
            }
            if (!merged)
                return;
        }
    }

    // Degrees of longitude are shorter than degrees of latitude here (cos 31.6° ≈ 0.85).
    private static double Distance(Coordinate a, Coordinate b) => Math.Sqrt(Math.Pow((a.X - b.X) * 0.85, 2) + Math.Pow(a.Y - b.Y, 2));
}
