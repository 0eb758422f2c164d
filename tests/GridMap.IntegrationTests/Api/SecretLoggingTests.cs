using System.Collections.Concurrent;
using GridMap.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridMap.IntegrationTests.Api;

/// API keys and the connection string never reach the logs, at any log level, whatever the request does.
[Collection("postgres")]
public sealed class SecretLoggingTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _log = new();
    private ApiTestContext _api = null!;
    private WebApplicationFactory<Program> _logged = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiFactory.StartAsync(postgres, "api_secret_logging");
        _logged = _api.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingProvider(_log)))));
    }

    public async Task DisposeAsync()
    {
        await _logged.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task KeysAndConnectionString_AreNeverLogged()
    {
        const string unknownKey = "gm_this-key-does-not-exist-0123456789abcdef";
        foreach (var key in new[] { _api.PlannerKey, _api.ViewerKey, unknownKey })
        {
            using var client = _logged.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            await client.GetAsync("/collections/grids/items");
            await client.PostAsync("/collections/grids/items", Http.GeoJson(Http.Square(117.88, 31.6, 0.001, """{"name":"日志网格"}""")));
            await client.PostAsync("/collections/grids/items", Http.GeoJson("{broken"));
            using var request = new HttpRequestMessage(HttpMethod.Get, "/collections/nosuch/items");
            request.Headers.Add("X-Api-Key", key);
            await client.SendAsync(request);
        }

        Assert.NotEmpty(_log);
        var everything = string.Join("\n", _log);
        Assert.DoesNotContain(_api.PlannerKey, everything);
        Assert.DoesNotContain(_api.ViewerKey, everything);
        Assert.DoesNotContain(unknownKey, everything);
        Assert.DoesNotContain(_api.ConnectionString, everything);
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, log);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            log.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
