namespace SecHubFanout.Core.Orchestration;

/// <summary>Lists the member accounts an organization-wide export targets (StackSet instances, or the organization's accounts).</summary>
public interface IAccountDirectory
{
    /// <summary>Returns the 12-digit IDs of the target accounts, without duplicates.</summary>
    Task<IReadOnlyList<string>> ListAccountsAsync(CancellationToken cancellationToken);
}
