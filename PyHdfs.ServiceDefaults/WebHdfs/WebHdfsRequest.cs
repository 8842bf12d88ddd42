using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PyHdfs.Protocol.Paths;
using PyHdfs.Protocol.Permissions;
using PyHdfs.Protocol.WebHdfs;

namespace PyHdfs.ServiceDefaults.WebHdfs;

/// <summary>
/// One <c>/webhdfs/v1&lt;path&gt;?op=…</c> request: the path percent-decoded from the raw request target (UTF-8, strictly),
/// the op upper-cased, and the query parameters by case-insensitive name (Hadoop lower-cases them too). Unknown
/// parameters are ignored.
/// </summary>
public sealed class WebHdfsRequest
{
    public const string Prefix = "/webhdfs/v1";

    private readonly Dictionary<string, string> _query;

    private WebHdfsRequest(string method, string op, string rawPath, Dictionary<string, string> query)
    {
        Method = method;
        Op = op;
        RawPath = rawPath;
        _query = query;
    }

    public string Method { get; }

    /// <summary>Upper case; "" when the request names none.</summary>
    public string Op { get; }

    /// <summary>Decoded, not yet normalized: "" for <c>/webhdfs/v1</c> itself.</summary>
    public string RawPath { get; }

    /// <summary>The normalized path, or 400 InvalidPathException naming it.</summary>
    public string Path
    {
        get
        {
            var raw = RawPath.Length == 0 ? "/" : RawPath;
            return DfsPath.TryNormalize(raw, out var normalized, out var error)
                ? normalized
                : throw WebHdfsException.InvalidPath($"Invalid path name {raw}: {error}");
        }
    }

    public static WebHdfsRequest Parse(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
        var query = target.IndexOf('?');
        var rawPath = query >= 0 ? target[..query] : target;
        rawPath = rawPath.Length > Prefix.Length ? rawPath[Prefix.Length..] : "";
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Query)
        {
            parameters.TryAdd(name, values.Count > 0 ? values[0] ?? "" : "");
        }
        var op = parameters.TryGetValue("op", out var o) ? o.Trim().ToUpperInvariant() : "";
        return new WebHdfsRequest(context.Request.Method, op, PercentDecode(rawPath), parameters);
    }

    /// <summary>RFC 3986 percent-decoding into strict UTF-8; "+" stays "+" in a path.</summary>
    public static string PercentDecode(string raw)
    {
        if (!raw.Contains('%'))
        {
            return raw;
        }
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }
            if (i + 2 >= raw.Length || !byte.TryParse(raw.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                throw WebHdfsException.InvalidPath($"Invalid path name {raw}: a '%' is not followed by two hex digits");
            }
            bytes.Add(b);
            i += 2;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw WebHdfsException.InvalidPath($"Invalid path name {raw}: the percent-decoded bytes are not UTF-8");
        }
    }

    /// <summary>The parameter's value, or null when absent.</summary>
    public string? this[string name] => _query.TryGetValue(name, out var value) ? value : null;

    public string? User => this["user.name"] is { } user && !string.IsNullOrWhiteSpace(user) ? user.Trim() : null;

    public string? DoAs => this["doas"] is { } doAs && !string.IsNullOrWhiteSpace(doAs) ? doAs.Trim() : null;

    public bool Bool(string name, bool defaultValue)
    {
        var value = this[name];
        if (string.IsNullOrEmpty(value))
        {
            return defaultValue;
        }
        return bool.TryParse(value, out var result)
            ? result
            : throw WebHdfsException.InvalidParameter(name, value, "not true or false");
    }

    /// <summary>Null when absent; else a number in <paramref name="min"/>..<paramref name="max"/>, or 400 naming the parameter.</summary>
    public long? Long(string name, long min = 0, long max = long.MaxValue)
    {
        var value = this[name];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            throw WebHdfsException.InvalidParameter(name, value, "not a number (or out of range)");
        }
        return result < min || result > max
            ? throw WebHdfsException.InvalidParameter(name, value, $"outside {min}..{max}")
            : result;
    }

    /// <summary>An octal permission ("755", "0755", "1777"); null when absent.</summary>
    public uint? Permission(string name = "permission")
    {
        var value = this[name];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        uint mode;
        try
        {
            mode = value.Length <= 5 && value.All(c => c is >= '0' and <= '7') ? Convert.ToUInt32(value, 8) : uint.MaxValue;
        }
        catch (FormatException)
        {
            mode = uint.MaxValue;
        }
        return FsMode.Error(mode) is null && mode != uint.MaxValue
            ? mode
            : throw WebHdfsException.InvalidParameter(name, value, "not an octal permission between 0 and 1777");
    }

    /// <summary>A required string parameter, or 400 naming it.</summary>
    public string Require(string name) =>
        this[name] is { Length: > 0 } value ? value : throw WebHdfsException.IllegalArgument($"Required webhdfs parameter \"{name}\" is missing (op={Op})");

}
