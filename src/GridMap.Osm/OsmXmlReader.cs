using System.Diagnostics;
using System.Globalization;
using System.Xml;

namespace GridMap.Osm;

/// Streams OSM XML elements (nodes, then ways, then relations) without loading the document. A .pbf file
/// is converted on the fly by `osmium cat FILE -f osm -o -` (osmium-tool from apt), read from its stdout.
public static class OsmXmlReader
{
    public sealed record Member(string Type, long Ref, string Role);

    public interface IHandler
    {
        void Node(long id, double lon, double lat, Dictionary<string, string> tags);

        void Way(long id, List<long> nodes, Dictionary<string, string> tags);

        void Relation(long id, List<Member> members, Dictionary<string, string> tags);
    }

    public static void Read(string path, IHandler handler)
    {
        if (!File.Exists(path))
            throw new OsmInputException($"no such file: {path}");
        if (path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase))
        {
            var start = new ProcessStartInfo("osmium", ["cat", path, "-f", "osm", "-o", "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new OsmInputException("could not start osmium");
            }
            catch (System.ComponentModel.Win32Exception)
            {
                throw new OsmInputException("reading .osm.pbf needs osmium (apt-get install osmium-tool)");
            }
            using (process)
            {
                var errors = process.StandardError.ReadToEndAsync();
                Parse(process.StandardOutput.BaseStream, handler, path);
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new OsmInputException($"osmium could not read {path}: {errors.Result.Trim()}");
            }
            return;
        }
        using var stream = File.OpenRead(path);
        Parse(stream, handler, path);
    }

    private static void Parse(Stream stream, IHandler handler, string path)
    {
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, IgnoreWhitespace = true });
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                    continue;
                switch (reader.Name)
                {
                    case "node":
                        {
                            var id = Long(reader, "id");
                            var lat = Double(reader, "lat");
                            var lon = Double(reader, "lon");
                            var tags = new Dictionary<string, string>();
                            ReadChildren(reader, tags, null, null);
                            handler.Node(id, lon, lat, tags);
                            break;
                        }
                    case "way":
                        {
                            var id = Long(reader, "id");
                            var tags = new Dictionary<string, string>();
                            var nodes = new List<long>();
                            ReadChildren(reader, tags, nodes, null);
                            handler.Way(id, nodes, tags);
                            break;
                        }
                    case "relation":
                        {
                            var id = Long(reader, "id");
                            var tags = new Dictionary<string, string>();
                            var members = new List<Member>();
                            ReadChildren(reader, tags, null, members);
                            handler.Relation(id, members, tags);
                            break;
                        }
                }
            }
        }
        catch (XmlException e)
        {
            throw new OsmInputException($"{path} is not valid OSM XML: {e.Message}");
        }
    }

    private static void ReadChildren(XmlReader reader, Dictionary<string, string> tags, List<long>? nodes, List<Member>? members)
    {
        if (reader.IsEmptyElement)
            return;
        var depth = reader.Depth;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            switch (reader.Name)
            {
                case "tag":
                    tags[reader.GetAttribute("k") ?? ""] = reader.GetAttribute("v") ?? "";
                    break;
                case "nd" when nodes is not null:
                    nodes.Add(Long(reader, "ref"));
                    break;
                case "member" when members is not null:
                    members.Add(new Member(reader.GetAttribute("type") ?? "", Long(reader, "ref"), reader.GetAttribute("role") ?? ""));
                    break;
            }
        }
    }

    private static long Long(XmlReader reader, string name) =>
        long.Parse(reader.GetAttribute(name) ?? throw new XmlException($"<{reader.Name}> without {name}"), CultureInfo.InvariantCulture);

    private static double Double(XmlReader reader, string name) =>
        double.Parse(reader.GetAttribute(name) ?? throw new XmlException($"<{reader.Name}> without {name}"), CultureInfo.InvariantCulture);
}
