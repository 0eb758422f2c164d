using GridMap.Operations.Import;
using GridMap.Regions;

namespace GridMap.Cli;

/// Dispatches `gridmap` commands. Each command lives in its own file; this is the table of contents.
public static class CommandLine
{
    public static readonly string Usage = $"""
        gridmap serve [--urls URL] [--no-demo]     start the API and viewer (default http://127.0.0.1:5000);
                                                   loads the demo city into an empty database
        gridmap db start|stop|status|migrate       the private PostgreSQL cluster in data/db (or GRIDMAP_DB)
        gridmap db backup FILE | db restore FILE   pg_dump custom format; a restore is one transaction
        gridmap import geojson LAYER FILE [--coords wgs84|cgcs2000|gcj02|bd09]
        gridmap import households FILE --by building|compound      CSV with code,households columns
        gridmap export LAYER [--out FILE] [--coords wgs84|cgcs2000|gcj02|bd09]
        gridmap split --community ID|NAME [--min {GridBounds.MinHouseholds} --max {GridBounds.MaxHouseholds}] [--seed N] [--json] [--apply]
        gridmap split --all [--street ID] [--json] [--apply]     split every community (of a street)
        gridmap bench split [--osm FILE]            our split vs METIS on the demo city, 5,000 buildings and an OSM extract
        gridmap keys create --name NAME --role viewer|staff|planner|admin
        gridmap keys list | keys revoke ID
        gridmap demo generate [--out DIR] [--seed N]  regenerate the demo city GeoJSON files (default data/demo)
        gridmap import osm FILE [--replace] [--station-tags k=v,...]   .osm or .osm.pbf: roads, buildings, compounds, stations
        gridmap coverage [--json] [--minutes 5,10,15] [--speed 1.11]  walking coverage; rewrites the coverage and heatmap layers
        gridmap nearest --lon X --lat Y [--k 3] | --compound NAME     nearest stations by walking time, with routes
        gridmap bench coverage [--osm FILE] [--reps N]                 our coverage and nearest vs pgRouting
        gridmap tiles seed --layers L[,L…] --minzoom N --maxzoom N [--bbox W,S,E,N] [--out FILE.mbtiles]  (default tiles/L-L.mbtiles)
        gridmap bench tiles                        tile speed: cold vs raw ST_AsMVT, cached vs nginx, edit-to-visible

        GRIDMAP_DB = connection string of an existing database; unset = the private cluster.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        // Ctrl+C cancels the running command: every long operation takes this token, and imports and
        // splits write in one transaction, so a cancelled command leaves nothing half-done.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var ct = cancel.Token;
        try
        {
            return args[0] switch
            {
                "serve" => await ServeCommand.RunAsync(args[1..], ct),
                "db" => await DbCommand.RunAsync(args[1..], ct),
                "import" => await ImportCommand.RunAsync(args[1..], ct),
                "export" => await ExportCommand.RunAsync(args[1..], ct),
                "keys" => await KeysCommand.RunAsync(args[1..], ct),
                "split" => await SplitCommand.RunAsync(args[1..], ct),
                "demo" => await Demo.DemoCommand.RunAsync(args[1..], ct),
                "coverage" => await CoverageCommand.RunCoverageAsync(args[1..], ct),
                "nearest" => await CoverageCommand.RunNearestAsync(args[1..], ct),
                "tiles" => await TilesCommand.RunAsync(args[1..], ct),
                "bench" => await BenchCommand.RunAsync(args[1..], ct),
                _ => Unknown(args[0]),
            };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("gridmap: cancelled; nothing was written by the unfinished step");
            return 130;
        }
        catch (Exception e) when (e is ImportFileException or GridMap.Osm.OsmInputException)
        {
            Console.Error.WriteLine($"gridmap: {e.Message}");
            return 2;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"gridmap: {e.Message}");
            return 2;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Unknown(string command)
    {
        Console.Error.WriteLine($"gridmap: unknown command '{command}'.\n{Usage}");
        return 2;
    }
}

/// A command line the user got wrong; printed without a stack trace, exit code 2.
public sealed class UsageException(string message) : Exception(message);
