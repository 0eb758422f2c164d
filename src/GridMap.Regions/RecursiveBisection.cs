namespace GridMap.Regions;

/// <summary>
/// Splits a connected set of graph nodes into k contiguous parts whose weights lie within bounds, by recursive
/// bisection over random spanning trees (the ReCom idea from redistricting): a tree edge whose removal leaves
/// both sides a feasible weight for k₁ + k₂ = k parts is cut; of several trees the cut with the lowest boundary
/// cost wins, and other trees are tried when a side cannot be split further. A local search then moves boundary
/// nodes between neighbouring parts while it lowers the total cut cost and bounds and contiguity hold.
/// </summary>
/// <remarks>Deterministic for a given <see cref="Random"/> seed. Not thread-safe.</remarks>
internal sealed class RecursiveBisection
{
    private const int CandidatesPerLevel = 4;
    private const int DrawsPerLevel = 40;
    private const double BarrierTreeKey = 2.0;

    private readonly UnitGraph _graph;
    private readonly long[] _weight;
    private readonly Random _random;
    private readonly bool _allowBarrier;
    private int _budget;

    public RecursiveBisection(UnitGraph graph, long[] weight, Random random, bool allowBarrier, int budget)
    {
        _graph = graph;
        _weight = weight;
        _random = random;
        _allowBarrier = allowBarrier;
        _budget = budget;
    }

    private bool Usable(int e) => _allowBarrier || !_graph.Edges[e].Barrier;

    /// <summary>k parts of <paramref name="nodes"/>, each weighing lo..hi (any weight when <paramref name="relaxed"/>: then the most even), or null.</summary>
    public List<List<int>>? Split(List<int> nodes, int k, long lo, long hi, bool relaxed)
    {
        var total = nodes.Sum(n => _weight[n]);
        if (k <= 1)
            return relaxed || (total >= lo && total <= hi) ? [nodes] : null;
        if (nodes.Count < k || (!relaxed && (total < k * lo || total > k * hi)))
            return null;
        var k1 = k / 2;
        var k2 = k - k1;
        for (var round = 0; round < 3 && _budget > 0; round++)
        {
            var candidates = new List<Cut>();
            for (var draw = 0; draw < DrawsPerLevel && candidates.Count < CandidatesPerLevel && _budget > 0; draw++)
            {
                _budget--;
                var cut = DrawCut(nodes, total, k1, k2, lo, hi, relaxed);
                if (cut is not null)
                    candidates.Add(cut);
                if (relaxed && cut is not null)
                    break;
            }
            foreach (var cut in candidates.OrderBy(c => c.Cost))
            {
                var left = Split(cut.Side, cut.SideParts, lo, hi, relaxed);
                if (left is null)
                    continue;
                var right = Split(cut.Rest, k - cut.SideParts, lo, hi, relaxed);
                if (right is null)
                    continue;
                left.AddRange(right);
                return left;
            }
            if (relaxed)
                break;
        }
        return null;
    }

    private sealed record Cut(List<int> Side, List<int> Rest, int SideParts, double Cost);

    /// A rooted spanning tree over the nodes of one part, in local indexes (0 is the root): children lists,
    /// parents (-1 at the root), depths, and the nodes in breadth-first order.
    private sealed record SpanningTree(List<int>[] Children, int[] Parent, int[] Depth, List<int> Order);

    /// Per subtree S(v): households, and the boundary length it would have as a part of its own.
    private sealed record SubtreeCosts(long[] Households, double[] Touching, double[] Inside)
    {
        public double CutMeters(int v) => Touching[v] - 2 * Inside[v];
    }

    private Cut? DrawCut(List<int> nodes, long total, int k1, int k2, long lo, long hi, bool relaxed)
    {
        var local = new Dictionary<int, int>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
            local[nodes[i]] = i;
        if (RandomSpanningTree(nodes, local) is not { } neighbours)
            return null; // not connected with the usable edges
        var tree = Root(neighbours);
        var costs = SubtreeCostsOf(nodes, local, tree);
        var (best, bestParts, cost) = BestCut(tree, costs, total, k1, k2, lo, hi, relaxed);
        if (best < 0)
            return null;
        var inSide = SubtreeMembers(tree, best);
        var side = new List<int>();
        var rest = new List<int>();
        for (var i = 0; i < nodes.Count; i++)
            (inSide[i] ? side : rest).Add(nodes[i]);
        return new Cut(side, rest, bestParts, cost);
    }

