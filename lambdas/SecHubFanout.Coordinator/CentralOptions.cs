using System.Globalization;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Coordinator;

/// <summary>The central Lambdas' configuration, read once from environment variables and validated at cold start.</summary>
public sealed record CentralOptions
{
    /// <summary>The ledger table (LEDGER_TABLE).</summary>
    public required string LedgerTable { get; init; }

    /// <summary>The SNS topic for completion and failure emails (TOPIC_ARN).</summary>
    public required string TopicArn { get; init; }

    /// <summary>The findings bucket (FINDINGS_BUCKET).</summary>
    public required string FindingsBucket { get; init; }

    /// <summary>The KMS key manifests are encrypted with (FINDINGS_KMS_KEY_ARN); null uses the bucket default.</summary>
    public string? FindingsKmsKeyArn { get; init; }

    /// <summary>The account that owns the findings bucket (FINDINGS_BUCKET_OWNER): S3 refuses manifest writes to a bucket of another account. Null: not checked.</summary>
    public string? FindingsBucketOwner { get; init; }

    /// <summary>The member StackSet whose instances are the target accounts (STACK_SET_NAME); null lists the organization's accounts.</summary>
    public string? StackSetName { get; init; }

    /// <summary>SELF or DELEGATED_ADMIN (CALL_AS). Default SELF.</summary>
    public string CallAs { get; init; } = "SELF";

    /// <summary>Regions exported when a launch names none (DEFAULT_REGIONS, comma-separated); empty: each account exports the Regions enabled in it.</summary>
    public IReadOnlyList<string> DefaultRegions { get; init; } = [];

    /// <summary>Accounts started at once (MAX_CONCURRENCY). Default 10.</summary>
    public int MaxConcurrency { get; init; } = 10;

    /// <summary>The Glue database (GLUE_DATABASE). Default sechub_fanout.</summary>
    public string GlueDatabase { get; init; } = "sechub_fanout";

    /// <summary>The Glue table (GLUE_TABLE). Default findings.</summary>
    public string GlueTable { get; init; } = "findings";

    /// <summary>The Glue table of GetFindingsV2 (OCSF) exports (GLUE_OCSF_TABLE). Default findings_ocsf.</summary>
    public string GlueOcsfTable { get; init; } = "findings_ocsf";

    /// <summary>The Athena workgroup named in emails (ATHENA_WORKGROUP). Default primary.</summary>
    public string AthenaWorkgroup { get; init; } = "primary";

    /// <summary>The function's own timeout (FUNCTION_TIMEOUT_SECONDS, set by the stack per function). Default 300 seconds.</summary>
    public TimeSpan FunctionTimeout { get; init; } = DefaultCoordinatorTimeout;

    /// <summary>How long a pending Region may stay silent after its account started before the reconciler fails it (RECONCILE_AFTER_MINUTES). Default 1500 (25 hours).</summary>
    public TimeSpan SilentAfter { get; init; } = TimeSpan.FromMinutes(1500);

    /// <summary>Also launch the exporter in this (the central) account (INCLUDE_THIS_ACCOUNT, true or false). Default false.</summary>
    public bool IncludeThisAccount { get; init; }

    /// <summary>How long a handler may work before it stops: the function's timeout less a margin to answer in.</summary>
    public TimeSpan HandlerBudget => BudgetFor(FunctionTimeout);

    /// <summary>The timeout assumed when FUNCTION_TIMEOUT_SECONDS is not set.</summary>
    public static TimeSpan DefaultCoordinatorTimeout { get; } = TimeSpan.FromSeconds(300);

