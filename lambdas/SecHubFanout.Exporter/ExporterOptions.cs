using System.Globalization;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Export;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Exporter;

/// <summary>The exporter Lambda's configuration, read once from environment variables and validated at cold start.</summary>
public sealed record ExporterOptions
{
    /// <summary>How long one invocation may export before it stores its open parts and returns a checkpoint (TIME_BUDGET_SECONDS, required: the function timeout minus a safety margin).</summary>
    public required TimeSpan TimeBudget { get; init; }

    /// <summary>How long after the time budget a stuck invocation is cancelled and answers with its last stored checkpoint. Default 30 s (the stack leaves 60 s before the function timeout).</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The SSM parameter path below which the running counts are kept (COUNT_PARAMETER_PREFIX). Default <see cref="FanoutNames.CountParameterPrefix"/>.</summary>
    public string CountParameterPrefix { get; init; } = FanoutNames.CountParameterPrefix;

    /// <summary>How often at most the running count is updated while a Region exports. Default 30 s.</summary>
    public TimeSpan CountInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How the engine pages and packages (PART_SIZE sets <see cref="ExportOptions.PartSize"/>). Default: the engine's defaults.</summary>
    public ExportOptions Export { get; init; } = new();

    /// <summary>
    /// The 12-digit account that must own the findings bucket (FINDINGS_BUCKET_OWNER; the member stack sets the central account):
    /// every write names it, so S3 refuses to store findings in a same-named bucket of another account. Default null: not checked.
    /// </summary>
    public string? FindingsBucketOwner { get; init; }

    /// <summary>
    /// The member account's DynamoDB table where each Region's checkpoint is saved at every advance (CHECKPOINT_TABLE; the member stack
    /// creates it). With it, a crashed invocation's retry resumes from what was stored, and windows also split by timing
    /// (<see cref="ExportOptions.SplitWhenIdle"/>). Default null: checkpoints live only in the state machine, splits follow the findings alone.
    /// </summary>
    public string? CheckpointTable { get; init; }

    /// <summary>The member account's home Region, where the count parameters live (AWS_REGION, set by Lambda).</summary>
    public required string Region { get; init; }

    /// <summary>Reads and validates the options; throws one <see cref="InvalidOperationException"/> naming every bad variable and how to fix it.</summary>
    public static ExporterOptions FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        string? Optional(string name) => environment(name)?.Trim() is { Length: > 0 } v ? v : null;

        var budget = TimeSpan.Zero;
        switch (Optional(ExporterEnvironment.TimeBudgetSeconds))
        {
            case null:
                problems.Add($"{ExporterEnvironment.TimeBudgetSeconds} is not set (the function timeout minus a safety margin, e.g. 840 for a 900 s timeout)");
                break;
            case var text when !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 900:
                problems.Add($"{ExporterEnvironment.TimeBudgetSeconds} is '{text}': use a whole number of seconds from 1 to 900, below the function timeout");
                break;
            case var text:
                budget = TimeSpan.FromSeconds(int.Parse(text, CultureInfo.InvariantCulture));
                break;
        }

        var prefix = Optional(ExporterEnvironment.CountParameterPrefix) ?? FanoutNames.CountParameterPrefix;
        if (prefix.Length < 2 || !prefix.StartsWith('/') || !prefix.EndsWith('/'))
        {
            problems.Add($"{ExporterEnvironment.CountParameterPrefix} is '{prefix}': use an SSM parameter path that starts and ends with '/', e.g. {FanoutNames.CountParameterPrefix}");
        }

        var export = new ExportOptions();
        if (Optional(ExporterEnvironment.PartSize) is { } partSizeText)
        {
            if (int.TryParse(partSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var partSize) && partSize >= export.PageSize && partSize <= 1_000_000)
            {
                export = export with { PartSize = partSize };
            }
            else
            {
                problems.Add($"{ExporterEnvironment.PartSize} is '{partSizeText}': use a whole number of findings per part from {export.PageSize} to 1000000 (default {export.PartSize})");
            }
        }

        var owner = Optional(ExporterEnvironment.FindingsBucketOwner);
        if (owner is not null && !AccountIds.IsValid(owner))
        {
            problems.Add($"{ExporterEnvironment.FindingsBucketOwner} is '{owner}': use the 12-digit ID of the account that owns the findings bucket (the central account), or leave it unset");
        }

        var table = Optional(ExporterEnvironment.CheckpointTable);
        if (table is not null && !IsTableName(table))
        {
            problems.Add($"{ExporterEnvironment.CheckpointTable} is '{table}': use a DynamoDB table name (3 to 255 letters, digits, '_', '-', '.'), or leave it unset");
        }

        var region = Optional("AWS_REGION") ?? Optional("AWS_DEFAULT_REGION");
        if (region is null)
        {
            problems.Add("AWS_REGION is not set (Lambda sets it; set it yourself when running the handler elsewhere)");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "SecHubFanout exporter configuration is invalid: " + string.Join("; ", problems) + ". The member exporter stack sets these variables; redeploy it or fix them in the function's configuration.");
        }

        // A durable checkpoint at every advance makes splits decided by timing safe (see ExportOptions.SplitWhenIdle).
        export = export with { SplitWhenIdle = table is not null };
        return new ExporterOptions { TimeBudget = budget, CountParameterPrefix = prefix, Export = export, FindingsBucketOwner = owner, CheckpointTable = table, Region = region! };
    }

    private static bool IsTableName(string name) =>
        name.Length is >= 3 and <= 255 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TimeBudget, TimeSpan.Zero, nameof(TimeBudget));
        ArgumentOutOfRangeException.ThrowIfLessThan(StopGrace, TimeSpan.Zero, nameof(StopGrace));
        ArgumentOutOfRangeException.ThrowIfLessThan(CountInterval, TimeSpan.Zero, nameof(CountInterval));
        ArgumentException.ThrowIfNullOrWhiteSpace(CountParameterPrefix, nameof(CountParameterPrefix));
        ArgumentException.ThrowIfNullOrWhiteSpace(Region, nameof(Region));
        ArgumentNullException.ThrowIfNull(Export, nameof(Export));
        Export.Validate();
        if (Export.SplitWhenIdle && CheckpointTable is null)
        {
            throw new ArgumentException("Splits by timing need the checkpoint table: a crashed invocation's retry would otherwise start before what it stored.", nameof(Export));
        }
    }
}
