using GridMap.Data;
using GridMap.Operations.Import;
using Npgsql;

namespace GridMap.Operations.Demo;

/// Loads the generated demo city (data/demo/*.geojson) into an empty database, parents before children.
public static class DemoData
{
    public static readonly Layer[] LoadOrder =
        [Layers.Streets, Layers.Communities, Layers.Compounds, Layers.Buildings, Layers.Grids,
         Layers.Stations, Layers.Cameras, Layers.Roads, Layers.Water];

    public static async Task<bool> LoadIfEmptyAsync(NpgsqlDataSource dataSource, string directory, TextWriter? progress = null,
        CancellationToken ct = default)
    {
        foreach (var layer in Layers.All)
        {
            await using var command = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {layer.Table})");
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
                return false;
        }
        if (!Directory.Exists(directory))
        {
            progress?.WriteLine($"no demo data in {directory}; starting empty");
            return false;
        }
        foreach (var layer in LoadOrder)
        {
            var path = Path.Combine(directory, $"{layer.Id}.geojson");
            if (!File.Exists(path))
                continue;
            var count = await GeoJsonFileImport.ImportAsync(dataSource, layer, path, InputCoordinates.Wgs84, ct);
            progress?.WriteLine($"demo: loaded {count} {layer.Id}");
        }
        return true;
    }
}
