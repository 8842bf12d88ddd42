namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>One AppHost (3 DataNodes, replication 3) for the tests of a class that only read from it or add files.</summary>
public sealed class SharedAppHost : IAsyncLifetime
{
    private AppHostProcess? _apphost;

    public AppHostProcess AppHost => _apphost ?? throw new InvalidOperationException("the AppHost has not started");

    public async ValueTask InitializeAsync() => _apphost = await AppHostProcess.StartAsync("--datanodes", "3", "--replication", "3");

    public async ValueTask DisposeAsync()
    {
        if (_apphost is not null)
        {
            await _apphost.DisposeAsync();
        }
    }
}
