using GridMap.Data;
using Npgsql;

namespace GridMap.Cli;

/// Loads the generated demo city (data/demo/*.geojson) into an empty database, parents before children.
public static class DemoData
{
    public static readonly Layer[] LoadOrder =
        [Layers.Streets, Layers.Communities, Layers.Compounds, Layers.Buildings, Layers.Grids,
         Layers.Stations, Layers.Cameras, Layers.Roads, Layers.Water];

    public static async Task<bool> LoadIfEmptyAsync(NpgsqlDataSource dataSource, string directory)
    {
        foreach (var layer in Layers.All)
        {
            await using var command = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {layer.Table})");
            if ((bool)(await command.ExecuteScalarAsync())!)
                return false;
        }
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"no demo data in {directory}; starting empty");
            return false;
        }
        foreach (var layer in LoadOrder)
        {
            var path = Path.Combine(directory, $"{layer.Id}.geojson");
            if (!File.Exists(path))
                continue;
            var count = await ImportCommand.ImportGeoJsonAsync(dataSource, layer, path, InputCoordinates.Wgs84);
            Console.Error.WriteLine($"demo: loaded {count} {layer.Id}");
        }
        return true;
    }
}
