namespace PyHdfs.IntegrationTests;

/// <summary>
/// One standard cluster shared by the test classes that neither stop, kill nor reconfigure anything (they use
/// distinct paths): each cluster start costs tens of seconds under DCP, so these classes share one start.
/// The classes of the collection run one after the other; other collections run beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StandardCluster : ICollectionFixture<PyHdfsCluster>
{
    public const string Name = "standard cluster";
}
