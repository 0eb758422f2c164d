using GridMap.Api.Regions;
using GridMap.Operations.Regions;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using GridMap.Regions;
using Npgsql;

namespace GridMap.IntegrationTests.Regions;

/// Every community of the demo city gets a valid split or a named infeasibility, and the proposed grids
/// tile each community (checked in PostGIS).
[Collection("postgres")]
public sealed class DemoCitySplitTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly string[] NamedCauses =
    [
        SplitCause.NoUnits, SplitCause.NoHouseholds, SplitCause.UnitOverMax, SplitCause.CommunityUnderMin,
        SplitCause.PocketUnderMin, SplitCause.NoGridCount, SplitCause.SearchFailed,
    ];

    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = GridMapDataSource.Create(await postgres.CreateDatabaseAsync("demo_split"));
        await Migrations.ApplyAsync(_dataSource);
        Assert.True(await DemoData.LoadIfEmptyAsync(_dataSource, Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo")));
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task DemoCity_EveryCommunitySplitsOrNamesWhyNot()
    {
        var store = new SplitStore(_dataSource);
        var splitter = new CommunitySplitter(store);
        var communities = await store.ListCommunitiesAsync(null);
        Assert.NotEmpty(communities);
        var feasible = 0;
        foreach (var community in communities)
        {
            var (_, units) = await store.LoadUnitsAsync(community.Id);
            var split = await splitter.SplitAsync(community, new SplitOptions(), "test", save: true, withCommunityId: true, default);
            var result = split.Result;
            if (result.Feasible)
            {
                feasible++;
                Assert.All(result.Grids, g => Assert.InRange(g.Households, 300, 500));
            }
            else
            {
                Assert.NotEmpty(result.Problems);
                Assert.All(result.Problems, p => Assert.Contains(p.Cause, NamedCauses));
            }
            if (units.Sum(u => u.Households) == 0)
                continue;
            Assert.Equal(units.Select(u => u.Id).Order(), result.Grids.SelectMany(g => g.UnitIds).Order());
            Assert.All(result.Grids, g => Assert.Equal(1, g.Polygon.NumGeometries));
            await using (var validity = _dataSource.CreateCommand("SELECT string_agg(index || ': ' || ST_IsValidReason(geom), '; ') FROM split_proposal_grids WHERE proposal_id = $1 AND NOT ST_IsValid(geom)"))
            {
                validity.Parameters.AddWithValue(split.ProposalId!.Value);
                var invalid = await validity.ExecuteScalarAsync();
                Assert.True(invalid is DBNull, $"{community.Name}: invalid grids {invalid}; plane validity: {string.Join(",", result.Grids.Select(g => g.Polygon.IsValid))}");
            }
            await using var check = _dataSource.CreateCommand("""
                SELECT (SELECT ST_Area(ST_SymDifference(ST_Union(g.geom, 1e-9), c.geom, 1e-9)::geography) FROM split_proposal_grids g WHERE g.proposal_id = $1),
                       (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
                        FROM split_proposal_grids a JOIN split_proposal_grids b ON a.proposal_id = b.proposal_id AND a.index < b.index
                        WHERE a.proposal_id = $1 AND a.geom && b.geom)
                FROM communities c WHERE c.id = $2
                """);
            check.Parameters.AddWithValue(split.ProposalId!.Value);
            check.Parameters.AddWithValue(community.Id);
            await using var reader = await check.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetDouble(0) < 1.0, $"{community.Name}: union differs from the community by {reader.GetDouble(0)} m²");
            Assert.True(reader.GetDouble(1) < 0.01, $"{community.Name}: grids overlap by {reader.GetDouble(1)} m²");
        }
        Assert.True(feasible >= communities.Count / 2, $"only {feasible} of {communities.Count} demo communities split within bounds");
    }
}
