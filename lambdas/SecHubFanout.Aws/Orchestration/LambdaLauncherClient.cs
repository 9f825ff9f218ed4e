using System.Text.Json;
using System.Text.RegularExpressions;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>
/// Starts an export by invoking the central Launcher Lambda (Lambda <c>Invoke</c>, rest-json, <c>RequestResponse</c>) with a
/// <see cref="LaunchRequest"/> and reading its <see cref="LaunchResult"/>: the way a workstation starts an export, because only
/// the Launcher's role may assume the members' TriggerRoles.
/// </summary>
public sealed partial class LambdaLauncherClient : ILaunchContinuation
{
    private readonly RestJsonProtocolClient _client;
    private readonly string _functionName;
    private readonly string _region;

    /// <summary>Creates the client for the function <paramref name="functionName"/> (a plain name, as in the CentralStack's LauncherFunctionName output) in <paramref name="region"/>.</summary>
    public LambdaLauncherClient(RestJsonProtocolClient client, string functionName, string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        if (ProblemWithFunctionName(functionName) is { } problem)
        {
            throw new ArgumentException(problem, nameof(functionName));
        }

        _client = client ?? throw new ArgumentNullException(nameof(client));
        _functionName = functionName;
        _region = region;
    }

    /// <summary>
    /// Invokes the launcher once and returns what it did. Never retried here: each invocation of a new export creates another export.
    /// Throws <see cref="ArgumentException"/> when the launcher rejects the request, <see cref="ServiceCallException"/> (NotFound)
    /// when there is no such function, and <see cref="InvalidOperationException"/> when the function fails otherwise.
    /// </summary>
    public async Task<LaunchResult> StartAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, OrchestrationJsonContext.Default.LaunchRequest);
        var context = new AwsCallContext(AwsService.Lambda, _region, "Invoke");
        AwsResponse response;
        try
        {
            response = await _client.SendForResponseAsync(
                context,
                HttpMethod.Post,
                $"/2015-03-31/functions/{_functionName}/invocations",
                payload,
                [new("X-Amz-Invocation-Type", "RequestResponse")],
                cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceCallException e) when (e.Kind == ServiceErrorKind.NotFound)
        {
            throw new ServiceCallException(
                ServiceErrorKind.NotFound,
                $"there is no Lambda function '{_functionName}' in {_region}: deploy the CentralStack there, or pass the stack's LauncherFunctionName output with --launcher-function and its Region with --region ({e.Message})",
                e.ErrorCode,
                e.StatusCode,
                e);
        }

        if (response.Headers.TryGetValue("X-Amz-Function-Error", out var functionError))
        {
            throw FunctionFailure(functionError, response.Body);
        }

        LaunchResult? result;
        try
        {
            result = JsonSerializer.Deserialize(response.Body, OrchestrationJsonContext.Default.LaunchResult);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"the launcher function '{_functionName}' answered with something that is not a launch result ({e.Message}); is it the SecHubFanout Launcher?", e);
        }

        return result is { ExportId: not null, Failures: not null, Regions: not null }
            ? result
            : throw new InvalidOperationException($"the launcher function '{_functionName}' answered without an export ID; is it the SecHubFanout Launcher?");
    }

    /// <summary>
    /// Hands a launch on to a new invocation of the same function, asynchronously (<c>X-Amz-Invocation-Type: Event</c>): Lambda queues
    /// it and retries it twice if it fails. Used by the launcher itself when it runs out of time.
    /// </summary>
    public async Task ContinueAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, OrchestrationJsonContext.Default.LaunchRequest);
        await _client.SendForResponseAsync(
            new AwsCallContext(AwsService.Lambda, _region, "Invoke"),
            HttpMethod.Post,
            $"/2015-03-31/functions/{_functionName}/invocations",
            payload,
            [new("X-Amz-Invocation-Type", "Event")],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What is wrong with <paramref name="functionName"/> as a launcher function name, or null when it is one.</summary>
    public static string? ProblemWithFunctionName(string? functionName) =>
        string.IsNullOrEmpty(functionName) || !FunctionNamePattern().IsMatch(functionName)
            ? $"launcher function '{functionName}' is not a Lambda function name: pass the name (letters, digits, '-' or '_'), as in the CentralStack's LauncherFunctionName output, not an ARN"
            : null;

    private Exception FunctionFailure(string functionError, byte[] body)
    {
        string? type = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                type = document.RootElement.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                message = document.RootElement.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not the runtime's error document: the raw text below still says what happened.
        }

        message ??= System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)));

        // ExportLauncher throws ArgumentException for a request it cannot carry out (unknown export, no Regions): the caller's to fix.
        return type is not null && type.EndsWith("ArgumentException", StringComparison.Ordinal)
            ? new ServiceCallException(ServiceErrorKind.InvalidInput, $"the launcher rejected the request: {message}", type)
            : new InvalidOperationException(
                $"the launcher function '{_functionName}' failed ({functionError}: {type ?? "no error type"}): {message}. " +
                "Its CloudWatch log group has the details; if an export ID was created, 'sechub-fanout status <id>' shows how far it got.");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FunctionNamePattern();
}
