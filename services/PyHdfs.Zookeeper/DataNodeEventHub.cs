using System.Collections.Concurrent;
using System.Threading.Channels;
using PyHdfs.Protocol.Registry;

namespace PyHdfs.Zookeeper;

/// <summary>
/// Fans DataNode events (received once from the Redis subscription) out to every watcher of this
/// process. Each watcher has a bounded queue; one that falls that far behind is cut off (its stream
/// ends with UNAVAILABLE) rather than silently missing events, and re-watching gives it a fresh snapshot.
/// </summary>
public sealed class DataNodeEventHub
{
    public const int WatcherQueueCapacity = 10_000;

    private readonly ConcurrentDictionary<Watcher, byte> _watchers = new();

    public int WatcherCount => _watchers.Count;

    public Watcher Subscribe()
    {
        var watcher = new Watcher(this);
        _watchers[watcher] = 0;
        return watcher;
    }

    public void Publish(DataNodeEvent dataNodeEvent)
    {
        foreach (var watcher in _watchers.Keys)
        {
            if (!watcher.Channel.Writer.TryWrite(dataNodeEvent))
            {
                watcher.Channel.Writer.TryComplete(new WatcherOverflowException(WatcherQueueCapacity));
                _watchers.TryRemove(watcher, out _);
            }
        }
    }

    /// <summary>Ends every watch stream (the service is stopping).</summary>
    public void CompleteAll()
    {
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Channel.Writer.TryComplete();
            _watchers.TryRemove(watcher, out _);
        }
    }

    public sealed class Watcher : IDisposable
    {
        private readonly DataNodeEventHub _hub;

        internal Watcher(DataNodeEventHub hub)
        {
            _hub = hub;
            Channel = System.Threading.Channels.Channel.CreateBounded<DataNodeEvent>(new BoundedChannelOptions(WatcherQueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the hub then cuts the watcher off
            });
        }

        internal Channel<DataNodeEvent> Channel { get; }

        public ChannelReader<DataNodeEvent> Events => Channel.Reader;

        public void Dispose()
        {
            _hub._watchers.TryRemove(this, out _);
            Channel.Writer.TryComplete();
        }
    }
}

public sealed class WatcherOverflowException(int capacity)
    : Exception($"the watcher fell more than {capacity} events behind; watch again for a fresh snapshot");
