namespace GridMap.Routing;

/// <summary>The connected pieces of the network and which of them count (island pruning).</summary>
public sealed partial class WalkingGraph
{
    /// <summary>
    /// Junctions (graph nodes) a connected piece needs to take stations and units: Conveyal R5 prunes
    /// islands below 40 vertices (<c>StreetLayer.MIN_SUBGRAPH_SIZE</c>). A clipped footway, a private
    /// service loop or a tunnel whose ends were cut has a handful; a real neighbourhood has hundreds.
    /// </summary>
    public const int MainComponentMinNodes = 40;

    private int[] _nodeComponent = [];
    private int[] _roadComponent = [];
    private int[] _componentNodes = [];
    private bool[] _componentMain = [];

    /// <summary>Number of connected pieces (ignoring edge direction; the network is undirected).</summary>
    public int ComponentCount => _componentNodes.Length;

    /// <summary>Number of main pieces (see <see cref="IsMainComponent"/>).</summary>
    public int MainComponentCount { get; private set; }

    /// <summary>The connected piece that road <paramref name="road"/> belongs to (0 … <see cref="ComponentCount"/> - 1).</summary>
    public int ComponentOfRoad(int road) => _roadComponent[road];

    /// <summary>Number of nodes of piece <paramref name="component"/>.</summary>
    public int ComponentNodeCount(int component) => _componentNodes[component];

    /// <summary>
    /// Whether piece <paramref name="component"/> is a main piece: the largest one (by nodes), or any with
    /// at least <see cref="MainComponentMinNodes"/> nodes. Only main pieces take stations; smaller ones are
    /// islands.
    /// </summary>
    public bool IsMainComponent(int component) => _componentMain[component];

    /// <summary>Whether node <paramref name="node"/> lies on a main piece.</summary>
    public bool IsMainNode(int node) => _componentMain[_nodeComponent[node]];

    /// <summary>Whether road <paramref name="road"/> lies on a main piece.</summary>
    public bool IsMainRoad(int road) => _componentMain[_roadComponent[road]];

    // One breadth-first sweep over the CSR arrays, once per build: O(nodes + edges).
    private void FindComponents()
    {
        var nodeComponent = new int[NodeCount];
        Array.Fill(nodeComponent, -1);
        var sizes = new List<int>();
        var queue = new int[NodeCount];
        for (var seed = 0; seed < NodeCount; seed++)
        {
            if (nodeComponent[seed] >= 0)
                continue;
            var component = sizes.Count;
            int head = 0, tail = 0;
            queue[tail++] = seed;
            nodeComponent[seed] = component;
            while (head < tail)
            {
                var u = queue[head++];
                for (var e = FirstEdge[u]; e < FirstEdge[u + 1]; e++)
                {
                    var v = EdgeTarget[e];
                    if (nodeComponent[v] >= 0)
                        continue;
                    nodeComponent[v] = component;
                    queue[tail++] = v;
                }
            }
            sizes.Add(tail);
        }
        _nodeComponent = nodeComponent;
        _componentNodes = [.. sizes];
        _roadComponent = new int[RoadCount];
        for (var road = 0; road < RoadCount; road++)
            _roadComponent[road] = nodeComponent[RoadStart[road]];
        var largest = sizes.Count == 0 ? -1 : sizes.IndexOf(sizes.Max());
        _componentMain = new bool[sizes.Count];
        for (var c = 0; c < sizes.Count; c++)
            _componentMain[c] = c == largest || sizes[c] >= MainComponentMinNodes;
        MainComponentCount = _componentMain.Count(m => m);
    }
}
