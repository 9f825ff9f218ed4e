using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>
/// The organization's active accounts: Organizations <c>ListAccounts</c> (JSON 1.1, global endpoint in us-east-1), MaxResults 20,
/// following <c>NextToken</c> through pages that may be empty.
/// </summary>
public sealed class OrganizationsAccountDirectory : IAccountDirectory
{
    private const int PageSize = 20;

    private readonly JsonProtocolClient _client;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the directory over the JSON protocol client (signed as the management or delegated administrator account).</summary>
    public OrganizationsAccountDirectory(JsonProtocolClient client, ResiliencePipeline retry)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        var context = new AwsCallContext(AwsService.Organizations, "us-east-1", "ListAccounts");
        var accounts = new SortedSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var body = new JsonObject { ["MaxResults"] = PageSize };
            if (token is not null)
            {
                body["NextToken"] = token;
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, JsonNodeContext.Default.JsonObject);
            var answer = await _retry.ExecuteAsync(async ct => await _client.InvokeAsync(context, bytes, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var page = JsonNode.Parse(answer);
            foreach (var account in page?["Accounts"]?.AsArray() ?? [])
            {
                // Status is the classic field; State (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED) replaces it.
                var state = account?["State"]?.GetValue<string>() ?? account?["Status"]?.GetValue<string>();
                if (state == "ACTIVE" && account?["Id"]?.GetValue<string>() is { } id)
                {
                    accounts.Add(id);
                }
            }

            token = page?["NextToken"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(token));

        return [.. accounts];
    }
}