    /// <summary>The work budget within a function timeout: a tenth of it, at least 5 seconds, is kept to answer and log.</summary>
    public static TimeSpan BudgetFor(TimeSpan timeout) => timeout - TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(5).Ticks, timeout.Ticks / 10));

    /// <summary>The home Region (AWS_REGION, set by Lambda).</summary>
    public required string Region { get; init; }

    /// <summary>Reads and validates the options; throws one <see cref="InvalidOperationException"/> naming every bad variable.</summary>
    public static CentralOptions FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        string Required(string name)
        {
            var value = environment(name)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                problems.Add($"{name} is not set");
            }

            return value ?? string.Empty;
        }

        string? Optional(string name) => environment(name)?.Trim() is { Length: > 0 } v ? v : null;

        var callAs = Optional(CentralEnvironment.CallAs) ?? "SELF";
        if (callAs is not ("SELF" or "DELEGATED_ADMIN"))
        {
            problems.Add($"CALL_AS is '{callAs}': use SELF or DELEGATED_ADMIN");
        }

        var maxConcurrency = 10;
        if (Optional(CentralEnvironment.MaxConcurrency) is { } mc && (!int.TryParse(mc, NumberStyles.None, CultureInfo.InvariantCulture, out maxConcurrency) || maxConcurrency is < 1 or > 1000))
        {
            problems.Add($"MAX_CONCURRENCY is '{mc}': use a whole number from 1 to 1000");
        }

        var timeoutSeconds = (int)DefaultCoordinatorTimeout.TotalSeconds;
        if (Optional(CentralEnvironment.FunctionTimeoutSeconds) is { } ft && (!int.TryParse(ft, NumberStyles.None, CultureInfo.InvariantCulture, out timeoutSeconds) || timeoutSeconds is < 10 or > 900))
        {
            problems.Add($"FUNCTION_TIMEOUT_SECONDS is '{ft}': use the function's timeout in seconds, 10 to 900");
        }

        var silentMinutes = 1500;
        if (Optional(CentralEnvironment.ReconcileAfterMinutes) is { } ra && (!int.TryParse(ra, NumberStyles.None, CultureInfo.InvariantCulture, out silentMinutes) || silentMinutes < 60))
        {
            problems.Add($"RECONCILE_AFTER_MINUTES is '{ra}': use a whole number of minutes, at least 60 (longer than a member execution may run)");
        }

        var includeThisAccount = Optional(CentralEnvironment.IncludeThisAccount) ?? "false";
        if (includeThisAccount is not ("true" or "false"))
        {
            problems.Add($"INCLUDE_THIS_ACCOUNT is '{includeThisAccount}': use true or false");
        }

        var regions = (Optional(CentralEnvironment.DefaultRegions) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        problems.AddRange(regions.Where(r => !RegionNames.IsValid(r)).Select(r => $"DEFAULT_REGIONS names '{r}', which is not a Region"));

        var owner = Optional(CentralEnvironment.FindingsBucketOwner);
        if (owner is not null && !AccountIds.IsValid(owner))
        {
            problems.Add($"{CentralEnvironment.FindingsBucketOwner} is '{owner}': use the 12-digit ID of the account that owns the findings bucket");
        }

        var options = new CentralOptions
        {
            LedgerTable = Required(CentralEnvironment.LedgerTable),
            TopicArn = Required(CentralEnvironment.TopicArn),
            FindingsBucket = Required(CentralEnvironment.FindingsBucket),
            FindingsKmsKeyArn = Optional(CentralEnvironment.FindingsKmsKeyArn),
            FindingsBucketOwner = owner,
            StackSetName = Optional(CentralEnvironment.StackSetName),
            CallAs = callAs,
            DefaultRegions = regions,
            MaxConcurrency = maxConcurrency,
            GlueDatabase = Optional(CentralEnvironment.GlueDatabase) ?? "sechub_fanout",
            GlueTable = Optional(CentralEnvironment.GlueTable) ?? "findings",
            GlueOcsfTable = Optional(CentralEnvironment.GlueOcsfTable) ?? "findings_ocsf",
            AthenaWorkgroup = Optional(CentralEnvironment.AthenaWorkgroup) ?? "primary",
            FunctionTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            SilentAfter = TimeSpan.FromMinutes(silentMinutes),
            IncludeThisAccount = includeThisAccount == "true",
            Region = Optional("AWS_REGION") ?? Optional("AWS_DEFAULT_REGION") ?? Required("AWS_REGION"),
        };
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("SecHubFanout central Lambda configuration is invalid: " + string.Join("; ", problems) + ". The CentralStack sets these variables; redeploy it or fix them in the function's configuration.");
        }

        return options;
    }
}
