using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>The organization's accounts, as the StackSet would list them.</summary>
internal sealed class FixedAccounts(params string[] accounts) : IAccountDirectory
{
    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(accounts);
}
