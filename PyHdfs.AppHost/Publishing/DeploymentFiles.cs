#pragma warning disable ASPIREPIPELINES001 // Aspire's pipeline API is marked experimental in 13.6.
using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PyHdfs.AppHost.Publishing;

/// <summary>
/// A step of Aspire's publish pipeline that writes docker-compose.yaml and kubernetes.yaml beside the manifest, from
/// the same application model. <c>--publisher manifest</c> runs Aspire's <c>publish-manifest</c> step and the steps it
/// requires, this one among them; <c>aspire publish</c> (the <c>publish</c> step) runs it too.
/// </summary>
public static class DeploymentFiles
{
    public const string StepName = "publish-pyhdfs-deployment-files";

    public static IDistributedApplicationBuilder AddDeploymentFiles(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }
        var step = new PipelineStep
        {
            Name = StepName,
            Description = "Writes docker-compose.yaml and kubernetes.yaml from the application model.",
            Action = WriteAsync,
        };
        step.RequiredBy("publish-manifest");
        step.RequiredBy(WellKnownPipelineSteps.Publish);
        builder.Pipeline.AddStep(step);
        return builder;
    }

    private static async Task WriteAsync(PipelineStepContext context)
    {
        var directory = OutputDirectory(context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value);
        var resources = await PublishedResources.ReadAsync(context.Model, context.ExecutionContext, context.CancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(directory);
        await WriteFileAsync(context, Path.Combine(directory, ComposeFile.FileName),
            await ComposeFile.WriteAsync(resources, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await WriteFileAsync(context, Path.Combine(directory, KubernetesManifests.FileName),
            await KubernetesManifests.WriteAsync(resources, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>As Aspire reads <c>--output-path</c>: a path ending in .json names the manifest, whose directory is ours; else it is the directory.</summary>
    public static string OutputDirectory(PipelineOptions options)
    {
        var path = Path.GetFullPath(options.OutputPath ?? "aspire-output");
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Path.GetDirectoryName(path)! : path;
    }

    private static async Task WriteFileAsync(PipelineStepContext context, string path, string content)
    {
        await File.WriteAllTextAsync(path, content, context.CancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("Published {File}", path);
    }
}
