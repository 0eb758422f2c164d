using System.Text.Json;
using GridMap.Data;
using GridMap.Geo;
using GridMap.Regions;
using NetTopologySuite.Densify;
using NetTopologySuite.Geometries;

namespace GridMap.Operations.Regions;

/// A split of one stored community: the JSON documented in README and, when it had units, the proposal it was saved as.
public sealed record CommunitySplit(CommunityArea Community, long? ProposalId, SplitResult Result, string Json);

/// Loads a community's units and barriers, splits it in its Gauss–Krüger zone and keeps the result as a
/// proposal. The API's split endpoint and `gridmap split` both go through here.
public sealed class CommunitySplitter(SplitStore store)
{
    private const double DensifyMeters = 10;

    /// <param name="save">Keep the result as a proposal (not for a community without units or households).</param>
    /// <param name="withCommunityId">Add "community_id" (the `split --all` shape).</param>
    public async Task<CommunitySplit> SplitAsync(CommunityArea community, SplitOptions options, string? actor, bool save,
        bool withCommunityId, CancellationToken ct)
    {
        var (kind, units) = await store.LoadUnitsAsync(community.Id, ct);
        var barriers = await store.LoadBarriersAsync(community.Id, ct);
        // Gauss–Krüger in China; a local plane for an extract abroad (Porto, Copenhagen), where no zone exists.
        var centre = community.GeometryWgs84.EnvelopeInternal.Centre;
        var frame = GridMap.Routing.MetricFrame.For(centre.X, centre.Y);
        var area = frame.Project(community.GeometryWgs84);
        var splitUnits = units.Select(u => new SplitUnit(u.Id, u.Households, frame.Project(u.PointWgs84.X, u.PointWgs84.Y), u.CompoundId)).ToList();
        var projectedBarriers = barriers.Select(frame.Project).ToList();
        // A derived community was merged across barriers on purpose: its small blocks join grids across them.
        var result = HouseholdGridPartitioner.Split(area, splitUnits, projectedBarriers,
            community.Derived ? options with { JoinSmallPockets = true } : options);
        var boundary = new BoundarySnapper(community.GeometryWgs84, area);
        // A grid's straight edge in the plane is a faint curve in WGS 84; where a neighbour has a vertex on that
        // edge (across a barrier) the two would overlap by millimetres. Short edges keep that below a square centimetre.
        // A ring that touches itself at one point is valid in the plane but can cross itself by a hair after
        // unprojecting; the fixer removes that hair and nothing else.
        var polygons = result.Grids.Select(g => Densifier.Densify(g.Polygon, DensifyMeters))
            .Select(planar => boundary.Snap(planar, frame.Unproject(planar)))
            .Select(p => p.IsValid ? p : NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(p)).ToList();
        var names = result.Grids.Select(g => $"{community.Name}第{g.Index + 1}网格").ToList();
        long? proposalId = null;
        string Json(long? id) => SplitJson.Write(id, withCommunityId ? community.Id : null, kind, result, polygons, names);
        if (save && result.Grids.Count > 0)
        {
            var grids = result.Grids.Select(g => new ProposalGrid(g.Index, names[g.Index], g.Households, g.UnitIds, polygons[g.Index])).ToList();
            proposalId = await store.SaveProposalAsync(community.Id, options.MinHouseholds, options.MaxHouseholds, options.Seed,
                result.Feasible, grids, id => SplitJson.Write(id, null, kind, result, polygons, names), actor, ct);
        }
        return new CommunitySplit(community, proposalId, result, Json(proposalId));
    }
}

/// A straight edge in the Gauss–Krüger plane is very slightly curved in WGS 84, so grid vertices that the
/// split put on the community's edges land a few millimetres off them after unprojecting. The vertices that
/// lie on the community boundary in the plane are put back on the WGS 84 boundary (and no others, so edges
/// shared by two grids stay identical), making the grids' union the community and not just close to it.
internal sealed class BoundarySnapper
{
    private const double PlanarToleranceMeters = 1e-6;
    private const double SearchDegrees = 1e-6; // about 10 cm: far more than the curvature, far less than a grid
    private readonly NetTopologySuite.Index.Strtree.STRtree<LineSegment> _wgs84 = new();
    private readonly NetTopologySuite.Index.Strtree.STRtree<LineSegment> _planar = new();

