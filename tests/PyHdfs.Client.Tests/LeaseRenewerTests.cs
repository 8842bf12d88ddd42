using PyHdfs.Client.Internal;

namespace PyHdfs.Client.Tests;

public sealed class LeaseRenewerTests
{
    [Fact]
    public async Task Renews_only_while_a_stream_is_open()
    {
        var renewals = 0;
        await using var renewer = new LeaseRenewer(_ =>
        {
            Interlocked.Increment(ref renewals);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(20));

        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(0, Volatile.Read(ref renewals));

        renewer.Acquire();
        renewer.Acquire();
        await Testing.Eventually.WaitUntilAsync(() => Volatile.Read(ref renewals) >= 2, TimeSpan.FromSeconds(5), "two renewals");
        renewer.Release();
        var afterFirstRelease = Volatile.Read(ref renewals);
        await Testing.Eventually.WaitUntilAsync(() => Volatile.Read(ref renewals) > afterFirstRelease, TimeSpan.FromSeconds(5), "renewals with one stream still open");

        renewer.Release();
        await Task.Delay(60, TestContext.Current.CancellationToken);
        var stopped = Volatile.Read(ref renewals);
        await Task.Delay(150, TestContext.Current.CancellationToken);
        Assert.Equal(stopped, Volatile.Read(ref renewals));
    }

    [Fact]
    public async Task Renewals_start_again_when_a_stream_opens_after_all_were_closed()
    {
        var renewals = 0;
        await using var renewer = new LeaseRenewer(_ =>
        {
            Interlocked.Increment(ref renewals);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(20));

        for (var period = 1; period <= 3; period++)
        {
            renewer.Acquire();
            var before = Volatile.Read(ref renewals);
            await Testing.Eventually.WaitUntilAsync(() => Volatile.Read(ref renewals) > before, TimeSpan.FromSeconds(5), $"a renewal in open period {period}");
            renewer.Release();
        }
    }

    [Fact]
    public async Task A_failed_renewal_does_not_stop_the_loop()
    {
        var calls = 0;
        await using var renewer = new LeaseRenewer(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new DfsIOException(Protocol.ErrorKind.Unspecified, null, "cannot reach the NameNode");
        }, TimeSpan.FromMilliseconds(10));

        renewer.Acquire();
        await Testing.Eventually.WaitUntilAsync(() => Volatile.Read(ref calls) >= 3, TimeSpan.FromSeconds(5), "three attempts");
        renewer.Release();
    }
}
