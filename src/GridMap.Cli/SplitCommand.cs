using System.Globalization;
using GridMap.Operations.Regions;
using GridMap.Data;
using GridMap.Regions;

namespace GridMap.Cli;

/// `gridmap split --community ID|NAME [--min N --max N] (default GridBounds) [--seed N] [--json] [--apply]`, or `--all [--street ID]`
/// for every community (of one street). Each split is kept as a proposal; --apply applies the feasible ones.
/// With --json stdout carries only JSON: one split object, or `{ "communities": [ ... ] }` for --all.
public static class SplitCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args, "json", "apply", "all");
        var communityText = options.Get("community");
        var all = options.Has("all");
        var streetText = options.Get("street");
        var min = ReadInt(options, "min", GridBounds.MinHouseholds);
        var max = ReadInt(options, "max", GridBounds.MaxHouseholds);
        var seed = ReadInt(options, "seed", 1);
        var json = options.Has("json");
        var apply = options.Has("apply");
        options.RejectUnknown();
        if (options.Positional.Count > 0 || (communityText is null) == !all)
            throw new UsageException($"usage: split --community ID|NAME | --all [--street ID] [--min {GridBounds.MinHouseholds} --max {GridBounds.MaxHouseholds}] [--seed N] [--json] [--apply]");
        if (min <= 0)
            throw new UsageException("--min must be at least 1");
        if (max < min)
            throw new UsageException($"--max ({max}) must not be below --min ({min})");
        long? streetId = streetText is null ? null
            : long.TryParse(streetText, NumberStyles.None, CultureInfo.InvariantCulture, out var street) ? street
            : throw new UsageException($"--street must be a street id, not '{streetText}'");

        await using var dataSource = await CliDatabase.OpenAsync(ct);
        var store = new SplitStore(dataSource);
        var splitter = new CommunitySplitter(store);
        IReadOnlyList<CommunityArea> communities;
        if (all)
            communities = await store.ListCommunitiesAsync(streetId, ct);
        else
        {
            var found = await store.FindCommunityAsync(communityText!, ct) ?? throw new UsageException($"no community with id or name '{communityText}'");
            communities = [found];
        }
        var splitOptions = new SplitOptions(min, max, seed);
        var results = new List<CommunitySplit>();
        var actor = $"gridmap split ({Environment.UserName})";
        foreach (var community in communities)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var split = await splitter.SplitAsync(community, splitOptions, actor, save: true, withCommunityId: all, ct);
            results.Add(split);
            Console.Error.WriteLine($"{community.Id} {community.Name}: {(split.Result.Feasible ? "feasible" : "infeasible")}, " +
                $"{split.Result.Grids.Count} grids, {started.Elapsed.TotalMilliseconds:0} ms" +
                string.Concat(split.Result.Problems.Select(p => $"; {p.Cause} ({p.UnitIds.Count} units)")));
            if (apply && split.ProposalId is { } proposal)
            {
                if (!split.Result.Feasible)
                    Console.Error.WriteLine($"  not applied: no valid split (proposal {proposal} kept for review)");
                else
                {
                    var (_, ids) = await store.ApplyAsync(proposal, actor, ct);
                    Console.Error.WriteLine($"  applied proposal {proposal}: grids {string.Join(", ", ids)}");
                }
            }
        }
        if (json)
        {
            if (all)
                Console.Out.WriteLine($"{{\"communities\":[{string.Join(",", results.Select(r => r.Json))}]}}");
            else
                Console.Out.WriteLine(results[0].Json);
        }
        else
        {
            foreach (var split in results)
                WriteTable(split);
        }
        return 0;
    }

    private static int ReadInt(Options options, string name, int fallback)
    {
        var text = options.Get(name);
        if (text is null)
            return fallback;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a whole number, not '{text}'");
    }

    private static void WriteTable(CommunitySplit split)
    {
        var result = split.Result;
        Console.Out.WriteLine($"{split.Community.Name} (community {split.Community.Id}): {(result.Feasible ? "feasible" : "NO VALID SPLIT")}" +
            (split.ProposalId is { } id ? $", proposal {id}" : ""));
        foreach (var problem in result.Problems)
            Console.Out.WriteLine($"  problem {problem.Cause}: units {string.Join(", ", problem.UnitIds.Take(20))}{(problem.UnitIds.Count > 20 ? ", …" : "")}");
        foreach (var grid in result.Grids)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  grid {grid.Index + 1,3}: {grid.Households,5} households {grid.AreaM2,10:0} m²  PP {grid.PolsbyPopper:0.00}  compounds cut {grid.CompoundsCut}  barriers {grid.BarriersCrossed}  neighbours {string.Join(",", grid.Neighbors.Select(n => n + 1))}{(grid.Flagged ? "  FLAGGED" : "")}"));
        }
    }
}
