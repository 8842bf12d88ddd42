using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;

namespace PyHdfs.NameNode.Placement;

/// <summary>
/// Chooses the DataNodes of a new block: min(replication, eligible) distinct live nodes, never
/// an excluded one, never one whose free space (remaining minus bytes already scheduled) is below
/// the block size. Balancing is "power of two choices": for each replica, draw two eligible nodes
/// at random and take the one with more free space. That spreads load like weighted choice but
/// avoids sending every write to the single emptiest node (a new, empty DataNode would otherwise
/// absorb all writes until it fills up).
/// </summary>
internal sealed class BlockPlacementPolicy(Random random)
{
    public BlockPlacementPolicy() : this(Random.Shared)
    {
    }

    /// <param name="path">for the error message</param>
    /// <param name="minReplication">fewer eligible nodes than this is an error; between this and the factor is a degraded write</param>
    public IReadOnlyList<PlacementCandidate> ChooseTargets(string path, int replication, int minReplication, long blockSize,
        IReadOnlyList<PlacementCandidate> live, IReadOnlyCollection<string> excluded)
    {
        var eligible = new List<PlacementCandidate>(live.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int excludedCount = 0, fullCount = 0;
        foreach (var candidate in live)
        {
            if (!seen.Add(candidate.Id))
            {
                continue;
            }
            if (excluded.Contains(candidate.Id))
            {
                excludedCount++;
            }
            else if (candidate.FreeBytes < blockSize)
            {
                fullCount++;
            }
            else
            {
                eligible.Add(candidate);
            }
        }

        var required = Math.Max(1, Math.Min(minReplication, replication));
        if (eligible.Count < required)
        {
            throw new DfsException(ErrorKind.NotEnoughDatanodes,
                $"cannot place a block of {path}: {Plural(seen.Count, "live DataNode")}, {eligible.Count} eligible after excluding " +
                $"{excludedCount} (excluded by the client) and {fullCount} (less than {blockSize} bytes free); " +
                $"{required} needed");
        }

        var count = Math.Min(replication, eligible.Count);
        var chosen = new List<PlacementCandidate>(count);
        while (chosen.Count < count)
        {
            var a = random.Next(eligible.Count);
            var pick = a;
            if (eligible.Count > 1)
            {
                var b = random.Next(eligible.Count - 1);
                if (b >= a)
                {
                    b++;
                }
                pick = eligible[b].FreeBytes > eligible[a].FreeBytes ? b : a;
            }
            chosen.Add(eligible[pick]);
            eligible[pick] = eligible[^1];
            eligible.RemoveAt(eligible.Count - 1);
        }
        return chosen;
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
