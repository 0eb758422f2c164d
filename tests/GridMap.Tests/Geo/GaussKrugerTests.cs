using GridMap.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Tests.Geo;

public class GaussKrugerTests
{
    [Theory]
    [InlineData(117.88, 4548)] // CM 117°E is zone 39: 4534 + 39 - 25
    [InlineData(116.397, 4548)]
    [InlineData(118.49, 4548)]
    [InlineData(118.5, 4549)] // a zone edge belongs to the zone east of it
    [InlineData(121.47, 4549)]
    [InlineData(73.5, 4534)]
    [InlineData(75.0, 4534)]
    [InlineData(135.0, 4554)]
    [InlineData(136.49, 4554)]
    public void ZoneSridFor_Longitude_ReturnsZoneOfNearestMultipleOfThree(double lon, int expected)
    {
        Assert.Equal(expected, GaussKruger.ZoneSridFor(lon));
    }

    [Theory]
    [InlineData(73.49)]
    [InlineData(136.5)]
    [InlineData(-117.0)]
    [InlineData(double.NaN)]
    public void ZoneSridFor_OutsideChinasZones_Throws(double lon)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussKruger.ZoneSridFor(lon));
    }

    // Expected values from PostGIS 3.3 / PROJ on PostgreSQL 15:
    // SELECT ST_AsText(ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), srid), 6);
    [Theory]
    [InlineData(117.88, 31.6, 4548, 583514.427995, 3497835.179111)]
    [InlineData(117.0, 31.0, 4548, 500000.0, 3430974.323409)]
    [InlineData(116.397, 39.908, 4548, 448438.29561, 4419488.000114)]
    [InlineData(121.47, 31.23, 4549, 640060.337694, 3457406.435497)]
    [InlineData(87.6, 43.8, 4538, 548285.115077, 4851775.302748)]
    [InlineData(109.5, 18.3, 4546, 341398.671814, 2024838.548582)]
    [InlineData(126.63, 45.75, 4551, 549021.174916, 5068491.760204)]
    public void Project_Point_MatchesPostGisWithinAMillimetre(double lon, double lat, int srid, double easting, double northing)
    {
        var projected = (Point)GaussKruger.Project(Wgs84Point(lon, lat));

        Assert.Equal(srid, projected.SRID);
        Assert.Equal(easting, projected.X, 0.001);
        Assert.Equal(northing, projected.Y, 0.001);
    }

    [Fact]
    public void Project_ExplicitZone_UsesThatZone()
    {
        var projected = (Point)GaussKruger.Project(Wgs84Point(118.6, 31.6), 4548);

        Assert.Equal(4548, projected.SRID);
        Assert.InRange(projected.X, 650_000, 700_000);
    }

    [Fact]
    public void Unproject_ProjectedPolygon_ReturnsTheInputWithinNanodegrees()
    {
        var input = new WKTReader().Read("POLYGON ((117.80 31.55, 117.95 31.55, 117.95 31.65, 117.80 31.55))");
        input.SRID = Srid.Wgs84;

        var result = GaussKruger.Unproject(GaussKruger.Project(input));

        Assert.Equal(Srid.Wgs84, result.SRID);
        Assert.True(result.EqualsExact(input, 1e-9), result.AsText());
    }

    [Fact]
    public void AreaSquareMeters_HundredMetreSquareBuiltInTheProjection_IsTenThousand()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4548);
        var square = factory.CreatePolygon(
        [
            new Coordinate(583_500, 3_497_800), new Coordinate(583_600, 3_497_800), new Coordinate(583_600, 3_497_900),
            new Coordinate(583_500, 3_497_900), new Coordinate(583_500, 3_497_800),
        ]);

        var area = GaussKruger.AreaSquareMeters(GaussKruger.Unproject(square));

        Assert.Equal(10_000, area, 10_000 * 0.001);
    }

    // PostGIS: SELECT ST_Length(ST_MakeLine(ST_MakePoint(117, 31), ST_MakePoint(117, 32))::geography) = 110878.11 m.
    [Fact]
    public void LengthMeters_OneDegreeOfCentralMeridian_IsTheGeodesicLength()
    {
        var line = GeometryFactories.Wgs84.CreateLineString([new Coordinate(117, 31), new Coordinate(117, 32)]);

        Assert.Equal(110_878.11, GaussKruger.LengthMeters(line), 0.01);
    }

    [Fact]
    public void Project_AlreadyProjected_ThrowsArgumentException()
    {
        var projected = GaussKruger.Project(Wgs84Point(117.88, 31.6));

        var e = Assert.Throws<ArgumentException>(() => GaussKruger.Project(projected));
        Assert.Equal("wgs84", e.ParamName);
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(4533)]
    [InlineData(4555)]
    public void Project_SridNotAGaussKrugerZone_Throws(int srid)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GaussKruger.Project(Wgs84Point(117.88, 31.6), srid));
        Assert.Equal("srid", e.ParamName);
    }

    [Fact]
    public void Unproject_Wgs84Geometry_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GaussKruger.Unproject(Wgs84Point(117.88, 31.6)));
        Assert.Equal("projected", e.ParamName);
    }

    [Fact]
    public void Project_EmptyWithoutZone_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => GaussKruger.Project(GeometryFactories.Wgs84.CreatePolygon()));
    }

    [Fact]
    public void Project_ManyThreadsManyZones_SameAnswersAsOneThread()
    {
        var lons = Enumerable.Range(0, 400).Select(i => 74.0 + i * 0.15).ToArray();
        var expected = lons.Select(lon => ((Point)GaussKruger.Project(Wgs84Point(lon, 35))).X).ToArray();

        var actual = lons.AsParallel().AsOrdered().Select(lon => ((Point)GaussKruger.Project(Wgs84Point(lon, 35))).X).ToArray();

        Assert.Equal(expected, actual);
    }

    private static Point Wgs84Point(double lon, double lat) => GeometryFactories.Wgs84.CreatePoint(new Coordinate(lon, lat));
}
