using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;

namespace SecHubFanout.Aws.Ec2;

/// <summary>Lists the Regions enabled for the account with EC2 <c>DescribeRegions</c> (query protocol); one attempt per call (callers retry).</summary>
public sealed class Ec2RegionCatalog
{
    private readonly QueryProtocolClient _client;

    /// <summary>Creates a catalog over a query-protocol client.</summary>
    public Ec2RegionCatalog(QueryProtocolClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>Returns the names of the Regions enabled for the account (opted-in or not requiring opt-in), sorted, asking EC2 in <paramref name="region"/>.</summary>
    public async Task<IReadOnlyList<string>> ListEnabledRegionsAsync(string region, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        var context = new AwsCallContext(AwsService.Ec2, region, "DescribeRegions");
        var root = await _client.InvokeAsync(context, [], cancellationToken).ConfigureAwait(false);
        return root.Descendants()
            .Where(static e => e.Name.LocalName == "regionName")
            .Select(static e => e.Value.Trim())
            .Where(static name => name.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
