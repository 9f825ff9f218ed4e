using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SecHubFanout.Emulator.Findings;
using SecHubFanout.Emulator.Hosting;
using SecHubFanout.Emulator.Query;

namespace SecHubFanout.Emulator.Protocol;

/// <summary>
/// GetFindings (POST /findings), GetFindingsV2 (POST /findingsv2, OCSF) and BatchImportFindings (POST /findings/import), rest-json,
/// with quotas and injected faults. GetFindingsV2 answers with its own modeled errors (ValidationException, ThrottlingException,
/// InternalServerException).
/// </summary>
internal sealed class SecurityHubOperations(EmulatorState state)
{
    private const int MaxImportBytes = 6 * 1024 * 1024;
    private const int MaxFindingBytes = 240 * 1024;
    private const int MaxImportFindings = 100;

    /// <summary>How findings are written in answers: non-ASCII unescaped, as Security Hub returns them.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static readonly string[] _requiredImportFields =
        ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt", "UpdatedAt", "Title", "Description", "Resources"];

    public async Task HandleAsync(HttpContext context, Caller caller, string path, byte[] body)
    {
        var operation = (context.Request.Method, path.TrimEnd('/')) switch
        {
            ("POST", "/findings") => "GetFindings",
            ("POST", "/findingsv2") => "GetFindingsV2",
            ("POST", "/findings/import") => "BatchImportFindings",
            _ => null,
        };
        if (operation is null)
        {
            await AwsResponses.JsonErrorAsync(context, 404, "ResourceNotFoundException", $"The emulator serves POST /findings (GetFindings), POST /findingsv2 (GetFindingsV2) and POST /findings/import (BatchImportFindings); {context.Request.Method} {path} is not emulated.").ConfigureAwait(false);
            return;
        }

        if (state.DeniedRegions.Contains(caller.Region))
        {
            await AwsResponses.JsonErrorAsync(
                context,
                403,
                "AccessDeniedException",
                $"User: arn:aws:iam::{caller.Account}:user/emulator is not authorized to perform: securityhub:{operation} with an explicit deny in a service control policy").ConfigureAwait(false);
            return;
        }

        if (!state.EnabledRegions.Contains(caller.Region))
        {
            if (state.AllRegions.Contains(caller.Region))
            {
                await AwsResponses.JsonErrorAsync(context, 401, "InvalidAccessException", $"Account {caller.Account} is not subscribed to AWS Security Hub").ConfigureAwait(false);
            }
            else
            {
                await AwsResponses.JsonErrorAsync(context, 403, "UnrecognizedClientException", $"Region '{caller.Region}' is not one of the emulator's Regions ({string.Join(", ", state.AllRegions)}); sign for one of them.").ConfigureAwait(false);
            }

            return;
        }

        var counters = state.Counters.Of(caller.Account, caller.Region);
        counters.Request();
        var v2 = operation == "GetFindingsV2";
        var bucket = operation switch
        {
            "GetFindings" => state.GetFindingsBucket(caller.Account, caller.Region),
            "GetFindingsV2" => state.GetFindingsV2Bucket(caller.Account, caller.Region),
            _ => state.ImportBucket(caller.Account, caller.Region),
        };
        if (!bucket.TryTake())
        {
            counters.Throttle();
            await AwsResponses.JsonErrorAsync(context, 429, v2 ? "ThrottlingException" : "TooManyRequestsException", "Rate exceeded").ConfigureAwait(false);
            return;
        }

        if (state.Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(state.Options.Latency, state.Time, context.RequestAborted).ConfigureAwait(false);
        }

        switch (state.Roll())
        {
            case Misbehaviour.Drop:
                counters.Drop();
                context.Abort();
                return;
            case Misbehaviour.Fault:
                counters.Fault();
                await AwsResponses.JsonErrorAsync(context, 500, v2 ? "InternalServerException" : "InternalException", "Internal service error (injected by the emulator's fault rate).").ConfigureAwait(false);
                return;
        }

        try
        {
            var store = state.Stores[(caller.Account, caller.Region)];
            if (operation == "GetFindings")
            {
                await GetFindingsAsync(context, caller, store, counters, body, v2: false).ConfigureAwait(false);
            }
            else if (v2)
            {
                await GetFindingsAsync(context, caller, store, counters, body, v2: true).ConfigureAwait(false);
            }
            else
            {
                await ImportAsync(context, caller, store, counters, body).ConfigureAwait(false);
            }
        }
        catch (EmulatorInputException e)
        {
            await AwsResponses.JsonErrorAsync(context, 400, v2 ? "ValidationException" : "InvalidInputException", e.Message).ConfigureAwait(false);
        }
    }

    private async Task GetFindingsAsync(HttpContext context, Caller caller, RegionStore store, EmulatorCounters.Cell counters, byte[] body, bool v2)
    {
        using var request = Parse(body);
        var root = request.RootElement;
        var maxResults = 100;
        if (root.TryGetProperty("MaxResults", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out maxResults) || maxResults is < 1 or > 100)
            {
                throw new EmulatorInputException($"1 validation error detected: Value '{max.GetRawText()}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100");
            }
        }

