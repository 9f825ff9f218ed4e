using Amazon.Runtime;
using SecHubFanout.Aws;
using SecHubFanout.Core.Findings;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>Every finding the emulator serves for one account and Region, as the raw bytes GetFindings returned.</summary>
internal static class ServedFindings
{
    public static async Task<List<byte[]>> ReadAsync(SecurityHubEmulator emulator, string account, string region)
    {
        using var clients = AwsClients.Create(new AwsClientOptions { Credentials = new BasicAWSCredentials(account, "test"), EndpointUrl = emulator.Endpoint, Region = region });
        var source = clients.CreateFindingSource();
        var findings = new List<byte[]>();
        string? token = null;
        do
        {
            var page = await source.GetFindingsAsync(new FindingsRequest(region, "{\"MaxResults\":100}"u8.ToArray(), token), CancellationToken.None);
            findings.AddRange(page.Findings.Select(f => f.ToArray()));
            token = page.NextToken;
        }
        while (token is not null);
        return findings;
    }
}
