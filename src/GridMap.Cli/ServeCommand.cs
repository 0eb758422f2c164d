using System.Diagnostics;
using System.Runtime.InteropServices;
using GridMap.Data;
using GridMap.Operations.Demo;

namespace GridMap.Cli;

/// `gridmap serve [--urls URL] [--no-demo]`: the API and viewer. Prepares the database (the private cluster
/// unless GRIDMAP_DB is set, migrations, the demo city into an empty database) and then runs the web host,
/// GridMap.Api, as a child process with GRIDMAP_DB pointing at that database. The command line does not
/// reference the web host: the two are separate programs over the same libraries.
public static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args, "no-demo");
        var urls = options.Get("urls") ?? DefaultUrl;
        var loadDemo = !options.Has("no-demo");
        options.RejectUnknown();

        var root = LocalCluster.FindProjectRoot();
        var connectionString = DatabaseLocation.ResolveConnectionString(Environment.GetEnvironmentVariable(DatabaseLocation.ConnectionKey));
        await using (var dataSource = await CliDatabase.OpenAsync(ct))
        {
            if (loadDemo)
                await DemoData.LoadIfEmptyAsync(dataSource, Path.Combine(root, "data", "demo"), Console.Error, ct);
        }
        var start = ApiStartInfo(root, urls);
        start.Environment[DatabaseLocation.ConnectionKey] = connectionString;
        using var api = Process.Start(start) ?? throw new InvalidOperationException("could not start GridMap.Api");
        Console.Error.WriteLine($"GridMap on {urls} (web host pid {api.Id})");
        // Ctrl+C reaches the child too (same process group); a SIGTERM sent only to us is passed on, so that
        // stopping `gridmap serve` always stops the web host with it.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            SignalChild(api);
        });
        try
        {
            await api.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            SignalChild(api);
            await api.WaitForExitAsync(CancellationToken.None);
        }
        return api.ExitCode;
    }

    /// The built GridMap.Api next to this build (same configuration), else `dotnet run` of the project.
    /// The working directory is the project folder, so the host finds wwwroot as its content root.
    private static ProcessStartInfo ApiStartInfo(string root, string urls)
    {
        var project = Path.Combine(root, "src", "GridMap.Api");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "GridMap.Api.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project, UseShellExecute = false };
        if (File.Exists(dll))
            start.ArgumentList.Add(dll);
        else
            foreach (var arg in new[] { "run", "--project", project, "-c", configuration, "--no-launch-profile", "--" })
                start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(urls);
        return start;
    }

    private static void SignalChild(Process child)
    {
        if (!child.HasExited)
            _ = Kill(child.Id, 15);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
