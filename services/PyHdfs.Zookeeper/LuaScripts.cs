namespace PyHdfs.Zookeeper;

/// <summary>
/// Every multi-step change is one Lua script, so that Redis runs it atomically: the decision (is the
/// node new? is the death already announced? who holds the lease?) and its effect cannot interleave
/// with another registry instance or another request.
/// </summary>
internal static class LuaScripts
{
    /// <summary>
    /// Register (ARGV[6]=1) or heartbeat (ARGV[6]=0). KEYS: node, members.
    /// ARGV: id, info, now ms, ttl ms, channel, is-register, removed-info.
    /// A heartbeat keeps the first registration time; a register starts a new one.
    /// When the key had expired but the death was not announced yet, REMOVED is published first,
    /// so a watcher always sees the death before the new life.
    /// Returns {existed, registered ms}.
    /// </summary>
    public const string Upsert = """
        local existed = redis.call('EXISTS', KEYS[1])
        local registered = ARGV[3]
        if existed == 1 and ARGV[6] == '0' then
          local previous = redis.call('HGET', KEYS[1], 'registered')
          if previous then registered = previous end
        end
        redis.call('HSET', KEYS[1], 'info', ARGV[2], 'registered', registered)
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        local added = redis.call('SADD', KEYS[2], ARGV[1])
        if existed == 0 and added == 0 then
          redis.call('PUBLISH', ARGV[5], '3:0:' .. ARGV[7])
          added = 1
        end
        local kind = '2:'
        if added == 1 then kind = '1:' end
        redis.call('PUBLISH', ARGV[5], kind .. registered .. ':' .. ARGV[2])
        return {existed, tonumber(registered)}
        """;

    /// <summary>
    /// KEYS: node, members. ARGV: id, channel, removed-info. Only the caller whose SREM removes the id
    /// announces the death, so the keyspace notification and the sweeper (on any number of registry
    /// instances) publish one REMOVED between them. Returns 1 when it announced.
    /// </summary>
    public const string RemoveIfExpired = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return 0 end
        redis.call('PUBLISH', ARGV[2], '3:0:' .. ARGV[3])
        return 1
        """;

    /// <summary>KEYS: node, members. ARGV: id, channel, removed-info.</summary>
    public const string Unregister = """
        redis.call('DEL', KEYS[1])
        if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return 0 end
        redis.call('PUBLISH', ARGV[2], '3:0:' .. ARGV[3])
        return 1
        """;

    // Leadership scripts: KEYS: leader hash {candidate, address, epoch}, epoch counter.
    // They return {is_leader, epoch, leader id, leader address, lease remaining ms}.

    /// <summary>
    /// ARGV: candidate, address, lease ms, highest epoch known to the candidate. Takes a free lease
    /// with a new epoch above both the counter and that floor, or refreshes one already held.
    /// </summary>
    public const string Campaign = """
        local holder = redis.call('HGET', KEYS[1], 'candidate')
        if not holder then
          local epoch = redis.call('INCR', KEYS[2])
          local floor = tonumber(ARGV[4]) or 0
          if epoch <= floor then
            epoch = floor + 1
            redis.call('SET', KEYS[2], epoch)
          end
          redis.call('HSET', KEYS[1], 'candidate', ARGV[1], 'address', ARGV[2], 'epoch', epoch)
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return {1, epoch, ARGV[1], ARGV[2], tonumber(ARGV[3])}
        end
        local current = redis.call('HMGET', KEYS[1], 'address', 'epoch')
        if holder == ARGV[1] then
          redis.call('HSET', KEYS[1], 'address', ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return {1, tonumber(current[2]), holder, ARGV[2], tonumber(ARGV[3])}
        end
        return {0, tonumber(current[2]), holder, current[1], redis.call('PTTL', KEYS[1])}
        """;

    /// <summary>
    /// ARGV: candidate, address, lease ms, the candidate's epoch. Refreshes a lease the candidate
    /// holds; takes back a lapsed one with the same epoch only when no higher epoch was handed out
    /// since (the counter is not above it), so the active NameNode outlives a Redis outage.
    /// </summary>
    public const string Renew = """
        local holder = redis.call('HGET', KEYS[1], 'candidate')
        if not holder then
          local own = tonumber(ARGV[4]) or 0
          local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
          if own > 0 and counter <= own then
            redis.call('SET', KEYS[2], own)
            redis.call('HSET', KEYS[1], 'candidate', ARGV[1], 'address', ARGV[2], 'epoch', own)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return {1, own, ARGV[1], ARGV[2], tonumber(ARGV[3])}
          end
          return {0, 0, '', '', 0}
        end
        local current = redis.call('HMGET', KEYS[1], 'address', 'epoch')
        if holder == ARGV[1] then
          redis.call('HSET', KEYS[1], 'address', ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return {1, tonumber(current[2]), holder, ARGV[2], tonumber(ARGV[3])}
        end
        return {0, tonumber(current[2]), holder, current[1], redis.call('PTTL', KEYS[1])}
        """;

    /// <summary>ARGV: candidate. Deletes the lease only when the candidate holds it.</summary>
    public const string Resign = """
        local holder = redis.call('HGET', KEYS[1], 'candidate')
        if not holder then return {0, 0, '', '', 0} end
        local current = redis.call('HMGET', KEYS[1], 'address', 'epoch')
        if holder == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return {0, 0, '', '', 0}
        end
        return {0, tonumber(current[2]), holder, current[1], redis.call('PTTL', KEYS[1])}
        """;

    public const string GetLeader = """
        local current = redis.call('HMGET', KEYS[1], 'candidate', 'address', 'epoch')
        if not current[1] then return {0, 0, '', '', 0} end
        return {0, tonumber(current[3]), current[1], current[2], redis.call('PTTL', KEYS[1])}
        """;
}
