using GridMap.Data;
using Npgsql;

namespace GridMap.Operations.Import;

/// Imports a GeoJSON file into one layer in one transaction (`gridmap import geojson`, the demo city).
public static class GeoJsonFileImport
{
    /// Returns how many features were written; a bad feature stops the import with its index and field
    /// (<see cref="ImportFileException"/>) and nothing is written.
    public static async Task<int> ImportAsync(NpgsqlDataSource dataSource, Layer layer, string path, InputCoordinates coordinates,
        CancellationToken ct)
    {
        if (!File.Exists(path))
            throw new ImportFileException($"no such file: {path}");
        IReadOnlyList<(long? Id, FeatureWrite Feature)> features;
        await using (var stream = File.OpenRead(path))
        {
            try
            {
                features = GeoJsonImport.Read(stream, layer, coordinates);
            }
            catch (FeatureRejectedException e)
            {
                throw new ImportFileException($"{path}: {e.Message}");
            }
        }
        try
        {
            await new FeatureStore(dataSource).InsertManyAsync(layer, features, new WriteContext($"import {Path.GetFileName(path)}", null), ct);
        }
        catch (FeatureRejectedException e)
        {
            throw new ImportFileException($"{path}: {e.Message} Nothing was imported.");
        }
        return features.Count;
    }
}
