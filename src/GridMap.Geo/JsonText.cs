using System.Text.Encodings.Web;
using System.Text.Json;

namespace GridMap.Geo;

/// How GridMap writes JSON text: Chinese names stay readable characters instead of \u escapes.
public static class JsonText
{
    /// Writer options for every JSON document GridMap writes (feature pages, exports, split answers).
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// Runs <paramref name="write"/> on a fresh writer and returns the UTF-8 bytes it wrote.
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            write(writer);
        return stream.ToArray();
    }
}
