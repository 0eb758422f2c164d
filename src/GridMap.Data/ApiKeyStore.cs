using System.Security.Cryptography;
using Npgsql;

namespace GridMap.Data;

public sealed record ApiKeyInfo(long Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// API keys are random 256-bit secrets shown once at creation; only their SHA-256 is stored, which is
/// enough for keys of that entropy (no salt or slow hash needed, unlike passwords).
public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    public static readonly string[] Roles = ["viewer", "staff", "planner", "admin"];

    /// Creates a key and returns its secret, which is not stored anywhere.
    public async Task<(ApiKeyInfo Key, string Secret)> CreateAsync(string name, string role, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A key needs a name.", nameof(name));
        if (!Roles.Contains(role))
            throw new ArgumentException($"Role must be one of {string.Join(", ", Roles)}.", nameof(role));
        var secret = "gm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var command = dataSource.CreateCommand(
            "INSERT INTO api_keys (name, role, key_sha256) VALUES ($1, $2, $3) RETURNING id, created_at");
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(role);
        command.Parameters.AddWithValue(Hash(secret));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (new ApiKeyInfo(reader.GetInt64(0), name, role, reader.GetFieldValue<DateTimeOffset>(1), null), secret);
    }

    /// The active key with this secret, or null.
    public async Task<ApiKeyInfo?> FindAsync(string secret, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, role, created_at, revoked_at FROM api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL");
        command.Parameters.AddWithValue(Hash(secret));
        var keys = await ReadAsync(command, ct);
        return keys.Count == 0 ? null : keys[0];
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, role, created_at, revoked_at FROM api_keys ORDER BY id");
        return await ReadAsync(command, ct);
    }

    public async Task<bool> RevokeAsync(long id, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL");
        command.Parameters.AddWithValue(id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    private static async Task<IReadOnlyList<ApiKeyInfo>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var keys = new List<ApiKeyInfo>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            keys.Add(new ApiKeyInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        return keys;
    }
}
