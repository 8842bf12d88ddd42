namespace PyHdfs.Metadata.Storage;

/// <summary>
/// Wakes journal followers when an append commits, without polling: a follower takes
/// <see cref="NextCommit"/> before looking for new entries, so a commit in between is never missed.
/// </summary>
internal sealed class CommitSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task NextCommit => Volatile.Read(ref _next).Task;

    public void Signal()
    {
        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
