using GridMap.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

using GridMap.Data;
using Npgsql;

namespace GridMap.Cli;

/// `gridmap serve [--urls URL] [--no-demo]`: the API and viewer. On a database with no data at all it
/// first loads the demo city from data/demo, so a fresh install has something to show.
public static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Options(args, "no-demo");
        var urls = options.Get("urls") ?? DefaultUrl;
        var loadDemo = !options.Has("no-demo");
        options.RejectUnknown();

        var root = LocalCluster.FindProjectRoot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Path.Combine(root, "src", "GridMap.Api"),
            WebRootPath = Path.Combine(root, "src", "GridMap.Api", "wwwroot"),
        });
        builder.WebHost.UseUrls(urls);
        builder.AddGridMap();
        var app = builder.Build();
        if (loadDemo)
        {
            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
            await Migrations.ApplyAsync(dataSource);
            await DemoData.LoadIfEmptyAsync(dataSource, Path.Combine(root, "data", "demo"));
        }
        app.MapGridMap();
        Console.Error.WriteLine($"GridMap on {urls}");
        await app.RunAsync();
        return 0;
    }
}
