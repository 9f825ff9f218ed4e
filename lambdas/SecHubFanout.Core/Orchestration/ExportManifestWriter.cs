using System.Text.Json;

namespace SecHubFanout.Core.Orchestration;

/// <summary>
/// Writes an export's manifest as a stream: the summary, then every account and every (account, Region) as the ledger yields
/// them, flushed as it goes, so memory stays flat however many accounts the export has. Counts how the accounts ended on the way.
/// </summary>
public static class ExportManifestWriter
{
    private const int FlushEveryBytes = 64 * 1024;

    /// <summary>Writes <c>{ "summary": ..., "accounts": [...], "regions": [...], "accountTally": ... }</c> to <paramref name="output"/>.</summary>
    public static async Task<AccountTally> WriteAsync(Stream output, ExportSummary summary, IAsyncEnumerable<AccountRecord> accounts, IAsyncEnumerable<RegionRecord> regions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(regions);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WritePropertyName("summary");
        JsonSerializer.Serialize(json, summary, OrchestrationJsonContext.Default.ExportSummary);

        json.WriteStartArray("accounts");
        await foreach (var account in accounts.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteString("accountId", account.AccountId);
            json.WriteString("launch", account.Launch);
            json.WriteNumber("attempt", account.Attempt);
            WriteOptional(json, "executionArn", account.ExecutionArn);
            WriteOptional(json, "error", account.Error);
            json.WriteEndObject();
            await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
        }

        json.WriteEndArray();

        // Regions come grouped by account (an account's items share a shard and sort by account), so accounts are tallied as they pass.
        long complete = 0, failed = 0, notEnabled = 0;
        string? current = null;
        bool anyFailed = false, anyComplete = false;
        void Close()
        {
            if (current is null)
            {
                return;
            }

            if (anyFailed)
            {
                failed++;
            }
            else if (anyComplete)
            {
                complete++;
            }
            else
            {
                notEnabled++;
            }
        }

        json.WriteStartArray("regions");
        await foreach (var region in regions.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (region.AccountId != current)
            {
                Close();
                current = region.AccountId;
                anyFailed = anyComplete = false;
            }

            anyFailed |= region.Status == RegionExportStatus.Failed;
            anyComplete |= region.Status is RegionExportStatus.Complete or RegionExportStatus.Pending;
            JsonSerializer.Serialize(json, region, OrchestrationJsonContext.Default.RegionRecord);
            await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
        }

        Close();
        json.WriteEndArray();
        var tally = new AccountTally(complete, failed, notEnabled);
        json.WritePropertyName("accountTally");
        JsonSerializer.Serialize(json, tally, OrchestrationJsonContext.Default.AccountTally);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        return tally;
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static async Task FlushIfFullAsync(Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        if (json.BytesPending >= FlushEveryBytes)
        {
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
