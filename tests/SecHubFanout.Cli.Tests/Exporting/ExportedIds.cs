using SecHubFanout.Cli.Exporting;

namespace SecHubFanout.Cli.Tests.Exporting;

/// <summary>Reads what an export wrote for one account and Region, and checks it against what the emulator serves.</summary>
internal static class ExportedIds
{
    /// <summary>The IDs (with their counts) in every part below the account's and Region's partition folders.</summary>
    public static Task<Dictionary<string, int>> ReadAsync(string root, string accountId, string region) =>
        ExportedFindings.ReadIdsAsync(Path.Combine(root, "findings", $"account_id={accountId}", $"region={region}"), CancellationToken.None);

    /// <summary>The IDs (finding_info.uid) in every part of a GetFindingsV2 export below the account's OCSF folder and Region.</summary>
    public static Task<Dictionary<string, int>> ReadOcsfAsync(string root, string accountId, string region) =>
        ExportedFindings.ReadIdsAsync(Path.Combine(root, "findings", $"account_id={accountId}", "ocsf", $"region={region}"), CancellationToken.None);

    /// <summary>Fails unless the IDs written are exactly <paramref name="served"/>, each once.</summary>
    public static void AssertExactly(IReadOnlySet<string> served, Dictionary<string, int> written, string what)
    {
        Assert.IsNotEmpty(served, $"{what}: the emulator serves nothing, so the comparison would prove nothing");
        var duplicates = written.Where(kv => kv.Value > 1).Select(kv => kv.Key).Take(3).ToList();
        Assert.IsEmpty(duplicates, $"{what}: duplicated IDs, e.g. {string.Join(", ", duplicates)}");
        var missing = served.Where(id => !written.ContainsKey(id)).Take(3).ToList();
        var extra = written.Keys.Where(id => !served.Contains(id)).Take(3).ToList();
        Assert.IsTrue(missing.Count == 0 && extra.Count == 0, $"{what}: {served.Count} served, {written.Count} written; missing e.g. {string.Join(", ", missing)}; extra e.g. {string.Join(", ", extra)}");
    }
}
