using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GridMap.Regions;

/// <summary>Blocks merged into groups (union–find), with the boundary length each pair of groups shares.</summary>
internal sealed class BlockGroups
{
    private readonly int[] _parent;
    private readonly long[] _households;
    private readonly bool[] _hasUnits;
    private readonly Dictionary<int, double>[] _shared;
    private readonly DerivationOptions _options;

    public BlockGroups(List<Geometry> blocks, long[] households, bool[] hasUnits, DerivationOptions options)
    {
        _parent = Enumerable.Range(0, blocks.Count).ToArray();
        _households = (long[])households.Clone();
        _hasUnits = (bool[])hasUnits.Clone();
        _options = options;
        _shared = Enumerable.Range(0, blocks.Count).Select(_ => new Dictionary<int, double>()).ToArray();
        var tree = new STRtree<int>();
        for (var b = 0; b < blocks.Count; b++)
            tree.Insert(blocks[b].EnvelopeInternal, b);
        tree.Build();
        for (var a = 0; a < blocks.Count; a++)
        {
            foreach (var b in tree.Query(blocks[a].EnvelopeInternal))
            {
                if (b <= a)
                    continue;
                // Faces of one polygonization share whole edges, so the overlay of two blocks is their common edges.
                var length = Territories.SharedLength(blocks[a], blocks[b]);
                if (length > 0)
                {
                    _shared[a][b] = length;
                    _shared[b][a] = length;
                }
            }
        }
    }

    public int Find(int block)
    {
        while (_parent[block] != block)
            block = _parent[block] = _parent[_parent[block]];
        return block;
    }

    /// <summary>Root of each group → its blocks.</summary>
    public Dictionary<int, List<int>> Groups()
    {
        var groups = new Dictionary<int, List<int>>();
        for (var b = 0; b < _parent.Length; b++)
        {
            var root = Find(b);
            if (!groups.TryGetValue(root, out var list))
                groups[root] = list = [];
            list.Add(b);
        }
        return groups;
    }

    /// <summary>Blocks holding no unit join the neighbour they share the longest boundary with, the largest blocks first.</summary>
    public void MergeEmpty()
    {
        var pending = Enumerable.Range(0, _parent.Length).Where(b => !_hasUnits[b]).ToList();
        while (pending.Count > 0)
        {
            var left = new List<int>();
            foreach (var block in pending)
            {
                var root = Find(block);
                if (_hasUnits[root])
                    continue;
                var target = _shared[root].Where(n => _hasUnits[n.Key]).OrderByDescending(n => n.Value).ThenBy(n => n.Key)
                    .Select(n => (int?)n.Key).FirstOrDefault();
                if (target is null)
                    left.Add(block);
                else
                    Union(root, target.Value);
            }
            // Empty islands touching only other empty blocks wait for a neighbour; stop when no round helps.
            if (left.Count == pending.Count)
                break;
            pending = left;
        }
    }

    /// <summary>Groups too small for a grid, or with no fitting grid count, join a neighbour, the smallest first.</summary>
    public void MergeSmall()
    {
        var queue = new PriorityQueue<int, (long, int)>();
        foreach (var root in Roots().Where(Needy))
            queue.Enqueue(root, (_households[root], root));
        while (queue.TryDequeue(out var root, out var priority))
        {
            if (Find(root) != root || _households[root] != priority.Item1 || !Needy(root))
                continue;
            var target = BestNeighbour(root);
            if (target is null)
                continue; // an island: the split will name it
            var merged = Union(root, target.Value);
            if (Needy(merged))
                queue.Enqueue(merged, (_households[merged], merged));
        }
    }

    private IEnumerable<int> Roots() => Enumerable.Range(0, _parent.Length).Where(b => Find(b) == b);

    private bool Needy(int root) =>
        _hasUnits[root] && !CommunityDerivation.HasGridCount(_households[root], _options.MinHouseholds, _options.GridMaxHouseholds);

    /// <summary>A merge under the maximum that fits a grid count, else one under the maximum, else the smallest;
    /// within each, the longest shared boundary.</summary>
    private int? BestNeighbour(int root)
    {
        int? best = null;
        (int, double) bestScore = (-1, 0);
        foreach (var (neighbour, length) in _shared[root])
        {
            var total = _households[root] + _households[neighbour];
            var underMax = total <= _options.MaxHouseholds;
            var fits = CommunityDerivation.HasGridCount(total, _options.MinHouseholds, _options.GridMaxHouseholds);
            var rank = underMax ? (fits ? 3 : 2) : 1;
            var score = (rank, rank == 1 ? -total : length);
            if (score.CompareTo(bestScore) > 0 || best is null)
                (best, bestScore) = (neighbour, score);
        }
        return best;
    }

    private int Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a == b)
            return a;
        // Keep the group with more neighbours as root, so fewer boundary entries move.
        if (_shared[a].Count < _shared[b].Count)
            (a, b) = (b, a);
        _parent[b] = a;
        _households[a] += _households[b];
        _hasUnits[a] |= _hasUnits[b];
        foreach (var (neighbour, length) in _shared[b])
        {
            _shared[neighbour].Remove(b);
            if (neighbour == a)
                continue;
            _shared[a][neighbour] = _shared[a].GetValueOrDefault(neighbour) + length;
            _shared[neighbour][a] = _shared[a][neighbour];
        }
        _shared[a].Remove(b);
        _shared[b].Clear();
        return a;
    }
}
