namespace PyHdfs.Client;

/// <summary>Parses NameNode address lists: "host:port", "http://host:port", comma- or whitespace-separated.</summary>
public static class NameNodeAddresses
{
    public static IReadOnlyList<Uri> Parse(string addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var result = new List<Uri>();
        foreach (var part in addresses.Split([',', ' ', ';', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            result.Add(ParseOne(part));
        }
        if (result.Count == 0)
        {
            throw new FormatException("no NameNode address given");
        }
        return result;
    }

    public static Uri ParseOne(string address)
    {
        var text = address.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"invalid NameNode address '{address}' (expected host:port or http://host:port)");
        }
        if (!HasExplicitPort(text))
        {
            throw new FormatException($"invalid NameNode address '{address}': no port");
        }
        return new Uri($"{uri.Scheme}://{uri.Authority}");
    }

    private static bool HasExplicitPort(string text)
    {
        var authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = authority.IndexOf('/');
        if (slash >= 0)
        {
            authority = authority[..slash];
        }
        var bracket = authority.LastIndexOf(']');
        return authority.LastIndexOf(':') > bracket;
    }
}
