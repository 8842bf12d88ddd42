using System.Globalization;
using System.Text;

namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// Renders the values of Aspire's model (strings, endpoint references, parameters, connection strings, reference
/// expressions) as text of one deployment target, where every resource is a host named after it (a compose service, a
/// Kubernetes Service) listening on its endpoints' target ports. A target says how it escapes literal text and how it
/// refers to a parameter, whose value never appears in the output.
/// </summary>
public abstract class DeploymentSyntax
{
    private readonly List<ParameterResource> _parameters = [];

    /// <summary>The parameters rendered so far, in first-use order.</summary>
    public IReadOnlyList<ParameterResource> Parameters => _parameters;

    /// <summary>An environment-variable-like name for a parameter: cluster-secret is CLUSTER_SECRET.</summary>
    public static string VariableName(ParameterResource parameter) =>
        string.Concat(parameter.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));

    protected abstract string Literal(string text);

    protected abstract string Reference(ParameterResource parameter);

    public async ValueTask<string> RenderAsync(object? value, CancellationToken cancellationToken) => value switch
    {
        null => "",
        string text => Literal(text),
        ParameterResource parameter => Parameter(parameter),
        EndpointReference endpoint => Endpoint(endpoint, EndpointProperty.Url),
        EndpointReferenceExpression property => Endpoint(property.Endpoint, property.Property),
        ConnectionStringReference connection => await RenderAsync(connection.Resource.ConnectionStringExpression, cancellationToken).ConfigureAwait(false),
        IResourceWithConnectionString resource => await RenderAsync(resource.ConnectionStringExpression, cancellationToken).ConfigureAwait(false),
        ReferenceExpression { IsConditional: true } conditional => await ConditionalAsync(conditional, cancellationToken).ConfigureAwait(false),
        ReferenceExpression expression => await ExpressionAsync(expression, cancellationToken).ConfigureAwait(false),
        IFormattable or bool => Literal(Convert.ToString(value, CultureInfo.InvariantCulture)!),
        IManifestExpressionProvider other => throw new NotSupportedException($"{other.GetType().Name} ({other.ValueExpression}) has no rendering for this deployment target"),
        _ => throw new NotSupportedException($"{value.GetType().Name} has no rendering for this deployment target"),
    };

    private string Parameter(ParameterResource parameter)
    {
        if (!_parameters.Contains(parameter))
        {
            _parameters.Add(parameter);
        }
        return Reference(parameter);
    }

    /// <summary>Every resource is reached by its name on its endpoint's target port; nothing is proxied.</summary>
    private static string Endpoint(EndpointReference reference, EndpointProperty property)
    {
        var endpoint = reference.EndpointAnnotation;
        var host = reference.Resource.Name;
        var port = PublishedResource.PortOf(endpoint).ToString(CultureInfo.InvariantCulture);
        return property switch
        {
            EndpointProperty.Url => $"{endpoint.UriScheme}://{host}:{port}",
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.Scheme => endpoint.UriScheme,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.TlsEnabled => endpoint.TlsEnabled ? bool.TrueString : bool.FalseString,
            _ => throw new NotSupportedException($"endpoint property {property}"),
        };
    }

    /// <summary>Conditions are endpoint facts known when publishing (is TLS enabled on redis's endpoint), as in Aspire's manifest.</summary>
    private async ValueTask<string> ConditionalAsync(ReferenceExpression conditional, CancellationToken cancellationToken)
    {
        var actual = await conditional.Condition!.GetValueAsync(cancellationToken).ConfigureAwait(false);
        var branch = string.Equals(actual, conditional.MatchValue, StringComparison.OrdinalIgnoreCase) ? conditional.WhenTrue : conditional.WhenFalse;
        return await RenderAsync(branch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The expression's format with its literal text escaped and each hole rendered. A format such as <c>uri</c> on a
    /// parameter is not applied: the reference stands for the value the deployment supplies, which must not need encoding.
    /// </summary>
    private async ValueTask<string> ExpressionAsync(ReferenceExpression expression, CancellationToken cancellationToken)
    {
        var format = expression.Format;
        var text = new StringBuilder();
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c is '{' or '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c != '{')
            {
                literal.Append(c);
                continue;
            }
            var close = format.IndexOf('}', i);
            var hole = format[(i + 1)..close];
            var index = int.Parse(hole.Split(':', ',')[0], NumberStyles.None, CultureInfo.InvariantCulture);
            text.Append(Literal(literal.ToString()));
            literal.Clear();
            text.Append(await RenderAsync(expression.ValueProviders[index], cancellationToken).ConfigureAwait(false));
            i = close;
        }
        return text.Append(Literal(literal.ToString())).ToString();
    }
}
