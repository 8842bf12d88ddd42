using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Core;
using PyHdfs.Client;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.NameNode;
using PyHdfs.Testing;
using static PyHdfs.IntegrationTests.TestData;

namespace PyHdfs.IntegrationTests.HighAvailability;

/// <summary>
/// Two NameNodes: the standby takes over when the active dies (kill -9) or is paused past its
/// lease (SIGSTOP); a paused former active is fenced and steps down; retried calls apply once.
/// Each test finds the current active itself and leaves both NameNodes running.
/// </summary>
public sealed class FailoverTests(HaCluster cluster) : IClassFixture<HaCluster>
{
    private static readonly TimeSpan RoleTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_active_NameNode_fails_over_while_clients_keep_working()
    {
        var (active, standby, before) = await cluster.WaitForActiveAndStandbyAsync(RoleTimeout);
        var root = UniquePath("failover");
        await using var client = cluster.CreateClient();
        await client.MkdirsAsync(root, true, Dfs.Token);

        var acknowledged = new List<string>();
        var killedAt = 0L;
        var firstSuccessAfterKill = 0L;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Dfs.Token);
        var worker = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var path = $"{root}/d{i}";
                var startedAfterKill = Volatile.Read(ref killedAt) != 0;
                await client.MkdirsAsync(path, true, stop.Token);
                var now = Stopwatch.GetTimestamp();
                lock (acknowledged)
                {
                    acknowledged.Add(path);
                    if (startedAfterKill && firstSuccessAfterKill == 0)
                    {
                        firstSuccessAfterKill = now;
                    }
                }
            }
        }, stop.Token);

        await Eventually.WaitUntilAsync(() => { lock (acknowledged) { return acknowledged.Count >= 20; } }, TimeSpan.FromSeconds(30), "client work before the kill");
        // Measured from when the process is gone (KillAsync returns once it exited): no call after that can be answered by it.
        await cluster.KillAsync(active);
        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
        await Eventually.WaitUntilAsync(() => { lock (acknowledged) { return firstSuccessAfterKill != 0; } }, RoleTimeout, "a successful call after the kill");
        var failover = Stopwatch.GetElapsedTime(killedAt, firstSuccessAfterKill);
        TestContext.Current.SendDiagnosticMessage($"failover time (kill -9 of {active} to the first successful mkdir): {failover.TotalMilliseconds:0} ms");
        Console.WriteLine($"[HA] failover time (kill -9 of {active} -> first successful client call): {failover.TotalMilliseconds:0} ms");
        await Eventually.WaitUntilAsync(() => { lock (acknowledged) { return acknowledged.Count >= 40; } }, TimeSpan.FromSeconds(30), "client work after the failover");
        await stop.CancelAsync();
        try
        {
            await worker;
        }
        catch (OperationCanceledException)
        {
        }

        var after = await cluster.StatusOfAsync(standby);
        Assert.Equal("active", after?.State);
        Assert.True(after!.Epoch > before.Epoch, $"epoch {after.Epoch} after failover, {before.Epoch} before");
        Assert.True(failover < TimeSpan.FromSeconds(15), $"failover took {failover.TotalSeconds:0.0} s");
        var names = await Dfs.ListNamesAsync(client, root);
        List<string> expected;
        lock (acknowledged)
        {
            expected = [.. acknowledged.Select(p => p[(root.Length + 1)..])];
        }
        Assert.Empty(expected.Except(names));

        // The killed NameNode comes back as the standby.
        await cluster.StartAsync(active);
        await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(active))?.State == "standby", RoleTimeout, $"{active} back as standby");
    }

    [Fact]
    public async Task A_paused_active_is_fenced_after_failover_and_steps_down_to_standby()
    {
        var (active, standby, before) = await cluster.WaitForActiveAndStandbyAsync(RoleTimeout);
        var root = UniquePath("fenced");
        // A paused NameNode accepts connections but never answers: the client moves on after its RPC timeout.
        await using var client = new DfsClient(new DfsClientOptions
        {
            NameNodes = [new Uri(cluster.AddressOf(active)), new Uri(cluster.AddressOf(standby))],
            RpcTimeout = TimeSpan.FromSeconds(3),
        });
        await client.MkdirsAsync(root, true, Dfs.Token);

        cluster.Pause(active);
        try
        {
            await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(standby))?.State == "active", RoleTimeout, $"{standby} active while {active} is paused");
            await client.MkdirsAsync(root + "/written-by-the-new-active", true, Dfs.Token);
        }
        finally
        {
            cluster.Resume(active);
        }

        // Straight to the old active, as a client that did not notice: it must not journal (nor acknowledge) anything.
        await using (var stale = cluster.ClientOf(active))
        {
            var error = await Assert.ThrowsAsync<DfsIOException>(() => stale.MkdirsAsync(root + "/written-by-the-old-active", true, Dfs.Token));
            // STANDBY_NAMENODE if it noticed the lost lease first, FENCED if the metadata service refused its journal write.
            Assert.Contains(error.Kind, new[] { ErrorKind.StandbyNamenode, ErrorKind.Fenced });
        }
        await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(active))?.State == "standby", RoleTimeout, $"{active} stepped down to standby");
        var now = await cluster.StatusOfAsync(standby);
        Assert.Equal("active", now?.State);
        Assert.True(now!.Epoch > before.Epoch);

        Assert.Null(await client.TryGetFileStatusAsync(root + "/written-by-the-old-active", Dfs.Token));
        Assert.NotNull(await client.TryGetFileStatusAsync(root + "/written-by-the-new-active", Dfs.Token));
        // The stepped-down NameNode tails the journal again: it catches up with the new active's writes.
        await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(active))?.LastAppliedTxid >= (await cluster.StatusOfAsync(standby))?.LastAppliedTxid,
            RoleTimeout, $"{active} caught up with the journal");
    }

    [Fact]
    public async Task Admin_ha_shows_each_NameNode_s_role_epoch_and_journal_position()
    {
        var (active, standby, status) = await cluster.WaitForActiveAndStandbyAsync(RoleTimeout);
        var addresses = string.Join(',', HaCluster.NameNodes.Select(cluster.AddressOf));
        var result = await CliRunner.RunAsync(addresses, null, ["admin", "ha"], cluster.LocalDirectory);
        Assert.True(result.ExitCode == 0, result.ToString());
        var output = result.StdoutText;
        var address = Regex.Escape(new Uri(cluster.AddressOf(active)).GetLeftPart(UriPartial.Authority));
        Assert.Matches(@"^ID\s+ADDRESS\s+ROLE\s+EPOCH\s+LAST TXID\n", output);
        Assert.Matches(new Regex($@"^{active}\s+{address}\s+active\s+{status.Epoch}\s+\d+$", RegexOptions.Multiline), output);
        Assert.Matches(new Regex($@"^{standby}\s+\S+\s+standby\s+\d+\s+\d+$", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^metadata service: last txid \d+$", RegexOptions.Multiline), output);
    }

    [Fact]
    public async Task Retried_create_rename_and_delete_are_applied_once_across_a_failover()
    {
        var (active, standby, _) = await cluster.WaitForActiveAndStandbyAsync(RoleTimeout);
        var root = UniquePath("retry");
        await using var client = cluster.CreateClient();
        await client.MkdirsAsync(root + "/gone", true, Dfs.Token);
        await client.MkdirsAsync(root + "/source", true, Dfs.Token);
        await client.MkdirsAsync(root + "/gone/inner", true, Dfs.Token);

        var clientName = "retrying-client-" + Guid.NewGuid().ToString("N");
        var create = new CreateRequest { Path = root + "/file", ClientName = clientName, ClientRequestId = "create-" + Guid.NewGuid().ToString("N"), Replication = 1 };
        var rename = new RenameRequest { Source = root + "/source", Destination = root + "/destination", ClientRequestId = "rename-" + Guid.NewGuid().ToString("N") };
        var delete = new DeleteRequest { Path = root + "/gone", Recursive = true, ClientRequestId = "delete-" + Guid.NewGuid().ToString("N") };

        CreateResponse created;
        DeleteResponse deleted;
        var first = cluster.RawClientOf(active, out var firstChannel);
        using (firstChannel)
        {
            created = await first.CreateAsync(create, cancellationToken: Dfs.Token);
            await first.CompleteAsync(new CompleteRequest { Path = create.Path, ClientName = clientName, FileId = created.Status.FileId }, cancellationToken: Dfs.Token);
            await first.RenameAsync(rename, cancellationToken: Dfs.Token);
            deleted = await first.DeleteAsync(delete, cancellationToken: Dfs.Token);
        }
        Assert.Equal(2, deleted.DirectoriesDeleted);

        // Wait until the standby has tailed those entries, then fail over.
        var txid = (await cluster.StatusOfAsync(active))!.LastAppliedTxid;
        await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(standby))?.LastAppliedTxid >= txid, RoleTimeout, $"{standby} tailed txid {txid}");
        await cluster.KillAsync(active);
        await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(standby)) is { State: "active", SafeMode: false }, RoleTimeout, $"{standby} active");

        var second = cluster.RawClientOf(standby, out var secondChannel);
        using (secondChannel)
        {
            // The same calls again (answers lost, say): the original answers, nothing applied twice.
            var createdAgain = await second.CreateAsync(create, cancellationToken: Dfs.Token);
            Assert.Equal(created.Status.FileId, createdAgain.Status.FileId);
            await second.RenameAsync(rename, cancellationToken: Dfs.Token);
            var deletedAgain = await second.DeleteAsync(delete, cancellationToken: Dfs.Token);
            Assert.Equal(deleted, deletedAgain);

            // Without the request ids they are new calls, and fail: proof that the retry cache answered above.
            var fresh = await Assert.ThrowsAsync<RpcException>(async () => await second.RenameAsync(new RenameRequest { Source = rename.Source, Destination = rename.Destination }, cancellationToken: Dfs.Token));
            Assert.Equal(ErrorKind.FileNotFound, DfsErrors.KindOf(fresh));
            var freshCreate = await Assert.ThrowsAsync<RpcException>(async () => await second.CreateAsync(new CreateRequest { Path = create.Path, ClientName = clientName, Replication = 1 }, cancellationToken: Dfs.Token));
            Assert.Equal(ErrorKind.AlreadyExists, DfsErrors.KindOf(freshCreate));
        }

        var file = await client.GetFileStatusAsync(create.Path, Dfs.Token);
        Assert.False(file.IsDirectory);
        Assert.Null(await client.TryGetFileStatusAsync(rename.Source, Dfs.Token));
        Assert.NotNull(await client.TryGetFileStatusAsync(rename.Destination, Dfs.Token));
        Assert.Null(await client.TryGetFileStatusAsync(delete.Path, Dfs.Token));

        await cluster.StartAsync(active);
        await Eventually.WaitUntilAsync(async () => (await cluster.StatusOfAsync(active))?.State == "standby", RoleTimeout, $"{active} back as standby");
    }
}
