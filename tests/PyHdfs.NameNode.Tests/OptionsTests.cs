using Microsoft.Extensions.Configuration;

namespace PyHdfs.NameNode.Tests;

public sealed class OptionsTests
{
    private static NameNodeOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new NameNodeOptions();
        configuration.GetSection(NameNodeOptions.SectionName).Bind(options);
        NameNodeOptions.ApplyAliases(options, configuration);
        return options;
    }

    [Fact]
    public void The_python_prototype_keys_apply_when_the_namenode_keys_are_absent()
    {
        var options = Bind(new() { ["name_node:block_size"] = "1048576", ["name_node:replication_factor"] = "3" });
        Assert.Equal((1048576L, 3), (options.BlockSizeBytes, options.Replication));
    }

    [Fact]
    public void The_namenode_keys_win_over_the_aliases()
    {
        var options = Bind(new()
        {
            ["NameNode:BlockSizeBytes"] = "65536", ["name_node:block_size"] = "1048576",
            ["NameNode:Replication"] = "1", ["name_node:replication_factor"] = "3",
        });
        Assert.Equal((65536L, 1), (options.BlockSizeBytes, options.Replication));
    }

    [Fact]
    public void Validation_names_the_bad_key()
    {
        Assert.Null(new NameNodeOptions().Validate());
        Assert.StartsWith("NameNode:Replication", new NameNodeOptions { Replication = 0 }.Validate());
        Assert.StartsWith("NameNode:BlockSizeBytes", new NameNodeOptions { BlockSizeBytes = 1000 }.Validate());
        Assert.StartsWith("NameNode:MinReplication", new NameNodeOptions { MinReplication = 0 }.Validate());
        Assert.StartsWith("NameNode:MaxJournalBatchesInFlight", new NameNodeOptions { MaxJournalBatchesInFlight = 0 }.Validate());
        Assert.Null(new NameNodeOptions { MaxJournalBatchesInFlight = 1 }.Validate());
    }

    [Fact]
    public void The_block_token_lifetime_is_positive_and_at_most_seven_days()
    {
        const long sevenDaysMs = 7L * 24 * 60 * 60 * 1000;
        Assert.Null(new NameNodeOptions { BlockTokenLifetimeMs = sevenDaysMs }.Validate());
        Assert.Null(new NameNodeOptions { BlockTokenLifetimeMs = 1 }.Validate());
        var tooLong = new NameNodeOptions { BlockTokenLifetimeMs = sevenDaysMs + 1 }.Validate();
        Assert.StartsWith("NameNode:BlockTokenLifetimeMs", tooLong);
        Assert.Contains("7 days", tooLong);
        Assert.StartsWith("NameNode:BlockTokenLifetimeMs", new NameNodeOptions { BlockTokenLifetimeMs = 0 }.Validate());
        Assert.StartsWith("NameNode:BlockTokenLifetimeMs", new NameNodeOptions { BlockTokenLifetimeMs = long.MaxValue }.Validate());
    }

    [Fact]
    public void The_lease_check_interval_follows_the_hard_limit_within_bounds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new NameNodeOptions().LeaseCheckInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), new NameNodeOptions { LeaseHardLimitMs = 300 }.LeaseCheckInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), new NameNodeOptions { LeaseCheckIntervalMs = 250 }.LeaseCheckInterval);
    }
}
