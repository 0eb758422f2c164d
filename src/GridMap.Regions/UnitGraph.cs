namespace GridMap.Regions;

/// <summary>Two units whose territories share <see cref="LengthMeters"/> of boundary; <see cref="Barrier"/> when a major road or river runs between them.</summary>
public readonly record struct UnitEdge(int A, int B, double LengthMeters, bool Barrier);

/// <summary>Undirected graph of units (0..Count-1) and the edges between them, with per-node adjacency lists.</summary>
public sealed class UnitGraph
{
    /// <summary>Number of nodes.</summary>
    public int Count { get; }

    /// <summary>All edges, each once.</summary>
    public IReadOnlyList<UnitEdge> Edges { get; }

    /// <summary>For each node, the indexes into <see cref="Edges"/> of the edges touching it.</summary>
    public IReadOnlyList<int>[] Incident { get; }

    /// <summary>Builds the adjacency lists of <paramref name="edges"/> over <paramref name="count"/> nodes.</summary>
    public UnitGraph(int count, IReadOnlyList<UnitEdge> edges)
    {
        Count = count;
        Edges = edges;
        var incident = new List<int>[count];
        for (var i = 0; i < count; i++)
            incident[i] = [];
        for (var e = 0; e < edges.Count; e++)
        {
            incident[edges[e].A].Add(e);
            incident[edges[e].B].Add(e);
        }
        Incident = incident;
    }

    /// <summary>The node at the other end of edge <paramref name="e"/> from <paramref name="node"/>.</summary>
    public int Other(int e, int node) => Edges[e].A == node ? Edges[e].B : Edges[e].A;

    /// <summary>Connected components of the nodes in <paramref name="nodes"/> using only edges that <paramref name="use"/> accepts.</summary>
    public List<List<int>> Components(IEnumerable<int> nodes, Func<UnitEdge, bool> use)
    {
        var member = new HashSet<int>(nodes);
        var seen = new HashSet<int>();
        var components = new List<List<int>>();
        foreach (var start in member.Order())
        {
            if (!seen.Add(start))
                continue;
            var component = new List<int> { start };
            for (var q = 0; q < component.Count; q++)
            {
                var node = component[q];
                foreach (var e in Incident[node])
                {
                    var other = Other(e, node);
                    if (member.Contains(other) && use(Edges[e]) && seen.Add(other))
                        component.Add(other);
                }
            }
            component.Sort();
            components.Add(component);
        }
        return components;
    }
}
