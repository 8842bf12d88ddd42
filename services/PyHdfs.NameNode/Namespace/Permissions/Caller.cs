namespace PyHdfs.NameNode.Namespace.Permissions;

/// <summary>
/// Who is asking: the user named by the request ("simple" identity, as in HDFS: the client says
/// who it is and the NameNode believes it), the groups the NameNode resolved for that user, and
/// whether that makes the user the superuser.
/// </summary>
internal sealed record Caller(string User, IReadOnlySet<string> Groups, bool IsSuperUser)
{
    /// <summary>The user of a request that names none: an ordinary user without groups, never the superuser.</summary>
    public const string AnonymousUser = "nobody";

    public bool IsMemberOf(string group) => Groups.Contains(group);

    public override string ToString() => User;
}
