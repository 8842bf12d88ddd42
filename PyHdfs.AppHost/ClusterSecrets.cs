using System.Security.Cryptography;

namespace PyHdfs.AppHost;

/// <summary>
/// What the services share and nobody else may see: the cluster secret (the user's
/// <c>PyHdfs__ClusterSecret</c>, else a random one per run) and, with --tls, the local CA and the service
/// certificate under DATA/tls. In publish mode the secret is a parameter of the manifest, never a value.
/// </summary>
public sealed class ClusterSecrets
{
    private ClusterSecrets(IResourceBuilder<ParameterResource> clusterSecret, TlsFiles? tls)
    {
        ClusterSecret = clusterSecret;
        Tls = tls;
    }

    public IResourceBuilder<ParameterResource> ClusterSecret { get; }

    public TlsFiles? Tls { get; }

    public static ClusterSecrets Create(IDistributedApplicationBuilder builder, ClusterSettings settings)
    {
        var secret = builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter("cluster-secret", secret: true)
            : builder.AddParameter("cluster-secret",
                builder.Configuration["PyHdfs:ClusterSecret"] is { Length: > 0 } configured
                    ? configured
                    : Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
                secret: true);
        var tls = settings.Tls && !builder.ExecutionContext.IsPublishMode
            ? DevelopmentCertificates.Ensure(Path.Combine(settings.DataDirectory, "tls"))
            : null;
        return new ClusterSecrets(secret, tls);
    }
}
