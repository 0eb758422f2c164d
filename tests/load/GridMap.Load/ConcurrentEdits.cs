using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace GridMap.Load;

public sealed record EditsResult(int FirstRoundWinners, int FirstRoundRefused, double MeanAttempts, int MaxAttempts,
    int LostUpdates, long VersionBefore, long VersionAfter, TimeSpan Elapsed);

/// N clients edit one grid with If-Match at the same moment, then each retries on the version it reads until
/// its change lands. Each client appends its own tag to the name, so a lost update is a missing tag.
public static class ConcurrentEdits
{
    public static async Task<EditsResult> RunAsync(Func<HttpClient> newClient, string gridUrl, int clients)
    {
        var clock = Stopwatch.StartNew();
        var http = Enumerable.Range(0, clients).Select(_ => newClient()).ToArray();
        try
        {
            var (firstName, firstTag) = await ReadAsync(http[0], gridUrl);
            using var start = new SemaphoreSlim(0);
            var firstRound = http.Select((client, i) => Task.Run(async () =>
            {
                await start.WaitAsync();
                using var response = await PatchAsync(client, gridUrl, firstTag, $"{firstName}|c{i}");
                return response.StatusCode;
            })).ToArray();
            start.Release(clients);
            var statuses = await Task.WhenAll(firstRound);

            var losers = Enumerable.Range(0, clients).Where(i => statuses[i] != HttpStatusCode.OK).ToArray();
            var attempts = await Task.WhenAll(losers.Select(i => Task.Run(() => RetryUntilAppliedAsync(http[i], gridUrl, i))));
            var (finalName, finalTag) = await ReadAsync(http[0], gridUrl);
            var tags = finalName.Split('|').Skip(1).ToHashSet();
            return new EditsResult(
                statuses.Count(s => s == HttpStatusCode.OK),
                statuses.Count(s => s == HttpStatusCode.PreconditionFailed),
                attempts.Length == 0 ? 0 : attempts.Average(), attempts.DefaultIfEmpty(0).Max(),
                Enumerable.Range(0, clients).Count(i => !tags.Contains($"c{i}")),
                Version(firstTag), Version(finalTag), clock.Elapsed);
        }
        finally
        {
            foreach (var client in http)
                client.Dispose();
        }
    }

    private static async Task<int> RetryUntilAppliedAsync(HttpClient client, string gridUrl, int index)
    {
        for (var attempt = 1; attempt <= 1000; attempt++)
        {
            var (name, tag) = await ReadAsync(client, gridUrl);
            using var response = await PatchAsync(client, gridUrl, tag, $"{name}|c{index}");
            if (response.StatusCode == HttpStatusCode.OK)
                return attempt;
            if (response.StatusCode != HttpStatusCode.PreconditionFailed)
                throw new InvalidOperationException($"client {index}: PATCH answered {(int)response.StatusCode}");
        }
        throw new InvalidOperationException($"client {index}: no write landed in 1000 attempts");
    }

    public static async Task<(string Name, string ETag)> ReadAsync(HttpClient client, string gridUrl)
    {
        using var response = await client.GetAsync(gridUrl);
        response.EnsureSuccessStatusCode();
        var feature = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ((string)feature["properties"]!["name"]!, response.Headers.ETag!.ToString());
    }

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string gridUrl, string etag, string name)
    {
        var body = new JsonObject { ["type"] = "Feature", ["properties"] = new JsonObject { ["name"] = name } };
        var request = new HttpRequestMessage(HttpMethod.Patch, gridUrl)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/geo+json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return client.SendAsync(request);
    }

    public static long Version(string etag) => long.Parse(etag.Trim('W', '/', '"'), System.Globalization.CultureInfo.InvariantCulture);
}
