using GridMap.Api.Auth;
using GridMap.Api.Coverage;
using GridMap.Api.Database;
using GridMap.Api.Errors;
using GridMap.Api.Features;
using GridMap.Api.Tiles;
using GridMap.Api.Regions;
using GridMap.Api.Viewer;

namespace GridMap.Api;

/// The service's table of contents: what is registered and which endpoints exist.
/// `gridmap serve` and Program.cs both build the app through here.
public static class GridMapApplication
{
    public const long MaxRequestBodyBytes = 20 * 1024 * 1024;

    public static void AddGridMap(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddGridMapDatabase();
        builder.Services.AddGridMapErrors();
        builder.Services.AddGridMapAuth();
        builder.Services.AddGridMapRegions();
        builder.Services.AddGridMapRateLimits(builder.Configuration);
        builder.Services.AddGridMapViewer();
        builder.Services.AddCoverage();
        builder.AddGridMapTiles();
    }

    public static void MapGridMap(this WebApplication app)
    {
        app.UseGridMapTiles();
        app.UseGridMapErrors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseStaticFiles();
        app.MapHealth();
        app.MapLanding();
        app.MapFeatures();
        app.MapViewer();
        app.MapGridMove();
        app.MapCoverage();
        app.MapTiles();
        app.MapRegions();
    }
}
