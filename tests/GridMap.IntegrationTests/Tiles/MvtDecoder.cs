using System.Text;

namespace GridMap.IntegrationTests.Tiles;

public sealed record MvtFeature(ulong? Id, int Type, Dictionary<string, object> Properties, List<List<(int X, int Y)>> Parts);

public sealed record MvtLayer(string Name, uint Extent, List<MvtFeature> Features);

/// A small Mapbox Vector Tile 2.1 decoder: protobuf varints and length-delimited fields read by hand,
/// geometry commands (MoveTo, LineTo, ClosePath) turned into parts of tile coordinates.
public static class MvtDecoder
{
    public const int Point = 1, LineString = 2, Polygon = 3;

    public static List<MvtLayer> Decode(byte[] tile)
    {
        var layers = new List<MvtLayer>();
        var reader = new Reader(tile);
        while (!reader.End)
        {
            var (field, wire) = reader.Key();
            if (field == 3 && wire == 2)
                layers.Add(DecodeLayer(reader.Bytes()));
            else
                reader.Skip(wire);
        }
        return layers;
    }

    private static MvtLayer DecodeLayer(byte[] bytes)
    {
        var reader = new Reader(bytes);
        string name = "";
        uint extent = 4096;
        var keys = new List<string>();
        var values = new List<object>();
        var rawFeatures = new List<byte[]>();
        while (!reader.End)
        {
            var (field, wire) = reader.Key();
            switch (field)
            {
                case 1: name = Encoding.UTF8.GetString(reader.Bytes()); break;
                case 2: rawFeatures.Add(reader.Bytes()); break;
                case 3: keys.Add(Encoding.UTF8.GetString(reader.Bytes())); break;
                case 4: values.Add(DecodeValue(reader.Bytes())); break;
                case 5: extent = (uint)reader.Varint(); break;
                default: reader.Skip(wire); break;
            }
        }
        return new MvtLayer(name, extent, rawFeatures.Select(f => DecodeFeature(f, keys, values)).ToList());
    }

    private static object DecodeValue(byte[] bytes)
    {
        var reader = new Reader(bytes);
        var (field, _) = reader.Key();
        return field switch
        {
            1 => Encoding.UTF8.GetString(reader.Bytes()),
            2 => (double)BitConverter.ToSingle(reader.Fixed(4)),
            3 => BitConverter.ToDouble(reader.Fixed(8)),
            4 => (long)reader.Varint(),
            5 => (long)reader.Varint(),
            6 => ZigZag(reader.Varint()),
            7 => reader.Varint() != 0,
            _ => throw new InvalidDataException($"value field {field}"),
        };
    }

    private static MvtFeature DecodeFeature(byte[] bytes, List<string> keys, List<object> values)
    {
        var reader = new Reader(bytes);
        ulong? id = null;
        var type = 0;
        var tags = new List<uint>();
        var geometry = new List<uint>();
        while (!reader.End)
        {
            var (field, wire) = reader.Key();
            switch (field)
            {
                case 1: id = reader.Varint(); break;
                case 2: tags.AddRange(Packed(reader.Bytes())); break;
                case 3: type = (int)reader.Varint(); break;
                case 4: geometry.AddRange(Packed(reader.Bytes())); break;
                default: reader.Skip(wire); break;
            }
        }
        var properties = new Dictionary<string, object>();
        for (var i = 0; i + 1 < tags.Count; i += 2)
            properties[keys[(int)tags[i]]] = values[(int)tags[i + 1]];
        return new MvtFeature(id, type, properties, Geometry(geometry));
    }

    private static List<List<(int X, int Y)>> Geometry(List<uint> commands)
    {
        var parts = new List<List<(int X, int Y)>>();
        List<(int X, int Y)>? current = null;
        int x = 0, y = 0, i = 0;
        while (i < commands.Count)
        {
            var command = commands[i] & 7;
            var count = (int)(commands[i] >> 3);
            i++;
            if (command == 7)
            {
                current?.Add(current[0]);
                continue;
            }
            for (var n = 0; n < count; n++)
            {
                x += (int)ZigZag(commands[i++]);
                y += (int)ZigZag(commands[i++]);
                if (command == 1)
                {
                    current = [];
                    parts.Add(current);
                }
                current!.Add((x, y));
            }
        }
        return parts;
    }

    private static IEnumerable<uint> Packed(byte[] bytes)
    {
        var reader = new Reader(bytes);
        while (!reader.End)
            yield return (uint)reader.Varint();
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private sealed class Reader(byte[] bytes)
    {
        private int _position;

        public bool End => _position >= bytes.Length;

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[_position++];
                result |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                    return result;
            }
        }

        public (int Field, int Wire) Key()
        {
            var key = Varint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public byte[] Bytes()
        {
            var length = (int)Varint();
            var result = bytes.AsSpan(_position, length).ToArray();
            _position += length;
            return result;
        }

        public byte[] Fixed(int length)
        {
            var result = bytes.AsSpan(_position, length).ToArray();
            _position += length;
            return result;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _position += 8; break;
                case 2: Bytes(); break;
                case 5: _position += 4; break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
    }
}
