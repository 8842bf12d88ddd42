using PyHdfs.Protocol.Registry;
using PyHdfs.Testing;

namespace PyHdfs.Zookeeper.Tests;

public sealed class LeaderElectionTests
{
    private static CampaignRequest Candidate(string id, long leaseMs = 10_000) =>
        new() { CandidateId = id, Address = $"http://{id}:1", LeaseMs = leaseMs };

    [Fact]
    public async Task First_candidate_leads_the_second_is_refused_and_told_who_leads()
    {
        await using var host = await RegistryTestHost.StartAsync();

        var first = await host.Client.CampaignAsync(Candidate("nn-1"));
        var second = await host.Client.CampaignAsync(Candidate("nn-2"));

        Assert.True(first.IsLeader);
        Assert.Equal(1, first.Epoch);
        Assert.False(second.IsLeader);
        Assert.Equal("nn-1", second.LeaderId);
        Assert.Equal("http://nn-1:1", second.LeaderAddress);
        Assert.Equal(1, second.Epoch);
        Assert.InRange(second.LeaseRemainingMs, 1, 10_000);
    }

    [Fact]
    public async Task Campaigning_again_while_leading_refreshes_the_lease_and_keeps_the_epoch()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var first = await host.Client.CampaignAsync(Candidate("nn-1"));

        var again = await host.Client.CampaignAsync(Candidate("nn-1"));
        var renewed = await host.Client.RenewLeadershipAsync(Candidate("nn-1"));

        Assert.True(again.IsLeader);
        Assert.True(renewed.IsLeader);
        Assert.Equal(first.Epoch, again.Epoch);
        Assert.Equal(first.Epoch, renewed.Epoch);
    }

    [Fact]
    public async Task Renew_or_resign_by_a_non_holder_fails_and_changes_nothing()
    {
        await using var host = await RegistryTestHost.StartAsync();
        await host.Client.CampaignAsync(Candidate("nn-1"));

        var renew = await host.Client.RenewLeadershipAsync(Candidate("nn-2"));
        var resign = await host.Client.ResignAsync(Candidate("nn-2"));
        var leader = await host.Client.GetLeaderAsync(new GetLeaderRequest());

        Assert.False(renew.IsLeader);
        Assert.Equal("nn-1", renew.LeaderId);
        Assert.False(resign.IsLeader);
        Assert.Equal("nn-1", leader.LeaderId);
        Assert.Equal(1, leader.Epoch);
    }

    [Fact]
    public async Task Renew_without_any_leader_does_not_take_the_lease()
    {
        await using var host = await RegistryTestHost.StartAsync();

        var renew = await host.Client.RenewLeadershipAsync(Candidate("nn-1"));

        Assert.False(renew.IsLeader);
        Assert.Equal("", (await host.Client.GetLeaderAsync(new GetLeaderRequest())).LeaderId);
    }

    [Fact]
    public async Task After_the_leader_resigns_the_next_leader_gets_a_higher_epoch()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var first = await host.Client.CampaignAsync(Candidate("nn-1"));

        var resigned = await host.Client.ResignAsync(Candidate("nn-1"));
        var nobody = await host.Client.GetLeaderAsync(new GetLeaderRequest());
        var second = await host.Client.CampaignAsync(Candidate("nn-2"));

        Assert.False(resigned.IsLeader);
        Assert.Equal("", nobody.LeaderId);
        Assert.Equal(0, nobody.Epoch);
        Assert.True(second.IsLeader);
        Assert.Equal(first.Epoch + 1, second.Epoch);
    }

    [Fact]
    public async Task An_expired_lease_lets_another_candidate_lead_with_a_higher_epoch()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var first = await host.Client.CampaignAsync(Candidate("nn-1", leaseMs: 300));
        Assert.True(first.IsLeader);

        var second = await Eventually.WaitForAsync(async () =>
        {
            var attempt = await host.Client.CampaignAsync(Candidate("nn-2"));
            return attempt.IsLeader ? attempt : null;
        }, TimeSpan.FromSeconds(10), "nn-2 to take over after nn-1's lease expired");

        Assert.Equal(first.Epoch + 1, second.Epoch);
        Assert.False((await host.Client.RenewLeadershipAsync(Candidate("nn-1"))).IsLeader);
        var leader = await host.Client.GetLeaderAsync(new GetLeaderRequest());
        Assert.Equal("nn-2", leader.LeaderId);
        Assert.Equal("http://nn-2:1", leader.LeaderAddress);
    }

    [Fact]
    public async Task A_campaign_epoch_is_above_the_floor_the_candidate_knows_even_when_the_counter_restarted()
    {
        await using var host = await RegistryTestHost.StartAsync();

        var first = await host.Client.CampaignAsync(new CampaignRequest { CandidateId = "nn-1", Address = "http://nn-1:1", LeaseMs = 10_000, Epoch = 41 });
        await host.Client.ResignAsync(Candidate("nn-1"));
        var second = await host.Client.CampaignAsync(new CampaignRequest { CandidateId = "nn-2", Address = "http://nn-2:1", LeaseMs = 10_000, Epoch = 3 });

        Assert.True(first.IsLeader);
        Assert.Equal(42, first.Epoch);
        Assert.True(second.IsLeader);
        Assert.Equal(43, second.Epoch);
    }

    [Fact]
    public async Task A_lapsed_lease_is_taken_back_with_the_same_epoch_only_when_no_higher_epoch_was_handed_out()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var first = await host.Client.CampaignAsync(Candidate("nn-1", leaseMs: 10_000));
        await host.Client.ResignAsync(Candidate("nn-1"));

        // As after a Redis outage: nobody holds the lease and the counter is still at our epoch.
        var reclaimed = await host.Client.RenewLeadershipAsync(new CampaignRequest
            { CandidateId = "nn-1", Address = "http://nn-1:1", LeaseMs = 10_000, Epoch = first.Epoch });
        Assert.True(reclaimed.IsLeader);
        Assert.Equal(first.Epoch, reclaimed.Epoch);
        Assert.Equal("nn-1", (await host.Client.GetLeaderAsync(new GetLeaderRequest())).LeaderId);

        // Once another candidate was handed a higher epoch, the old one cannot come back with its own.
        await host.Client.ResignAsync(Candidate("nn-1"));
        var other = await host.Client.CampaignAsync(Candidate("nn-2"));
        await host.Client.ResignAsync(Candidate("nn-2"));
        var refused = await host.Client.RenewLeadershipAsync(new CampaignRequest
            { CandidateId = "nn-1", Address = "http://nn-1:1", LeaseMs = 10_000, Epoch = first.Epoch });
        Assert.Equal(first.Epoch + 1, other.Epoch);
        Assert.False(refused.IsLeader);
        Assert.Equal("", (await host.Client.GetLeaderAsync(new GetLeaderRequest())).LeaderId);
    }

    [Fact]
    public async Task Invalid_lease_is_rejected()
    {
        await using var host = await RegistryTestHost.StartAsync();
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await host.Client.CampaignAsync(Candidate("nn-1", leaseMs: 0)));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("lease_ms", error.Status.Detail);
    }
}
