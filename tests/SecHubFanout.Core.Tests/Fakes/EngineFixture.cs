using System.Text.Json;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Planning;
using SecHubFanout.Core.Quota;
using SecHubFanout.Core.Resilience;

namespace SecHubFanout.Core.Tests.Fakes;

/// <summary>Test data and helpers shared by the engine tests: a pinned end, findings around it, fast options, reading parts back.</summary>
internal static class EngineFixture
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";

    public static readonly DateTimeOffset End = new(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);

    /// <summary>Small pages and parts, several windows, and a quota so high that nothing waits on real time.</summary>
    public static ExportOptions FastOptions { get; } = new()
    {
        RecentWindows = 4,
        WindowGrowth = 1.5,
        WindowConcurrency = 3,
        PageSize = 10,
        PartSize = 30,
        Quota = new QuotaOptions { RequestsPerSecond = 100_000, Burst = 10_000, ThrottlePause = TimeSpan.FromMilliseconds(5) },
        Retry = new RetryOptions { MaxRetries = 6, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
    };

    public static ExportRequest Request(string exportId = "exp-1") => new() { ExportId = exportId, AccountId = Account, Until = End };

    /// <summary>
    /// Findings spread over the last 90 days, older ones back to 2021, ties on one instant, one on each edge of every window of
    /// <paramref name="options"/>' plan, and some after the end (which must not be exported).
    /// </summary>
    public static List<FakeFinding> SampleFindings(ExportOptions options, int spread = 200)
    {
        var findings = new List<FakeFinding>();
        for (var i = 0; i < spread; i++)
        {
            var age = TimeSpan.FromMilliseconds((long)(TimeSpan.FromDays(90).TotalMilliseconds * (i + 0.37) / spread));
            findings.Add(new FakeFinding($"recent-{i:D4}", End - age, i % 5 == 0 ? "ARCHIVED" : "ACTIVE"));
        }

        for (var i = 0; i < 20; i++)
        {
            findings.Add(new FakeFinding($"old-{i:D4}", new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i * 70)));
        }

        for (var i = 0; i < 5; i++)
        {
            findings.Add(new FakeFinding($"tie-{i:D4}", End - TimeSpan.FromDays(2)));
        }

        var plan = ExportPlan.Create(End, options.RecentSpan, options.RecentWindows, options.WindowGrowth);
        foreach (var window in plan.Windows)
        {
            findings.Add(new FakeFinding($"edge-start-{window.Index}", window.Start));
            findings.Add(new FakeFinding($"edge-end-{window.Index}", window.End));
        }

        findings.Add(new FakeFinding("after-end-1ms", End + Instants.Tick));
        findings.Add(new FakeFinding("after-end-1d", End.AddDays(1)));
        return findings;
    }

    /// <summary>The IDs a complete export of <paramref name="findings"/> must hold.</summary>
    public static HashSet<string> Expected(IEnumerable<FakeFinding> findings, DateTimeOffset? since = null) =>
        findings.Where(f => f.UpdatedAt <= End && (since is null || f.UpdatedAt >= since)).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every finding ID in every stored part, with repeats (so duplicates show).</summary>
    public static List<string> ExportedIds(InMemoryPartSink sink) =>
        sink.Objects.Values.SelectMany(IdsOf).ToList();

    public static List<string> IdsOf(byte[] part) =>
        LinesFormat.ReadFindings(part).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.GetProperty("Id").GetString()!;
        }).ToList();

    /// <summary>Runs a clean export of the same findings to learn the keys and contents a correct export produces.</summary>
    public static async Task<InMemoryPartSink> CleanExportAsync(IEnumerable<FakeFinding> findings, ExportOptions options, ExportRequest request)
    {
        var sink = new InMemoryPartSink();
        var exporter = new RegionExporter(new FakeFindingSource(Region, findings), sink, new LinesFormat(), options, TimeProvider.System, new Core.Parts.MemorySpool());
        var result = await exporter.ExportAsync(request, Region, null, null, CancellationToken.None);
        if (result.Status != RegionStatus.Complete)
        {
            throw new InvalidOperationException($"The clean export ended {result.Status}: {result.Reason}");
        }

        return sink;
    }

    /// <summary>Same keys as a clean export, each with the same findings, and no finding twice.</summary>
    public static void AssertSameAsClean(InMemoryPartSink clean, InMemoryPartSink actual)
    {
        CollectionAssert.AreEquivalent(clean.Objects.Keys.ToList(), actual.Objects.Keys.ToList());
        foreach (var (key, content) in clean.Objects)
        {
            CollectionAssert.AreEqual(IdsOf(content), IdsOf(actual.Objects[key]), key);
        }

        var ids = ExportedIds(actual);
        Assert.HasCount(ids.Count, ids.ToHashSet());
    }
}