    public BoundarySnapper(Geometry areaWgs84, Geometry areaPlanar)
    {
        Fill(_wgs84, areaWgs84, SearchDegrees);
        Fill(_planar, areaPlanar, PlanarToleranceMeters);
    }

    private static void Fill(NetTopologySuite.Index.Strtree.STRtree<LineSegment> tree, Geometry area, double margin)
    {
        foreach (var line in NetTopologySuite.Geometries.Utilities.LinearComponentExtracter.GetLines(area.Boundary))
        {
            var points = line.Coordinates;
            for (var i = 1; i < points.Length; i++)
            {
                var segment = new LineSegment(points[i - 1], points[i]);
                var envelope = new Envelope(segment.P0, segment.P1);
                envelope.ExpandBy(margin);
                tree.Insert(envelope, segment);
            }
        }
    }

    private static Coordinate? Nearest(NetTopologySuite.Index.Strtree.STRtree<LineSegment> tree, Coordinate c, double tolerance)
    {
        Coordinate? best = null;
        var bestDistance = tolerance;
        foreach (var segment in tree.Query(new Envelope(c)))
        {
            var closest = segment.ClosestPoint(c);
            var distance = closest.Distance(c);
            if (distance <= bestDistance)
                (best, bestDistance) = (closest, distance);
        }
        return best;
    }

    /// <paramref name="wgs84"/> is <paramref name="planar"/> unprojected (same vertices in the same order).
    public Geometry Snap(Geometry planar, Geometry wgs84)
    {
        var onBoundary = planar.Coordinates.Select(c => Nearest(_planar, c, PlanarToleranceMeters) is not null).ToArray();
        var copy = wgs84.Copy();
        copy.Apply(new SnapFilter(this, onBoundary));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class SnapFilter(BoundarySnapper owner, bool[] onBoundary) : ICoordinateSequenceFilter
    {
        private int _index;

        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            if (onBoundary[_index++] && Nearest(owner._wgs84, seq.GetCoordinate(i), SearchDegrees) is { } best)
            {
                seq.SetX(i, best.X);
                seq.SetY(i, best.Y);
            }
        }
    }
}

/// `{ "id", "feasible", "problems": [ { "cause", "unit_ids" } ], "grids": FeatureCollection }` (as README documents it).
public static class SplitJson
{
    public static string Write(long? id, long? communityId, string unitKind, SplitResult result, IReadOnlyList<Geometry> polygonsWgs84,
        IReadOnlyList<string> names)
    {
        var bytes = JsonText.Write(writer =>
        {
            writer.WriteStartObject();
            if (id is null)
                writer.WriteNull("id");
            else
                writer.WriteNumber("id", id.Value);
            if (communityId is not null)
                writer.WriteNumber("community_id", communityId.Value);
            writer.WriteBoolean("feasible", result.Feasible);
            writer.WriteStartArray("problems");
            foreach (var problem in result.Problems)
            {
                writer.WriteStartObject();
                writer.WriteString("cause", problem.Cause);
                writer.WriteString("unit_kind", unitKind);
                WriteIds(writer, "unit_ids", problem.UnitIds);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WritePropertyName("grids");
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            foreach (var grid in result.Grids)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "Feature");
                writer.WriteNumber("id", grid.Index);
                writer.WritePropertyName("geometry");
                GeoJson.WriteGeometry(writer, polygonsWgs84[grid.Index]);
                writer.WritePropertyName("properties");
                writer.WriteStartObject();
                writer.WriteNumber("index", grid.Index);
                writer.WriteString("name", names[grid.Index]);
                writer.WriteNumber("households", grid.Households);
                writer.WriteNumber("area_m2", Math.Round(grid.AreaM2, 1));
                writer.WriteNumber("polsby_popper", Math.Round(grid.PolsbyPopper, 4));
                writer.WriteNumber("compounds_cut", grid.CompoundsCut);
                writer.WriteNumber("barriers_crossed", grid.BarriersCrossed);
                writer.WriteStartArray("neighbors");
                foreach (var n in grid.Neighbors)
                    writer.WriteNumberValue(n);
                writer.WriteEndArray();
                writer.WriteBoolean("flagged", grid.Flagged);
                writer.WriteString("unit_kind", unitKind);
                WriteIds(writer, "unit_ids", grid.UnitIds);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    private static void WriteIds(Utf8JsonWriter writer, string name, IReadOnlyList<long> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids)
            writer.WriteNumberValue(id);
        writer.WriteEndArray();
    }
}
