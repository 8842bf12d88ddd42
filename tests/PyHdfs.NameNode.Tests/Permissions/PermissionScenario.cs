using PyHdfs.NameNode.Namespace.Permissions;
using PyHdfs.NameNode.Tests.Support;

namespace PyHdfs.NameNode.Tests.Permissions;

/// <summary>
/// A namespace with users: "hdfs" is the superuser, alice is one through the supergroup, and
/// /d (directory) and /d/f (a 10-byte file) belong to "owner", group "staff". "member" is in
/// staff; "stranger" is in no group. The harness helpers act as alice.
/// </summary>
internal sealed class PermissionScenario
{
    public const string SuperUser = "hdfs";
    public const string Owner = "owner";
    public const string Member = "member";
    public const string Stranger = "stranger";
    public const string Group = "staff";

    private PermissionScenario(NamespaceHarness harness) => H = harness;

    public NamespaceHarness H { get; }

    public static CancellationToken Token => CancellationToken.None;

    public static async Task<PermissionScenario> CreateAsync(Action<NameNodeOptions>? configure = null)
    {
        var harness = new NamespaceHarness(configure: o =>
        {
            o.SuperUser = SuperUser;
            o.UserGroups = new Dictionary<string, string>
            {
                [NamespaceHarness.User] = "supergroup",
                [Owner] = "staff,dev",
                [Member] = Group,
                [Stranger] = "",
            };
            configure?.Invoke(o);
        });
        await harness.MkdirsAsync("/d");
        await harness.WriteFileAsync("/d/f", 10);
        await harness.Fs.SetOwnerAsync("/d", Owner, Group, null, Token);
        await harness.Fs.SetOwnerAsync("/d/f", Owner, Group, null, Token);
        return new PermissionScenario(harness);
    }

    public Caller As(string user) => H.As(user);

    public Task ChmodAsync(string path, uint mode) => H.Fs.SetPermissionAsync(path, mode, null, Token);

    /// <summary>What the namespace looks like (to show that a refused call changed nothing).</summary>
    public string Tree => H.Fs.DumpTree();
}
