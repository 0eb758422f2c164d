using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;

namespace GridMap.Regions;

/// <summary>
/// Splits a community into contiguous grids of <see cref="SplitOptions.MinHouseholds"/>–<see cref="SplitOptions.MaxHouseholds"/>
/// households: units get Voronoi territories cut by barriers (<see cref="Territories"/>),
/// so the grids tile the community; compounds stay whole unless they alone exceed the maximum; barriers are crossed
/// only where no split without crossing exists. When no valid split exists the result names the cause and the
/// units involved, and still carries the closest valid alternative with the affected grids flagged.
/// </summary>
/// <remarks>Geometry is planar and in metres (project WGS 84 with <c>GaussKruger.Project</c> first). Instances are immutable and thread-safe.</remarks>
public sealed class HouseholdGridPartitioner
{
    private const double BarrierCutCost = 0.05;
    private const double CompoundCutCost = 50;
    private const int DrawBudget = 600;
    private const double SliverSquareMeters = 0.5;
    private static readonly PrecisionModel UnionPrecision = new(1e8);

    /// <summary>Bounds and seed in use.</summary>
    public SplitOptions Options { get; }

    /// <summary>A partitioner with these bounds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">MinHouseholds ≤ 0, or MaxHouseholds &lt; MinHouseholds.</exception>
    public HouseholdGridPartitioner(SplitOptions? options = null)
    {
        options ??= new SplitOptions();
        if (options.MinHouseholds <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MinHouseholds, "MinHouseholds must be positive.");
        if (options.MaxHouseholds < options.MinHouseholds)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxHouseholds, "MaxHouseholds must be at least MinHouseholds.");
        Options = options;
    }

    /// <summary>Splits <paramref name="community"/> (metric polygon) among <paramref name="units"/>, with major roads and rivers as <paramref name="barriers"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">As for the constructor.</exception>
    public static SplitResult Split(Geometry community, IReadOnlyList<SplitUnit> units, IReadOnlyList<Geometry> barriers, SplitOptions? options = null) =>
        new HouseholdGridPartitioner(options).Run(community, units, barriers);

    /// <summary>See <see cref="Split"/>.</summary>
    public SplitResult Run(Geometry community, IReadOnlyList<SplitUnit> units, IReadOnlyList<Geometry> barriers)
    {
        ArgumentNullException.ThrowIfNull(community);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(barriers);
        if (units.Count == 0)
            return new SplitResult(false, [new SplitProblem(SplitCause.NoUnits, [])], []);
        if (units.Any(u => u.Households < 0))
            throw new ArgumentException("Households cannot be negative.", nameof(units));
        long total = units.Sum(u => (long)u.Households);
        if (total == 0)
            return new SplitResult(false, [new SplitProblem(SplitCause.NoHouseholds, units.Select(u => u.Id).ToList())], []);

        var territories = Territories.Build(community, units.Select(u => u.Location).ToList(), barriers);
        return new SplitRun(this, units, territories).Execute();
    }

    /// <summary>Splits with territories built before (<see cref="Territories.Build"/> over the same units in the same order).</summary>
    /// <exception cref="ArgumentException">The territories are of a different number of units, or there are no households.</exception>
    public SplitResult Run(Territories territories, IReadOnlyList<SplitUnit> units)
    {
        ArgumentNullException.ThrowIfNull(territories);
        ArgumentNullException.ThrowIfNull(units);
        if (territories.Cells.Length != units.Count)
            throw new ArgumentException("The territories were built for other units.", nameof(territories));
        if (units.Sum(u => (long)u.Households) == 0)
            throw new ArgumentException("The units have no households.", nameof(units));
        return new SplitRun(this, units, territories).Execute();
    }

    /// <summary>Quality figures of any assignment of units to grids (e.g. another partitioner's), in the same terms as a split.</summary>
    /// <param name="territories">Territories of <paramref name="units"/>.</param>
    /// <param name="units">The units.</param>
    /// <param name="gridOfUnit">Grid number 0..k-1 of each unit; a grid may be non-contiguous (its polygon is then a MultiPolygon).</param>
    public SplitResult Evaluate(Territories territories, IReadOnlyList<SplitUnit> units, IReadOnlyList<int> gridOfUnit)
    {
        ArgumentNullException.ThrowIfNull(gridOfUnit);
        var parts = gridOfUnit.Select((g, n) => (g, n)).GroupBy(x => x.g).OrderBy(x => x.Key).Select(x => x.Select(y => y.n).ToList()).ToList();
        return new SplitRun(this, units, territories).Report(parts);
    }

    /// <summary>Drops slivers under half a square metre (leftovers of clipping cells to a block, touching the grid only at
    /// points) that would make a contiguous grid a MultiPolygon.</summary>
    private static Geometry WithoutSlivers(Geometry union)
    {
        if (union is not MultiPolygon multi)
            return union;
        var parts = Enumerable.Range(0, multi.NumGeometries).Select(i => (Polygon)multi.GetGeometryN(i)).Where(p => p.Area >= SliverSquareMeters).ToArray();
        if (parts.Length == 0)
            return union;
        return parts.Length == 1 ? parts[0] : union.Factory.CreateMultiPolygon(parts);
    }

    private sealed class SplitRun(HouseholdGridPartitioner owner, IReadOnlyList<SplitUnit> units, Territories territories)
    {
        private readonly UnitGraph _graph = territories.Graph;
        private readonly long[] _households = units.Select(u => (long)u.Households).ToArray();
        private readonly int _min = owner.Options.MinHouseholds;
        private readonly int _max = owner.Options.MaxHouseholds;
        private readonly bool _joinPockets = owner.Options.JoinSmallPockets;
        private readonly Random _random = new(owner.Options.Seed);
        private readonly List<SplitProblem> _problems = [];

        private long Sum(IEnumerable<int> nodes) => nodes.Sum(n => _households[n]);

        private bool HasGridCount(long households) => (households + _max - 1) / _max <= households / _min;

        private List<long> Ids(IEnumerable<int> nodes) => nodes.Select(n => units[n].Id).ToList();

        public SplitResult Execute()
        {
            var all = Enumerable.Range(0, units.Count).ToList();
            var parts = Sum(all) < _min ? UnderMin(all) : Partition(all);
            return Report(parts);
        }

        private List<List<int>> UnderMin(List<int> all)
        {
            _problems.Add(new SplitProblem(SplitCause.CommunityUnderMin, Ids(all)));
            return [all];
        }

        private List<List<int>> Partition(List<int> all)
        {
            var pockets = _graph.Components(all, e => !e.Barrier);
            var over = all.Where(n => _households[n] > _max).ToList();
            if (over.Count == 0 && pockets.All(p => HasGridCount(Sum(p))))
            {
                var parts = new List<List<int>>();
                foreach (var pocket in pockets)
                {
                    var split = PartitionRegion(pocket, allowBarrier: false);
                    if (split is null)
                        break;
                    parts.AddRange(split);
                }
                if (parts.Sum(p => p.Count) == all.Count)
                    return parts;
            }

            // No split keeps to the barriers: name what forces the crossing, then cross where needed.
            if (over.Count > 0)
                _problems.Add(new SplitProblem(SplitCause.UnitOverMax, Ids(over)));
            var namePockets = pockets.Count > 1 && !_joinPockets;
            if (namePockets)
            {
                foreach (var pocket in pockets.Where(p => Sum(p) < _min && !p.All(over.Contains)))
                    _problems.Add(new SplitProblem(SplitCause.PocketUnderMin, Ids(pocket)));
            }
            var result = new List<List<int>>();
            foreach (var region in _graph.Components(all, _ => true))
                result.AddRange(PartitionWithFallbacks(region, over.ToHashSet(), namePockets));
            return result;
        }

        private List<List<int>> PartitionWithFallbacks(List<int> region, HashSet<int> over, bool pocketsNamed)
        {
            var big = region.Where(over.Contains).ToList();
            var result = big.Select(n => new List<int> { n }).ToList();
            foreach (var sub in _graph.Components(region.Where(n => !over.Contains(n)), _ => true))
            {
                var households = Sum(sub);
                if (households < _min)
                {
                    // Too small for a grid of its own: join the oversized unit it touches, else stand alone (flagged).
                    var host = result.FindIndex(part => big.Contains(part[0]) && sub.Any(n => _graph.Incident[n].Any(e => part.Contains(_graph.Other(e, n)))));
                    if (host >= 0)
                        result[host].AddRange(sub);
                    else
                    {
                        if (!pocketsNamed)
                            _problems.Add(new SplitProblem(SplitCause.PocketUnderMin, Ids(sub)));
                        result.Add(sub);
                    }
                    continue;
                }
                var split = PartitionRegion(sub, allowBarrier: true);
                if (split is null)
                {
                    _problems.Add(new SplitProblem(HasGridCount(households) ? SplitCause.SearchFailed : SplitCause.NoGridCount, Ids(sub)));
                    split = Relaxed(sub, households);
                }
                result.AddRange(split);
            }
            return result;
        }

        /// <summary>Closest alternative when bounds cannot be met: the fewest grids that respect the maximum, as even as the graph allows.</summary>
        private List<List<int>> Relaxed(List<int> nodes, long households)
        {
            var k = (int)Math.Clamp((households + _max - 1) / _max, 1, nodes.Count);
            var bisection = new RecursiveBisection(_graph, _households, _random, allowBarrier: true, DrawBudget);
            return bisection.Split(nodes, k, 0, long.MaxValue, relaxed: true) ?? [nodes];
        }

        /// <summary>A bounded split of a connected region: compounds kept whole first, then by single buildings; null when neither works.</summary>
        private List<List<int>>? PartitionRegion(List<int> region, bool allowBarrier)
        {
            var households = Sum(region);
            var kMin = (int)((households + _max - 1) / _max);
            var kMax = (int)(households / _min);
            var middle = (_min + _max) / 2.0;
            var counts = Enumerable.Range(kMin, Math.Max(0, kMax - kMin + 1))
                .OrderBy(k => Math.Abs(households / (double)k - middle)).Take(3).ToList();
            foreach (var wholeCompounds in new[] { true, false })
            {
                var (atomGraph, atomWeight, atomUnits) = Atoms(region, allowBarrier, wholeCompounds);
                foreach (var k in counts)
                {
                    var bisection = new RecursiveBisection(atomGraph, atomWeight, _random, allowBarrier, DrawBudget);
                    var atoms = Enumerable.Range(0, atomGraph.Count).ToList();
                    var parts = bisection.Split(atoms, k, _min, _max, relaxed: false);
                    if (parts is null)
                        continue;
                    bisection.Improve(parts, _min, _max);
                    return parts.Select(p => p.SelectMany(a => atomUnits[a]).Order().ToList()).ToList();
                }
                if (!units.Any(u => u.CompoundId is not null))
                    break;
            }
            // Bisection found nothing within bounds (coarse units): split as evenly as the graph allows, then
            // move single buildings across grid boundaries until every grid is within bounds.
            var (graph, weight, unitsOf) = Atoms(region, allowBarrier, wholeCompounds: false);
            foreach (var k in counts)
            {
                var repair = new RecursiveBisection(graph, weight, _random, allowBarrier, DrawBudget);
                var parts = repair.Split(Enumerable.Range(0, graph.Count).ToList(), k, 0, long.MaxValue, relaxed: true);
                if (parts is null || !repair.Repair(parts, _min, _max))
                    continue;
                repair.Improve(parts, _min, _max);
                return parts.Select(p => p.SelectMany(a => unitsOf[a]).Order().ToList()).ToList();
            }
            return null;
        }

        /// <summary>Contracts each compound's connected units into one node (unless over the maximum), summing boundary lengths into cut costs.</summary>
        private (UnitGraph Graph, long[] Weight, List<List<int>> Units) Atoms(List<int> region, bool allowBarrier, bool wholeCompounds)
        {
            var atomOf = new Dictionary<int, int>();
            var atomUnits = new List<List<int>>();
            void AddAtom(List<int> members)
            {
                foreach (var n in members)
                    atomOf[n] = atomUnits.Count;
                atomUnits.Add(members);
            }
            if (wholeCompounds)
            {
                foreach (var compound in region.Where(n => units[n].CompoundId is not null).GroupBy(n => units[n].CompoundId))
                {
                    var together = _graph.Components(compound, e => allowBarrier || !e.Barrier);
                    foreach (var piece in together)
                    {
                        if (Sum(piece) <= _max)
                            AddAtom(piece);
                        else
                            piece.ForEach(n => AddAtom([n]));
                    }
                }
            }
            foreach (var n in region.Where(n => !atomOf.ContainsKey(n)))
                AddAtom([n]);

            var costs = new Dictionary<(int, int), (double Cost, bool Open)>();
            foreach (var n in region)
            {
                foreach (var e in _graph.Incident[n])
                {
                    var edge = _graph.Edges[e];
                    if (edge.A != n || !atomOf.TryGetValue(edge.B, out var b))
                        continue;
                    var a = atomOf[n];
                    if (a == b)
                        continue;
                    var key = a < b ? (a, b) : (b, a);
                    var cost = edge.Barrier ? BarrierCutCost * edge.LengthMeters : edge.LengthMeters;
                    if (units[edge.A].CompoundId is { } c && c == units[edge.B].CompoundId)
                        cost += CompoundCutCost;
                    var old = costs.GetValueOrDefault(key);
                    costs[key] = (old.Cost + cost, old.Open || !edge.Barrier);
                }
            }
            var edges = costs.OrderBy(c => c.Key).Select(c => new UnitEdge(c.Key.Item1, c.Key.Item2, c.Value.Cost, !c.Value.Open)).ToList();
            var weight = atomUnits.Select(Sum).ToArray();
            return (new UnitGraph(atomUnits.Count, edges), weight, atomUnits);
        }

        public SplitResult Report(List<List<int>> parts)
        {
            // Cells on either side of a barrier meet along the same line but at different vertices; a floating
            // union can leave such neighbours as two touching parts. Snap-rounding to 10 nm joins them.
            var polygons = parts.Select(p => UnaryUnionNG.Union(
                territories.Cells[p[0]].Factory.BuildGeometry(p.Select(n => territories.Cells[n]).ToList()), UnionPrecision))
                .Select(WithoutSlivers).ToList();
            // North-west first, so grid numbers read like a page.
            var order = Enumerable.Range(0, parts.Count)
                .OrderByDescending(i => Math.Round(polygons[i].Centroid.Y, 3)).ThenBy(i => polygons[i].Centroid.X).ToList();
            parts = order.Select(i => parts[i]).ToList();
            polygons = order.Select(i => polygons[i]).ToList();

            var gridOf = new int[units.Count];
            for (var g = 0; g < parts.Count; g++)
            {
                foreach (var n in parts[g])
                    gridOf[n] = g;
            }
            var neighbors = parts.Select(_ => new SortedSet<int>()).ToList();
            var barrierPairs = parts.Select(_ => new HashSet<(int, int)>()).ToList();
            foreach (var edge in _graph.Edges)
            {
                int ga = gridOf[edge.A], gb = gridOf[edge.B];
                if (ga != gb)
                {
                    neighbors[ga].Add(gb);
                    neighbors[gb].Add(ga);
                }
                else if (edge.Barrier)
                {
                    int ba = territories.BlockOf[edge.A], bb = territories.BlockOf[edge.B];
                    barrierPairs[ga].Add((Math.Min(ba, bb), Math.Max(ba, bb)));
                }
            }
            var gridsOfCompound = Enumerable.Range(0, units.Count).Where(n => units[n].CompoundId is not null)
                .GroupBy(n => units[n].CompoundId!.Value)
                .ToDictionary(g => g.Key, g => g.Select(n => gridOf[n]).Distinct().ToList());
            var problemUnits = _problems.SelectMany(p => p.UnitIds).ToHashSet();
            var grids = new List<SplitGrid>();
            for (var g = 0; g < parts.Count; g++)
            {
                var households = (int)Sum(parts[g]);
                var polygon = polygons[g];
                var perimeter = polygon.Length;
                var compoundsCut = gridsOfCompound.Values.Count(grids => grids.Count > 1 && grids.Contains(g));
                var flagged = households < _min || households > _max || parts[g].Any(n => problemUnits.Contains(units[n].Id));
                grids.Add(new SplitGrid(g, polygon, Ids(parts[g]), households, polygon.Area,
                    perimeter > 0 ? 4 * Math.PI * polygon.Area / (perimeter * perimeter) : 0,
                    compoundsCut, barrierPairs[g].Count, neighbors[g].ToList(), flagged));
            }
            var feasible = _problems.Count == 0 && grids.All(g => !g.Flagged);
            return new SplitResult(feasible, _problems, grids);
        }
    }
}
