using System.Diagnostics;
using System.Globalization;
using System.Text;
using GridMap.Data;
using GridMap.Geo;
using GridMap.Osm;
using GridMap.Regions;
using NetTopologySuite.Geometries;

using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Operations.Osm;

namespace GridMap.Benchmarks;

/// `gridmap bench split [--osm FILE] [--min N --max N]` (default GridBounds): splits every community of the database (the demo
/// city, loaded from data/demo when the database is empty), a synthetic community of 5,000 buildings, and the
/// communities `import osm` derives from a real OpenStreetMap extract; partitions the same unit graphs with METIS (gpmetis -contig, k the
/// same) and prints both side by side.
/// A community ready to split: metric geometry, units and barriers; derived ones join small blocks across barriers.
internal sealed record SplitCase(string Dataset, string Name, Geometry Community, List<SplitUnit> Units, List<Geometry> Barriers, bool Derived = false);

public static class SplitBench
{
    private sealed record Figures(int Grids, int WithinBounds, int Contiguous, double MeanPp, double WorstPp, int CompoundsCut, double Seconds);

    private sealed class Totals
    {
        public int Communities, Feasible, Infeasible, Grids, OursWithin, MetisWithin, OursContiguous, MetisContiguous, OursCut, MetisCut, Units;
        public double OursPpSum, MetisPpSum, OursWorst = 1, MetisWorst = 1, OursSeconds, MetisSeconds, TerritorySeconds;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Options(args, "no-db");
        var osm = options.Get("osm");
        var noDb = options.Has("no-db");
        var min = options.Get("min") is { } minText ? int.Parse(minText, CultureInfo.InvariantCulture) : GridBounds.MinHouseholds;
        var max = options.Get("max") is { } maxText ? int.Parse(maxText, CultureInfo.InvariantCulture) : GridBounds.MaxHouseholds;
        options.RejectUnknown();
        var root = Data.LocalCluster.FindProjectRoot();
        osm ??= new[] { Path.Combine(root, "..", "shared", "data", "osm", "map.osm"), Path.Combine(root, "..", "..", "shared", "data", "osm", "map.osm") }
            .FirstOrDefault(File.Exists);

        var cases = new List<SplitCase>();
        if (!noDb)
            cases.AddRange(await DatabaseCasesAsync(root));
        cases.Add(Synthetic(5000, seed: 42));
        if (osm is not null)
        {
            Console.Error.WriteLine($"reading {osm} …");
            cases.AddRange(OsmCases(osm, "osm " + Path.GetFileName(osm)));
        }

