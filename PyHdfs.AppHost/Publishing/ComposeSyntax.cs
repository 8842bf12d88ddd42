namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// Docker Compose: a literal <c>$</c> is written <c>$$</c> (compose would interpolate it); a parameter is
/// <c>${CLUSTER_SECRET:?...}</c>, taken from the environment or a .env file beside the compose file, and
/// <c>docker compose</c> refuses to start while it is unset.
/// </summary>
public sealed class ComposeSyntax : DeploymentSyntax
{
    protected override string Literal(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    protected override string Reference(ParameterResource parameter) =>
        $"${{{VariableName(parameter)}:?set {VariableName(parameter)} (parameter {parameter.Name})}}";
}
