using GridMap.Geo;

namespace GridMap.Tests.Geo;

public class ChineseOffsetsTests
{
    // Published test vectors of eviltransform (googollee/eviltransform, transform_test.go): lon, lat.
    [Theory]
    [InlineData(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597)] // Shanghai
    [InlineData(113.912316, 22.543847, 113.9171764808363, 22.540796131694766)] // Shenzhen
    [InlineData(116.377817, 39.911954, 116.38404722455657, 39.91334545536069)] // Beijing
    public void Gcj02FromWgs84_PublishedVector_MatchesToNanodegrees(double wgsLon, double wgsLat, double gcjLon, double gcjLat)
    {
        var (lon, lat) = ChineseOffsets.Gcj02FromWgs84(wgsLon, wgsLat);

        Assert.Equal(gcjLon, lon, 1e-9);
        Assert.Equal(gcjLat, lat, 1e-9);
    }

    [Theory]
    [InlineData(121.5272106, 31.1774276, 121.531541859215, 31.17530398364597)]
    [InlineData(113.912316, 22.543847, 113.9171764808363, 22.540796131694766)]
    [InlineData(116.377817, 39.911954, 116.38404722455657, 39.91334545536069)]
    public void Wgs84FromGcj02_PublishedVector_WithinOneMillimetre(double wgsLon, double wgsLat, double gcjLon, double gcjLat)
    {
        var (lon, lat) = ChineseOffsets.Wgs84FromGcj02(gcjLon, gcjLat);

        Assert.InRange(DistanceMeters(lon, lat, wgsLon, wgsLat), 0, 0.001);
    }

    [Fact]
    public void Gcj02FromWgs84_Tiananmen_ShiftsAbout600MetresNorthEast()
    {
        var (lon, lat) = ChineseOffsets.Gcj02FromWgs84(116.397, 39.908);

        Assert.Equal(0.0062, lon - 116.397, 0.0002);
        Assert.Equal(0.0014, lat - 39.908, 0.0002);
    }

    // Published vectors of the forward closed form: wandergis/coordtransform (as tested by hutool) and geotool.
    [Theory]
    [InlineData(116.404, 39.915, 116.41036949371029, 39.92133699351021)]
    [InlineData(121.09626935575027, 30.608604331756705, 121.10271732371203, 30.61484572185035)]
    public void Bd09FromGcj02_PublishedVector_MatchesToNanodegrees(double gcjLon, double gcjLat, double bdLon, double bdLat)
    {
        var (lon, lat) = ChineseOffsets.Bd09FromGcj02(gcjLon, gcjLat);

        Assert.Equal(bdLon, lon, 1e-9);
        Assert.Equal(bdLat, lat, 1e-9);
    }

    // Over a fine grid of the whole box the shift runs from about 30 m (far north-west) to 705 m.
    [Theory]
    [MemberData(nameof(ChinaGrid))]
    public void Gcj02FromWgs84_InsideChina_ShiftsTensToHundredsOfMetres(double lon, double lat)
    {
        var (gcjLon, gcjLat) = ChineseOffsets.Gcj02FromWgs84(lon, lat);

        Assert.InRange(DistanceMeters(lon, lat, gcjLon, gcjLat), 25, 710);
    }

    [Theory]
    [MemberData(nameof(ChinaGrid))]
    public void Wgs84FromGcj02_RoundTripInsideChina_WithinOneCentimetre(double lon, double lat)
    {
        var (gcjLon, gcjLat) = ChineseOffsets.Gcj02FromWgs84(lon, lat);
        var (backLon, backLat) = ChineseOffsets.Wgs84FromGcj02(gcjLon, gcjLat);

        Assert.InRange(DistanceMeters(lon, lat, backLon, backLat), 0, 0.01);
    }

    [Theory]
    [MemberData(nameof(ChinaGrid))]
    public void Wgs84FromBd09_RoundTripInsideChina_WithinOneCentimetre(double lon, double lat)
    {
        var (bdLon, bdLat) = ChineseOffsets.Bd09FromWgs84(lon, lat);
        var (backLon, backLat) = ChineseOffsets.Wgs84FromBd09(bdLon, bdLat);

        Assert.InRange(DistanceMeters(lon, lat, backLon, backLat), 0, 0.01);
    }

    [Theory]
    [MemberData(nameof(ChinaGrid))]
    public void Gcj02FromBd09_RoundTripInsideChina_WithinOneCentimetre(double lon, double lat)
    {
        var (bdLon, bdLat) = ChineseOffsets.Bd09FromGcj02(lon, lat);
        var (backLon, backLat) = ChineseOffsets.Gcj02FromBd09(bdLon, bdLat);

        Assert.InRange(DistanceMeters(lon, lat, backLon, backLat), 0, 0.01);
    }

    [Theory]
    [InlineData(2.3522, 48.8566)] // Paris
    [InlineData(-74.006, 40.7128)] // New York
    [InlineData(139.6917, 35.6895)] // Tokyo, east of the box
    [InlineData(151.2093, -33.8688)] // Sydney
    [InlineData(72.0, 30.0)] // just west of the box
    public void Gcj02FromWgs84_OutsideChina_Identity(double lon, double lat)
    {
        Assert.Equal((lon, lat), ChineseOffsets.Gcj02FromWgs84(lon, lat));
        Assert.Equal((lon, lat), ChineseOffsets.Wgs84FromGcj02(lon, lat));
    }

    [Fact]
    public void Wgs84FromGcj02_PointShiftedAcrossTheBoxEdge_RoundTrips()
    {
        // Just inside the eastern edge; GCJ-02 pushes it outside the box.
        var (gcjLon, gcjLat) = ChineseOffsets.Gcj02FromWgs84(137.83, 40.0);
        Assert.False(ChineseOffsets.IsInChina(gcjLon, gcjLat));

        var (lon, lat) = ChineseOffsets.Wgs84FromGcj02(gcjLon, gcjLat);

        Assert.InRange(DistanceMeters(lon, lat, 137.83, 40.0), 0, 0.01);
    }

    [Theory]
    [InlineData(181.0, 30.0)]
    [InlineData(116.0, -90.5)]
    [InlineData(double.NaN, 30.0)]
    [InlineData(116.0, double.PositiveInfinity)]
    public void Gcj02FromWgs84_OutOfRange_Throws(double lon, double lat)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChineseOffsets.Gcj02FromWgs84(lon, lat));
    }

    public static TheoryData<double, double> ChinaGrid()
    {
        var data = new TheoryData<double, double>();
        for (var lon = 75.0; lon <= 135.0; lon += 5.0)
        {
            for (var lat = 18.0; lat <= 53.0; lat += 5.0)
                data.Add(lon + 0.123, lat + 0.456);
        }
        return data;
    }

    // Haversine on the mean Earth radius: plenty for distances of centimetres to kilometres.
    internal static double DistanceMeters(double lon1, double lat1, double lon2, double lat2)
    {
        const double earthRadiusMeters = 6371008.8;
        var toRadians = Math.PI / 180;
        var dLat = (lat2 - lat1) * toRadians;
        var dLon = (lon2 - lon1) * toRadians;
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(lat1 * toRadians) * Math.Cos(lat2 * toRadians) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * earthRadiusMeters * Math.Asin(Math.Sqrt(h));
    }
}
