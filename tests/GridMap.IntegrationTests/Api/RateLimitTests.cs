using System.Net;
using GridMap.Api.Auth;
using GridMap.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;

namespace GridMap.IntegrationTests.Api;

/// Expensive analysis is limited per key: over the budget a key gets 429 with Retry-After, other keys do not
/// notice, and cheap reads are never limited.
[Collection("postgres")]
public sealed class RateLimitTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ApiTestContext _api = null!;

    public async Task InitializeAsync() => _api = await ApiFactory.StartAsync(postgres, "api_rate_limit");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task OverTheBudget_429WithRetryAfter_PerKey()
    {
        await using var limited = _api.Factory.WithWebHostBuilder(b => b.UseSetting(RateLimits.ConfigurationKey, "3"));
        using var planner = limited.CreateClient();
        planner.DefaultRequestHeaders.Authorization = new("Bearer", _api.PlannerKey);
        using var staff = limited.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new("Bearer", _api.StaffKey);

        for (var i = 0; i < 3; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await planner.GetAsync("/stations/999/isochrone?minutes=5")).StatusCode);
        var refused = await planner.GetAsync("/stations/999/isochrone?minutes=5");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.ContentType()!.MediaType);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await planner.PostAsync("/communities/1/split", new StringContent("{}"))).StatusCode);

        // Another key has its own budget; plain reads are not limited at all.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await staff.GetAsync("/stations/999/isochrone?minutes=5")).StatusCode);
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await planner.GetAsync("/collections/stations/items")).StatusCode);
    }
}
