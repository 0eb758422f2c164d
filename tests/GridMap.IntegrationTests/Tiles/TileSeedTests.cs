using System.Net;
using GridMap.Api.Tiles;
using GridMap.Data.Tiles;
using GridMap.Operations.Tiles;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.IntegrationTests.Support;
using Microsoft.Data.Sqlite;

namespace GridMap.IntegrationTests.Tiles;

/// `gridmap tiles seed` writes an MBTiles file; the server serves it (GRIDMAP_MBTILES) with the same bytes.
[Collection("postgres")]
public sealed class TileSeedTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;
    private string? _previousDb;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gridmap-seed-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "tiles_seed");
        await _api.ExecuteAsync(TileData.Sql);
        _previousDb = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _api.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _previousDb);
        await _api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Seed_ThenServeTheFile_GivesTheSameBytesAsLiveTiles()
    {
        var file = Path.Combine(_folder, "city.mbtiles");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(0, await CommandLine.RunAsync(["tiles", "seed", "--layers", "grids,buildings", "--minzoom", "13",
                "--maxzoom", "16", "--bbox", "116.305,39.975,116.315,39.985", "--out", file]));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("100%", error.ToString()); // progress on stderr

        await using (var sqlite = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "SELECT (SELECT value FROM metadata WHERE name = 'name'), (SELECT value FROM metadata WHERE name = 'format'), (SELECT count(*) FROM tiles)";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal("grids,buildings", reader.GetString(0));
            Assert.Equal("pbf", reader.GetString(1));
            Assert.True(reader.GetInt64(2) >= 4, "one tile per zoom at least");
        }

        await using var offline = new TileApiFactory(_api.ConnectionString, new Dictionary<string, string> { [MbTiles.ConfigKey] = file });
        var tile = TileData.TileAt(16, TileData.Lon, TileData.Lat);
        var path = $"/tiles/grids,buildings/{tile}.mvt";
        var live = await _api.Anonymous().GetByteArrayAsync(path);
        // Change the database: the seeded file must still give what was seeded.
        await _api.ExecuteAsync("DELETE FROM buildings");
        var served = await offline.CreateClient().GetByteArrayAsync(path);

        Assert.Equal(live, served);
        Assert.Equal(["grids", "buildings"], MvtDecoder.Decode(served).Select(l => l.Name));
        using var outside = await offline.CreateClient().GetAsync($"/tiles/grids,buildings/{TileData.TileAt(16, 100, 30)}.mvt");
        Assert.Equal(HttpStatusCode.NoContent, outside.StatusCode);
    }

    [Theory]
    [InlineData("--minzoom", "23")]
    [InlineData("--layers", "nowhere")]
    [InlineData("--bbox", "1,2,3")]
    public async Task Seed_BadOptions_AreUsageErrors(string option, string value)
    {
        var args = new List<string> { "tiles", "seed", "--maxzoom", "3", "--out", Path.Combine(_folder, "x.mbtiles") };
        args.AddRange([option, value]);
        Assert.Equal(2, await CommandLine.RunAsync([.. args]));
    }
}
