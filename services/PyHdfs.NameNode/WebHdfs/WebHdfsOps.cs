using PyHdfs.Protocol.WebHdfs;

namespace PyHdfs.NameNode.WebHdfs;

/// <summary>Hadoop's op names by HTTP method, and which of them PyHDFS serves.</summary>
internal static class WebHdfsOps
{
    private static readonly Dictionary<string, (string HadoopEnum, string[] Served, string[] Known)> ByMethod = new(StringComparer.Ordinal)
    {
        ["GET"] = ("GetOpParam", [
            "OPEN", "GETFILESTATUS", "LISTSTATUS", "LISTSTATUS_BATCH", "GETCONTENTSUMMARY", "GETFILECHECKSUM", "GETHOMEDIRECTORY",
            "GETFILEBLOCKLOCATIONS",
        ], [
            "GET_BLOCK_LOCATIONS", "GETDELEGATIONTOKEN", "GETTRASHROOT", "GETXATTRS", "LISTXATTRS", "GETACLSTATUS", "CHECKACCESS",
            "GETALLSTORAGEPOLICY", "GETSTORAGEPOLICY", "GETQUOTAUSAGE", "GETSNAPSHOTDIFF", "GETSNAPSHOTTABLEDIRECTORYLIST",
            "GETSERVERDEFAULTS", "GETECPOLICY", "GETFILELINKSTATUS", "GETSTATUS", "GETSNAPSHOTLIST", "GETLINKTARGET",
        ]),
        ["PUT"] = ("PutOpParam", [
            "CREATE", "MKDIRS", "RENAME", "SETPERMISSION", "SETOWNER", "SETREPLICATION", "SETTIMES",
        ], [
            "CREATESYMLINK", "RENEWDELEGATIONTOKEN", "CANCELDELEGATIONTOKEN", "MODIFYACLENTRIES", "REMOVEACLENTRIES", "REMOVEDEFAULTACL",
            "REMOVEACL", "SETACL", "SETXATTR", "REMOVEXATTR", "CREATESNAPSHOT", "RENAMESNAPSHOT", "SETSTORAGEPOLICY", "SETQUOTA",
            "SETQUOTABYSTORAGETYPE", "ENABLEECPOLICY", "DISABLEECPOLICY", "SETECPOLICY", "ALLOWSNAPSHOT", "DISALLOWSNAPSHOT",
            "SATISFYSTORAGEPOLICY",
        ]),
        ["POST"] = ("PostOpParam", ["APPEND", "TRUNCATE"], ["CONCAT", "UNSETSTORAGEPOLICY", "UNSETECPOLICY"]),
        ["DELETE"] = ("DeleteOpParam", ["DELETE"], ["DELETESNAPSHOT"]),
    };

    /// <summary>
    /// Returns the op when PyHDFS serves it for the method; a Hadoop op PyHDFS does not serve is 400
    /// UnsupportedOperationException, anything else 400 IllegalArgumentException in Hadoop's wording.
    /// </summary>
    public static string Check(string method, string op)
    {
        if (!ByMethod.TryGetValue(method, out var ops))
        {
            throw WebHdfsException.UnsupportedOperation($"HTTP method {method} is not used by WebHDFS (GET, PUT, POST or DELETE)");
        }
        if (ops.Served.Contains(op, StringComparer.Ordinal))
        {
            return op;
        }
        if (ops.Known.Contains(op, StringComparer.Ordinal))
        {
            throw WebHdfsException.UnsupportedOperation($"{op} is not supported by PyHDFS (docs/webhdfs.md lists the supported ops)");
        }
        var name = op.Length == 0 ? "NULL" : op;
        throw WebHdfsException.IllegalArgument(
            $"Invalid value for webhdfs parameter \"op\": No enum constant org.apache.hadoop.hdfs.web.resources.{ops.HadoopEnum}.Op.{name}");
    }
}
