using Npgsql;

namespace GridMap.Data;

/// Household counts given by the city (一房一档) win over estimates: they are written with
/// households_estimated = false, then compound and grid totals are recomputed.
public sealed class HouseholdStore(NpgsqlDataSource dataSource)
{
    /// Sets the households of the units with these codes; returns the codes that matched no unit.
    /// All or nothing: an unknown code does not stop the others, a database error undoes all.
    public async Task<IReadOnlyList<string>> SetGivenHouseholdsAsync(Layer layer, IReadOnlyList<(string Code, int Households)> counts,
        CancellationToken ct = default)
    {
        if (layer != Layers.Buildings && layer != Layers.Compounds)
            throw new ArgumentException("Household counts are given by building or by compound.", nameof(layer));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var unmatched = new List<string>();
        foreach (var (code, households) in counts)
        {
            await using var command = new NpgsqlCommand(
                $"UPDATE {layer.Table} SET households = $2, households_estimated = false WHERE code = $1", connection, transaction);
            command.Parameters.AddWithValue(code);
            command.Parameters.AddWithValue(households);
            if (await command.ExecuteNonQueryAsync(ct) == 0)
                unmatched.Add(code);
        }
        // A compound's total follows its buildings unless the city gave the compound's own count.
        if (layer == Layers.Buildings)
        {
            await using var compounds = new NpgsqlCommand("""
                UPDATE compounds c SET households = s.total, households_estimated = s.estimated
                FROM (SELECT compound_id, sum(households)::integer AS total, bool_or(households_estimated) AS estimated
                      FROM buildings WHERE compound_id IS NOT NULL GROUP BY compound_id) s
                WHERE c.id = s.compound_id AND (c.households, c.households_estimated) IS DISTINCT FROM (s.total, s.estimated)
                """, connection, transaction);
            await compounds.ExecuteNonQueryAsync(ct);
        }
        await RefreshGridHouseholdsAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return unmatched;
    }

    /// Recounts every grid's households after units changed (the grid trigger only fires on grid writes).
    internal static async Task RefreshGridHouseholdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE grids SET households = h FROM (SELECT id AS grid_id, grid_households(geom) AS h FROM grids) x " +
            "WHERE grids.id = x.grid_id AND grids.households IS DISTINCT FROM x.h", connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
