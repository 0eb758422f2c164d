using System.Globalization;
using System.Text;
using GridMap.Cli;
using GridMap.Operations.Demo;
using GridMap.Regions;

using GridMap.Osm;

namespace GridMap.IntegrationTests.Cli;

/// An OpenStreetMap extract without communities: blocks enclosed by major roads become derived communities
/// (read with the real osmium from apt), and each splits or names why not.
public sealed class OsmSplitInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gridmap-osm-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_PrimaryRoadBetweenBuildings_GivesTwoDerivedBlocks()
    {
        // osmium wants nodes before ways.
        var nodes = new StringBuilder();
        var ways = new StringBuilder();
        var node = 1;
        var way = 1000;
        string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        void Building(double lon, double lat, string kind, int levels)
        {
            var first = node;
            foreach (var (x, y) in new[] { (lon, lat), (lon + 0.0004, lat), (lon + 0.0004, lat + 0.0002), (lon, lat + 0.0002) })
                nodes.Append(CultureInfo.InvariantCulture, $"<node id=\"{node++}\" lat=\"{N(y)}\" lon=\"{N(x)}\" version=\"1\"/>\n");
            ways.Append(CultureInfo.InvariantCulture, $"<way id=\"{way++}\" version=\"1\"><nd ref=\"{first}\"/><nd ref=\"{first + 1}\"/><nd ref=\"{first + 2}\"/><nd ref=\"{first + 3}\"/><nd ref=\"{first}\"/>");
            ways.Append(CultureInfo.InvariantCulture, $"<tag k=\"building\" v=\"{kind}\"/><tag k=\"building:levels\" v=\"{levels}\"/></way>\n");
        }
        for (var i = 0; i < 12; i++)
            Building(116.300 + i % 2 * 0.0006, 39.900 + i / 2 * 0.0004, "apartments", 8);
        for (var i = 0; i < 12; i++)
            Building(116.3030 + i % 2 * 0.0006, 39.900 + i / 2 * 0.0004, "apartments", 8);
        Building(116.3030, 39.8995, "retail", 3);
        nodes.Append(CultureInfo.InvariantCulture, $"<node id=\"{node}\" lat=\"39.898\" lon=\"116.3020\" version=\"1\"/><node id=\"{node + 1}\" lat=\"39.905\" lon=\"116.3020\" version=\"1\"/>\n");
        ways.Append(CultureInfo.InvariantCulture, $"<way id=\"{way}\" version=\"1\"><nd ref=\"{node}\"/><nd ref=\"{node + 1}\"/><tag k=\"highway\" v=\"primary\"/></way>\n");
        var path = Path.Combine(_folder, "extract.osm");
        File.WriteAllText(path, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\">\n{nodes}{ways}</osm>\n");

        var cases = OsmSplitInput.Load(path, "test");

        Assert.Equal(2, cases.Count);
        Assert.All(cases, c => Assert.EndsWith("(derived)", c.Name, StringComparison.Ordinal));
        Assert.Equal([12, 13], cases.Select(c => c.Units.Count).Order());
        Assert.Equal(0, cases.SelectMany(c => c.Units).Count(u => u.Households == 0) - 1); // only the shop houses nobody
        foreach (var c in cases)
        {
            var result = HouseholdGridPartitioner.Split(c.Community, c.Units, c.Barriers);
            Assert.Equal(c.Units.Select(u => u.Id).Order(), result.Grids.SelectMany(g => g.UnitIds).Order());
            Assert.True(result.Feasible || result.Problems.Count > 0);
            if (result.Feasible)
                Assert.All(result.Grids, g => Assert.InRange(g.Households, 300, 500));
        }
    }
}
