using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecHubFanout.Emulator.Tests.Support;

namespace SecHubFanout.Emulator.Tests.Findings;

/// <summary>The generated findings: deterministic bytes, realistic shape and size, the optional large ones.</summary>
[TestClass]
public sealed class SyntheticFindingsTests
{
    private static readonly DateTimeOffset _start = new(2026, 11, 20, 10, 15, 30, 123, TimeSpan.Zero);

    [TestMethod]
    public async Task GetFindings_SameSeedAndClock_ServesIdenticalBytes()
    {
        var first = await FindingsBytesAsync(seed: 7);
        var second = await FindingsBytesAsync(seed: 7);
        var other = await FindingsBytesAsync(seed: 8);

        CollectionAssert.AreEqual(first, second);
        CollectionAssert.AreNotEqual(first, other);
    }

    [TestMethod]
    public async Task GetFindings_SamePageTwice_ServesIdenticalBytes()
    {
        await using var emulator = await StartAsync(new EmulatorOptions { FindingsPerRegion = 120, TimeProvider = new FakeTimeProvider(_start), GetFindingsBurst = 100 });
        using var client = new SignedClient(emulator.Endpoint);

        var a = FindingsPart(await client.GetFindingsAsync(new { MaxResults = 100 }));
        var b = FindingsPart(await client.GetFindingsAsync(new { MaxResults = 100 }));

        CollectionAssert.AreEqual(a, b);
    }

    [TestMethod]
    public async Task GeneratedFinding_HasAsffShapeAFewKilobytesAndNonAsciiText()
    {
        await using var emulator = await StartAsync(new EmulatorOptions { FindingsPerRegion = 100, TimeProvider = new FakeTimeProvider(_start), GetFindingsBurst = 100 });
        using var client = new SignedClient(emulator.Endpoint);

        var reply = await client.GetFindingsAsync(new { MaxResults = 100 });

        var findings = reply.Json.GetProperty("Findings").EnumerateArray().ToList();
        string[] required = ["SchemaVersion", "Id", "ProductArn", "ProductName", "CompanyName", "GeneratorId", "AwsAccountId", "Region", "Types", "CreatedAt", "UpdatedAt", "FirstObservedAt", "LastObservedAt", "Severity", "Title", "Description", "Remediation", "ProductFields", "Resources", "Workflow", "WorkflowState", "RecordState"];
        foreach (var f in findings)
        {
            var missing = required.Where(name => !f.TryGetProperty(name, out _)).ToList();
            Assert.IsEmpty(missing, f.Id() + " lacks " + string.Join(", ", missing));
            var size = Encoding.UTF8.GetByteCount(f.GetRawText());
            Assert.IsTrue(size is > 1500 and < 8000, $"{f.Id()} is {size} bytes");
            Assert.IsLessThanOrEqualTo(_start, f.Updated());
            Assert.IsGreaterThanOrEqualTo(_start.AddDays(-121), f.Updated());
        }

        Assert.IsTrue(findings.Any(f => f.TryGetProperty("Compliance", out var c) && c.TryGetProperty("SecurityControlId", out _)));
        Assert.IsTrue(findings.Select(f => f.Str("ProductName")).Distinct().Count() >= 3, "only one product");
        StringAssert.Contains(reply.Text, "Zugriff verweigert — 東京 ✓");
        Assert.AreEqual(100, findings.Select(f => f.Id()).Distinct().Count());
    }

    [TestMethod]
    public async Task GetFindings_LargeFindingEveryTenth_ServesFindingsJustUnder240KB()
    {
        await using var emulator = await StartAsync(new EmulatorOptions { FindingsPerRegion = 30, LargeFindingEvery = 10, TimeProvider = new FakeTimeProvider(_start) });
        using var client = new SignedClient(emulator.Endpoint);

        var all = await client.GetAllFindingsAsync();

        var sizes = all.Select(f => Encoding.UTF8.GetByteCount(f.GetRawText())).ToList();
        var large = sizes.Where(s => s > 100_000).ToList();
        Assert.HasCount(3, large);
        Assert.IsTrue(large.All(s => s is > 220 * 1024 and <= 240 * 1024), string.Join(", ", large));
    }

    private static async Task<byte[]> FindingsBytesAsync(int seed)
    {
        await using var emulator = await StartAsync(new EmulatorOptions { FindingsPerRegion = 300, Seed = seed, TimeProvider = new FakeTimeProvider(_start), GetFindingsBurst = 100 });
        using var client = new SignedClient(emulator.Endpoint);
        var bytes = new List<byte>();
        string? token = null;
        do
        {
            var reply = await client.GetFindingsAsync(new { MaxResults = 100, NextToken = token });
            bytes.AddRange(FindingsPart(reply));
            token = reply.Json.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
        }
        while (token is not null);
        return [.. bytes];
    }

    // Tokens carry a per-instance MAC key; the findings themselves must be byte-identical.
    private static byte[] FindingsPart(Reply reply)
    {
        var reader = new Utf8JsonReader(reply.Body);
        using var doc = JsonDocument.ParseValue(ref reader);
        return Encoding.UTF8.GetBytes(doc.RootElement.GetProperty("Findings").GetRawText());
    }

    private static Task<SecurityHubEmulator> StartAsync(EmulatorOptions options) => SecurityHubEmulator.StartAsync(options);
}
