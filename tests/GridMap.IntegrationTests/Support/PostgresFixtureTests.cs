using Npgsql;

namespace GridMap.IntegrationTests.Support;

[Collection("postgres")]
public class PostgresFixtureTests(PostgresFixture postgres)
{
    [Fact]
    public async Task CreateDatabaseAsync_NewName_EmptyDatabaseWithPostGis()
    {
        var connectionString = await postgres.CreateDatabaseAsync("fixture_tests");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_database(), postgis_version(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys')",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("fixture_tests", reader.GetString(0));
        Assert.StartsWith("3.", reader.GetString(1));
        Assert.Equal(0L, reader.GetInt64(2));
    }

    [Fact]
    public async Task CreateDatabaseAsync_SameNameAgain_StartsEmpty()
    {
        var connectionString = await postgres.CreateDatabaseAsync("fixture_again");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE leftover (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        connectionString = await postgres.CreateDatabaseAsync("fixture_again");

        await using var fresh = new NpgsqlConnection(connectionString);
        await fresh.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT to_regclass('leftover') IS NULL", fresh);
        Assert.Equal(true, await count.ExecuteScalarAsync());
    }
}
