namespace SecHubFanout.Core.Findings;

/// <summary>Pages findings for one account (the one whose credentials it holds), in any Region.</summary>
public interface IFindingSource
{
    /// <summary>Fetches one page; failures are thrown as <see cref="Errors.ServiceCallException"/> with their kind.</summary>
    Task<FindingPage> GetFindingsAsync(FindingsRequest request, CancellationToken cancellationToken);
}
