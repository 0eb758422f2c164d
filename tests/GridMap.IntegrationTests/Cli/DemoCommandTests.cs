using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Data;

namespace GridMap.IntegrationTests.Cli;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"gridmap-demo-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task DemoGenerate_OtherSeed_WritesEveryLayerAndADifferentCity()
    {
        Assert.Equal(0, await CommandLine.RunAsync(["demo", "generate", "--out", _directory, "--seed", "7"]));

        foreach (var layer in DemoData.LoadOrder)
            Assert.True(File.Exists(Path.Combine(_directory, $"{layer.Id}.geojson")), $"{layer.Id}.geojson");
        var committed = Path.Combine(LocalCluster.FindProjectRoot(), "data", "demo", "buildings.geojson");
        Assert.NotEqual(File.ReadAllText(committed), File.ReadAllText(Path.Combine(_directory, "buildings.geojson")));
        Assert.Contains("\"kind\":\"yizhan\"", File.ReadAllText(Path.Combine(_directory, "stations.geojson")));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("demo", "generate", "--seed", "many")]
    [InlineData("demo", "generate", "--colour", "red")]
    public async Task DemoGenerate_BadArguments_ExitWithUsageErrorAndWriteNothing(params string[] args)
    {
        Assert.Equal(2, await CommandLine.RunAsync([.. args, "--out", _directory]));
        Assert.False(Directory.Exists(_directory));
    }
}
