using System.Text.Json.Nodes;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;
using GridMap.IntegrationTests.Support;
using Npgsql;

namespace GridMap.IntegrationTests.Cli;

/// `gridmap import` and `gridmap export` against a real database, run in-process.
[Collection("postgres")]
public sealed class ImportExportTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _folder = PostgresFixture.NewTempFolder("gridmap-cli-");
    private string _connectionString = "";
    private string? _previousDb;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("cli_import_export");
        await using (var dataSource = GridMapDataSource.Create(_connectionString))
            await GridMap.Data.Migrations.ApplyAsync(dataSource);
        _previousDb = Environment.GetEnvironmentVariable("GRIDMAP_DB");
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _connectionString);
    }

    public Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GRIDMAP_DB", _previousDb);
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ImportGeoJson_ThenExport_RoundTripsIdsPropertiesAndGcj02()
    {
        var input = Path.Combine(_folder, "compounds.geojson");
        await File.WriteAllTextAsync(input, $$"""
            {"type":"FeatureCollection","features":[
              {{Http.Square(117.88, 31.60, 0.001, """{"id":7,"name":"金色港湾","households":420,"households_estimated":false,"kind":"commodity_housing"}""")}},
              {{Http.Square(117.89, 31.60, 0.001, """{"id":9,"name":"半岛花园","households":180}""")}}
            ]}
            """);
        Assert.Equal(0, await CommandLine.RunAsync(["import", "geojson", "compounds", input]));

        var output = Path.Combine(_folder, "out.geojson");
        Assert.Equal(0, await CommandLine.RunAsync(["export", "compounds", "--out", output]));
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
        var features = exported["features"]!.AsArray();
        Assert.Equal([7L, 9L], features.Select(f => (long)f!["properties"]!["id"]!));
        Assert.Equal("金色港湾", (string)features[0]!["properties"]!["name"]!);
        Assert.Equal(420, (int)features[0]!["properties"]!["households"]!);
        Assert.Equal(117.879, (double)features[0]!["geometry"]!["coordinates"]![0]![0]![0]![0]!, 6); // MultiPolygon

        // Exported in GCJ-02, imported back as GCJ-02: the same place within half a metre.
        var gcj = Path.Combine(_folder, "gcj.geojson");
        Assert.Equal(0, await CommandLine.RunAsync(["export", "compounds", "--out", gcj, "--coords", "gcj02"]));
        var text = (await File.ReadAllTextAsync(gcj)).Replace("\"id\":7", "\"id\":17").Replace("\"id\":9", "\"id\":19");
        await File.WriteAllTextAsync(gcj, text);
        Assert.Equal(0, await CommandLine.RunAsync(["import", "geojson", "compounds", gcj, "--coords", "gcj02"]));
        var metres = await ScalarAsync<double>(
            "SELECT ST_HausdorffDistance(ST_Transform(a.geom, 4548), ST_Transform(b.geom, 4548)) FROM compounds a, compounds b WHERE a.id = 7 AND b.id = 17");
        Assert.InRange(metres, 0, 0.5);
    }

    [Fact]
    public async Task ImportGeoJson_OneBadFeature_ImportsNothingAndNamesIt()
    {
        var input = Path.Combine(_folder, "bad.geojson");
        await File.WriteAllTextAsync(input, $$"""
            {"type":"FeatureCollection","features":[
              {{Http.PointFeature(117.88, 31.60, """{"name":"好驿站"}""")}},
              {{Http.PointFeature(117.88, 131.60, """{"name":"坏驿站"}""")}}
            ]}
            """);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await CommandLine.RunAsync(["import", "geojson", "stations", input]));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("features[1].geometry", error.ToString());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM stations"));
    }

    [Fact]
    public async Task ImportHouseholds_CityCountsWinAndTotalsFollow()
    {
        await ExecuteAsync("""
            INSERT INTO compounds (id, name, households, geom) VALUES
                (1, '学府苑', 0, ST_Multi(ST_MakeEnvelope(117.80, 31.60, 117.81, 31.61, 4326)));
            INSERT INTO buildings (code, compound_id, households, households_estimated, geom) VALUES
                ('B-1', 1, 50, true, ST_Multi(ST_MakeEnvelope(117.801, 31.601, 117.802, 31.602, 4326))),
                ('B-2', 1, 60, true, ST_Multi(ST_MakeEnvelope(117.803, 31.601, 117.804, 31.602, 4326)));
            INSERT INTO grids (name, geom) VALUES ('学府网格', ST_Multi(ST_MakeEnvelope(117.79, 31.59, 117.82, 31.62, 4326)));
            """);
        Assert.Equal(110L, await ScalarAsync<long>("SELECT households FROM grids"));
        var csv = Path.Combine(_folder, "households.csv");
        await File.WriteAllTextAsync(csv, "\uFEFFcode,households,备注\nB-1,72,一房一档\nB-2,60,\n");
        Assert.Equal(0, await CommandLine.RunAsync(["import", "households", csv, "--by", "building"]));
        Assert.Equal(72L, await ScalarAsync<long>("SELECT households FROM buildings WHERE code = 'B-1'"));
        Assert.False(await ScalarAsync<bool>("SELECT households_estimated FROM buildings WHERE code = 'B-1'"));
        Assert.Equal(132L, await ScalarAsync<long>("SELECT households FROM compounds WHERE id = 1"));
        Assert.False(await ScalarAsync<bool>("SELECT households_estimated FROM compounds WHERE id = 1"));
        Assert.Equal(132L, await ScalarAsync<long>("SELECT households FROM grids"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM grid_history"));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = GridMapDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var dataSource = GridMapDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
