using System.Text.Json;

// Behaviour is chosen by configuration: Fake__ExitCode (exit at once), Fake__StartDelayMs,
// Fake__IgnoreSigterm. It writes the wiring it was given to ./<OTEL_SERVICE_NAME>.env.json.
var builder = WebApplication.CreateBuilder(args);
var exitCode = builder.Configuration.GetValue<int?>("Fake:ExitCode");
if (exitCode is not null)
{
    Console.Error.WriteLine($"fake: exiting with {exitCode} as configured");
    return exitCode.Value;
}
var name = builder.Configuration["OTEL_SERVICE_NAME"] ?? "fake";
var wiring = Environment.GetEnvironmentVariables().Keys.Cast<string>()
    .Where(k => k.StartsWith("services__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        || k.StartsWith("PyHdfs__", StringComparison.Ordinal) || k.StartsWith("PYHDFS_", StringComparison.Ordinal)
        || k.StartsWith("OTEL_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_URLS", StringComparison.Ordinal)
        || k.StartsWith("Fake__", StringComparison.Ordinal) || k.StartsWith("Custom__", StringComparison.Ordinal))
    .ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k) ?? "");
File.WriteAllText(Path.Combine(Directory.GetCurrentDirectory(), name + ".env.json"), JsonSerializer.Serialize(wiring));

var delayMs = builder.Configuration.GetValue("Fake:StartDelayMs", 0);
if (delayMs > 0)
{
    Thread.Sleep(delayMs);
}
System.Runtime.InteropServices.PosixSignalRegistration? ignoredSigterm = null;
if (builder.Configuration.GetValue("Fake:IgnoreSigterm", false))
{
    // Replaces the console lifetime, whose SIGTERM handler would stop the host.
    builder.Services.AddSingleton<IHostLifetime, DeafLifetime>();
    ignoredSigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => c.Cancel = true);
}
builder.AddServiceDefaults();
builder.UseCleartextHttp2();
var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
// A collected registration is unregistered: SIGTERM would kill the process after the next GC.
GC.KeepAlive(ignoredSigterm);
return 0;

internal sealed class DeafLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
