namespace GridMap.Cli;

/// `--name value` options and positional arguments of one command. Unknown options are an error.
public sealed class Options
{
    private readonly Dictionary<string, string?> _options = [];
    private readonly HashSet<string> _used = [];

    public List<string> Positional { get; } = [];

    public Options(IEnumerable<string> args, params string[] flags)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(arg);
                continue;
            }
            var name = arg[2..];
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
                _options[name[..equals]] = name[(equals + 1)..];
            else if (flags.Contains(name))
                _options[name] = null;
            else if (i + 1 < list.Count)
                _options[name] = list[++i];
            else
                throw new UsageException($"--{name} needs a value");
        }
    }

    public string? Get(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public bool Has(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    /// Call after reading every option: anything left over is a typo the user should hear about.
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"unknown option --{unknown[0]}");
    }
}
