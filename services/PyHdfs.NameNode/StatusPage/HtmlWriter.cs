using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace PyHdfs.NameNode.StatusPage;

/// <summary>
/// Builds a page from interpolated strings whose literal parts are markup and whose holes are
/// values: every hole is HTML-encoded unless it is an <see cref="HtmlFragment"/> built here.
/// So <c>html.Append($"&lt;td&gt;{name}&lt;/td&gt;")</c> cannot inject markup whatever the name holds.
/// </summary>
internal sealed class HtmlWriter
{
    /// <summary>Encodes &lt; &gt; &amp; ' " and control characters; leaves other Unicode readable.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    internal StringBuilder Builder { get; } = new();

    public HtmlWriter Append([InterpolatedStringHandlerArgument("")] ref HtmlHandler html) => this;

    public override string ToString() => Builder.ToString();

    public static string Encode(string value) => Encoder.Encode(value);

    /// <summary>Markup built by a writer, to nest in another without encoding it twice.</summary>
    public HtmlFragment ToFragment() => new(Builder.ToString());

    public static HtmlFragment Fragment([InterpolatedStringHandlerArgument] ref FragmentHandler html) => html.ToFragment();
}

/// <summary>Markup already encoded (built by an <see cref="HtmlWriter"/>): interpolated as is.</summary>
internal readonly record struct HtmlFragment(string Value)
{
    public static readonly HtmlFragment Empty = new("");
}

[InterpolatedStringHandler]
internal readonly ref struct HtmlHandler
{
    private readonly StringBuilder _builder;

    public HtmlHandler(int literalLength, int formattedCount, HtmlWriter writer) => _builder = writer.Builder;

    public void AppendLiteral(string markup) => _builder.Append(markup);

    public void AppendFormatted(HtmlFragment fragment) => _builder.Append(fragment.Value);

    public void AppendFormatted<T>(T value) => _builder.Append(HtmlWriter.Encode(HtmlValues.ToText(value, null)));

    public void AppendFormatted<T>(T value, string format) => _builder.Append(HtmlWriter.Encode(HtmlValues.ToText(value, format)));
}

[InterpolatedStringHandler]
internal ref struct FragmentHandler
{
    private readonly HtmlWriter _writer = new();
    private readonly HtmlHandler _inner;

    public FragmentHandler(int literalLength, int formattedCount) => _inner = new HtmlHandler(literalLength, formattedCount, _writer);

    public readonly void AppendLiteral(string markup) => _inner.AppendLiteral(markup);

    public readonly void AppendFormatted(HtmlFragment fragment) => _inner.AppendFormatted(fragment);

    public readonly void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    public readonly void AppendFormatted<T>(T value, string format) => _inner.AppendFormatted(value, format);

    public readonly HtmlFragment ToFragment() => _writer.ToFragment();
}

internal static class HtmlValues
{
    public static string ToText<T>(T value, string? format) => value switch
    {
        null => "",
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
