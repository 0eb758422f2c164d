using GridMap.Data;

namespace GridMap.Cli;

/// `gridmap keys create --name NAME --role viewer|staff|planner|admin`, `keys list`, `keys revoke ID`.
public static class KeysCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var options = new Options(args);
        var action = options.Positional.FirstOrDefault() ?? throw new UsageException("keys needs create, list or revoke");
        var name = options.Get("name");
        var role = options.Get("role");
        options.RejectUnknown();
        await using var dataSource = await CliDatabase.OpenAsync(ct);
        var keys = new ApiKeyStore(dataSource);
        switch (action)
        {
            case "create":
                if (name is null || role is null)
                    throw new UsageException("keys create needs --name and --role");
                if (!ApiKeyStore.Roles.Contains(role))
                    throw new UsageException($"--role must be one of {string.Join(", ", ApiKeyStore.Roles)}");
                var (key, secret) = await keys.CreateAsync(name, role, ct);
                Console.Error.WriteLine($"key {key.Id} for {key.Name} ({key.Role}); shown once, keep it safe:");
                Console.WriteLine(secret);
                return 0;
            case "list":
                foreach (var k in await keys.ListAsync(ct))
                    Console.WriteLine($"{k.Id}\t{k.Role}\t{k.Name}\t{k.CreatedAt:yyyy-MM-dd HH:mm}\t{(k.RevokedAt is null ? "active" : "revoked")}");
                return 0;
            case "revoke":
                if (options.Positional.Count < 2 || !long.TryParse(options.Positional[1], out var id))
                    throw new UsageException("keys revoke needs a key id (see keys list)");
                if (!await keys.RevokeAsync(id, ct))
                {
                    Console.Error.WriteLine($"no active key {id}");
                    return 1;
                }
                Console.Error.WriteLine($"revoked key {id}");
                return 0;
            default:
                throw new UsageException($"unknown keys action '{action}'; use create, list or revoke");
        }
    }
}