        var plain = new HouseholdGridPartitioner(new SplitOptions(min, max, Seed: 1));
        var joining = new HouseholdGridPartitioner(new SplitOptions(min, max, Seed: 1, JoinSmallPockets: true));
        var totals = new Dictionary<string, Totals>();
        var all = new Totals();
        foreach (var c in cases)
        {
            var t = totals.TryGetValue(c.Dataset, out var existing) ? existing : totals[c.Dataset] = new Totals();
            var partitioner = c.Derived ? joining : plain;
            var cpu = Process.GetCurrentProcess();
            var clock = Stopwatch.StartNew();
            var territories = Territories.Build(c.Community, c.Units.Select(u => u.Location).ToList(), c.Barriers);
            var territorySeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            cpu.Refresh();
            var cpuBefore = cpu.TotalProcessorTime;
            var ours = partitioner.Run(territories, c.Units);
            var oursWall = clock.Elapsed.TotalSeconds;
            cpu.Refresh();
            var oursSeconds = (cpu.TotalProcessorTime - cpuBefore).TotalSeconds;
            var k = ours.Grids.Count;
            var (metisParts, metisSeconds) = Metis(territories.Graph, c.Units, k);
            var metis = partitioner.Evaluate(territories, c.Units, metisParts);
            var a = Measure(ours, min, max, oursSeconds);
            var b = Measure(metis, min, max, metisSeconds);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Dataset} / {c.Name}: {c.Units.Count} units, {c.Units.Sum(u => u.Households)} households, k={k}, " +
                $"{(ours.Feasible ? "feasible" : "infeasible: " + string.Join(",", ours.Problems.Select(p => p.Cause)))}; " +
                $"ours {a.WithinBounds}/{a.Grids} in bounds {oursSeconds * 1000:0} ms CPU ({oursWall * 1000:0} ms wall, +{territorySeconds * 1000:0} ms wall territories), " +
                $"METIS {b.WithinBounds}/{b.Grids} {metisSeconds * 1000:0} ms CPU"));
            foreach (var target in new[] { t, all })
            {
                target.Communities++;
                target.Units += c.Units.Count;
                if (ours.Feasible)
                    target.Feasible++;
                else
                    target.Infeasible++;
                target.Grids += k;
                target.OursWithin += a.WithinBounds;
                target.MetisWithin += b.WithinBounds;
                target.OursContiguous += a.Contiguous;
                target.MetisContiguous += b.Contiguous;
                target.OursCut += a.CompoundsCut;
                target.MetisCut += b.CompoundsCut;
                target.OursPpSum += a.MeanPp * k;
                target.MetisPpSum += b.MeanPp * k;
                target.OursWorst = Math.Min(target.OursWorst, a.WorstPp);
                target.MetisWorst = Math.Min(target.MetisWorst, b.WorstPp);
                target.OursSeconds += oursSeconds;
                target.MetisSeconds += metisSeconds;
                target.TerritorySeconds += territorySeconds;
            }
        }

        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"split bench: bounds {min}-{max} households, same k for both, METIS = gpmetis -contig; times are CPU seconds (ours: the partition and its report from the same unit graph; METIS: its own I/O + partitioning timers)");
        foreach (var (name, t) in totals.Append(new KeyValuePair<string, Totals>("ALL", all)))
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"{name}: {t.Communities} communities ({t.Feasible} feasible, {t.Infeasible} named infeasible), {t.Units} units, {t.Grids} grids");
            output.AppendLine(Row("  ours ", t.OursWithin, t.OursContiguous, t.Grids, t.OursPpSum, t.OursWorst, t.OursCut, t.OursSeconds) +
                string.Create(CultureInfo.InvariantCulture, $" (+ building the unit graph {t.TerritorySeconds:0.000} s wall)"));
            output.AppendLine(Row("  METIS", t.MetisWithin, t.MetisContiguous, t.Grids, t.MetisPpSum, t.MetisWorst, t.MetisCut, t.MetisSeconds));
        }
        output.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio split-time: {all.MetisSeconds / Math.Max(all.OursSeconds, 1e-9):0.00} (METIS time ÷ ours, same unit graphs and k)"));
        Console.Out.Write(output.ToString());
        return 0;
    }

    private static string Row(string who, int within, int contiguous, int grids, double ppSum, double worst, int cut, double seconds) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{who}: within bounds {100.0 * within / Math.Max(grids, 1),5:0.0}%  contiguous {100.0 * contiguous / Math.Max(grids, 1),5:0.0}%  " +
            $"Polsby-Popper mean {ppSum / Math.Max(grids, 1):0.000} worst {worst:0.000}  compounds cut {cut}  time {seconds:0.000} s");

    private static Figures Measure(SplitResult result, int min, int max, double seconds)
    {
        var grids = result.Grids;
        return new Figures(grids.Count, grids.Count(g => g.Households >= min && g.Households <= max),
            grids.Count(g => g.Polygon.NumGeometries == 1),
            grids.Count == 0 ? 0 : grids.Average(g => g.PolsbyPopper), grids.Count == 0 ? 0 : grids.Min(g => g.PolsbyPopper),
            grids.Sum(g => g.CompoundsCut) / 2, seconds);
    }

    /// Runs gpmetis on the unit graph (vertex weight = households, edge weight = shared boundary metres).
    private static (int[] Parts, double Seconds) Metis(UnitGraph graph, List<SplitUnit> units, int k)
    {
        if (k <= 1)
            return (new int[units.Count], 0);
        var folder = Path.Combine(Path.GetTempPath(), $"gridmap-metis-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "units.graph");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{graph.Count} {graph.Edges.Count} 011");
        for (var n = 0; n < graph.Count; n++)
        {
            text.Append(units[n].Households.ToString(CultureInfo.InvariantCulture));
            foreach (var e in graph.Incident[n])
                text.Append(CultureInfo.InvariantCulture, $" {graph.Other(e, n) + 1} {Math.Max(1, (int)Math.Round(graph.Edges[e].LengthMeters))}");
            text.AppendLine();
        }
        File.WriteAllText(file, text.ToString());
        var connected = graph.Components(Enumerable.Range(0, graph.Count), _ => true).Count == 1;
        var clock = Stopwatch.StartNew();
        var arguments = new List<string> { "-seed=1" };
        if (connected)
            arguments.Add("-contig");
        arguments.Add(file);
        arguments.Add(k.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(new ProcessStartInfo("gpmetis", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new UsageException("cannot start gpmetis (apt package metis)");
        var stdout = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        // METIS reports its own CPU timers ("I/O:", "Partitioning:"): fairer than wall time on a busy machine.
        var seconds = stdout.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("I/O:", StringComparison.Ordinal) || l.StartsWith("Partitioning:", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        if (seconds <= 0)
            seconds = clock.Elapsed.TotalSeconds;
        var partFile = $"{file}.part.{k}";
        if (process.ExitCode != 0 || !File.Exists(partFile))
            throw new UsageException($"gpmetis failed: {stdout.Trim()}");
        var parts = File.ReadAllLines(partFile).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Directory.Delete(folder, recursive: true);
        return (parts, seconds);
    }

    private static async Task<List<SplitCase>> DatabaseCasesAsync(string root)
    {
        await using var dataSource = await CliDatabase.OpenAsync(default);
        var demo = Path.Combine(root, "data", "demo");
        if (Directory.Exists(demo) && await DemoData.LoadIfEmptyAsync(dataSource, demo))
            Console.Error.WriteLine("loaded the demo city into the empty database");
        var store = new SplitStore(dataSource);
        var cases = new List<SplitCase>();
        foreach (var community in await store.ListCommunitiesAsync(null))
        {
            var (_, units) = await store.LoadUnitsAsync(community.Id);
            if (units.Sum(u => u.Households) == 0)
            {
                Console.Error.WriteLine($"demo / {community.Name}: no units or households, skipped");
                continue;
            }
            var zone = GaussKruger.ZoneSridFor(community.GeometryWgs84.EnvelopeInternal.Centre.X);
            var factory = GeometryFactories.Wgs84;
            var barriers = await store.LoadBarriersAsync(community.Id);
            cases.Add(new SplitCase("demo", community.Name, GaussKruger.Project(community.GeometryWgs84, zone),
                units.Select(u => new SplitUnit(u.Id, u.Households, GaussKruger.Project(factory.CreatePoint(u.PointWgs84), zone).Coordinate, u.CompoundId)).ToList(),
                barriers.Select(b => GaussKruger.Project(b, zone)).ToList()));
        }
        return cases;
    }

    /// The communities `gridmap import osm` derives from the extract (the same code), with the barriers crossing each.
    private static List<SplitCase> OsmCases(string path, string dataset)
    {
        var extract = new OsmExtract(OsmTagRules.DefaultStationTags);
        OsmXmlReader.Read(path, extract);
        extract.FinishRoads();
        var derivation = OsmCommunities.Derive(extract, [], OsmStore.SquareMetersPerHousehold,
            new DerivationOptions(MaxHouseholds: OsmImport.DerivedCommunityMaxHouseholds));
        return derivation.Communities
            .Select(c => new SplitCase(dataset, $"{c.Name} (derived)", c.Metric, c.Units.ToList(),
                derivation.MetricBarriers.Where(b => b.Intersects(c.Metric)).ToList(), Derived: true))
            .ToList();
    }

    /// A 2 km × 2 km community of <paramref name="buildings"/> buildings in compounds of about 20, crossed by two main roads.
    private static SplitCase Synthetic(int buildings, int seed)
    {
        var random = new Random(seed);
        var factory = new GeometryFactory();
        const double side = 2000;
        var community = factory.CreatePolygon([new(0, 0), new(side, 0), new(side, side), new(0, side), new(0, 0)]);
        var perRow = (int)Math.Ceiling(Math.Sqrt(buildings));
        var step = side / perRow;
        var units = new List<SplitUnit>();
        for (var i = 0; i < buildings; i++)
        {
            var (row, column) = (i / perRow, i % perRow);
            var point = new Coordinate((column + 0.2 + 0.6 * random.NextDouble()) * step, (row + 0.2 + 0.6 * random.NextDouble()) * step);
            var compound = (long)(point.X / 120) * 100 + (long)(point.Y / 180);
            units.Add(new SplitUnit(i + 1, random.Next(3, 16), point, compound));
        }
        List<Geometry> roads =
        [
            factory.CreateLineString([new(-10, side * 0.37), new(side + 10, side * 0.41)]),
            factory.CreateLineString([new(side * 0.62, -10), new(side * 0.58, side + 10)]),
        ];
        return new SplitCase("synthetic", $"{buildings} buildings", community, units, roads);
    }
}
