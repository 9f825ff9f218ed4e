using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator.Tests.Fakes;

internal sealed class FixedAccountDirectory(params string[] accounts) : IAccountDirectory
{
    public int Calls { get; private set; }

    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<string>>(accounts);
    }
}
