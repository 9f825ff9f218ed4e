using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.TestSupport.Fakes;

/// <summary>The organization's accounts, as the StackSet would list them; counts the calls.</summary>
public sealed class FixedAccountDirectory(params string[] accounts) : IAccountDirectory
{
    public int Calls { get; private set; }

    public Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<string>>(accounts);
    }
}
