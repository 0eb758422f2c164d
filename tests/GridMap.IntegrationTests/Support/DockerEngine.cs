using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace GridMap.IntegrationTests.Support;

/// <summary>
/// Whether a Docker engine answers (DOCKER_HOST, else /var/run/docker.sock) and holds the test database image
/// built by scripts/test-image.sh. Asks the engine's HTTP API directly, so a machine without Docker costs a
/// failed socket connect and nothing else.
/// </summary>
internal sealed record DockerEngine(string Endpoint, string ApiVersion)
{
    private const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>
    /// GRIDMAP_TEST_IMAGE when set, else the tag scripts/test-image.sh gives: "gridmap-test-postgis:" and the first
    /// 12 hex digits of the SHA-256 of tests/docker/Dockerfile followed by tests/docker/entrypoint.sh.
    /// </summary>
    public static string TestImage()
    {
        var named = Environment.GetEnvironmentVariable("GRIDMAP_TEST_IMAGE");
        if (!string.IsNullOrWhiteSpace(named))
            return named;
        var folder = Path.Combine(GridMap.Data.LocalCluster.FindProjectRoot(), "tests", "docker");
        var bytes = File.ReadAllBytes(Path.Combine(folder, "Dockerfile")).Concat(File.ReadAllBytes(Path.Combine(folder, "entrypoint.sh"))).ToArray();
        return "gridmap-test-postgis:" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
    }

    /// <summary>The engine that answers /version within a few seconds, or null and why not.</summary>
    public static async Task<(DockerEngine? Engine, string Why)> FindAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(endpoint))
            endpoint = "unix://" + DefaultSocket;
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal) && !File.Exists(endpoint["unix://".Length..]))
            return (null, $"no Docker engine: {endpoint["unix://".Length..]} does not exist");
        try
        {
            using var client = Client(endpoint);
            using var response = await client.GetAsync("/version");
            response.EnsureSuccessStatusCode();
            var version = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (new DockerEngine(endpoint, version.GetProperty("ApiVersion").GetString() ?? ""), "");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return (null, $"no Docker engine answers at {endpoint}: {e.Message}");
        }
    }

    public async Task<bool> HasImageAsync(string image)
    {
        using var client = Client(Endpoint);
        using var response = await client.GetAsync($"/images/{Uri.EscapeDataString(image)}/json");
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>
    /// Settings Testcontainers reads from the environment, set here unless the caller set them (test.sh does):
    /// the engine's own API version when it is older than the 1.44 Testcontainers asks for (Debian 12: 1.41), no
    /// Ryuk (its image cannot be pulled without a registry; the fixture removes its container itself), and
    /// 127.0.0.1 as the host of published ports of a local engine (this machine has /.dockerenv, which would
    /// send Testcontainers to the bridge gateway).
    /// </summary>
    public void ConfigureTestcontainers()
    {
        if (Version.TryParse(ApiVersion, out var api) && api < new Version(1, 44))
            SetIfUnset("DOCKER_API_VERSION", ApiVersion);
        SetIfUnset("TESTCONTAINERS_RYUK_DISABLED", "true");
        if (Endpoint.StartsWith("unix://", StringComparison.Ordinal))
            SetIfUnset("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
    }

    private static void SetIfUnset(string name, string value)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name)))
            Environment.SetEnvironmentVariable(name, value);
    }

    private static HttpClient Client(string endpoint)
    {
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            var socket = endpoint["unix://".Length..];
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                        return new NetworkStream(s, ownsSocket: true);
                    }
                    catch
                    {
                        s.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler) { BaseAddress = new Uri("http://docker"), Timeout = TimeSpan.FromSeconds(5) };
        }
        var address = endpoint.Replace("tcp://", "http://", StringComparison.Ordinal);
        return new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(5) };
    }
}