        var queryHash = QueryHash(caller, root);
        var offset = 0;
        if (root.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } text)
        {
            offset = state.Tokens.Read(text, queryHash);
        }

        JsonElement? filters = root.TryGetProperty("Filters", out var f) ? f : null;
        JsonElement? sort = root.TryGetProperty("SortCriteria", out var s) ? s : null;
        var now = state.Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (v2)
        {
            ValidateScopes(root);
        }

        var result = v2 ? store.Execute(OcsfQuery.Parse(filters, sort, now)) : store.Execute(FindingQuery.Parse(filters, sort, now));
        var end = Math.Min(result.Positions.Length, offset + maxResults);
        var count = Math.Max(0, end - offset);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("Findings");
            for (var k = offset; k < end; k++)
            {
                if (v2)
                {
                    store.WriteOcsfFinding(w, result.Positions[k]);
                }
                else
                {
                    store.WriteFinding(w, result, result.Positions[k]);
                }

                if (w.BytesPending > 64 * 1024)
                {
                    w.Flush();
                    await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }

            w.WriteEndArray();
            if (end < result.Positions.Length)
            {
                w.WriteString("NextToken", state.Tokens.Issue(queryHash, end));
            }

            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        counters.Page(count);
    }

    // Scopes.AwsOrganizations narrows a delegated administrator's view to organizational units; the emulator has one account per
    // caller, so it checks the shape and otherwise answers as the administrator without Scopes does.
    private static void ValidateScopes(JsonElement root)
    {
        if (!root.TryGetProperty("Scopes", out var scopes) || scopes.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (scopes.ValueKind != JsonValueKind.Object)
        {
            throw new EmulatorInputException("Scopes must be an object (FindingScopes) with AwsOrganizations.");
        }

        foreach (var property in scopes.EnumerateObject())
        {
            if (property.Name != "AwsOrganizations" || property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new EmulatorInputException($"Scopes.{property.Name} is not supported: FindingScopes holds AwsOrganizations, a list of {{OrganizationId, OrganizationalUnitId}}.");
            }
        }
    }

    private async Task ImportAsync(HttpContext context, Caller caller, RegionStore store, EmulatorCounters.Cell counters, byte[] body)
    {
        if (body.Length > MaxImportBytes)
        {
            throw new EmulatorInputException($"The request is {body.Length} bytes; BatchImportFindings takes at most 6 MB per call.");
        }

        using var request = Parse(body);
        if (!request.RootElement.TryGetProperty("Findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
        {
            throw new EmulatorInputException("Findings is required: a list of 1 to 100 findings in the AWS Security Finding Format.");
        }

        var all = findings.EnumerateArray().ToList();
        if (all.Count is < 1 or > MaxImportFindings)
        {
            throw new EmulatorInputException($"BatchImportFindings takes 1 to {MaxImportFindings} findings per call (got {all.Count}).");
        }

        foreach (var finding in all)
        {
            var size = Encoding.UTF8.GetByteCount(finding.GetRawText());
            if (size > MaxFindingBytes)
            {
                var id = finding.ValueKind == JsonValueKind.Object && finding.TryGetProperty("Id", out var i) ? i.ToString() : "?";
                throw new EmulatorInputException($"Finding {id} is {size} bytes; a finding may be at most 240 KB.");
            }
        }

        var failed = new List<(string Id, string Code, string Message)>();
        foreach (var finding in all)
        {
            var id = finding.ValueKind == JsonValueKind.Object && finding.TryGetProperty("Id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : string.Empty;
            var missing = finding.ValueKind != JsonValueKind.Object ? "the whole finding" : string.Join(", ", _requiredImportFields.Where(f => !finding.TryGetProperty(f, out var v) || v.ValueKind == JsonValueKind.Null));
            if (missing.Length > 0)
            {
                failed.Add((id, "InvalidInput", $"Finding does not adhere to Amazon Security Finding Format. Missing required attributes: {missing}"));
                continue;
            }

            var owner = finding.GetProperty("AwsAccountId").ToString();
            if (!string.Equals(owner, caller.Account, StringComparison.Ordinal))
            {
                failed.Add((id, "AccessDeniedException", $"The caller's account {caller.Account} cannot import findings for account {owner}: AwsAccountId must be the caller's account."));
                continue;
            }

            state.Write(store, ImportedFinding.From(finding, caller.Region));
        }

        var succeeded = all.Count - failed.Count;
        counters.Imported(succeeded);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("FailedCount", failed.Count);
            w.WriteNumber("SuccessCount", succeeded);
            w.WriteStartArray("FailedFindings");
            foreach (var (id, code, message) in failed)
            {
                w.WriteStartObject();
                w.WriteString("Id", id);
                w.WriteString("ErrorCode", code);
                w.WriteString("ErrorMessage", message);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonDocument Parse(byte[] body)
    {
        try
        {
            var document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new EmulatorInputException("The request body must be a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new EmulatorInputException("The request body is not valid JSON: " + e.Message);
        }
    }

    /// <summary>The query a NextToken is bound to: caller, Region and the whole body except NextToken, whitespace-insensitive.</summary>
    private static byte[] QueryHash(Caller caller, JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("$caller", caller.Account + "/" + caller.Region);
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in root.EnumerateObject().Where(p => p.Name != "NextToken"))
                {
                    property.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        return SHA256.HashData(buffer.ToArray());
    }
}
