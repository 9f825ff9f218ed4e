using System.Text;
using SecHubFanout.Core.Findings;
using SecHubFanout.Emulator.Findings;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>A Region with more pages than any budget: every page holds <c>pageSize</c> findings and points to another.</summary>
internal sealed class EndlessFindingSource(int pageSize) : IFindingSource
{
    private int _next;

    public Task<FindingPage> GetFindingsAsync(FindingsRequest request, CancellationToken cancellationToken)
    {
        var first = Interlocked.Add(ref _next, pageSize) - pageSize;
        var findings = Enumerable.Range(first, pageSize).Select(i => (ReadOnlyMemory<byte>)SampleFindings.Control(i, region: request.Region)).ToList();
        return Task.FromResult(new FindingPage(findings, Convert.ToBase64String(Encoding.UTF8.GetBytes($"after-{first + pageSize}"))));
    }
}
