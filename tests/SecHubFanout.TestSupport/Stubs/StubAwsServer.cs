using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using SecHubFanout.Aws.Signing;

namespace SecHubFanout.TestSupport.Stubs;

/// <summary>A Kestrel endpoint on 127.0.0.1 that records each request (verifying its SigV4 signature) and answers with what the test scripts.</summary>
public sealed class StubAwsServer : IAsyncDisposable
{
    public const string AccessKeyId = "AKIDSTUB";
    public const string SecretKey = "stub-secret-key";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private StubAwsServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>How a server started with <see cref="StartScriptedAsync"/> answers the next requests; tests set it before they call.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = static _ => Task.CompletedTask;

    /// <summary>Starts a server that answers every request with the current <see cref="Answer"/>.</summary>
    public static async Task<StubAwsServer> StartScriptedAsync()
    {
        StubAwsServer? server = null;
        server = await StartAsync((_, http) => server!.Answer(http));
        return server;
    }

    public static async Task<StubAwsServer> StartAsync(Func<RecordedRequest, HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new StubAwsServer(app);
        app.Run(async context =>
        {
            var recorded = await RecordAsync(context);
            server._requests.Enqueue(recorded);
            await respond(recorded, context);
        });
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer s ? s.Features.Get<IServerAddressesFeature>()!.Addresses.Single() : throw new InvalidOperationException();
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? rawTarget : rawTarget[..q];
        var query = q < 0 ? string.Empty : rawTarget[(q + 1)..];
        var headers = context.Request.Headers.ToDictionary(static h => h.Key.ToLowerInvariant(), static h => h.Value.ToString(), StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var verification = SigV4.Verify(context.Request.Method, path, query, headers, body, key => key == AccessKeyId ? SecretKey : null);
        return new RecordedRequest(context.Request.Method, path, query, headers, body, verification);
    }
}

public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, SigV4Verification Signature);
