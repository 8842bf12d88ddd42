using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PyHdfs.Protocol.WebHdfs;

namespace PyHdfs.ServiceDefaults.WebHdfs;

/// <summary>How the NameNode and the DataNodes answer WebHDFS: JSON bodies and RemoteException errors, as Hadoop does.</summary>
public static class WebHdfsResponses
{
    public const string JsonContentType = "application/json";

    /// <summary>A JSON body written by <paramref name="write"/> (which writes one complete value).</summary>
    public static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>{"boolean": value}</c>.</summary>
    public static Task BooleanAsync(HttpContext context, bool value) =>
        JsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteBoolean("boolean", value);
            json.WriteEndObject();
        });

    /// <summary>200 with no body (SETPERMISSION, SETOWNER, SETTIMES).</summary>
    public static void Empty(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    /// <summary>The error as Hadoop's RemoteException; nothing when the response has started (the connection is then cut instead).</summary>
    public static async Task ErrorAsync(HttpContext context, WebHdfsException error)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        var body = error.ToJson();
        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
