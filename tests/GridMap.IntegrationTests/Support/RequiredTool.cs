namespace GridMap.IntegrationTests.Support;

/// <summary>
/// STYLE §10, test skips are skips: a test whose outside tool is missing reports Skipped locally (with
/// [SkippableFact]) and fails under CI=true, where test.sh has installed every tool. It never returns early
/// and reports Passed.
/// </summary>
public static class RequiredTool
{
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the running test (fails it under CI=true) unless <paramref name="path"/> exists.</summary>
    /// <param name="path">The tool, e.g. /usr/bin/ogrinfo.</param>
    /// <param name="package">The Debian package that installs it, for the message.</param>
    public static void Require(string path, string package)
    {
        if (File.Exists(path))
            return;
        var message = $"{path} is missing (apt-get install {package}; ./test.sh installs it)";
        Assert.False(OnCi, $"{message}; under CI=true every tool must be there");
        Skip.If(true, message);
    }
}
