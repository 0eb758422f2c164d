using NetTopologySuite.Geometries;
using Npgsql;

namespace GridMap.Data;

/// The one way GridMap builds an <see cref="NpgsqlDataSource"/>: the service, the CLI, the benchmarks and
/// the tests all go through here, so every connection maps PostGIS geometry to NetTopologySuite types.
public static class GridMapDataSource
{
    public static NpgsqlDataSource Create(string connectionString, string? name = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        // Every geometry column is 2D (geometry(…, 4326)); handling XY only keeps an NaN Z that some NTS
        // operations leave on coordinates from reaching PostGIS as a third dimension.
        builder.UseNetTopologySuite(handleOrdinates: Ordinates.XY);
        return builder.Build();
    }
}
