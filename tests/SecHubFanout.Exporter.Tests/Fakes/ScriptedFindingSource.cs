using SecHubFanout.Core.Findings;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Answers every page empty and counts the calls (input validation must reject before any call).</summary>
internal sealed class ScriptedFindingSource : IFindingSource
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<FindingPage> GetFindingsAsync(FindingsRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new FindingPage([], null));
    }
}
