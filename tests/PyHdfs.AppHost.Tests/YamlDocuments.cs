using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace PyHdfs.AppHost.Tests;

/// <summary>YAML read with YamlDotNet into dictionaries and lists, with paths for the tests to walk.</summary>
public static class YamlDocuments
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<Dictionary<object, object>> ReadAll(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(Deserializer.Deserialize<Dictionary<object, object>>(parser));
        }
        return documents;
    }

    public static Dictionary<object, object> Map(this object? node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is Dictionary<object, object> child
            ? child
            : throw new Xunit.Sdk.XunitException($"no mapping '{key}'");

    public static List<object> List(this object? node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is List<object> child
            ? child
            : throw new Xunit.Sdk.XunitException($"no list '{key}'");

    public static string? Text(this object? node, string key) =>
        node is Dictionary<object, object> map && map.TryGetValue(key, out var value) ? value as string : null;
}
