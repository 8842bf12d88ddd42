namespace PyHdfs.AppHost.Redis;

/// <summary>
/// Debian's <c>redis-server</c> run by DCP as an executable: the registry's Redis on a machine without a
/// container engine. Its connection string has the shape of Aspire's RedisResource
/// (<c>host:port,password=...</c>), so the registry cannot tell the two apart.
/// </summary>
public sealed class RedisServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={PasswordParameter}");
}
