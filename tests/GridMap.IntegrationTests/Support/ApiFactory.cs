
using GridMap.Api.Database;
using GridMap.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace GridMap.IntegrationTests.Support;

/// The real service over a test database, through the real HTTP pipeline.
public sealed class ApiFactory(string connectionString) : WebApplicationFactory<Program>
{
    public string ConnectionString => connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(DatabaseLocation.ConnectionKey, connectionString);
        builder.UseEnvironment("Development");
    }

    /// A fresh database with the schema applied, its service, and keys for each role.
    public static async Task<ApiTestContext> StartAsync(PostgresFixture postgres, string databaseName)
    {
        var connectionString = await postgres.CreateDatabaseAsync(databaseName);
        await using var dataSource = GridMapDataSource.Create(connectionString);
        await Migrations.ApplyAsync(dataSource);
        var keys = new ApiKeyStore(dataSource);
        var planner = (await keys.CreateAsync("张规划", "planner")).Secret;
        var viewer = (await keys.CreateAsync("viewer", "viewer")).Secret;
        var staff = (await keys.CreateAsync("网格员", "staff")).Secret;
        return new ApiTestContext(new ApiFactory(connectionString), connectionString, planner, viewer, staff);
    }
}

public sealed record ApiTestContext(ApiFactory Factory, string ConnectionString, string PlannerKey, string ViewerKey, string StaffKey)
    : IAsyncDisposable
{
    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient WithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Planner() => WithKey(PlannerKey);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var dataSource = GridMapDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var dataSource = GridMapDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
