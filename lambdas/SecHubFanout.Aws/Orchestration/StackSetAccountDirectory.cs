using System.Globalization;
using Polly;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>
/// The accounts with a member exporter: CloudFormation <c>ListStackInstances</c> (query protocol) of the StackSet in the home
/// Region, as <c>SELF</c> or <c>DELEGATED_ADMIN</c>, following <c>NextToken</c>.
/// </summary>
public sealed class StackSetAccountDirectory : IAccountDirectory
{
    private readonly QueryProtocolClient _client;
    private readonly string _stackSetName;
    private readonly string _callAs;
    private readonly string _region;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the directory for a StackSet whose instances live in <paramref name="region"/>; <paramref name="callAs"/> is SELF or DELEGATED_ADMIN.</summary>
    public StackSetAccountDirectory(QueryProtocolClient client, string stackSetName, string callAs, string region, ResiliencePipeline retry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackSetName);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        if (callAs is not ("SELF" or "DELEGATED_ADMIN"))
        {
            throw new ArgumentException($"CallAs is '{callAs}': use SELF (in the management account) or DELEGATED_ADMIN (in a delegated administrator account)", nameof(callAs));
        }

        _client = client ?? throw new ArgumentNullException(nameof(client));
        _stackSetName = stackSetName;
        _callAs = callAs;
        _region = region;
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        var context = new AwsCallContext(AwsService.CloudFormation, _region, "ListStackInstances");
        var accounts = new SortedSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("StackSetName", _stackSetName),
                new("CallAs", _callAs),
                new("StackInstanceRegion", _region),
                new("MaxResults", 100.ToString(CultureInfo.InvariantCulture)),
            };
            if (token is not null)
            {
                form.Add(new("NextToken", token));
            }

            var root = await _retry.ExecuteAsync(async ct => await _client.InvokeAsync(context, form, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            foreach (var member in root.Descendants().Where(e => e.Name.LocalName == "member" && e.Parent?.Name.LocalName == "Summaries"))
            {
                var account = Child(member, "Account");
                var region = Child(member, "Region");
                if (account is not null && (region is null || region == _region))
                {
                    accounts.Add(account);
                }
            }

            token = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "NextToken")?.Value;
        }
        while (!string.IsNullOrEmpty(token));

        return [.. accounts];
    }

    private static string? Child(System.Xml.Linq.XElement element, string name) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
}
