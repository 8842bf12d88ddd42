namespace PyHdfs.NameNode.Startup;

/// <summary>
/// How a term as active ends: the leadership renewal (lease lost) or the journal (FENCED) calls
/// <see cref="Lose"/>, and the HA controller, awaiting <see cref="Lost"/>, steps down to standby.
/// </summary>
internal sealed class TermSignal
{
    private TaskCompletionSource<string> _lost = NewSource();

    public Task<string> Lost => Volatile.Read(ref _lost).Task;

    /// <summary>Arms a new term; an earlier <see cref="Lose"/> no longer counts.</summary>
    public void Begin() => Volatile.Write(ref _lost, NewSource());

    public void Lose(string reason) => Volatile.Read(ref _lost).TrySetResult(reason);

    private static TaskCompletionSource<string> NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
