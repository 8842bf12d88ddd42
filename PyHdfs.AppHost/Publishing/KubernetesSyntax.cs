namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// Kubernetes: a parameter is the container's environment variable <c>PARAMETER_NAME</c>, defined from a Secret (a
/// secret parameter) or a ConfigMap, and referred to as <c>$(PARAMETER_NAME)</c>, which Kubernetes expands in later
/// environment values and in arguments; a literal <c>$(</c> is written <c>$$(</c>. One instance per container
/// (<see cref="DeploymentSyntax.Parameters"/> are the variables that container must define).
/// </summary>
public sealed class KubernetesSyntax : DeploymentSyntax
{
    /// <summary>The Secret every secret parameter is a key of (<c>kubectl create secret generic pyhdfs-secrets --from-literal=cluster-secret=...</c>).</summary>
    public const string SecretName = "pyhdfs-secrets";

    /// <summary>The ConfigMap every other parameter is a key of.</summary>
    public const string ConfigMapName = "pyhdfs-parameters";

    public static string EnvironmentName(ParameterResource parameter) => "PARAMETER_" + VariableName(parameter);

    protected override string Literal(string text) => text.Replace("$(", "$$(", StringComparison.Ordinal);

    protected override string Reference(ParameterResource parameter) => $"$({EnvironmentName(parameter)})";
}
