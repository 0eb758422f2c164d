using System.Net;
using System.Text.RegularExpressions;
using GridMap.IntegrationTests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GridMap.IntegrationTests.Api;

/// Every write endpoint the service maps (found from its routing table, so new endpoints are covered
/// without editing this test) refuses anonymous callers (401) and viewer and staff keys (403), and writes nothing.
[Collection("postgres")]
public sealed partial class WriteRoleTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];
    private ApiTestContext _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "api_write_roles");
        var created = await _api.Planner().PostAsync("/collections/grids/items",
            Http.GeoJson(Http.Square(117.88, 31.60, 0.002, """{"name":"权限网格"}""")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task EveryWriteEndpoint_RefusesAnonymousViewerAndStaff()
    {
        _api.Anonymous().Dispose(); // builds the host, so the routing table exists
        var endpoints = _api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Intersect(WriteMethods)
                .Select(method => (Method: method, Path: Concrete(e.RoutePattern.RawText!))))
            .ToList();
        Assert.Contains(endpoints, e => e is { Method: "POST", Path: "/collections/grids/items" });
        var before = await _api.ScalarAsync<string>("SELECT version || ':' || name FROM grids");

        var refused = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            foreach (var (who, client, expected) in new[]
            {
                ("anonymous", _api.Anonymous(), HttpStatusCode.Unauthorized),
                ("viewer", _api.WithKey(_api.ViewerKey), HttpStatusCode.Forbidden),
                ("staff", _api.WithKey(_api.StaffKey), HttpStatusCode.Forbidden),
            })
            {
                using (client)
                {
                    var body = """{"type":"Feature","geometry":{"type":"Point","coordinates":[117.88,31.6]},"properties":{"name":"x"}}""";
                    var response = await client.SendAsync(new HttpMethod(method), path, method == "DELETE" ? null : body, "*");
                    if (response.StatusCode != expected)
                        refused.Add($"{method} {path} as {who}: {(int)response.StatusCode}, expected {(int)expected}");
                }
            }
        }
        Assert.True(refused.Count == 0, string.Join("\n", refused));
        Assert.Equal(before, await _api.ScalarAsync<string>("SELECT version || ':' || name FROM grids"));
        Assert.Equal(0L, await _api.ScalarAsync<long>("SELECT count(*) FROM stations"));
    }

    /// "/collections/{layerId}/items/{id}" → "/collections/grids/items/1".
    private static string Concrete(string pattern) =>
        ("/" + RouteParameter().Replace(pattern.TrimStart('/'), m => m.Groups[1].Value.StartsWith("layer", StringComparison.Ordinal) ? "grids" : "1")).TrimEnd('/');

    [GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
