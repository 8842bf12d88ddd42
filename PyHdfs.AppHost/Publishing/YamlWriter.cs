using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// Writes nested maps (ordered key/value lists), lists and scalars as block YAML. Strings are
/// always double-quoted with JSON escaping, which YAML reads as the same string, so no value can be
/// mistaken for a number, a boolean or YAML syntax.
/// </summary>
public static class YamlWriter
{
    /// <summary>An ordered YAML mapping.</summary>
    public sealed class Map : List<KeyValuePair<string, object?>>
    {
        public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
    }

    public static string Documents(IEnumerable<Map> documents) =>
        string.Join("---\n", documents.Select(Document));

    public static string Document(Map map)
    {
        var text = new StringBuilder();
        WriteMap(text, map, indent: 0);
        return text.ToString();
    }

    private static void WriteMap(StringBuilder text, Map map, int indent)
    {
        foreach (var (key, value) in map)
        {
            text.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteValue(StringBuilder text, object? value, int indent)
    {
        switch (value)
        {
            case Map { Count: 0 }:
                text.Append(" {}\n");
                break;
            case Map map:
                text.Append('\n');
                WriteMap(text, map, indent + 2);
                break;
            case System.Collections.IEnumerable list and not string:
                var items = list.Cast<object?>().ToList();
                if (items.Count == 0)
                {
                    text.Append(" []\n");
                    break;
                }
                text.Append('\n');
                foreach (var item in items)
                {
                    text.Append(' ', indent).Append("- ");
                    if (item is Map { Count: > 0 } itemMap)
                    {
                        // The first key on the dash's line, the others aligned under it.
                        var nested = new StringBuilder();
                        WriteMap(nested, itemMap, indent + 2);
                        text.Append(nested.ToString(indent + 2, nested.Length - indent - 2));
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append('\n');
                    }
                }
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Key(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/') && key.Length > 0 && char.IsAsciiLetter(key[0]) ? key : Quote(key);

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s => Quote(s),
        Map { Count: 0 } => "{}",
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static readonly JsonSerializerOptions Escaping = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string value) => JsonSerializer.Serialize(value, Escaping);
}
