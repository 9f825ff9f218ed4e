using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SecHubFanout.Aws.Signing;
using SecHubFanout.Emulator.Protocol;

namespace SecHubFanout.Emulator.Hosting;

/// <summary>One request: read, verify the SigV4 signature, map the key to an account, then dispatch by the signed service.</summary>
internal sealed class EmulatorRequestHandler(EmulatorState state)
{
    // Above BatchImportFindings' 6 MB so that limit is answered as Security Hub does, not by Kestrel.
    internal const long MaxBodyBytes = 16 * 1024 * 1024;

    private readonly SecurityHubOperations _securityHub = new(state);
    private readonly QueryOperations _query = new(state);

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["x-amzn-RequestId"] = context.TraceIdentifier;
        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value.ToArray()), StringComparer.Ordinal);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path + context.Request.QueryString);
        var queryAt = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? rawTarget : rawTarget[..queryAt];
        var query = queryAt < 0 ? string.Empty : rawTarget[(queryAt + 1)..];

        if (!headers.ContainsKey("authorization"))
        {
            await ErrorAsync(context, null, 403, "MissingAuthenticationTokenException", "Missing Authentication Token: sign the request with AWS Signature Version 4 (any AWS SDK or the aws CLI does).").ConfigureAwait(false);
            return;
        }

        // Every key has the secret "test" (LocalStack convention); which keys are accounts is decided below.
        var verification = SigV4.Verify(context.Request.Method, path, query, headers, body, static _ => "test");
        if (!verification.IsValid)
        {
            await ErrorAsync(context, verification.Service, 403, "InvalidSignatureException", (verification.Error ?? "The request signature is not valid.") + " The emulator's secret access key is always 'test'.").ConfigureAwait(false);
            return;
        }

        var service = verification.Service!;
        var region = verification.Region!;
        var account = EmulatorState.AccountOf(verification.AccessKeyId!);
        if (account is null || !state.Accounts.Contains(account))
        {
            var what = account is null ? $"access key ID '{verification.AccessKeyId}' is not an account" : $"account {account} does not exist here";
            await ErrorAsync(context, service, 403, "UnrecognizedClientException", $"The security token included in the request is invalid: {what}. Use an access key ID equal to one of the emulator's accounts ({string.Join(", ", state.Options.Accounts)}), or 'test' for 000000000000, with the secret key 'test'.").ConfigureAwait(false);
            return;
        }

        var caller = new Caller(account, region, verification.AccessKeyId!);
        switch (service)
        {
            case "securityhub":
                await _securityHub.HandleAsync(context, caller, path, body).ConfigureAwait(false);
                break;
            case "sts":
            case "ec2":
                await _query.HandleAsync(context, caller, service, query, body).ConfigureAwait(false);
                break;
            default:
                await ErrorAsync(context, null, 400, "UnknownServiceException", $"The emulator serves securityhub, sts and ec2; the request was signed for '{service}'.").ConfigureAwait(false);
                break;
        }
    }

    private static Task ErrorAsync(HttpContext context, string? service, int status, string code, string message) => service switch
    {
        "sts" => AwsResponses.StsErrorAsync(context, status, code, message),
        "ec2" => AwsResponses.Ec2ErrorAsync(context, status, code, message),
        _ => AwsResponses.JsonErrorAsync(context, status, code, message),
    };

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}

/// <summary>Who called: the account (from the access key), the Region (from the credential scope) and the key itself.</summary>
internal sealed record Caller(string Account, string Region, string AccessKeyId);
