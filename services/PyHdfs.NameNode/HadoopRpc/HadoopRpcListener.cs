using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PyHdfs.ServiceDefaults.WebHdfs;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// The Hadoop IPC front door is the Kestrel endpoint named <c>hdfs</c> (the AppHost's endpoint of that name), served
/// by <see cref="HadoopRpcConnectionHandler"/> instead of HTTP (on its own: <see cref="Standalone"/>). Without that endpoint there is no Hadoop port.
/// </summary>
internal static class HadoopRpcListener
{
    public const string EndpointName = "hdfs";

    /// <summary>Started on its own, the NameNode listens on <c>HadoopRpc:Port</c>: 8020 by convention (fs.defaultFS=hdfs://host:8020), 0 = any free port, -1 = none.</summary>
    public static readonly StandaloneListener Standalone = new(EndpointName, "HadoopRpc", 8020, "Http1");

    public static void AddHadoopRpc(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HadoopRpcMethods>();
        if (builder.Configuration.GetSection($"Kestrel:Endpoints:{EndpointName}").Exists())
        {
            builder.Services.Configure<KestrelServerOptions>(kestrel =>
                kestrel.Configure(builder.Configuration.GetSection("Kestrel"))
                    .Endpoint(EndpointName, (EndpointConfiguration endpoint) => endpoint.ListenOptions.UseConnectionHandler<HadoopRpcConnectionHandler>()));
        }
    }
}
