using GridMap.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Tests.Geo;

public class CoordinateConversionTests
{
    private const string CompoundWkt =
        "POLYGON ((116.3100 39.9900, 116.3150 39.9900, 116.3150 39.9940, 116.3100 39.9940, 116.3100 39.9900), " +
        "(116.3120 39.9910, 116.3130 39.9910, 116.3130 39.9920, 116.3120 39.9910))";

    [Theory]
    [InlineData("wgs84", CoordinateSystem.Wgs84)]
    [InlineData("WGS84", CoordinateSystem.Wgs84)]
    [InlineData("cgcs2000", CoordinateSystem.Cgcs2000)]
    [InlineData("Gcj02", CoordinateSystem.Gcj02)]
    [InlineData("BD09", CoordinateSystem.Bd09)]
    public void TryParse_KnownName_ReturnsSystem(string text, CoordinateSystem expected)
    {
        Assert.True(CoordinateConversion.TryParse(text, out var system));
        Assert.Equal(expected, system);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("epsg:4326")]
    [InlineData("gcj-02")]
    [InlineData(" wgs84")]
    public void TryParse_UnknownName_ReturnsFalse(string? text)
    {
        Assert.False(CoordinateConversion.TryParse(text, out _));
    }

    [Theory]
    [InlineData(CoordinateSystem.Gcj02)]
    [InlineData(CoordinateSystem.Bd09)]
    public void ToWgs84_OffsetPolygon_ConvertsEveryVertexOfACopy(CoordinateSystem from)
    {
        var input = Read(CompoundWkt);

        var result = CoordinateConversion.ToWgs84(input, from);

        Assert.Equal(Srid.Wgs84, result.SRID);
        Assert.Equal(input.Coordinates.Length, result.Coordinates.Length);
        for (var i = 0; i < input.Coordinates.Length; i++)
        {
            var (lon, lat) = from == CoordinateSystem.Gcj02
                ? ChineseOffsets.Wgs84FromGcj02(input.Coordinates[i].X, input.Coordinates[i].Y)
                : ChineseOffsets.Wgs84FromBd09(input.Coordinates[i].X, input.Coordinates[i].Y);
            Assert.Equal(lon, result.Coordinates[i].X);
            Assert.Equal(lat, result.Coordinates[i].Y);
        }
        Assert.True(Read(CompoundWkt).EqualsExact(input));
    }

    [Theory]
    [InlineData(CoordinateSystem.Wgs84)]
    [InlineData(CoordinateSystem.Cgcs2000)]
    [InlineData(CoordinateSystem.Gcj02)]
    [InlineData(CoordinateSystem.Bd09)]
    public void FromWgs84_ThenToWgs84_ReturnsTheInputWithinMicrodegrees(CoordinateSystem system)
    {
        var input = Read(CompoundWkt);

        var result = CoordinateConversion.ToWgs84(CoordinateConversion.FromWgs84(input, system), system);

        Assert.True(result.EqualsExact(input, 1e-9), result.AsText());
    }

    [Fact]
    public void ToWgs84_FromCgcs2000_SameCoordinatesWithSrid4326()
    {
        var input = Read("MULTIPOINT ((116.31 39.99), (121.47 31.23))", Srid.Cgcs2000);

        var result = CoordinateConversion.ToWgs84(input, CoordinateSystem.Cgcs2000);

        Assert.NotSame(input, result);
        Assert.Equal(Srid.Wgs84, result.SRID);
        Assert.Equal(Srid.Wgs84, result.GetGeometryN(1).SRID);
        Assert.True(result.EqualsExact(input));
    }

    [Fact]
    public void FromWgs84_ToGcj02_EnvelopeFollowsTheShiftedCoordinates()
    {
        var input = Read("LINESTRING (116.397 39.908, 116.40 39.91)");

        var result = CoordinateConversion.FromWgs84(input, CoordinateSystem.Gcj02);

        var (minLon, minLat) = ChineseOffsets.Gcj02FromWgs84(116.397, 39.908);
        Assert.Equal(minLon, result.EnvelopeInternal.MinX);
        Assert.Equal(minLat, result.EnvelopeInternal.MinY);
    }

    [Fact]
    public void ToWgs84_ProjectedCoordinates_ThrowsArgumentException()
    {
        var projected = Read("POINT (583514.43 3497835.18)", 4548);

        var e = Assert.Throws<ArgumentException>(() => CoordinateConversion.ToWgs84(projected, CoordinateSystem.Gcj02));
        Assert.Equal("geometry", e.ParamName);
    }

    private static Geometry Read(string wkt, int srid = Srid.Wgs84)
    {
        var geometry = new WKTReader().Read(wkt);
        geometry.SRID = srid;
        return geometry;
    }
}
