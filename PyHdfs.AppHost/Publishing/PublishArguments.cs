namespace PyHdfs.AppHost.Publishing;

/// <summary><c>publish --output DIR [cluster options]</c>: the verb and its output directory, split from the usual options.</summary>
public static class PublishArguments
{
    public const string Verb = "publish";

    public const string Usage = """
        usage: dotnet run --project PyHdfs.AppHost -- publish --output DIR [--datanodes N] [--replication N] [--block-size SIZE] [--set KEY=VALUE]

        Writes DIR/manifest.json (Aspire manifest shape), DIR/docker-compose.yaml and DIR/kubernetes.yaml
        from the same resource graph the AppHost runs.
        """;

    /// <summary>Null when <paramref name="args"/> is not a publish command; otherwise the output directory (or an error) and the remaining options.</summary>
    public static (string? Output, string? Error, string[] Options)? TryParse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != Verb)
        {
            return null;
        }
        string? output = null;
        var rest = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] is "--output" or "-o")
            {
                if (i + 1 >= args.Count)
                {
                    return (null, "publish: --output needs a directory", []);
                }
                output = args[++i];
            }
            else if (args[i].StartsWith("--output=", StringComparison.Ordinal))
            {
                output = args[i]["--output=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return string.IsNullOrWhiteSpace(output) ? (null, "publish: --output DIR is required", [.. rest]) : (output, null, [.. rest]);
    }
}
