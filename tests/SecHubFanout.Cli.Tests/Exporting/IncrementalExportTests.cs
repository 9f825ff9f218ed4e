using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using SecHubFanout.Aws;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Cli.Tests.Analytics;
using SecHubFanout.Emulator;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>
/// <c>export --incremental</c> against the emulator: a full first run, then findings updated on the previous end, inside the overlap
/// (written before the cut-off but indexed only after it) and after it, then an incremental run that holds exactly those.
/// </summary>
[TestClass]
public sealed class IncrementalExportTests
{
    private const string Account = "333333333333";
    private const string Region = "us-east-1";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ExportIncremental_AfterUpdatesOnTheBoundaryAndIndexedLate_HoldsExactlyTheChangedFindingsAndLatestEqualsEmulator()
    {
        // The emulator's generated findings are at least a day old, so only the findings this test changes fall in the overlap.
        await using var emulator = await SecurityHubEmulator.StartAsync(new EmulatorOptions
        {
            Accounts = [Account], Regions = [Region], FindingsPerRegion = 300, TimeProvider = new DayOldClock(),
        });
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var checkpoint = Path.Combine(temp.Path, "incremental.json");
        string[] args = ["export", "--regions", Region, "--out", output, "--checkpoint", checkpoint, "--incremental", "--part-size", "100", "--endpoint-url", emulator.Endpoint.ToString()];
        var generated = emulator.Findings(Account, Region);
        using var member = Member(emulator);

        // Late: written (UpdatedAt = now) before the first run's cut-off, but indexed only after that run ended.
        var late = Enumerable.Range(0, 120).Select(i => NewFinding(generated.Values.First(), $"late-{i:D3}")).ToList();
        CliProcess.Result first;
        using (emulator.HoldIndexing())
        {
            var written = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(30);
            for (var i = 0; i < late.Count; i++)
            {
                late[i]["UpdatedAt"] = Spell(written + TimeSpan.FromMilliseconds(i), i);
            }

            await ImportAsync(member, late);
            first = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), args);
        }

        var afterFirst = Checkpoint.Read(checkpoint);
        var firstIds = await IdsOfExportAsync(output, afterFirst.ExportId);

        // On the boundary: existing findings updated to exactly the first run's end, spelled several ways.
        var boundary = generated.Keys.Order(StringComparer.Ordinal).Take(30)
            .Select((id, i) => Updated(generated[id], Spell(afterFirst.End, i))).ToList();
        // After it: existing findings updated now, and new findings.
        var now = DateTimeOffset.UtcNow;
        var updated = generated.Keys.Order(StringComparer.Ordinal).Skip(30).Take(100)
            .Select((id, i) => Updated(generated[id], Spell(now, i))).ToList();
        var created = Enumerable.Range(0, 20).Select(i => NewFinding(generated.Values.First(), $"new-{i:D3}", Spell(now, i))).ToList();
        await ImportAsync(member, [.. boundary, .. updated, .. created]);
        var changed = new[] { late, boundary, updated, created }.SelectMany(g => g).Select(f => (string)f["Id"]!).ToHashSet(StringComparer.Ordinal);
        var requestsBefore = emulator.Counters.For(Account, Region).Requests;

        var second = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), args);

        var afterSecond = Checkpoint.Read(checkpoint);
        var requests = emulator.Counters.For(Account, Region).Requests - requestsBefore;
        var secondIds = await IdsOfExportAsync(output, afterSecond.ExportId);
        TestContext.WriteLine($"incremental run: {changed.Count} changed findings, {requests} GetFindings requests over {afterSecond.Windows} windows");
        Assert.AreEqual(0, first.ExitCode, first.Stdout + first.Stderr);
        Assert.AreEqual(0, second.ExitCode, second.Stdout + second.Stderr);
        Assert.IsTrue(firstIds.Keys.ToHashSet().SetEquals(generated.Keys), "the first run is a full export of what was searchable at its cut-off (not the late findings)");
        Assert.AreNotEqual(afterFirst.ExportId, afterSecond.ExportId, "every run gets a new export ID");
        ExportedIds.AssertExactly(changed, secondIds, "the incremental run");
        Assert.AreEqual(270, changed.Count);
        Assert.IsLessThanOrEqualTo(3 + afterSecond.Windows, requests, $"about N/100 plus one request per window ({afterSecond.Windows} windows)");
        StringAssert.Contains(second.Stdout, "270 findings changed since the previous run");
        Assert.AreEqual(afterSecond.End, afterSecond.Watermarks[Region]);

        // findings_latest over both runs is the emulator's current state, byte for byte.
        var latest = await LatestAsync(output);
        var current = emulator.Findings(Account, Region);
        Assert.HasCount(current.Count, latest);
        foreach (var (id, json) in current)
        {
            Assert.AreEqual(json, latest.GetValueOrDefault(id), $"finding {id}");
        }
    }

    [TestMethod]
    public async Task ExportIncremental_RegionFailed_KeepsItsWatermarkAndNextRunCoversIt()
    {
        string[] regions = ["us-east-1", "eu-west-1"];
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out");
        var checkpoint = Path.Combine(temp.Path, "incremental.json");
        string[] Args(SecurityHubEmulator e) => ["export", "--regions", string.Join(',', regions), "--out", output, "--checkpoint", checkpoint, "--incremental", "--overlap", "5m", "--endpoint-url", e.Endpoint.ToString()];
        var options = new EmulatorOptions { Accounts = [Account], Regions = regions, FindingsPerRegion = 200, TimeProvider = new DayOldClock() };

        CliProcess.Result first;
        Checkpoint afterFirst;
        await using (var denied = await SecurityHubEmulator.StartAsync(options with { DeniedRegions = ["eu-west-1"] }))
        {
            first = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), Args(denied));
            afterFirst = Checkpoint.Read(checkpoint);
        }

        // The same seed serves the same findings; eu-west-1 is no longer denied.
        await using var healthy = await SecurityHubEmulator.StartAsync(options);
        var second = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), Args(healthy));
        var afterSecond = Checkpoint.Read(checkpoint);
        var secondIds = await ExportedFindingsOfAsync(output, afterSecond.ExportId);

        Assert.AreNotEqual(0, first.ExitCode);
        StringAssert.Contains(first.Stderr, "keep their watermark");
        Assert.IsTrue(afterFirst.Watermarks.ContainsKey("us-east-1"));
        Assert.IsFalse(afterFirst.Watermarks.ContainsKey("eu-west-1"), "a failed Region's watermark does not move");
        Assert.AreEqual(0, second.ExitCode, second.Stdout + second.Stderr);
        ExportedIds.AssertExactly(healthy.FindingIds(Account, "eu-west-1"), secondIds["eu-west-1"], "eu-west-1, exported in full by the next run");
        Assert.IsEmpty(secondIds["us-east-1"], "us-east-1 had nothing new since its watermark");
        Assert.AreEqual(afterSecond.End, afterSecond.Watermarks["us-east-1"]);
        Assert.AreEqual(afterSecond.End, afterSecond.Watermarks["eu-west-1"]);
    }

    [TestMethod]
    public async Task ExportIncremental_WithSince_RefusedBeforeAnythingIsWritten()
    {
        using var temp = new TempDirectory();
        var checkpoint = Path.Combine(temp.Path, "incremental.json");

        var result = await CliProcess.RunAsync(
            CliEnvironment.ForAccount(Account),
            "export", "--out", Path.Combine(temp.Path, "out"), "--checkpoint", checkpoint, "--incremental", "--since", "2026-11-01T00:00:00Z");
        var noCheckpoint = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), "export", "--out", Path.Combine(temp.Path, "out"), "--incremental");
        var badOverlap = await CliProcess.RunAsync(CliEnvironment.ForAccount(Account), "export", "--out", Path.Combine(temp.Path, "out"), "--checkpoint", checkpoint, "--incremental", "--overlap", "15 minutes");

        Assert.AreEqual(2, result.ExitCode, result.Stderr);
        StringAssert.Contains(result.Stderr, "--since and --incremental do not go together");
        Assert.AreEqual(2, noCheckpoint.ExitCode, noCheckpoint.Stderr);
        StringAssert.Contains(noCheckpoint.Stderr, "--incremental needs --checkpoint FILE");
        Assert.AreEqual(2, badOverlap.ExitCode, badOverlap.Stderr);
        StringAssert.Contains(badOverlap.Stderr, "--overlap");
        Assert.IsFalse(File.Exists(checkpoint));
        Assert.IsFalse(Directory.Exists(Path.Combine(temp.Path, "out")));
    }

    private static AwsClients Member(SecurityHubEmulator emulator) => AwsClients.Create(new AwsClientOptions
    {
        Credentials = new BasicAWSCredentials(Account, "test"),
        EndpointUrl = emulator.Endpoint,
        Region = Region,
        Environment = static _ => null,
    });

    private async Task ImportAsync(AwsClients member, IReadOnlyList<JsonNode> findings)
    {
        foreach (var batch in findings.Chunk(100))
        {
            var body = new JsonObject { ["Findings"] = new JsonArray([.. batch.Select(f => f.DeepClone())]) };
            var answer = await member.RestJson.SendAsync(
                new AwsCallContext(AwsService.SecurityHub, Region, "BatchImportFindings"), HttpMethod.Post, "/findings/import", Encoding.UTF8.GetBytes(body.ToJsonString()), TestContext.CancellationToken);
            Assert.AreEqual(0, JsonNode.Parse(answer)!["FailedCount"]!.GetValue<int>(), Encoding.UTF8.GetString(answer));
        }
    }

    /// <summary>The same instant in the spellings ISO 8601 allows: milliseconds, 100-ns digits, other offsets.</summary>
    private static string Spell(DateTimeOffset instant, int variant) => (variant % 4) switch
    {
        0 => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        1 => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        2 => instant.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        _ => instant.ToOffset(TimeSpan.FromHours(-5.5)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
    };

    private static JsonNode Updated(string json, string updatedAt)
    {
        var finding = JsonNode.Parse(json)!;
        finding["UpdatedAt"] = updatedAt;
        finding["Title"] = "updated " + updatedAt;
        return finding;
    }

    private static JsonNode NewFinding(string template, string id, string? updatedAt = null)
    {
        var finding = JsonNode.Parse(template)!;
        finding["Id"] = id;
        if (updatedAt is not null)
        {
            finding["UpdatedAt"] = updatedAt;
        }

        return finding;
    }

    private static async Task<Dictionary<string, int>> IdsOfExportAsync(string output, string exportId)
    {
        var folder = Directory.GetDirectories(Path.Combine(output, "findings", $"account_id={Account}", $"region={Region}"), $"export_id={exportId}", SearchOption.AllDirectories).Single();
        return await SecHubFanout.Cli.Exporting.ExportedFindings.ReadIdsAsync(folder, CancellationToken.None);
    }

    private static async Task<Dictionary<string, Dictionary<string, int>>> ExportedFindingsOfAsync(string output, string exportId)
    {
        var byRegion = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var region in new[] { "us-east-1", "eu-west-1" })
        {
            var folders = Directory.GetDirectories(Path.Combine(output, "findings", $"account_id={Account}", $"region={region}"), $"export_id={exportId}", SearchOption.AllDirectories);
            byRegion[region] = folders.Length == 0 ? [] : await SecHubFanout.Cli.Exporting.ExportedFindings.ReadIdsAsync(folders.Single(), CancellationToken.None);
        }

        return byRegion;
    }

    private static async Task<Dictionary<string, string>> LatestAsync(string output)
    {
        var result = await CliProcess.RunAsync("query", "SELECT id, finding FROM findings_latest", "--in", output, "--format", "json");
        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        using var rows = JsonDocument.Parse(result.Stdout);
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows.RootElement.EnumerateArray())
        {
            Assert.IsTrue(latest.TryAdd(row.GetProperty("id").GetString()!, row.GetProperty("finding").GetString()!), "one row per finding");
        }

        return latest;
    }

    /// <summary>What the checkpoint file says about the last run.</summary>
    private sealed record Checkpoint(string ExportId, DateTimeOffset End, int Windows, Dictionary<string, DateTimeOffset> Watermarks)
    {
        public static Checkpoint Read(string path)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var watermarks = root.TryGetProperty("watermarks", out var w) && w.ValueKind == JsonValueKind.Object
                ? w.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDateTimeOffset(), StringComparer.Ordinal)
                : [];
            return new Checkpoint(
                root.GetProperty("exportId").GetString()!,
                root.GetProperty("end").GetDateTimeOffset(),
                root.GetProperty("checkpoints").EnumerateArray().Sum(c => c.GetProperty("windows").GetArrayLength()),
                watermarks);
        }
    }

    /// <summary>The emulator's clock a day behind: its generated findings are all at least a day old.</summary>
    private sealed class DayOldClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(1);
    }
}
