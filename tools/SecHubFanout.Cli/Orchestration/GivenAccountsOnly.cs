using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Cli.Orchestration;

/// <summary>The directory used when --accounts names the accounts: listing is never needed, and asking for it is a usage error.</summary>
internal sealed class GivenAccountsOnly : IAccountDirectory
{
    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken) =>
        throw new CliUsageException("which accounts? pass --accounts A,B, --stack-set-name NAME (the member StackSet's instances) or --organization (every active account)");
}