    /// Kruskal over random keys: a random spanning tree that uses a barrier only where nothing else connects.
    /// Returns each local node's tree neighbours, or null when the usable edges do not connect the nodes.
    private List<int>[]? RandomSpanningTree(List<int> nodes, Dictionary<int, int> local)
    {
        var edges = new List<(double Key, int A, int B)>();
        foreach (var node in nodes)
        {
            foreach (var e in _graph.Incident[node])
            {
                var other = _graph.Other(e, node);
                if (other > node && Usable(e) && local.TryGetValue(other, out var b))
                    edges.Add((_random.NextDouble() + (_graph.Edges[e].Barrier ? BarrierTreeKey : 0), local[node], b));
            }
        }
        edges.Sort((x, y) => x.Key.CompareTo(y.Key));
        var root = new int[nodes.Count];
        for (var i = 0; i < root.Length; i++)
            root[i] = i;
        int Find(int x)
        {
            while (root[x] != x)
                x = root[x] = root[root[x]];
            return x;
        }
        var tree = new List<int>[nodes.Count];
        for (var i = 0; i < tree.Length; i++)
            tree[i] = [];
        var joined = 0;
        foreach (var (_, a, b) in edges)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
                continue;
            root[ra] = rb;
            tree[a].Add(b);
            tree[b].Add(a);
            joined++;
        }
        return joined == nodes.Count - 1 ? tree : null;
    }

    private static SpanningTree Root(List<int>[] neighbours)
    {
        var order = new List<int>(neighbours.Length) { 0 };
        var parent = new int[neighbours.Length];
        var depth = new int[neighbours.Length];
        parent[0] = -1;
        for (var q = 0; q < order.Count; q++)
        {
            foreach (var child in neighbours[order[q]])
            {
                if (child == parent[order[q]])
                    continue;
                parent[child] = order[q];
                depth[child] = depth[order[q]] + 1;
                order.Add(child);
            }
        }
        return new SpanningTree(neighbours, parent, depth, order);
    }

    /// Cut cost of every subtree at once: the boundary weight of S(v) is the weight of edges touching S(v)
    /// minus twice the weight of edges inside it, and an edge lies inside S(v) when v is an ancestor of
    /// the lowest common ancestor of its ends.
    private SubtreeCosts SubtreeCostsOf(List<int> nodes, Dictionary<int, int> local, SpanningTree tree)
    {
        var (parent, depth) = (tree.Parent, tree.Depth);
        var costs = new SubtreeCosts(new long[nodes.Count], new double[nodes.Count], new double[nodes.Count]);
        foreach (var node in nodes)
        {
            var a0 = local[node];
            foreach (var e in _graph.Incident[node])
            {
                if (!local.TryGetValue(_graph.Other(e, node), out var b0))
                    continue;
                var w = _graph.Edges[e].LengthMeters;
                costs.Touching[a0] += w;
                if (b0 < a0)
                    continue;
                var (a, b) = (a0, b0);
                while (a != b)
                {
                    if (depth[a] >= depth[b])
                        a = parent[a];
                    else
                        b = parent[b];
                }
                costs.Inside[a] += w;
            }
        }
        for (var q = tree.Order.Count - 1; q >= 0; q--)
        {
            var v = tree.Order[q];
            costs.Households[v] += _weight[nodes[v]];
            if (parent[v] >= 0)
            {
                costs.Households[parent[v]] += costs.Households[v];
                costs.Touching[parent[v]] += costs.Touching[v];
                costs.Inside[parent[v]] += costs.Inside[v];
            }
        }
        return costs;
    }

    /// The tree edge to cut: both sides must hold their number of parts within lo..hi (any, when relaxed).
    /// Returns the root of the cut-off subtree (-1 when none fits), its number of parts and its boundary.
    private static (int Best, int Parts, double Cost) BestCut(SpanningTree tree, SubtreeCosts costs, long total, int k1, int k2,
        long lo, long hi, bool relaxed)
    {
        bool Fits(long weight, int parts) => relaxed || (weight >= parts * lo && weight <= parts * hi);
        var (best, bestParts, bestScore, cost) = (-1, 0, double.MaxValue, 0.0);
        for (var q = 1; q < tree.Order.Count; q++)
        {
            var v = tree.Order[q];
            var s = costs.Households[v];
            var cut = costs.CutMeters(v);
            foreach (var parts in k1 == k2 ? [k1] : new[] { k1, k2 })
            {
                if (!Fits(s, parts) || !Fits(total - s, k1 + k2 - parts))
                    continue;
                var deviation = Math.Abs(s - (double)total * parts / (k1 + k2)) / total;
                // Relaxed: as even as possible. Bounded: the shortest boundary, evenness breaking ties.
                var score = relaxed ? deviation : cut * (1 + deviation);
                if (score < bestScore)
                    (best, bestParts, bestScore, cost) = (v, parts, score, cut);
            }
        }
        return (best, bestParts, cost);
    }

    private static bool[] SubtreeMembers(SpanningTree tree, int top)
    {
        var inSide = new bool[tree.Parent.Length];
        var stack = new Stack<int>();
        stack.Push(top);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            inSide[v] = true;
            foreach (var child in tree.Children[v])
            {
                if (child != tree.Parent[v])
                    stack.Push(child);
            }
        }
        return inSide;
    }

    /// <summary>Moves single boundary nodes to a neighbouring part while that lowers the cut cost and keeps every part within lo..hi and connected.</summary>
    public void Improve(List<List<int>> parts, long lo, long hi, int maxPasses = 20)
    {
        var gain = new Dictionary<int, double>();
        MoveBoundaryNodes(parts, maxPasses, _ => true, (a, u) =>
        {
            var p = a.PartOf[u];
            gain.Clear();
            var own = 0.0;
            foreach (var e in _graph.Incident[u])
            {
                if (!a.PartOf.TryGetValue(_graph.Other(e, u), out var q))
                    continue;
                var length = _graph.Edges[e].LengthMeters;
                if (q == p)
                    own += length;
                else if (Usable(e))
                    gain[q] = gain.GetValueOrDefault(q) + length;
            }
            var target = -1;
            var bestGain = 1e-9;
            foreach (var (q, toQ) in gain.OrderBy(g => g.Key))
            {
                if (toQ - own > bestGain && a.Weight[p] - _weight[u] >= lo && a.Weight[q] + _weight[u] <= hi)
                    (target, bestGain) = (q, toQ - own);
            }
            return target;
        });
    }

    /// <summary>Moves boundary nodes between neighbouring parts while that lowers the total distance of the parts
    /// from lo..hi, keeping each part connected. True when every part ends within bounds.</summary>
    public bool Repair(List<List<int>> parts, long lo, long hi, int maxPasses = 60)
    {
        long Violation(long w) => Math.Max(0, lo - w) + Math.Max(0, w - hi);
        var assignment = MoveBoundaryNodes(parts, maxPasses, a => a.Weight.Any(w => Violation(w) > 0), (a, u) =>
        {
            var p = a.PartOf[u];
            var target = -1;
            var bestDelta = 0L;
            foreach (var e in _graph.Incident[u])
            {
                if (!Usable(e) || !a.PartOf.TryGetValue(_graph.Other(e, u), out var q) || q == p)
                    continue;
                var delta = Violation(a.Weight[p] - _weight[u]) + Violation(a.Weight[q] + _weight[u]) - Violation(a.Weight[p]) - Violation(a.Weight[q]);
                if (delta < bestDelta)
                    (target, bestDelta) = (q, delta);
            }
            return target;
        });
        return assignment.Weight.All(w => Violation(w) == 0);
    }

    /// <summary>The local search shared by Improve and Repair: in node order, move each node (never a part's last)
    /// to the part chooseTarget names (-1 = stay) when its own part stays connected; repeat while keepGoing
    /// and something moved. The parts are rewritten at the end.</summary>
    private Assignment MoveBoundaryNodes(List<List<int>> parts, int maxPasses, Func<Assignment, bool> keepGoing,
        Func<Assignment, int, int> chooseTarget)
    {
        var assignment = new Assignment(parts, _weight);
        for (var pass = 0; pass < maxPasses && keepGoing(assignment); pass++)
        {
            var moved = false;
            foreach (var u in assignment.Nodes)
            {
                var p = assignment.PartOf[u];
                if (assignment.Size[p] == 1)
                    continue;
                var target = chooseTarget(assignment, u);
                if (target < 0 || !StaysConnected(u, p, assignment.Size[p], assignment.PartOf))
                    continue;
                assignment.Move(u, target, _weight[u]);
                moved = true;
            }
            if (!moved)
                break;
        }
        foreach (var part in parts)
            part.Clear();
        foreach (var node in assignment.Nodes)
            parts[assignment.PartOf[node]].Add(node);
        return assignment;
    }

    /// <summary>Which part each node is in, with each part's weight and size, kept in step by Move.</summary>
    private sealed class Assignment
    {
        public Dictionary<int, int> PartOf { get; } = [];
        public long[] Weight { get; }
        public int[] Size { get; }
        public List<int> Nodes { get; }

        public Assignment(List<List<int>> parts, long[] nodeWeight)
        {
            Weight = new long[parts.Count];
            Size = new int[parts.Count];
            for (var p = 0; p < parts.Count; p++)
            {
                foreach (var node in parts[p])
                    PartOf[node] = p;
                Weight[p] = parts[p].Sum(n => nodeWeight[n]);
                Size[p] = parts[p].Count;
            }
            Nodes = PartOf.Keys.Order().ToList();
        }

        public void Move(int node, int target, long nodeWeight)
        {
            var from = PartOf[node];
            PartOf[node] = target;
            Weight[from] -= nodeWeight;
            Weight[target] += nodeWeight;
            Size[from]--;
            Size[target]++;
        }
    }

    private bool StaysConnected(int removed, int part, int size, Dictionary<int, int> partOf)
    {
        var start = -1;
        foreach (var e in _graph.Incident[removed])
        {
            var other = _graph.Other(e, removed);
            if (Usable(e) && partOf.TryGetValue(other, out var q) && q == part)
            {
                start = other;
                break;
            }
        }
        if (start < 0)
            return false;
        var seen = new HashSet<int> { removed, start };
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var e in _graph.Incident[node])
            {
                var other = _graph.Other(e, node);
                if (Usable(e) && partOf.TryGetValue(other, out var q) && q == part && seen.Add(other))
                    queue.Enqueue(other);
            }
        }
        return seen.Count == size;
    }
}
