using System.Collections.Concurrent;
using System.Text;
using SecHubFanout.Core.Findings;

namespace SecHubFanout.Exporter.Tests.Fakes;

/// <summary>Passes every GetFindings call to the real source and keeps each request's query body (as text) and token.</summary>
internal sealed class RecordingFindingSource(IFindingSource inner) : IFindingSource
{
    public ConcurrentQueue<(string Region, string Query, string? NextToken)> Requests { get; } = new();

    public Task<FindingPage> GetFindingsAsync(FindingsRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue((request.Region, Encoding.UTF8.GetString(request.Query.Span), request.NextToken));
        return inner.GetFindingsAsync(request, cancellationToken);
    }
}
