using GridMap.Routing;
using NetTopologySuite.Geometries;

namespace GridMap.Tests.Routing;

public class MetricFrameTests
{
    [Theory]
    [InlineData(117.87, 31.6, 4548)] // Chaohu: CGCS2000 Gauss–Krüger zone CM 117°E
    [InlineData(116.35, 40.0, 4548)] // Beijing: zone CM 117°E as well
    [InlineData(1.52, 42.5, 0)]      // Andorra: outside China's zones, local frame
    public void Project_OneKilometreNorthAndEast_MeasuresWithinOnePerMille(double lon, double lat, int expectedSrid)
    {
        var frame = MetricFrame.For(lon, lat);
        // Lengths of a degree on the WGS 84 ellipsoid (series for the meridian and the parallel).
        var phi = lat * Math.PI / 180;
        var north = lat + 1000 / (111_132.954 - 559.822 * Math.Cos(2 * phi) + 1.175 * Math.Cos(4 * phi));
        var east = lon + 1000 / (111_412.84 * Math.Cos(phi) - 93.5 * Math.Cos(3 * phi));

        var origin = frame.Project(lon, lat);
        var northMetres = origin.Distance(frame.Project(lon, north));
        var eastMetres = origin.Distance(frame.Project(east, lat));

        Assert.Equal(expectedSrid, frame.Srid);
        Assert.InRange(northMetres, 999, 1001);
        Assert.InRange(eastMetres, 999, 1001);
    }

    [Fact]
    public void Unproject_LocalFrame_RoundTripsWithinAMillimetre()
    {
        var frame = MetricFrame.For(-8.61, 41.15);
        var wgs84 = new LineString([new Coordinate(-8.61, 41.15), new Coordinate(-8.60, 41.16)]) { SRID = 4326 };

        var back = frame.Unproject(frame.Project(wgs84));

        for (var i = 0; i < 2; i++)
            Assert.True(back.Coordinates[i].Distance(wgs84.Coordinates[i]) < 1e-8);
        Assert.Equal(4326, back.SRID);
    }
}
