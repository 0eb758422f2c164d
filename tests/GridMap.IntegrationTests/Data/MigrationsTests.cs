using GridMap.Data;
using GridMap.IntegrationTests.Support;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GridMap.IntegrationTests.Data;

/// A GRIDMAP_DB without PostGIS: the migrations create the extension on a data source that has already
/// read the database's types, and NTS values must work on it afterwards (issue 12).
[Collection("postgres")]
public sealed class MigrationsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ApplyAsync_DatabaseWithoutPostgis_SameDataSourceWritesAndReadsNtsGeometry()
    {
        var connectionString = await postgres.CreateDatabaseAsync("migrations_without_postgis");
        await using (var bare = GridMapDataSource.Create(connectionString))
        await using (var drop = bare.CreateCommand("DROP EXTENSION IF EXISTS pgrouting; DROP EXTENSION postgis CASCADE"))
            await drop.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();

        await using var dataSource = GridMapDataSource.Create(connectionString);
        await using (var first = dataSource.CreateCommand("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'"))
            Assert.Equal(0L, await first.ExecuteScalarAsync());
        await Migrations.ApplyAsync(dataSource);

        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var square = factory.CreatePolygon([new(117.88, 31.60), new(117.89, 31.60), new(117.89, 31.61), new(117.88, 31.61), new(117.88, 31.60)]);
        var store = new FeatureStore(dataSource);
        var written = await store.InsertAsync(Layers.Streets, new FeatureWrite(square, new Dictionary<string, object?> { ["name"] = "街道" }),
            new WriteContext("test", null), CancellationToken.None);
        await using var read = dataSource.CreateCommand("SELECT ST_GeometryN(geom, 1) FROM streets WHERE id = $1");
        read.Parameters.AddWithValue(written.Id);
        var stored = (Geometry)(await read.ExecuteScalarAsync())!;
        Assert.Equal(4326, stored.SRID);
        Assert.True(stored.EqualsExact(square), stored.AsText());
    }
}
