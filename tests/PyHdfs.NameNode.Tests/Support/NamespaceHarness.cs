using PyHdfs.NameNode.DataNodes;
using PyHdfs.NameNode.Namespace;
using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.NameNode.Placement;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.NameNode.Tests.Support;

/// <summary>An <see cref="FsNamespace"/> with an in-memory journal, a manual clock and fake live DataNodes.</summary>
internal sealed class NamespaceHarness
{
    public const long BlockSize = 1024 * 1024;
    public const string Client = "client-1";

    /// <summary>Who the helpers below act as: the superuser, unless <c>configure</c> names another.</summary>
    public const string User = "alice";

    public NamespaceHarness(int dataNodes = 3, Action<NameNodeOptions>? configure = null)
    {
        Options = new NameNodeOptions
        {
            BlockSizeBytes = BlockSize, Replication = 2, MinReplication = 1, LeaseHardLimitMs = 60_000, SuperUser = User,
        };
        configure?.Invoke(Options);
        DataNodes = new DataNodeManager(Time);
        Fs = new FsNamespace(Options, Log, DataNodes, new BlockPlacementPolicy(new Random(42)), Time);
        for (var i = 1; i <= dataNodes; i++)
        {
            AddDataNode($"dn{i}");
        }
    }

    public NameNodeOptions Options { get; }
    public MemoryEditLog Log { get; } = new();
    public DataNodeManager DataNodes { get; }
    public ManualTime Time { get; } = new();
    public FsNamespace Fs { get; }

    public static DataNodeInfo Info(string id, long remaining = 10L << 30) => new()
    {
        Address = new DataNodeAddress { Id = id, Host = "127.0.0.1", DataPort = 40000 + id.Length },
        CapacityBytes = 20L << 30,
        UsedBytes = (20L << 30) - remaining,
        RemainingBytes = remaining,
    };

    public void AddDataNode(string id, long remaining = 10L << 30)
    {
        var info = Info(id, remaining);
        DataNodes.OnAddedOrUpdated(info);
        DataNodes.Register(info);
    }

    /// <summary>
    /// As a crashed node looks: the registry says it died and no heartbeat to this NameNode refutes
    /// that within the grace, so the liveness check declares it dead.
    /// </summary>
    public void KillDataNode(string id)
    {
        DataNodes.OnRemoved(Info(id));
        Time.Advance(TimeSpan.FromMilliseconds(DataNodeLivenessPolicy.Default.HeartbeatGraceMs));
        DataNodes.ExpireSilentNodes();
    }

    /// <summary>The caller named <paramref name="user"/>, with the groups the options give it.</summary>
    public Caller As(string user) => Fs.Identify(user);

    public Task MkdirsAsync(string path, bool parents = true) => Fs.MkdirsAsync(path, parents, 0, As(User), CancellationToken.None);

    public Task<FileStatus> CreateAsync(string path, string client = Client, bool overwrite = false, bool createParent = false, int replication = 0) =>
        Fs.CreateAsync(new CreateRequest { Path = path, ClientName = client, Overwrite = overwrite, CreateParent = createParent, Replication = replication },
            As(User), CancellationToken.None);

    public Task<AddBlockResponse> AddBlockAsync(string path, long fileId, BlockRef? previous = null, string client = Client, params string[] excluded)
    {
        var request = new AddBlockRequest { Path = path, ClientName = client, FileId = fileId, Previous = previous };
        request.ExcludedDatanodeIds.AddRange(excluded);
        return Fs.AddBlockAsync(request, CancellationToken.None);
    }

    public Task<bool> CompleteAsync(string path, long fileId, BlockRef? last, string client = Client) =>
        Fs.CompleteAsync(new CompleteRequest { Path = path, ClientName = client, FileId = fileId, Last = last }, CancellationToken.None);

    /// <summary>As a DataNode would: the replica of the block, finalized with this length.</summary>
    public void Received(string nodeId, BlockRef block, long length) =>
        Fs.BlockReceivedAndDeleted(nodeId, [new BlockRef { BlockId = block.BlockId, GenerationStamp = block.GenerationStamp, NumBytes = length }], []);

    /// <summary>Create, one AddBlock per length, every target reports its replica, complete.</summary>
    public async Task<long> WriteFileAsync(string path, params long[] blockLengths)
    {
        var status = await CreateAsync(path, createParent: true);
        BlockRef? previous = null;
        foreach (var length in blockLengths)
        {
            var added = await AddBlockAsync(path, status.FileId, previous);
            foreach (var target in added.Block.Locations)
            {
                Received(target.Id, added.Block.Block, length);
            }
            previous = added.Block.Block.Clone();
            previous.NumBytes = length;
        }
        Assert.True(await CompleteAsync(path, status.FileId, previous));
        return status.FileId;
    }

    public static async Task<DfsException> ThrowsAsync(ErrorKind kind, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<DfsException>(action);
        Assert.Equal(kind, e.Kind);
        return e;
    }

    public static DfsException Throws(ErrorKind kind, Action action)
    {
        var e = Assert.Throws<DfsException>(action);
        Assert.Equal(kind, e.Kind);
        return e;
    }
}
