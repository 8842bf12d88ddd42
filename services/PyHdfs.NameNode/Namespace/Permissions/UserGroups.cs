using System.Collections.Frozen;

namespace PyHdfs.NameNode.Namespace.Permissions;

/// <summary>
/// Turns the user a request names into a <see cref="Caller"/>. Groups are resolved here, on the
/// NameNode, as HDFS does (the client's word is taken for the user, never for its groups): a
/// user listed in NameNode:UserGroups gets exactly those groups; any other user gets its
/// operating-system groups (/etc/group membership plus the primary group from /etc/passwd, read
/// at most once per GroupCacheTtlMs). A user found in neither has no group.
/// </summary>
internal sealed class UserGroups
{
    private static readonly IReadOnlySet<string> NoGroups = FrozenSet<string>.Empty;

    private readonly NameNodeOptions _options;
    private readonly TimeProvider _time;
    private readonly string _groupFile;
    private readonly string _passwdFile;
    private readonly Dictionary<string, IReadOnlySet<string>> _configured;
    private readonly Lock _lock = new();
    private IReadOnlyDictionary<string, IReadOnlySet<string>> _osGroups = FrozenDictionary<string, IReadOnlySet<string>>.Empty;
    private long _osGroupsLoadedAtMs = long.MinValue;

    public UserGroups(NameNodeOptions options, TimeProvider time, string groupFile = "/etc/group", string passwdFile = "/etc/passwd")
    {
        _options = options;
        _time = time;
        _groupFile = groupFile;
        _passwdFile = passwdFile;
        _configured = options.UserGroups.ToDictionary(e => e.Key, e => (IReadOnlySet<string>)ParseList(e.Value), StringComparer.Ordinal);
    }

    /// <summary>The caller for a request's user header; a missing or blank one is <see cref="Caller.AnonymousUser"/>, never the superuser.</summary>
    public Caller Identify(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return new Caller(Caller.AnonymousUser, GroupsOf(Caller.AnonymousUser), IsSuperUser: false);
        }
        var name = user.Trim();
        var groups = GroupsOf(name);
        var isSuperUser = string.Equals(name, _options.SuperUser, StringComparison.Ordinal) || groups.Contains(_options.SuperGroup);
        return new Caller(name, groups, isSuperUser);
    }

    public IReadOnlySet<string> GroupsOf(string user) =>
        _configured.TryGetValue(user, out var groups) ? groups : OsGroups().GetValueOrDefault(user) ?? NoGroups;

    private IReadOnlyDictionary<string, IReadOnlySet<string>> OsGroups()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (_osGroupsLoadedAtMs == long.MinValue || now - _osGroupsLoadedAtMs >= _options.GroupCacheTtlMs)
            {
                _osGroups = LoadOsGroups(_groupFile, _passwdFile);
                _osGroupsLoadedAtMs = now;
            }
            return _osGroups;
        }
    }

    /// <summary>user → groups from files in the /etc/group and /etc/passwd formats; missing files give no groups.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlySet<string>> LoadOsGroups(string groupFile, string passwdFile)
    {
        var groupNameById = new Dictionary<string, string>(StringComparer.Ordinal);
        var membership = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var fields in Records(groupFile, minimumFields: 4))
        {
            // name:password:gid:member,member
            groupNameById.TryAdd(fields[2], fields[0]);
            foreach (var member in ParseList(fields[3]))
            {
                MembersOf(membership, member).Add(fields[0]);
            }
        }
        foreach (var fields in Records(passwdFile, minimumFields: 4))
        {
            // name:password:uid:gid:...
            if (groupNameById.TryGetValue(fields[3], out var primary))
            {
                MembersOf(membership, fields[0]).Add(primary);
            }
        }
        return membership.ToFrozenDictionary(e => e.Key, e => (IReadOnlySet<string>)e.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static HashSet<string> MembersOf(Dictionary<string, HashSet<string>> membership, string user)
    {
        if (!membership.TryGetValue(user, out var groups))
        {
            membership[user] = groups = new HashSet<string>(StringComparer.Ordinal);
        }
        return groups;
    }

    private static IEnumerable<string[]> Records(string file, int minimumFields)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var line in lines)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var fields = line.Split(':');
            if (fields.Length >= minimumFields && fields[0].Length > 0)
            {
                yield return fields;
            }
        }
    }

    private static FrozenSet<string> ParseList(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToFrozenSet(StringComparer.Ordinal);
}
