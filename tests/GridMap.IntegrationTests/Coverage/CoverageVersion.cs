using GridMap.Api.Coverage;
using GridMap.IntegrationTests.Support;

namespace GridMap.IntegrationTests.Coverage;

/// Derived results follow writes through the background worker, not at once: tests wait for the version.
public static class CoverageVersion
{
    /// The inputs version now: every committed write so far is at or below it.
    public static Task<long> InputsAsync(ApiTestContext api) =>
        api.ScalarAsync<long>("SELECT last_value FROM coverage_inputs_version");

    /// The GridMap-Data-Version of an answer, or null when it has none.
    public static long? Of(HttpResponseMessage response) =>
        response.Headers.TryGetValues(CoverageEndpoints.DataVersionHeader, out var values) ? long.Parse(values.First(), System.Globalization.CultureInfo.InvariantCulture) : null;

    /// Asks <paramref name="url"/> until its answer reflects at least the inputs version of now (every write
    /// committed before the call), at most 30 s; returns that answer.
    public static async Task<HttpResponseMessage> WaitAsync(ApiTestContext api, string url = "/coverage")
    {
        var wanted = await InputsAsync(api);
        var client = api.Anonymous();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.GetAsync(url);
            if (Of(response) >= wanted || DateTime.UtcNow > deadline)
                return response;
            await Task.Delay(50);
        }
    }
}
